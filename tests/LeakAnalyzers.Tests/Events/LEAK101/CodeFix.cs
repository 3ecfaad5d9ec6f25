namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer, LeakAnalyzers.CodeFixes.Events.RemoveHandlerInDisposeCodeFix>;

public class CodeFix
{
    [Fact]
    public Task ImplementsIDisposable() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View
            {
                public View()
                {
                    [|Clock.Tick += OnTick|];
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
}
