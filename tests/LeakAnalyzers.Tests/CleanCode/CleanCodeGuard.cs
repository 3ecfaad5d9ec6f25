namespace LeakAnalyzers.Tests.CleanCode;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LeakAnalyzers.Tests.Infrastructure;
using LeakAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

/// <summary>
/// The clean-code guard: realistic, leak-free code (one file per family under CleanCode/Samples) on which every
/// analyzer of the package must report nothing. Each sample must compile, so the guard cannot pass by accident on
/// code the compiler rejects. Analyzers are found by reflection: a new rule is guarded the day it is added.
/// </summary>
public class CleanCodeGuard
{
    private static readonly string SamplesFolder = Path.Combine(AppContext.BaseDirectory, "CleanCode", "Samples");

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SamplesFolder, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void EveryFamilyHasSamples()
    {
        var files = Directory.GetFiles(SamplesFolder, "*.cs");
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("Disposables", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("Events", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("StaticCollections", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("Closures", StringComparison.Ordinal));
        Assert.True(files.Length >= 1);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task NoAnalyzerReportsAnything(string sample)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(SamplesFolder, sample));
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: sample);
        var compilation = CSharpCompilation.Create(
            "CleanCode",
            new[] { tree },
            TestSetup.MetadataReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{sample} does not compile:\n" + string.Join("\n", errors));

        var exceptions = new List<string>();
        var analyzers = AnalyzerCatalog.CreateAnalyzers();
        Assert.NotEmpty(analyzers);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(exceptions);
        var reported = diagnostics.Where(d => d.Id.StartsWith("LEAK", StringComparison.Ordinal) || d.Id == "AD0001").ToList();
        Assert.True(reported.Count == 0, $"{sample} is leak-free, yet:\n" + string.Join("\n", reported));
    }
}
