namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer, LeakAnalyzers.CodeFixes.Closures.DisposeRegistrationCodeFix>;

public class CodeFix
{
    [Fact]
    public Task DroppedRegistrationBecomesAUsingLocal() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Request
            {
                void Cancel() { }

                public async Task SendAsync(CancellationToken cancellationToken)
                {
                    // abort the request when the caller gives up
                    cancellationToken.Register([|() => Cancel()|]);
                    await Task.Delay(10);
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Request
            {
                void Cancel() { }

                public async Task SendAsync(CancellationToken cancellationToken)
                {
                    // abort the request when the caller gives up
                    using var registration = cancellationToken.Register(() => Cancel());
                    await Task.Delay(10);
                }
            }
            """);

    [Fact]
    public Task FixAllNamesEachRegistration() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Request
                {
                    void Cancel() { }
                    void Log() { }

                    public async Task SendAsync(CancellationToken token)
                    {
                        token.Register([|() => Cancel()|]);
                        token.Register([|Log|]);
                        await Task.Delay(10);
                    }

                    public async Task ReceiveAsync(CancellationToken token)
                    {
                        token.Register([|() => Cancel()|]);
                        await foreach (var item in Items()) { }
                    }

                    static async System.Collections.Generic.IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Request
                {
                    void Cancel() { }
                    void Log() { }

                    public async Task SendAsync(CancellationToken token)
                    {
                        using var registration = token.Register(() => Cancel());
                        using var registration2 = token.Register(Log);
                        await Task.Delay(10);
                    }

                    public async Task ReceiveAsync(CancellationToken token)
                    {
                        using var registration3 = token.Register(() => Cancel());
                        await foreach (var item in Items()) { }
                    }

                    static async System.Collections.Generic.IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenNothingIsAwaitedAfterwards() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;

                class Request
                {
                    void Cancel() { }
                    public void Send(CancellationToken token) { token.Register([|() => Cancel()|]); }
                }
                """,
            FixedCode = """
                using System.Threading;

                class Request
                {
                    void Cancel() { }
                    public void Send(CancellationToken token) { token.Register([|() => Cancel()|]); }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixForATimer() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Poller
                {
                    int polls;
                    Timer timer;
                    public async Task StartAsync() { timer = new Timer([|_ => polls++|], null, 0, 1000); await Task.Delay(1); }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Poller
                {
                    int polls;
                    Timer timer;
                    public async Task StartAsync() { timer = new Timer([|_ => polls++|], null, 0, 1000); await Task.Delay(1); }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixBeforeCSharp8() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Request
                {
                    void Cancel() { }
                    public async Task SendAsync(CancellationToken token) { token.Register([|() => Cancel()|]); await Task.Delay(1); }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Request
                {
                    void Cancel() { }
                    public async Task SendAsync(CancellationToken token) { token.Register([|() => Cancel()|]); await Task.Delay(1); }
                }
                """,
            LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        }.RunAsync();
}
