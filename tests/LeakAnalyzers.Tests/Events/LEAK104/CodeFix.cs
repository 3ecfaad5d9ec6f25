namespace LeakAnalyzers.Tests.Events.LEAK104;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.RemovedOnlyInFinalizerAnalyzer, LeakAnalyzers.CodeFixes.Events.MoveRemovalToDisposeCodeFix>;

public class CodeFix
{
    [Fact]
    public Task MovesTheRemovalAndDropsTheEmptyFinalizer() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View
            {
                public View()
                {
                    Clock.Tick += OnTick;
                }

                ~View()
                {
                    [|Clock.Tick -= OnTick|];
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View : IDisposable
            {
                public View()
                {
                    Clock.Tick += OnTick;
                }

                void OnTick(object sender, EventArgs e) { }

                public void Dispose()
                {
                    Clock.Tick -= OnTick;
                }
            }
            """);

    [Fact]
    public Task KeepsTheRestOfTheFinalizer() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            class Bus { public event EventHandler Published; }

            class View : IDisposable
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    this.bus = bus;
                    bus.Published += OnPublished;
                }

                public void Dispose()
                {
                    GC.SuppressFinalize(this);
                }

                ~View()
                {
                    if (bus != null)
                    {
                        [|bus.Published -= OnPublished|];
                    }

                    Console.WriteLine("finalized");
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            class Bus { public event EventHandler Published; }

            class View : IDisposable
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    this.bus = bus;
                    bus.Published += OnPublished;
                }

                public void Dispose()
                {
                    bus.Published -= OnPublished;
                    GC.SuppressFinalize(this);
                }

                ~View()
                {
                    Console.WriteLine("finalized");
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);
}
