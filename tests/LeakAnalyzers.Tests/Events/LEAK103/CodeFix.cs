namespace LeakAnalyzers.Tests.Events.LEAK103;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.RemovalRemovesNothingAnalyzer, LeakAnalyzers.CodeFixes.Events.RemoveAddedHandlerCodeFix>;

public class CodeFix
{
    [Fact]
    public Task RemovesTheMethodThatWasAdded() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            sealed class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= [|(s, e) => OnTick(s, e)|]; }
                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            sealed class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovesTheStoredHandler() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            sealed class View : IDisposable
            {
                private readonly EventHandler handler;
                public View() { handler = (s, e) => { }; Clock.Tick += handler; }
                public void Dispose() { Clock.Tick -= new EventHandler([|delegate { }|]); }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            sealed class View : IDisposable
            {
                private readonly EventHandler handler;
                public View() { handler = (s, e) => { }; Clock.Tick += handler; }
                public void Dispose() { Clock.Tick -= new EventHandler(handler); }
            }
            """);

    [Fact]
    public Task FixAll() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            class Bus { public event EventHandler Published; public event EventHandler Closed; }

            sealed class View : IDisposable
            {
                private readonly Bus bus;
                public View(Bus bus) { this.bus = bus; bus.Published += OnPublished; bus.Closed += OnClosed; }
                public void Dispose()
                {
                    bus.Published -= [|(s, e) => OnPublished(s, e)|];
                    bus.Closed -= [|OnClose|];
                }

                void OnPublished(object sender, EventArgs e) { }
                void OnClosed(object sender, EventArgs e) { }
                void OnClose(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            class Bus { public event EventHandler Published; public event EventHandler Closed; }

            sealed class View : IDisposable
            {
                private readonly Bus bus;
                public View(Bus bus) { this.bus = bus; bus.Published += OnPublished; bus.Closed += OnClosed; }
                public void Dispose()
                {
                    bus.Published -= OnPublished;
                    bus.Closed -= OnClosed;
                }

                void OnPublished(object sender, EventArgs e) { }
                void OnClosed(object sender, EventArgs e) { }
                void OnClose(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task NoFixWhenTheAddedHandlerIsALambda() =>
        new Verify.Test
        {
            TestCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                sealed class View : IDisposable
                {
                    public View() { Clock.Tick += (s, e) => { }; }
                    public void Dispose() { Clock.Tick -= [|(s, e) => { }|]; }
                }
                """,
            FixedCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                sealed class View : IDisposable
                {
                    public View() { Clock.Tick += (s, e) => { }; }
                    public void Dispose() { Clock.Tick -= [|(s, e) => { }|]; }
                }
                """,
        }.RunAsync();
}
