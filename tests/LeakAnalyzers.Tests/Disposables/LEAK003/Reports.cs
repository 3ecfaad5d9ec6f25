namespace LeakAnalyzers.Tests.Disposables.LEAK003;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.FieldNotDisposedAnalyzer>;

public class Reports
{
    [Fact]
    public Task OnlyUsedThroughAnExtensionCalledConditionally() =>
        Verify.VerifyAnalyzerAsync("""
            using System.ComponentModel;
            using System.Threading;
            public static class HandleExtensions
            {
                public static void Kick(this EventWaitHandle handle) => handle.Set();
            }
            public class Panel : Component
            {
                private ManualResetEvent {|#0:signal|} = {|#1:new ManualResetEvent(false)|};
                protected override void {|#2:Dispose|}(bool disposing)
                {
                    signal?.Kick();
                    base.Dispose(disposing);
                }
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1).WithLocation(2)
                .WithMessage("'signal' is created by 'Panel', whose 'Dispose' does not dispose it; its wait handle stays allocated until the finalizer runs"));

    [Fact]
    public Task StoppedThroughAMethodThatIsOnlyPartOfItsDispose() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading;
            public sealed class Poller : IDisposable
            {
                private Timer timer;
                private readonly Stream log = File.OpenWrite("poll.log");
                public void Start() => timer = new Timer(_ => { }, null, 0, 1000);
                public void Stop() { timer?.Dispose(); timer = null; }
                public void Dispose() { Stop(); log.Dispose(); }
            }
            public abstract class Behavior
            {
                protected virtual void OnDetaching() { }
            }
            public sealed class Refresher : Behavior
            {
                private readonly Poller {|#0:poller|} = {|#1:new Poller()|};
                public void Attach() => poller.Start();
                protected override void OnDetaching() => poller.Stop();
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'poller' is created by 'Refresher', which is not disposable; what it holds is released only by a finalizer, if it has one"));

    [Fact]
    public Task MemberReadFromAnotherInstanceTheMethodDidNotMake() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            public sealed class Loader
            {
                private readonly Stream {|#0:file|};
                private Loader(string path) { file = {|#1:File.OpenRead(path)|}; }
                public static Loader Open(string path) => new Loader(path);
                public static Stream Peek(Loader loader) => loader.file;
            }
            public sealed class Builder
            {
                private readonly Stream product;
                private Builder(string path) { product = File.OpenRead(path); }
                public static Stream Build(string path)
                {
                    var builder = new Builder(path);
                    return builder.product;
                }
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'file' is created by 'Loader', which is not disposable; it and what it wraps stay open until a finalizer runs"));

    [Fact]
    public Task MemberOfAnOpaqueTypeOnlyReset()
    {
        // Stop ends an object's life by its name; Reset does not, whatever the opaque type's Dispose does.
        var test = new Verify.Test
        {
            TestCode = """
                using Behaviors.Core;
                public sealed class CommandBehavior
                {
                    private readonly CanExecuteObserver {|#0:observer|} = {|#1:new CanExecuteObserver(() => { })|};
                    public void Detach() => observer.Reset();
                }
                """,
            ExpectedDiagnostics =
            {
                Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                    .WithMessage("'observer' is created by 'CommandBehavior', which is not disposable; what it holds is released only by a finalizer, if it has one"),
            },
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Behaviors.Core", Silent.OpaqueObserver));
        return test.RunAsync();
    }

    [Fact]
    public Task MemberLentByAMethodOrPropertyOfItsOwnType() =>
        // Only a method typed to return IDisposable hands its result over; a Stream getter or method lends it.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            public sealed class Log
            {
                private Stream {|#0:file|};
                private Stream {|#2:mirror|};
                public Stream Open(string path) { file ??= {|#1:File.OpenWrite(path)|}; return file; }
                public IDisposable Mirror => mirror ??= {|#3:File.OpenWrite("mirror.log")|};
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'file' is created by 'Log', which is not disposable; it and what it wraps stay open until a finalizer runs"),
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(2).WithLocation(3)
                .WithMessage("'mirror' is created by 'Log', which is not disposable; it and what it wraps stay open until a finalizer runs"));

    [Fact]
    public Task SlimEventWhoseWaitHandleIsRead() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            public sealed class Leader
            {
                private readonly ManualResetEventSlim {|#0:released|} = {|#1:new(false)|};
                public WaitHandle Handle => released.WaitHandle;
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'released' is created by 'Leader', which is not disposable; its wait handle, if one was created, stays allocated"));

    [Fact]
    public Task TypeIsNotDisposable() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Poller
            {
                private readonly Timer {|#0:timer|} = {|#1:new Timer(_ => { }, null, 0, 1000)|};
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'timer' is created by 'Poller', which is not disposable; it stays scheduled and keeps its callback alive"));

    [Theory]
    [InlineData("stopping.Token.WaitHandle.WaitOne(100)")]
    [InlineData("stopping.CancelAfter(5000)")]
    public Task TokenSourceWithoutTimeoutWhoseWaitHandleOrTimerIsUsed(string use) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System.Threading;
            sealed class Server
            {
                private CancellationTokenSource? [|stopping|];

                public void Start() { stopping = new CancellationTokenSource(); }
                public void Stop() { stopping?.Cancel(); }
                public bool Wait() { {{use}}; return true; }
            }
            """);

    [Theory]
    [InlineData("var temp = endEvent; if (temp != null) temp.Set();")]
    [InlineData("ManualResetEvent? temp; temp = endEvent; temp?.Set(); var again = temp; again?.Reset();")]
    public Task CopiedToALocalThatOnlyReadsIt(string body) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System.Threading;
            sealed class Link
            {
                private ManualResetEvent? [|endEvent|];

                public void Close() { endEvent = new ManualResetEvent(false); endEvent.WaitOne(100); }
                public void NotifyClosed() { {{body}} }
            }
            """);

    [Theory]
    [InlineData("private readonly MemoryStream buffer = new MemoryStream();", "public byte[] Bytes() => buffer.ToArray();")]
    [InlineData("private readonly MemoryStream buffer = new MemoryStream();", "public void Reset() { buffer.Flush(); }")]
    public Task WriterOverAHeldBufferNeverFlushed(string held, string use) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System.IO;
            sealed class Report
            {
                {{held}}
                private readonly StreamWriter [|writer|];

                public Report() { writer = new StreamWriter(buffer); }
                public void Add(string line) => writer.WriteLine(line);
                {{use}}
            }
            """);

