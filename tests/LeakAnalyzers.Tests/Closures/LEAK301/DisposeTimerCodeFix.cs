namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer, LeakAnalyzers.CodeFixes.Closures.DisposeTimerCodeFix>;

/// <summary>The timer cycles LEAK301 owns are fixed as LEAK003 would fix an undisposed field: dispose the member in Dispose.</summary>
public class DisposeTimerCodeFix
{
    [Fact]
    public Task DisposesTheTimerOfASealedType() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            sealed class Heartbeat
            {
                private readonly Timer timer;
                private int beats;
                public Heartbeat() { timer = new Timer([|_ => beats++|], null, 1000, 1000); }
            }
            """,
            """
            using System.Threading;
            sealed class Heartbeat : System.IDisposable
            {
                private readonly Timer timer;
                private int beats;
                public Heartbeat() { timer = new Timer(_ => beats++, null, 1000, 1000); }

                public void Dispose()
                {
                    timer?.Dispose();
                }
            }
            """);

    [Fact]
    public Task AddsToAnExistingDisposeAndFixesAllTimersOfTheType() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer fast;
                private Timer slow;
                public void Start() { fast = new Timer([|Poll|], null, 0, 100); slow ??= new Timer([|_ => Poll(null)|], null, 0, 1000); }
                void Poll(object state) { }
                public void Dispose()
                {
                    Console.WriteLine("done");
                }
            }
            """,
            """
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer fast;
                private Timer slow;
                public void Start() { fast = new Timer(Poll, null, 0, 100); slow ??= new Timer(_ => Poll(null), null, 0, 1000); }
                void Poll(object state) { }
                public void Dispose()
                {
                    Console.WriteLine("done");
                    fast?.Dispose();
                    slow?.Dispose();
                }
            }
            """);
}
