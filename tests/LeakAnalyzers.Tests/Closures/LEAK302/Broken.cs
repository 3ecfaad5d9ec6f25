namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System.Threading.Tasks;
using LeakAnalyzers.Tests.Events;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer>;

/// <summary>Code being typed: the analyzer must not throw.</summary>
public class Broken
{
    [Theory]
    [InlineData("using System; class L { static Func<int> f; void M() { var b = new byte[1]; System.Threading.Tasks.Task.Run(() => b[0] = ); f = () => ; } }")]
    [InlineData("using System; class L { static Func<int> f; void M(Missing m) { var b = new Missing2(); Run(() => b.X); f = () => m.Y; } }")]
    [InlineData("class L { void M() { var x = ; System.Action a = () => x; } }")]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Theory]
    [MemberData(nameof(BrokenSources.All), MemberType = typeof(BrokenSources))]
    public Task DoesNotThrowOnTheEventFamilysBrokenSources(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();
}
