namespace LeakAnalyzers.Tests.Verifiers;

using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

/// <summary>
/// Microsoft.CodeAnalysis.Testing's analyzer test with the suite's settings (see <see cref="TestSetup"/>).
/// Use: <c>using Verify = CSharpAnalyzerVerifier&lt;MyAnalyzer&gt;;</c>.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>The analyzer's single descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    /// <summary>The analyzer's descriptor with this ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Checks that the analyzer reports exactly the markup in <paramref name="source"/> plus <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        /// <summary>Text of an <c>.editorconfig</c> beside the sources (start it with <c>root = true</c> and <c>[*.cs]</c>).</summary>
        public string? EditorConfig { get; set; }

        /// <summary>True for tests of code that does not compile: compiler diagnostics are then not checked.</summary>
        public bool AllowCompilerErrors { get; set; }

        public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

        public NullableContextOptions NullableContextOptions { get; set; } = NullableContextOptions.Disable;

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            TestSetup.Apply(this, EditorConfig, AllowCompilerErrors);
            return base.RunImplAsync(cancellationToken);
        }

        protected override Project ApplyCompilationOptions(Project project)
        {
            var applied = base.ApplyCompilationOptions(project);
            return EditorConfig is null ? applied : TestSetup.WithEditorConfigSeverities(applied);
        }

        protected override ParseOptions CreateParseOptions() => TestSetup.WithLanguageVersion(base.CreateParseOptions(), LanguageVersion);

        protected override CompilationOptions CreateCompilationOptions() => TestSetup.WithNullable(base.CreateCompilationOptions(), NullableContextOptions);
    }
}
