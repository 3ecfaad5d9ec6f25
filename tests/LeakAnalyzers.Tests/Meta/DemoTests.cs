namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LeakAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

/// <summary>
/// samples/LeakDemo says what it shows: every method named <c>...Leaky</c> gets a LeakAnalyzers warning and its
/// clean counterparts get none. The demo is compiled here in memory with every analyzer of the assembly.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Warnings_fall_on_the_leaky_methods_and_only_there()
    {
        var folder = RepositoryRoot.Combine("samples", "LeakDemo");
        var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), new CSharpParseOptions(LanguageVersion.Latest), path: p))
            .ToList();
        Assert.NotEmpty(trees);

        var trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var references = trusted.Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == frameworkDirectory)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "LeakDemo",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await compilation.WithAnalyzers(AnalyzerCatalog.CreateAnalyzers()).GetAnalyzerDiagnosticsAsync();
        var leakDiagnostics = diagnostics.Where(d => d.Id.StartsWith("LEAK", StringComparison.Ordinal)).ToImmutableArray();

        var leakyMethods = trees
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.Identifier.ValueText.EndsWith("Leaky", StringComparison.Ordinal))
            .Select(Name)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(leakyMethods);

        var warnedMethods = leakDiagnostics
            .Select(d => d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>())
            .Select(m => m is null ? "(outside a method)" : Name(m))
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(leakyMethods, warnedMethods);
    }

    private static string Name(MethodDeclarationSyntax method) =>
        ((TypeDeclarationSyntax)method.Parent!).Identifier.ValueText + "." + method.Identifier.ValueText;
}
