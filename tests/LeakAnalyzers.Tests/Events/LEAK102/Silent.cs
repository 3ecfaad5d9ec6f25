namespace LeakAnalyzers.Tests.Events.LEAK102;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.LambdaCannotBeRemovedAnalyzer>;

public class Silent
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task CompanionThatEndsItselfWhenItsPublisherIsDisposed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.ComponentModel;
            public class TextHost : Component
            {
                public event EventHandler GotFocus;
                public event EventHandler LostFocus;
            }
            public class CodeMenu : Component
            {
                private readonly TextHost host;
                public bool Visible { get; private set; }
                public CodeMenu(TextHost host)
                {
                    this.host = host;
                    this.host.GotFocus += (sender, e) => Visible = true;
                    this.host.LostFocus += (sender, e) => Visible = false;
                    this.host.Disposed += (sender, e) => Dispose();
                }
            }
            """);

    [Fact]
    public Task LambdaThatDoesNotCaptureThis() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View() { Clock.Tick += (s, e) => Console.WriteLine("tick"); }
            }
            """);

    [Fact]
    public Task StaticLambda() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View() { Clock.Tick += static (s, e) => Console.WriteLine("tick"); }
            }
            """);

    [Fact]
    public Task WeakReferenceHeldTarget() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View(Bus bus)
                {
                    var weak = new WeakReference<View>(this);
                    bus.Published += (s, e) => { if (weak.TryGetTarget(out var view)) view.Refresh(); };
                }

                void Refresh() { }
            }
            """);

    [Fact]
    public Task LambdaOnOwnedPublisher() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                private readonly Bus bus = new Bus();
                public View() { bus.Published += (s, e) => Refresh(); }
                void Refresh() { }
            }
            """);

    [Fact]
    public Task LambdaOnSelf() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public event EventHandler Changed;
                public View() { Changed += (s, e) => Refresh(); }
                void Refresh() { }
            }
            """);

    [Fact]
    public Task LambdaKeptInFieldAndRemoved() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                private readonly EventHandler onTick;
                public View() { onTick = (s, e) => Refresh(); Clock.Tick += onTick; }
                public void Dispose() => Clock.Tick -= onTick;
                void Refresh() { }
            }
            """);

    [Fact]
    public Task SelfRemovingOneShotHandler() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View(Bus bus)
                {
                    EventHandler once = null;
                    once = (s, e) => { bus.Published -= once; Refresh(); };
                    bus.Published += once;
                }

                void Refresh() { }
            }
            """);

    [Fact]
    public Task LocalPublisher() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public void Run()
                {
                    var bus = new Bus();
                    bus.Published += (s, e) => Refresh();
                }

                void Refresh() { }
            }
            """);

    [Fact]
    public Task SingletonSubscriber() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            sealed class Shutdown
            {
                public static Shutdown Instance { get; } = new Shutdown();
                private Shutdown() { AppDomain.CurrentDomain.ProcessExit += (s, e) => Flush(); }
                void Flush() { }
            }
            """);
}
