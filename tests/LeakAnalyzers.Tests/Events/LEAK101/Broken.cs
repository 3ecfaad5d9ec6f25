namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer>;

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
                    public View()
                    {
                        [|AppDomain.CurrentDomain.ProcessExit += OnExit|];
                        Missing();
                    }

                    void OnExit(object sender, EventArgs e) { }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();

    [Fact]
    public Task ManySubscriptions()
    {
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            body.Append("        AppDomain.CurrentDomain.ProcessExit += OnExit;\n        AppDomain.CurrentDomain.ProcessExit -= OnExit;\n");
        }

        return Verify.VerifyAnalyzerAsync("using System;\nclass View\n{\n    public View()\n    {\n" + body + "    }\n\n    void OnExit(object sender, EventArgs e) { }\n}\n");
    }
}
