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
    [Fact]
    public Task TurnsAnAdditionInDisposeIntoARemoval() =>
        // Lavalink4NET's inactivity tracking service: DisposeAsyncCore added the handler a second time.
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            public class PlayerManager { public event EventHandler PlayerDestroyed; }

            sealed class Tracker : IAsyncDisposable
            {
                private readonly PlayerManager manager;
                public Tracker(PlayerManager manager) { this.manager = manager; manager.PlayerDestroyed += OnPlayerDestroyed; }
                public ValueTask DisposeAsync() { return DisposeAsyncCore(); }
                private ValueTask DisposeAsyncCore()
                {
                    manager.PlayerDestroyed += [|OnPlayerDestroyed|];
                    return default;
                }
                void OnPlayerDestroyed(object sender, EventArgs e) { }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            public class PlayerManager { public event EventHandler PlayerDestroyed; }

            sealed class Tracker : IAsyncDisposable
            {
                private readonly PlayerManager manager;
                public Tracker(PlayerManager manager) { this.manager = manager; manager.PlayerDestroyed += OnPlayerDestroyed; }
                public ValueTask DisposeAsync() { return DisposeAsyncCore(); }
                private ValueTask DisposeAsyncCore()
                {
                    manager.PlayerDestroyed -= OnPlayerDestroyed;
                    return default;
                }
                void OnPlayerDestroyed(object sender, EventArgs e) { }
            }
            """);
}
