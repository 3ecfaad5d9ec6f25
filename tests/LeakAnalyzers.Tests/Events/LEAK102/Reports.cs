namespace LeakAnalyzers.Tests.Events.LEAK102;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.LambdaCannotBeRemovedAnalyzer>;

public class Reports
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task LambdaOnStaticEvent() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                int ticks;
                public View() { Clock.Tick += {|#0:(s, e) => ticks++|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "the static event 'Clock.Tick'",
                "this 'View' lives until the process ends"));

    [Fact]
    public Task CompanionThatDoesNotEndWithItsPublisher() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.ComponentModel;
            public class TextHost : Component
            {
                public event EventHandler GotFocus;
            }
            public class CodeMenu : Component
            {
                private readonly TextHost host;
                public bool Visible { get; private set; }
                public CodeMenu(TextHost host, TextHost other)
                {
                    this.host = host;
                    this.host.GotFocus += [|(sender, e) => Visible = true|];
                    other.Disposed += (sender, e) => Dispose();
                }
            }
            """);

    [Fact]
    public Task AnonymousMethodOnProcessExit() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class Worker
            {
                public Worker() { AppDomain.CurrentDomain.ProcessExit += {|#0:delegate { Flush(); }|}; }
                void Flush() { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "An anonymous method",
                "'AppDomain.CurrentDomain.ProcessExit'",
                "this 'Worker' lives until the process ends"));

    [Fact]
    public Task LambdaOnInjectedService() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                public View(Bus bus) { bus.Published += [|(s, e) => Refresh()|]; }
                void Refresh() { }
            }
            """);

    [Fact]
    public Task LambdaWrappedInDelegateCreation() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                public View() { Clock.Tick += new EventHandler([|(s, e) => Refresh()|]); }
                void Refresh() { }
            }
            """);

    [Fact]
    public Task LambdaCallingALocalFunctionThatCapturesThis() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                int count;
                public View()
                {
                    void Count() => count++;
                    Clock.Tick += [|(s, e) => Count()|];
                }
            }
            """);

    [Fact]
    public Task RemovalWithAnotherLambdaDoesNotHelp() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View : IDisposable
            {
                public View() { Clock.Tick += [|(s, e) => Refresh()|]; }
                public void Dispose() { Clock.Tick -= (s, e) => Refresh(); }
                void Refresh() { }
            }
            """);
}