    [Fact]
    public Task FlushedWriterOverAStreamItOpensItself() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            sealed class Log
            {
                private readonly StreamWriter [|writer|] = new StreamWriter(File.OpenWrite("log.txt"));

                public void Add(string line) { writer.WriteLine(line); writer.Flush(); }
            }
            """);

    [Fact]
    public Task DisposeMissesTheField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading;
            class Service : IDisposable
            {
                private readonly CancellationTokenSource stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                private Stream {|#0:log|};

                public void Start(string path) => log = {|#1:File.OpenRead(path)|};
                public void Open(string path) => log = File.OpenWrite(path);

                public void {|#3:Dispose|}() => stopping.Dispose();
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1).WithLocation(3)
                .WithMessage("'log' is created by 'Service', whose 'Dispose' does not dispose it; it and what it wraps stay open until a finalizer runs"));

    [Fact]
    public Task PrivateAutoProperty() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            class Client
            {
                private HttpClient [|Http|] { get; } = new HttpClient();
            }
            """);

    [Fact]
    public Task LazilyCreated() =>
        // The type reads AvailableWaitHandle, so the semaphore's Dispose has a wait handle to free.
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            class Throttle
            {
                private SemaphoreSlim [|gate|];
                public SemaphoreSlim Gate => gate ??= new SemaphoreSlim(4);
                public WaitHandle Handle => Gate.AvailableWaitHandle;
            }
            """);

    [Fact]
    // The callback captures nothing of the Heartbeat: one whose callback captured it would be LEAK301's timer cycle
    // (one root cause, one diagnostic; see Closures/LEAK301/TimerCycles).
    public Task CreatedInConstructor() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            sealed class Heartbeat
            {
                private readonly Timer [|timer|];
                public Heartbeat() { timer = new Timer(_ => Beat(), null, 1000, 1000); }
                private static void Beat() { }
            }
            """);

    [Fact]
    public Task DisposableBaseWithoutOverride() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class Journal : Stream
            {
                private readonly FileStream {|#0:file|} = {|#1:File.OpenWrite("journal.bin")|};
                public override bool CanRead => false;
                public override bool CanSeek => false;
                public override bool CanWrite => true;
                public override long Length => file.Length;
                public override long Position { get => file.Position; set => file.Position = value; }
                public override void Flush() => file.Flush();
                public override int Read(byte[] buffer, int offset, int count) => 0;
                public override long Seek(long offset, SeekOrigin origin) => 0;
                public override void SetLength(long value) { }
                public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'file' is created by 'Journal', which has no Dispose method that disposes it; its file handle stays open until the finalizer runs"));

    [Fact]
    public Task WaitHandleLentThroughAnOrdinaryProperty() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            public sealed class Job
            {
                private readonly AutoResetEvent {|#0:done|} = {|#1:new AutoResetEvent(false)|};
                public WaitHandle Done => done;
                public void Run() => ThreadPool.QueueUserWorkItem(_ => done.Set());
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'done' is created by 'Job', which is not disposable; its wait handle stays allocated until the finalizer runs"));

    [Fact]
    public Task TimerOnlyEverEnabled() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Timers;
            public class Scheduler
            {
                private readonly Timer {|#0:timer|} = {|#1:new Timer(1000)|};
                public Scheduler()
                {
                    timer.Elapsed += OnTick;
                    timer.Enabled = true;
                }
                private static void OnTick(object? sender, ElapsedEventArgs e) { }
                public void Pause(bool paused) => timer.Enabled = !paused;
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK003FieldNotDisposed).WithLocation(0).WithLocation(1)
                .WithMessage("'timer' is created by 'Scheduler', which is not disposable; it stays scheduled and keeps its handlers alive"));
}
