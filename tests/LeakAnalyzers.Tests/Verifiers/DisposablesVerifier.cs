namespace LeakAnalyzers.Tests.Verifiers;

using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

/// <summary>
/// Runs every analyzer of the disposables family (LEAK001-004) at once, so that a test states everything the family
/// reports on its code: each expected diagnostic as markup naming its ID (<c>{|LEAK001:...|}</c>), and nothing else.
/// </summary>
public static class DisposablesVerifier
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static DiagnosticResult Diagnostic(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor) => new(descriptor);

    public sealed class Test : CSharpAnalyzerVerifier<LocalNotDisposedAnalyzer>.Test
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new DiagnosticAnalyzer[]
        {
            new LocalNotDisposedAnalyzer(),
            new DisposableDroppedAnalyzer(),
            new FieldNotDisposedAnalyzer(),
        };
    }
}
