namespace LeakAnalyzers.Tests.Events.LEAK103;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RemovalRemovesNothingAnalyzer>;

public class Reports
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task NewLambda() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View : IDisposable
            {
                public View() { {|#1:Clock.Tick += OnTick|}; }
                public void Dispose() { Clock.Tick -= {|#0:(s, e) => OnTick(s, e)|}; }
                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'-='",
                "a lambda is a new delegate, so 'OnTick' stays subscribed"));

    [Fact]
    public Task NewAnonymousMethodWrappedInDelegateCreation() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View
            {
                public void Detach(Bus bus) { bus.Published -= new EventHandler({|#0:delegate { }|}); }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'-='",
                "an anonymous method is a new delegate, so the handler that was added stays subscribed"));

    [Fact]
    public Task SameLambdaTextIsStillANewDelegate() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View : IDisposable
            {
                int ticks;
                public View() { Clock.Tick += (s, e) => ticks++; }
                public void Dispose() { Clock.Tick -= [|(s, e) => ticks++|]; }
            }
            """);

    [Fact]
    public Task MethodThatWasNeverAdded() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View : IDisposable
            {
                public View() { {|#1:Clock.Tick += OnTick|}; }
                public void Dispose() { Clock.Tick -= {|#0:OnTock|}; }
                void OnTick(object sender, EventArgs e) { }
                void OnTock(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'-='",
                "'OnTock' is never added to 'Tick' in this type, so 'OnTick' stays subscribed"));

    [Fact]
    public Task MethodRemovedWhereALambdaWasAdded() =>
        Verify.VerifyAnalyzerAsync(
            Bus + """
            class View : IDisposable
            {
                private readonly Bus bus;
                public View(Bus bus) { this.bus = bus; {|#1:bus.Published += (s, e) => OnPublished(s, e)|}; }
                public void Dispose() { bus.Published -= {|#0:OnPublished|}; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'-='",
                "'OnPublished' is never added to 'Published' in this type, so a lambda stays subscribed"));
}
