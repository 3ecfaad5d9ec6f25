namespace LeakAnalyzers.Tests.Events.LEAK102;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.LambdaCannotBeRemovedAnalyzer>;

/// <summary>Code being typed: the analyzer must not throw, and reports what it can still see.</summary>
public class Broken
{
    [Theory]
    [MemberData(nameof(BrokenSources.All), MemberType = typeof(BrokenSources))]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Fact]
    public Task StillReportsBesideAnError() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                class View
                {
                    int n;
                    public View() { AppDomain.CurrentDomain.ProcessExit += [|(s, e) => n++|]; Missing(); }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();
}
