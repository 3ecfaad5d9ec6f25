namespace LeakAnalyzers.Tests.Verifiers;

using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// Verifies an analyzer and its code fix, in the shape of Microsoft.CodeAnalysis.Testing's
/// <c>CSharpCodeFixVerifier</c>. Typical use: <c>using Verify = CSharpCodeFixVerifier&lt;MyAnalyzer, MyFix&gt;;</c>.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The analyzer's single descriptor; throws when it supports several (use an overload then).</summary>
    public static DiagnosticResult Diagnostic() => VerifierDiagnostics.Single(new TAnalyzer());

    /// <summary>The analyzer's descriptor with this ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => VerifierDiagnostics.ById(new TAnalyzer(), diagnosticId);

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

    public class Test : CodeFixTest
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new DiagnosticAnalyzer[] { new TAnalyzer() };

        protected override IEnumerable<CodeFixProvider> GetCodeFixProviders() => new CodeFixProvider[] { new TCodeFix() };
    }
}
