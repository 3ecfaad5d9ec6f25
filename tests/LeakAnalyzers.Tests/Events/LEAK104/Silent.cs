namespace LeakAnalyzers.Tests.Events.LEAK104;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RemovedOnlyInFinalizerAnalyzer>;

public class Silent
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task AlsoRemovedInDispose() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= OnTick; GC.SuppressFinalize(this); }
                ~View() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task OwnedPublisher() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                private readonly Bus bus = new Bus();
                public View() { bus.Published += OnPublished; }
                ~View() { bus.Published -= OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task StaticHandler() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View() { Clock.Tick += OnTick; }
                ~View() { Clock.Tick -= OnTick; }
                static void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovalInALambdaInTheFinalizer() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View() { Clock.Tick += OnTick; }
                ~View() { Action undo = () => Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);
}
