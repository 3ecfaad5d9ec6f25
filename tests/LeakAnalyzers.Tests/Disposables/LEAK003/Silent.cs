namespace LeakAnalyzers.Tests.Disposables.LEAK003;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.FieldNotDisposedAnalyzer>;

public class Silent
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task MadeUnderAFlagForTheCallerAndReturned() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            public sealed class UpgradeFeature
            {
                private readonly bool telemetry;
                public UpgradeFeature(bool telemetry) => this.telemetry = telemetry;
                public FileStream Telemetry { get; private set; }
                public async Task<Stream> OpenAsync(string path, Stream fallback)
                {
                    await Task.Yield();
                    if (telemetry)
                    {
                        Telemetry = new FileStream(path, FileMode.Open);
                    }

                    return Telemetry ?? fallback;
                }
            }
            """);

    [Fact]
    public Task DisposedThroughAnExtensionCalledConditionally() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.ComponentModel;
            using System.Threading;
            public static class HandleExtensions
            {
                public static void WaitDispose(this EventWaitHandle handle)
                {
                    if (handle == null) return;
                    try
                    {
                        if (handle.SafeWaitHandle.IsClosed) return;
                        handle.Dispose();
                    }
                    catch (ObjectDisposedException) { }
                }
            }
            public class Panel : Component
            {
                private ManualResetEvent signal = new ManualResetEvent(false);
                public void Kick() => signal.Set();
                protected override void Dispose(bool disposing)
                {
                    signal?.WaitDispose();
                    base.Dispose(disposing);
                }
            }
            """);

    [Fact]
    public Task ReleasedThroughTheMethodItsDisposeOnlyCalls() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            public sealed class Poller : IDisposable
            {
                private Timer timer;
                public void Start() => timer = new Timer(_ => { }, null, 0, 1000);
                public void Stop() { timer?.Dispose(); timer = null; }
                public void Dispose() { Stop(); }
            }
            public sealed class Buffer : IDisposable
            {
                private byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(16);
                private readonly Timer flush = new Timer(_ => { });
                public void Reset() { flush.Dispose(); }
                public void Dispose() => Reset();
            }
            public abstract class Behavior
            {
                protected virtual void OnDetaching() { }
            }
            public sealed class Refresher : Behavior
            {
                private readonly Poller poller = new Poller();
                private readonly Buffer buffer = new Buffer();
                public void Attach() => poller.Start();
                protected override void OnDetaching() { poller.Stop(); buffer.Reset(); }
            }
            """);

    // A type of another project of the solution: the build sees it through a reference assembly, without bodies.
    internal const string OpaqueObserver = """
        using System;
        namespace Behaviors.Core
        {
            public sealed class CanExecuteObserver : IDisposable
            {
                private EventHandler handler;
                public CanExecuteObserver(Action refresh) { handler = (s, e) => refresh(); }
                public void Start(Source source) { source.Changed += handler; }
                public void Stop() { handler = null; }
                public void Reset() { }
                public void Dispose() { Stop(); }
            }
            public sealed class Source { public event EventHandler Changed; }
        }
        """;

    [Fact]
    public Task MemberOfAnOpaqueTypeEndedByStop()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using Behaviors.Core;
                public abstract class Behavior
                {
                    protected virtual void OnAttached() { }
                    protected virtual void OnDetaching() { }
                }
                public sealed class CommandBehavior : Behavior
                {
                    private readonly CanExecuteObserver observer;
                    public Source Command { get; set; }
                    public CommandBehavior() { observer = new CanExecuteObserver(Refresh); }
                    private void Refresh() { }
                    protected override void OnAttached() => observer.Start(Command);
                    protected override void OnDetaching() => observer.Stop();
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Behaviors.Core", OpaqueObserver));
        return test.RunAsync();
    }

    [Fact]
    public Task InMemoryCacheOfTheExtensions()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using Microsoft.Extensions.Caching.Memory;
                public sealed class Store
                {
                    private readonly MemoryCache cache = new MemoryCache(new MemoryCacheOptions());
                    public object Get(object key) => cache.Get(key);
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Microsoft.Extensions.Caching.Memory", """
            namespace Microsoft.Extensions.Caching.Memory
            {
                public sealed class MemoryCacheOptions { }
                public class MemoryCache : System.IDisposable
                {
                    public MemoryCache(MemoryCacheOptions options) { }
                    public object Get(object key) => null;
                    public void Dispose() { }
                }
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task DisposeHandedOverAsADelegateToRunLater() =>
        // OpenCvSharp: the native handle runs the holder's Dispose after it releases the native object.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading;
            using Microsoft.Win32.SafeHandles;
            sealed class NativeHandle : SafeHandleZeroOrMinusOneIsInvalid
            {
                private Action postRelease;
                public NativeHandle(IntPtr p) : base(true) { SetHandle(p); }
                internal void SetPostReleaseAction(Action action) => Interlocked.CompareExchange(ref postRelease, action, null);
                protected override bool ReleaseHandle() { Interlocked.Exchange(ref postRelease, null)?.Invoke(); return true; }
            }
            sealed class Model : IDisposable
            {
                private readonly NativeHandle handle;
                private readonly MemoryStream bridge = new MemoryStream();
                private readonly FileStream log = new FileStream("model.log", FileMode.Append);
                public Model(IntPtr p) { handle = new NativeHandle(p); handle.SetPostReleaseAction(log.Dispose); }
                public void Write(byte b) { bridge.WriteByte(b); log.WriteByte(b); }
                public void Dispose() => handle.Dispose();
            }
            """);

    [Fact]
    public Task SubjectWhoseDisposeOnlyCompletesItsObservers() =>
        // ReactiveProperty's own subject: completing the observers releases nothing of the subject's.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            sealed class InternalSubject<T> : IObservable<T>, IDisposable
            {
                private readonly List<IObserver<T>> observers = new List<IObserver<T>>();
                public void OnNext(T value) { foreach (var o in observers.ToArray()) o.OnNext(value); }
                public IDisposable Subscribe(IObserver<T> observer) { observers.Add(observer); return null; }
                public void Dispose() { foreach (var o in observers.ToArray()) o.OnCompleted(); observers.Clear(); }
            }
            sealed class LinkedSubject<T> : IObservable<T>, IDisposable
            {
                private sealed class Node { public IObserver<T> Observer; public Node Next; }
                private Node root;
                private bool disposed;
                public IDisposable Subscribe(IObserver<T> observer) { root = new Node { Observer = observer, Next = root }; return null; }
                public void Dispose() => Complete(null);
                private void Complete(Exception error)
                {
                    if (disposed) return;
                    var node = root;
                    root = null;
                    disposed = true;
                    while (node != null) { if (error is null) node.Observer.OnCompleted(); else node.Observer.OnError(error); node = node.Next; }
                }
            }
            public class BooleanNotifier
            {
                private readonly InternalSubject<bool> trigger = new InternalSubject<bool>();
                private readonly LinkedSubject<bool> linked = new LinkedSubject<bool>();
                public void Raise(bool value) => trigger.OnNext(value);
                public IDisposable Watch(IObserver<bool> observer) => linked.Subscribe(observer);
            }
            """);

    [Fact]
    public Task LockScopeWhoseDisposeOnlyExitsAMonitor() =>
        // DotPulsar's Channel: Enter() takes the monitor and returns the lock itself as the scope to dispose.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            public sealed class Channel
            {
                private readonly Gate gate = new Gate();
                public IDisposable SenderLock() => gate.Enter();
                private sealed class Gate : IDisposable
                {
                    private readonly object sync = new object();
                    private bool open = true;
                    public IDisposable Enter()
                    {
                        Monitor.Enter(sync);
                        if (open) return this;
                        Monitor.Exit(sync);
                        throw new OperationCanceledException();
                    }
                    public void Close() { lock (sync) open = false; }
                    public void Dispose() => System.Threading.Monitor.Exit(sync);
                }
            }
            """);

    [Fact]
    public Task MemberReturnedByAMethodTypedToReturnIDisposable() =>
        // R3's Multicast.Connect: the connection is kept to be shared, and handed to the caller to end it.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            public sealed class Multicast
            {
                private readonly object gate = new object();
                private Connection connection;
                private Connection pending;
                public IDisposable Connect(IDisposable subscription)
                {
                    lock (gate)
                    {
                        connection ??= new Connection(this, subscription);
                        return connection;
                    }
                }
                public async Task<IAsyncDisposable> ConnectLaterAsync(IDisposable subscription)
                {
                    await Task.Yield();
                    pending = new Connection(this, subscription);
                    return pending;
                }
                private sealed class Connection : IDisposable, IAsyncDisposable
                {
                    private readonly Multicast parent;
                    private IDisposable subscription;
                    public Connection(Multicast parent, IDisposable subscription) { this.parent = parent; this.subscription = subscription; }
                    public void Dispose() { subscription?.Dispose(); subscription = null; parent.connection = null; }
                    public ValueTask DisposeAsync() { Dispose(); return default; }
                }
            }
            """);

    [Fact]
    public Task SlimEventsWhoseWaitHandleIsNeverRead() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            public sealed class Leader
            {
                private readonly ManualResetEventSlim released = new(false);
                private readonly CountdownEvent pending = new CountdownEvent(2);
                private readonly Barrier barrier = new Barrier(2);
                public void Release() { released.Set(); pending.Signal(); }
                public bool Wait(TimeSpan timeout, CancellationToken token) => released.Wait(timeout, token) && pending.Wait(timeout) && barrier.SignalAndWait(timeout);
            }
            """);

    [Fact]
    public Task SemaphoreSlimWhoseWaitHandleIsNeverRead() =>
        // SemaphoreSlim creates its wait handle only when AvailableWaitHandle is read, and Dispose frees only that
        // handle (CryptoExchange.Net: five such semaphores, none of them ever reads the handle).
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class RateLimitGate
            {
                private readonly SemaphoreSlim semaphore = new SemaphoreSlim(1, 1);
                public async Task RunAsync()
                {
                    await semaphore.WaitAsync();
                    try { } finally { semaphore.Release(); }
                }
            }
            """);

    [Theory]
    [InlineData("Disposed", "sealed class S : IDisposable { private readonly Stream s = File.OpenRead(\"x\"); public void Dispose() => s.Dispose(); }")]
    [InlineData("DisposedNullConditional", "sealed class S : IDisposable { private Stream s; public void Open() { s = File.OpenRead(\"x\"); } public void Dispose() { s?.Dispose(); } }")]
    [InlineData("DisposeBoolPattern", "class S : IDisposable { private readonly Stream s = File.OpenRead(\"x\"); public void Dispose() { Dispose(true); } protected virtual void Dispose(bool d) { if (d) s.Dispose(); } }")]
    [InlineData("ClosedInStop", "sealed class S { private Stream s; public void Start() { s = File.OpenRead(\"x\"); } public void Stop() { s.Close(); } }")]
    [InlineData("Injected", "sealed class S { private readonly HttpClient c; public S(HttpClient c) { this.c = c; } }")]
    [InlineData("SometimesInjected", "sealed class S { private readonly Stream s; public S(Stream given, bool own) { s = own ? File.OpenRead(\"x\") : given; } }")]
    [InlineData("StaticField", "sealed class S { private static readonly HttpClient c = new HttpClient(); }")]
    [InlineData("PublicField", "sealed class S { public readonly HttpClient C = new HttpClient(); }")]
    [InlineData("ProtectedField", "class S { protected readonly HttpClient c = new HttpClient(); }")]
    [InlineData("HandedToCollectionDisposedLater", "sealed class S : IDisposable { private readonly List<IDisposable> all = new(); private readonly Stream s = File.OpenRead(\"x\"); public S() { all.Add(s); } public void Dispose() { foreach (var d in all) d.Dispose(); } }")]
    [InlineData("InterlockedExchange", "sealed class S : IDisposable { private Stream s = File.OpenRead(\"x\"); public void Dispose() { Interlocked.Exchange(ref s, null)?.Dispose(); } }")]
    [InlineData("CopiedToUsingLocal", "sealed class S { private Stream s = File.OpenRead(\"x\"); public void Close() { using var x = s; } }")]
    [InlineData("CopiedToLocalThatIsStored", "sealed class S { private Stream s = File.OpenRead(\"x\"); private readonly List<Stream> closing = new(); public void Close() { var x = s; x.Flush(); closing.Add(x); } }")]
    [InlineData("CopiedToLocalAndDisposed", "sealed class S : IDisposable { private Stream s = File.OpenRead(\"x\"); public void Dispose() { var x = s; s = null; x?.Dispose(); } }")]
    [InlineData("Task", "sealed class S { private readonly Task t = Task.Run(() => { }); }")]
    [InlineData("CancellationTokenSourceWithoutTimeoutInATypeNamingWaitHandleAsAType", "sealed class S { private CancellationTokenSource cts = new CancellationTokenSource(); public void Restart(IAsyncResult r) { WaitHandle h = r.AsyncWaitHandle; h.Close(); cts = new CancellationTokenSource(); } }")]
    [InlineData("CancellationTokenSourceWithoutTimeoutBesideOneWithATimer", "sealed class S { private readonly CancellationTokenSource? input = new(); private CancellationTokenSource? connect; public void Kill() => input?.Cancel(); public void Connect() { connect?.Dispose(); connect = new CancellationTokenSource(); connect.CancelAfter(100); } }")]
    [InlineData("CancellationTokenSourceWithoutTimeout", "sealed class S { private readonly CancellationTokenSource cts = new CancellationTokenSource(); public void Stop() => cts.Cancel(); }")]
    [InlineData("CancellationTokenSourceCancelledAfterZero", "sealed class S : IDisposable { private readonly CancellationTokenSource cts = new(); public void Dispose() => cts.CancelAfter(TimeSpan.Zero); public void Stop() => cts?.CancelAfter(0); }")]
    [InlineData("UsingStatementOnField", "sealed class S { private readonly Stream s = File.OpenRead(\"x\"); public void Run() { using (s) { } } }")]
    [InlineData("ExtensionThatDisposes", "sealed class S { private readonly Timer t = new Timer(_ => { }); public void Stop() => t.Shutdown(); } static class TimerExtensions { public static void Shutdown(this Timer timer) { timer.Dispose(); } }")]
    [InlineData("SourceTypeReleasingNothing", "sealed class Buffer : IDisposable { private MemoryStream s = new MemoryStream(); public void Dispose() { s.Dispose(); } } sealed class S { private readonly Buffer b = new Buffer(); }")]
    [InlineData("AssignedAsUsingResource", "sealed class S { private Stream s; public void Run(string p) { using (s = File.OpenRead(p)) { s.ReadByte(); } } }")]
    [InlineData("ReturnedByDetach", "sealed class S { private Stream s = File.OpenRead(\"x\"); public Stream Detach() { var d = s; s = null; return d; } }")]
    [InlineData("WriterOverAHeldBufferFlushed", "sealed class S { private readonly MemoryStream buffer = new MemoryStream(); private readonly StreamWriter writer; public S() { writer = new StreamWriter(buffer); } public byte[] Bytes() { writer.Flush(); return buffer.ToArray(); } }")]
    [InlineData("XmlWriterOverAHeldStringWriterFlushed", "sealed class S { private readonly StringWriter text = new StringWriter(); private readonly System.Xml.XmlWriter xml; public S() { xml = System.Xml.XmlWriter.Create(text); } public override string ToString() { xml.Flush(); return text.ToString(); } }")]
    [InlineData("WriterOverAnInjectedStreamFlushedAsync", "sealed class S { private readonly StreamWriter writer; public S(Stream output) { writer = new StreamWriter(output); } public Task Send(string line) { writer.WriteLine(line); return writer.FlushAsync(); } }")]
    [InlineData("ReaderWriterLockSlim", "sealed class S { private readonly ReaderWriterLockSlim gate = new ReaderWriterLockSlim(); public int Read() { gate.EnterReadLock(); try { return 1; } finally { gate.ExitReadLock(); } } }")]
    [InlineData("SourceTypeWhoseDisposeOnlyCompletesATask", "sealed class AsyncEvent : IDisposable { private TaskCompletionSource<object> tcs = new(); public Task WaitAsync() => tcs.Task; public void Set() => tcs.TrySetResult(null); public void Dispose() => tcs.TrySetCanceled(); } sealed class S { private readonly AsyncEvent more = new AsyncEvent(); public Task Next() => more.WaitAsync(); }")]
    [InlineData("TimerComponentNeverStarted", "sealed class S { private readonly System.Timers.Timer progress = new System.Timers.Timer(1000); public double Interval => progress.Interval; }")]
    [InlineData("StaticClass", "static class S { private static readonly HttpClient c = new HttpClient(); }")]
    public Task DoesNotReport(string name, string code)
    {
        Assert.NotNull(name);
        return Verify.VerifyAnalyzerAsync(Usings + code);
    }

    [Theory]
    [InlineData("public WaitHandle AsyncWaitHandle => wait;")]
    [InlineData("WaitHandle IAsyncResult.AsyncWaitHandle => wait;")]
    public Task WaitHandleHandedOutAsTheAsyncResultsWaitHandle(string member) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            using System.Threading;
            public sealed class ReadOperation : IAsyncResult
            {
                private readonly AutoResetEvent wait = new AutoResetEvent(false);
                private bool done;
                public ReadOperation() => ThreadPool.QueueUserWorkItem(_ => { done = true; wait.Set(); });
                public object? AsyncState => null;
                {{member}}
                public bool CompletedSynchronously => false;
                public bool IsCompleted => done;
            }
            """);

    [Fact]
    public Task TimerStoppedForGoodByDisablingIt() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Timers;
            public class Scheduler
            {
                private readonly Timer timer = new Timer(1000);
                public Scheduler()
                {
                    timer.Elapsed += OnTick;
                    timer.Enabled = true;
                }
                private void OnTick(object? sender, ElapsedEventArgs e) { }
                public void Shutdown() => timer.Enabled = false;
            }
            """);
}
