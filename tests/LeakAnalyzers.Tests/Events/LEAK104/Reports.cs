namespace LeakAnalyzers.Tests.Events.LEAK104;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RemovedOnlyInFinalizerAnalyzer>;

public class Reports
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task StaticEvent() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                public View() { {|#1:Clock.Tick += OnTick|}; }
                ~View() { {|#0:Clock.Tick -= OnTick|}; }
                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("'OnTick'", "the static event 'Clock.Tick'", "View"));

    [Fact]
    public Task InjectedPublisher() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                private readonly Bus bus;
                public View(Bus bus) { this.bus = bus; bus.Published += OnPublished; }
                ~View()
                {
                    if (bus != null)
                    {
                        [|bus.Published -= OnPublished|];
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);
}
