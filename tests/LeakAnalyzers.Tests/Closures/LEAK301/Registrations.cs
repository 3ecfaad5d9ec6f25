namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer>;

/// <summary>
/// Token registrations: method groups bound to a captured object (not only lambdas), and the one-shot tokens of the
/// lifetime model (the host's started, stopping and stopped tokens), whose registrations are dropped when they fire.
/// </summary>
public class Registrations
{
    private const string Hosting = """
        namespace Microsoft.Extensions.Hosting
        {
            using System.Threading;
            public interface IHostApplicationLifetime
            {
                CancellationToken ApplicationStarted { get; }
                CancellationToken ApplicationStopping { get; }
                CancellationToken ApplicationStopped { get; }
                void StopApplication();
            }
        }
        """;

    [Fact]
    public Task MethodGroupOfALocalGivenToTheToken() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Downloader
            {
                public async Task<int> ReadAsync(string path, CancellationToken cancellationToken)
                {
                    var stream = File.OpenRead(path);
                    cancellationToken.Register({|#0:stream.Dispose|});
                    var buffer = new byte[16];
                    return await stream.ReadAsync(buffer, 0, 16);
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "The method group 'Dispose'",
                "'stream'",
                "until the token's source is cancelled or disposed",
                "its token registration is dropped"));

    [Fact]
    public Task MethodGroupOfAParameterGivenToATokenField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Session
            {
                private readonly CancellationToken token;
                public Session(CancellationToken token) { this.token = token; }
                public void Watch(CancellationTokenSource work) { token.Register({|#0:work.Cancel|}); }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "The method group 'Cancel'",
                "'work'",
                "until the token's source is cancelled or disposed",
                "its token registration is dropped"));

    [Fact]
    public Task SilentForMethodGroupsOfStaticMethodsFieldsAndDisposedRegistrations() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            class Session
            {
                private readonly CancellationTokenSource own = new();
                static void Log() { }
                public void Watch(CancellationToken token, CancellationTokenSource work)
                {
                    token.Register(Log);
                    token.Register(own.Cancel);
                    using var registration = token.Register(work.Cancel);
                }
            }
            """);

    [Fact]
    public Task SilentWhenTheRegistrationIsHowTheReturnedTaskCompletes() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;
            static class TokenExtensions
            {
                public static Task<T> AsTask<T>(this CancellationToken token)
                {
                    var tcs = new TaskCompletionSource<T>();
                    token.Register(() => tcs.TrySetCanceled(), false);
                    return tcs.Task;
                }

                public static Task<T> AsTaskLogged<T>(this CancellationToken token, Log log)
                {
                    var tcs = new TaskCompletionSource<T>();
                    token.Register({|#0:() => { tcs.TrySetCanceled(); log.Write("cancelled"); }|});
                    return tcs.Task;
                }
            }
            sealed class Log { public void Write(string s) { } }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("A lambda", "'tcs'", "until the token's source is cancelled or disposed", "its token registration is dropped"));

    /// <summary>
    /// The registration's state is kept as long as its callback. DurableTask's DelayWithCancellation registers a
    /// callback that captures nothing with the completion source as state, then returns a task that may complete
    /// without it (<c>WhenAny</c> with a delay): on the same long-lived token, one registration per call piles up.
    /// The allocation-free adapter that returns the state's own task is the token-to-task form and stays silent.
    /// </summary>
    [Fact]
    public Task StateGivenToADroppedRegistrationIsKept() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            static class Utils
            {
                public static Task DelayWithCancellation(TimeSpan timeout, CancellationToken token)
                {
                    var tcs = new TaskCompletionSource<bool>();
                    token.Register({|#0:s => ((TaskCompletionSource<bool>)s!).TrySetResult(true)|}, tcs);
                    return Task.WhenAny(Task.Delay(timeout), tcs.Task);
                }

                public static Task AsTask(this CancellationToken token)
                {
                    var tcs = new TaskCompletionSource<bool>();
                    token.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetCanceled(), tcs);
                    return tcs.Task;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("A lambda", "'tcs'", "until the token's source is cancelled or disposed", "its token registration is dropped"));

    [Fact]
    public Task SilentOnTheHostsOneShotTokens() =>
        Verify.VerifyAnalyzerAsync(
            Hosting + """

            namespace App
            {
                using System.Threading;
                using Microsoft.Extensions.Hosting;
                class Flusher
                {
                    private readonly CancellationToken stopping;
                    private int pending;
                    public Flusher(IHostApplicationLifetime lifetime)
                    {
                        lifetime.ApplicationStarted.Register(() => pending = 0);
                        lifetime.ApplicationStopped.Register(Flush);
                        stopping = lifetime.ApplicationStopping;
                    }
                    public void Watch() { stopping.Register(() => Flush()); }
                    void Flush() { pending = 0; }
                }
                class Host : IHostApplicationLifetime
                {
                    private readonly CancellationTokenSource stopping = new();
                    public CancellationToken ApplicationStarted => default;
                    public CancellationToken ApplicationStopping => stopping.Token;
                    public CancellationToken ApplicationStopped => default;
                    public void StopApplication() => stopping.Cancel();
                }
                class Worker
                {
                    int ticks;
                    public void Start(Host host) { host.ApplicationStopping.Register(() => ticks = 0); }
                }
            }
            """);

    [Fact]
    public Task OneShotTokensFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                class Shell
                {
                    public CancellationToken Closing { get; } = new CancellationTokenSource().Token;
                }
                class Panel
                {
                    int state;
                    public void Attach(Shell shell, CancellationToken other)
                    {
                        shell.Closing.Register(() => state = 0);
                        other.Register({|#0:() => state = 1|});
                    }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.one_shot_tokens = Shell.Closing\n",
            ExpectedDiagnostics =
            {
                Verify.Diagnostic().WithLocation(0).WithArguments(
                    "A lambda", "this 'Panel'", "until the token's source is cancelled or disposed", "its token registration is dropped"),
            },
        }.RunAsync();

    [Fact]
    public Task AStoppingTokenGivenAsAParameterIsNotOneShot() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;
            class Poller
            {
                int polls;
                public async Task RunAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var done = new TaskCompletionSource<bool>();
                        stoppingToken.Register({|#0:() => done.TrySetCanceled()|});
                        polls++;
                        await Task.WhenAny(done.Task, Task.Delay(1000));
                    }
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "'done'",
                "until the token's source is cancelled or disposed",
                "its token registration is dropped"));

    [Fact]
    public Task SilentOnTheTokenOfAStaticSourceTheTypeCreatesItself() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;
            static class Shutdown
            {
                private static CancellationTokenSource source;
                private static FileSystemWatcher watcher;
                public static CancellationToken Token()
                {
                    if (source != null) return source.Token;
                    source = new CancellationTokenSource();
                    var handler = new FileSystemEventHandler((s, e) => source.Cancel());
                    watcher = new FileSystemWatcher(".");
                    watcher.Created += handler;
                    source.Token.Register(() => watcher.Created -= handler);
                    return source.Token;
                }
            }
            """);
}
