namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LeakAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using LeakAnalyzers.Tests.Verifiers;
using Xunit;

/// <summary>
/// samples/LeakDemo says what it shows: every method or type named <c>...Leaky</c> gets a LeakAnalyzers warning
/// and its clean counterparts get none. A warning inside a method belongs to the method; one outside any method
/// (on a field, say) belongs to its type. Its messages fit a tooltip (<see cref="MessageLength"/>). The demo is
/// compiled here in memory with every analyzer of the assembly.
/// </summary>
public sealed class DemoTests
{
    /// <summary>The demo, compiled and analyzed once for all the tests of this class.</summary>
    private static readonly Lazy<Task<DemoRun>> Run = new(AnalyzeDemoAsync);

    [Fact]
    public async Task Warnings_fall_on_the_leaky_methods_and_only_there()
    {
        var run = await Run.Value;
        var nodes = run.Trees.SelectMany(t => t.GetRoot().DescendantNodes()).ToList();
        var leaky = nodes.OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.ValueText.EndsWith("Leaky", StringComparison.Ordinal)).Select(Owner)
            .Concat(nodes.OfType<TypeDeclarationSyntax>().Where(t => t.Identifier.ValueText.EndsWith("Leaky", StringComparison.Ordinal)).Select(Owner))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(leaky);

        var warned = run.Diagnostics
            .Select(d => Owner(d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan)))
            .Distinct()
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(leaky, warned);
    }

    [Fact]
    public async Task Every_rule_has_a_warning_in_the_demo()
    {
        // The message-length checks below speak for every rule only if every rule speaks in the demo.
        var run = await Run.Value;
        var missing = AnalyzerCatalog.Descriptors.Select(d => d.Id).Except(run.Diagnostics.Select(d => d.Id)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Messages_fit_a_tooltip()
    {
        // The demo's real messages, arguments filled in: none over the limit, and most well under it.
        var run = await Run.Value;
        var messages = run.Diagnostics.Select(d => (d.Id, Text: d.GetMessage(CultureInfo.InvariantCulture))).ToList();
        Assert.NotEmpty(messages);
        var tooLong = messages.Where(m => m.Text.Length > MessageLength.Max).Select(m => $"{m.Id} ({m.Text.Length}): {m.Text}").ToList();
        Assert.True(tooLong.Count == 0, $"Over {MessageLength.Max} characters:\n{string.Join("\n", tooLong)}");
        var median = MessageLength.Median(messages.Select(m => m.Text.Length));
        Assert.True(median < MessageLength.MedianBelow, $"The median message is {median} characters; keep it under {MessageLength.MedianBelow}.");
    }

    private static async Task<DemoRun> AnalyzeDemoAsync()
    {
        var folder = RepositoryRoot.Combine("samples", "LeakDemo");
        var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), new CSharpParseOptions(LanguageVersion.Latest), path: p))
            .ToList();
        Assert.NotEmpty(trees);

        var compilation = CSharpCompilation.Create(
            "LeakDemo",
            trees,
            TestSetup.MetadataReferences,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await compilation.WithAnalyzers(AnalyzerCatalog.CreateAnalyzers()).GetAnalyzerDiagnosticsAsync();
        return new DemoRun(trees, diagnostics.Where(d => d.Id.StartsWith("LEAK", StringComparison.Ordinal)).ToImmutableArray());
    }

    /// <summary>"Type.Method" for a node in a method, "Type" for a node elsewhere in a type.</summary>
    private static string Owner(SyntaxNode node)
    {
        var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        var type = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        return method is not null
            ? ((TypeDeclarationSyntax)method.Parent!).Identifier.ValueText + "." + method.Identifier.ValueText
            : type?.Identifier.ValueText ?? "(outside any type)";
    }

    private sealed record DemoRun(IReadOnlyList<SyntaxTree> Trees, ImmutableArray<Diagnostic> Diagnostics);
}
