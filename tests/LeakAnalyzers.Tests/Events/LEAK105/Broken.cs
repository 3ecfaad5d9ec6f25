namespace LeakAnalyzers.Tests.Events.LEAK105;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RepeatedSubscriptionAnalyzer>;

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
                class Panel
                {
                    public void Fill(int[] rows)
                    {
                        foreach (var row in rows)
                        {
                            [|AppDomain.CurrentDomain.ProcessExit += OnExit|];
                            Missing(row);
                        }
                    }

                    void OnExit(object sender, EventArgs e) { }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();
}
