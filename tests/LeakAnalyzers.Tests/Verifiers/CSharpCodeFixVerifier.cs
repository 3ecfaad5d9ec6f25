namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

/// <summary>
/// Microsoft.CodeAnalysis.Testing's code fix test with the suite's settings (see <see cref="TestSetup"/>).
/// Use: <c>using Verify = CSharpCodeFixVerifier&lt;MyAnalyzer, MyFix&gt;;</c>.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The analyzer's single descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic();

    /// <summary>The analyzer's descriptor with this ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Checks that the analyzer reports exactly the markup in <paramref name="source"/> plus <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
        => CSharpAnalyzerVerifier<TAnalyzer>.VerifyAnalyzerAsync(source, expected);

    /// <summary>Diagnostics come from the markup in <paramref name="source"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource)
        => VerifyCodeFixAsync(source, DiagnosticResult.EmptyDiagnosticResults, fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult expected, string fixedSource)
        => VerifyCodeFixAsync(source, new[] { expected }, fixedSource);

    public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        /// <summary>Text of an <c>.editorconfig</c> beside the sources (start it with <c>root = true</c> and <c>[*.cs]</c>).</summary>
        public string? EditorConfig { get; set; }

        /// <summary>True for tests of code that does not compile: compiler diagnostics are then not checked.</summary>
        public bool AllowCompilerErrors { get; set; }

        public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

        public NullableContextOptions NullableContextOptions { get; set; } = NullableContextOptions.Disable;

        /// <summary>
        /// Equivalence keys that no code action offered for any diagnostic may carry. The library can pick the
        /// action to apply by key, but cannot say that one action of a provider must not be offered where another
        /// one is; the check sits in <see cref="FilterCodeActions"/>, which the library calls with the actions
        /// offered for every diagnostic it tries to fix, incrementally and for Fix All.
        /// </summary>
        public List<string> NotOfferedEquivalenceKeys { get; } = new();

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            TestSetup.Apply(this, EditorConfig, AllowCompilerErrors);

            // Markup in the fixed code states the diagnostics that remain, fixable ones included (the library's
            // default for fixed states ignores markup of fixable IDs).
            FixedState.MarkupHandling ??= MarkupMode.Allow;
            BatchFixedState.MarkupHandling ??= MarkupMode.Allow;
            if (EditorConfig is not null)
            {
                // The fixed states inherit the sources' folder, not the .editorconfig: carry it over unchanged.
                FixedState.AnalyzerConfigFiles.Add((TestSetup.EditorConfigPath, EditorConfig));
            }

            return base.RunImplAsync(cancellationToken);
        }

        protected override ImmutableArray<CodeAction> FilterCodeActions(ImmutableArray<CodeAction> actions)
        {
            var offered = actions.FirstOrDefault(a => a.EquivalenceKey is { } key && NotOfferedEquivalenceKeys.Contains(key, StringComparer.Ordinal));
            if (offered is not null)
            {
                throw new InvalidOperationException($"The code action '{offered.Title}' (equivalence key '{offered.EquivalenceKey}') was offered; the test says it must not be.");
            }

            return base.FilterCodeActions(actions);
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
