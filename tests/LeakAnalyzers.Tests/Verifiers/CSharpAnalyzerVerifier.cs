namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// Verifies one analyzer on C# source with markup, in the shape of Microsoft.CodeAnalysis.Testing's
/// <c>CSharpAnalyzerVerifier</c>. Typical use: <c>using Verify = CSharpAnalyzerVerifier&lt;MyAnalyzer&gt;;</c>.
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>The analyzer's single descriptor; throws when it supports several (use an overload then).</summary>
    public static DiagnosticResult Diagnostic() => VerifierDiagnostics.Single(new TAnalyzer());

    /// <summary>The analyzer's descriptor with this ID.</summary>
    public static DiagnosticResult Diagnostic(string diagnosticId) => VerifierDiagnostics.ById(new TAnalyzer(), diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Checks that the analyzer reports exactly the markup in <paramref name="source"/> plus <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public class Test : AnalyzerTest
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new DiagnosticAnalyzer[] { new TAnalyzer() };
    }
}

/// <summary>How the verifiers turn an analyzer's descriptors into expected results.</summary>
internal static class VerifierDiagnostics
{
    public static DiagnosticResult Single(DiagnosticAnalyzer analyzer)
    {
        var supported = analyzer.SupportedDiagnostics;
        return supported.Length == 1
            ? new DiagnosticResult(supported[0])
            : throw new InvalidOperationException(
                $"Diagnostic() needs an analyzer with exactly one descriptor; {analyzer.GetType().Name} has {supported.Length} "
                + $"({string.Join(", ", supported.Select(d => d.Id))}). Use Diagnostic(\"ID\") or Diagnostic(descriptor).");
    }

    public static DiagnosticResult ById(DiagnosticAnalyzer analyzer, string diagnosticId)
    {
        var matches = analyzer.SupportedDiagnostics.Where(d => d.Id == diagnosticId).ToList();
        return matches.Count == 1
            ? new DiagnosticResult(matches[0])
            : throw new InvalidOperationException(
                $"Diagnostic(\"{diagnosticId}\") needs exactly one descriptor with that ID; {analyzer.GetType().Name} has {matches.Count}. "
                + "Use Diagnostic(descriptor), or new DiagnosticResult(id, severity) for a diagnostic of another component.");
    }
}
