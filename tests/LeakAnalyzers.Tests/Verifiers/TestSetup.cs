namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

/// <summary>
/// What every test of the suite shares on top of Microsoft.CodeAnalysis.Testing: the one set of reference
/// assemblies test code compiles against, and how the project's few test settings map onto the library's state.
/// </summary>
public static class TestSetup
{
    /// <summary>
    /// The framework test code compiles against: the .NET 10 reference pack, the framework the test project runs
    /// on. Pinned to one version of the pack, which the library restores from the NuGet feeds of the machine's
    /// configuration the first time a test asks for it (into the NuGet global packages folder).
    /// </summary>
    public static ReferenceAssemblies References { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        Path.Combine("ref", "net10.0"));

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyMetadataReferences = new(
        () => Task.Run(() => References.ResolveAsync(LanguageNames.CSharp, CancellationToken.None)).GetAwaiter().GetResult());

    /// <summary>The metadata references of <see cref="References"/>, for tests that build a compilation themselves.</summary>
    public static ImmutableArray<MetadataReference> MetadataReferences => LazyMetadataReferences.Value;

    /// <summary>
    /// Compiles <paramref name="source"/> into an assembly and returns it as a metadata reference: a type of another
    /// project of the same solution, seen by the analyzers the way a build sees it, without bodies.
    /// </summary>
    public static MetadataReference CompileLibrary(string assemblyName, string source)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source) },
            MetadataReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("The test library does not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>Where a test's <c>.editorconfig</c> text goes: beside the sources, as in a real project.</summary>
    public const string EditorConfigPath = "/0/.editorconfig";

    internal static void Apply<TVerifier>(AnalyzerTest<TVerifier> test, string? editorConfig, bool allowCompilerErrors)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = References;

        // "[|...|]" means the first descriptor of the analyzer under test, also for analyzers with several.
        test.MarkupOptions |= MarkupOptions.UseFirstDescriptor;
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add((EditorConfigPath, editorConfig));
        }

        if (allowCompilerErrors)
        {
            test.CompilerDiagnostics = CompilerDiagnostics.None;
        }
    }

    /// <summary>
    /// The library sets every analyzer ID to "default" in the project's compilation options, so that rules disabled
    /// by default still run; options set there win over .editorconfig severities. A real build sets nothing there,
    /// and every LEAK rule is enabled by default: with an .editorconfig, drop those entries so that
    /// <c>dotnet_diagnostic.LEAKnnn.severity</c> applies as it does in a build.
    /// </summary>
    internal static Project WithEditorConfigSeverities(Project project)
    {
        var options = project.CompilationOptions!;
        var kept = options.SpecificDiagnosticOptions
            .Where(option => !(option.Value == ReportDiagnostic.Default && option.Key.StartsWith("LEAK", StringComparison.Ordinal)));
        return project.WithCompilationOptions(options.WithSpecificDiagnosticOptions(kept));
    }

    internal static ParseOptions WithLanguageVersion(ParseOptions options, LanguageVersion languageVersion)
        => ((CSharpParseOptions)options).WithLanguageVersion(languageVersion);

    internal static CompilationOptions WithNullable(CompilationOptions options, NullableContextOptions nullable)
        => ((CSharpCompilationOptions)options).WithNullableContextOptions(nullable);
}
