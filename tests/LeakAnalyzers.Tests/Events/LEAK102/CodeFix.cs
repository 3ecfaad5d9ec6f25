namespace LeakAnalyzers.Tests.Events.LEAK102;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.LambdaCannotBeRemovedAnalyzer, LeakAnalyzers.CodeFixes.Events.LambdaToHandlerCodeFix>;

public class CodeFix
{
    [Fact]
    public Task LambdaBecomesAMethodRemovedInDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View
            {
                int ticks;

                public View()
                {
                    Clock.Tick += [|(s, e) => ticks++|];
                }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View : IDisposable
            {
                int ticks;

                public View()
                {
                    Clock.Tick += OnTick;
                }

                private void OnTick(object s, EventArgs e) => ticks++;

                public void Dispose()
                {
                    Clock.Tick -= OnTick;
                }
            }
            """);

    [Fact]
    public Task BlockBodyDiscardsAndAsync() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            class Bus { public event EventHandler<string> Published; }

            sealed class View : IDisposable
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    this.bus = bus;
                    bus.Published += [|async (_, message) =>
                    {
                        await Task.Yield();
                        Show(message);
                    }|];
                }

                public void Dispose()
                {
                }

                void Show(string message) { }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            class Bus { public event EventHandler<string> Published; }

            sealed class View : IDisposable
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    this.bus = bus;
                    bus.Published += OnPublished;
                }

                private async void OnPublished(object sender, string message)
                {
                    await Task.Yield();
                    Show(message);
                }

                public void Dispose()
                {
                    bus.Published -= OnPublished;
                }

                void Show(string message) { }
            }
            """);

    [Fact]
    public Task RemovalWithTheSameLambdaIsPointedAtTheMethod() =>
        new Verify.Test
        {
            TestCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                sealed class View : IDisposable
                {
                    public View()
                    {
                        Clock.Tick += [|(s, e) => Refresh()|];
                    }

                    public void Dispose()
                    {
                        Clock.Tick -= (s, e) => Refresh();
                    }

                    void Refresh() { }
                }
                """,
            FixedCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                sealed class View : IDisposable
                {
                    public View()
                    {
                        Clock.Tick += OnTick;
                    }

                    private void OnTick(object s, EventArgs e) => Refresh();

                    public void Dispose()
                    {
                        Clock.Tick -= OnTick;
                    }

                    void Refresh() { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task CapturedLocalsKeepTheLambdaInAField() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View
            {
                public void Start(string name)
                {
                    Clock.Tick += [|(s, e) => Show(name)|];
                }

                void Show(string name) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View : IDisposable
            {
                private EventHandler onTickHandler;

                public void Start(string name)
                {
                    onTickHandler = (s, e) => Show(name);
                    Clock.Tick += onTickHandler;
                }

                void Show(string name) { }

                public void Dispose()
                {
                    Clock.Tick -= onTickHandler;
                }
            }
            """);

    [Fact]
    public Task FixAllNamesEachLambda() =>
        new Verify.Test
        {
            TestCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                class View
                {
                    int ticks;

                    public View()
                    {
                        Clock.Tick += [|(s, e) => ticks++|];
                        Clock.Tick += [|(s, e) => ticks--|];
                    }
                }
                """,
            FixedCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                class View : IDisposable
                {
                    int ticks;

                    public View()
                    {
                        Clock.Tick += OnTick;
                        Clock.Tick += OnTick2;
                    }

                    private void OnTick2(object s, EventArgs e) => ticks--;

                    private void OnTick(object s, EventArgs e) => ticks++;

                    public void Dispose()
                    {
                        Clock.Tick -= OnTick2;
                        Clock.Tick -= OnTick;
                    }
                }
                """,
            BatchFixedCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                class View : IDisposable
                {
                    int ticks;

                    public View()
                    {
                        Clock.Tick += OnTick;
                        Clock.Tick += OnTick2;
                    }

                    private void OnTick(object s, EventArgs e) => ticks++;

                    private void OnTick2(object s, EventArgs e) => ticks--;

                    public void Dispose()
                    {
                        Clock.Tick -= OnTick;
                        Clock.Tick -= OnTick2;
                    }
                }
                """,
        }.RunAsync();
}
