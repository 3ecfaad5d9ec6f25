namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using LeakAnalyzers.Tests.Events;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer>;

/// <summary>Code being typed: the analyzer must not throw, and reports what it can still see.</summary>
public class Broken
{
    [Theory]
    [InlineData("using System.Threading; class R { void C() { } public void S(CancellationToken t) { t.Register(() => ; } }")]
    [InlineData("using System.Threading; class R { public void S(CancellationToken t) { t.Register(() => Missing()); } }")]
    [InlineData("using System.Threading; class P { public void S() { new Timer(x => , null, 0, 1); } }")]
    [InlineData("using System; class H { static Action a; public H() { a = () => ; } }")]
    [InlineData("using System.Collections.Generic; class H { static List<System.Action> l; public H() { l.Add(() => Nope); } }")]
    [InlineData("class H { static System.Action a; public H() { a = Undefined; } }")]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Theory]
    [MemberData(nameof(BrokenSources.All), MemberType = typeof(BrokenSources))]
    public Task DoesNotThrowOnTheEventFamilysBrokenSources(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Fact]
    public Task StillReportsBesideAnError() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                class Request
                {
                    void Cancel() { }
                    public void Send(CancellationToken token) { token.Register([|() => Cancel()|]); Missing(); }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();
}
