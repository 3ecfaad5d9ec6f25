namespace LeakAnalyzers.Tests.Events.LEAK103;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RemovalRemovesNothingAnalyzer>;

public class Silent
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task SameMethod() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= OnTick; Clock.Tick -= new EventHandler(OnTick); Clock.Tick -= this.OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task StoredDelegate() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                private readonly EventHandler handler;
                public View() { handler = (s, e) => { }; Clock.Tick += handler; }
                public void Dispose() => Clock.Tick -= handler;
            }
            """);

    [Fact]
    public Task MethodRemovedThatTheTypeNeverAddsAndNothingElseIsAdded() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Cleaner
            {
                public void Detach(Bus bus) { bus.Published -= OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task DelegateGivenFromOutside() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Source
            {
                public void Remove(EventHandler handler) => Clock.Tick -= handler;
                public void Add(EventHandler handler) => Clock.Tick += handler;
            }
            """);

    [Fact]
    public Task OtherAddsAreRemovedToo() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= OnTick; Clock.Tick -= OnLegacyTick; }
                void OnTick(object sender, EventArgs e) { }
                void OnLegacyTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task EventAccessorsForwardingValue() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Facade
            {
                private readonly Bus bus = new Bus();
                public event EventHandler Published
                {
                    add => bus.Published += value;
                    remove => bus.Published -= value;
                }
            }
            """);
    [Theory]
    [InlineData("public void Dispose() { clock.Stopped += OnStopped; }")]
    [InlineData("public void Dispose() { clock.Tick -= OnTick; clock.Tick += OnTick; }")]
    [InlineData("public void Dispose() { clock.Tick += OnOther; }")]
    [InlineData("public void Dispose() { other.Tick += OnTick; }")]
    [InlineData("public void Pause() { clock.Tick -= OnTick; } public void Dispose() { clock.Tick += OnTick; }")]
    public Task AnAdditionInDisposeThatIsNotAMistypedRemoval(string dispose) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            public class Clock { public event EventHandler Tick; public event EventHandler Stopped; }
            sealed class View : IDisposable
            {
                private readonly Clock clock;
                private readonly Clock other = new Clock();
                public View(Clock clock) { this.clock = clock; clock.Tick += OnTick; }
                {{dispose}}
                void OnTick(object sender, EventArgs e) { }
                void OnOther(object sender, EventArgs e) { }
                void OnStopped(object sender, EventArgs e) { }
            }
            """);
}
