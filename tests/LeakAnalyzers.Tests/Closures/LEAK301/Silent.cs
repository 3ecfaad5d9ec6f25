namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer>;

public class Silent
{
    [Fact]
    public Task StaticLambdaInStaticField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Formatter
            {
                static Func<int, string> format;
                public Formatter() { format = static n => n.ToString(); }
            }
            """);

    [Fact]
    public Task DelegateInAMemberOfAStaticSlotTheTypeEmpties() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            public struct Actions { public Delegate Write; public Delegate Read; }
            public readonly struct Released { public readonly int Id; public Released(int id) => Id = id; }
            public static class Bus<T>
            {
                private static Action<T> handlers;
                public static void Subscribe(Action<T> handler) => handlers += handler;
                public static void Publish(T message) => handlers?.Invoke(message);
            }
            internal static class Ids
            {
                private static int next;
                public static int Take() => next++;
                public static void Release(int id) => Bus<Released>.Publish(new Released(id));
            }
            internal static class Slots<T>
            {
                public static Actions[] All = new Actions[16];
                static Slots() { Bus<Released>.Subscribe(On); }
                private static void On(Released message) { if (message.Id < All.Length) All[message.Id] = default; }
                public static void SetWrite(int id, Delegate write) { All[id].Write = write; }
            }
            public sealed class SerializationContext : IDisposable
            {
                private readonly int id = Ids.Take();
                public SerializationContext Marshal<TIn, TOut>(Func<TIn, TOut> converter)
                {
                    Slots<TIn>.SetWrite(id, new Func<TIn, object>(value => converter(value)));
                    return this;
                }

                public void Dispose() => Ids.Release(id);
            }
            """);

    [Fact]
    public Task LambdaThatCapturesNothing() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            class Formatter
            {
                static readonly List<Func<int, string>> formats = new();
                public Formatter() { formats.Add(n => n.ToString()); }
            }
            """);

    [Fact]
    public Task LinqAndTaskRunRunTheDelegateBeforeTheyAreDone() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Linq;
            using System.Threading.Tasks;
            class Report
            {
                int threshold = 3;
                public int Count(int[] values) => values.Count(v => v > threshold);
                public Task RunAsync() => Task.Run(() => threshold++);
            }
            """);

    [Fact]
    public Task DelegateInOwnField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            class View
            {
                private Action refresh;
                private readonly List<Action> pending = new();
                int count;
                public View() { refresh = () => count++; pending.Add(() => count--); }
            }
            """);

    [Fact]
    public Task DisposedRegistrations() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class Request : IDisposable
            {
                private CancellationTokenRegistration registration;
                void Cancel() { }
                public async Task SendAsync(CancellationToken token)
                {
                    using (token.Register(() => Cancel())) { await Task.Delay(10); }
                    using var second = token.Register(Cancel);
                    var third = token.Register(() => Cancel());
                    try { await Task.Delay(10); } finally { third.Dispose(); }
                    registration = token.Register(Cancel);
                }
                public void Dispose() => registration.Dispose();
            }
            """);

    [Fact]
    public Task TokenFromOwnedSource() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            class Worker : IDisposable
            {
                private readonly CancellationTokenSource source = new();
                void Stop() { }
                public Worker() { source.Token.Register(() => Stop()); }
                public void Dispose() => source.Dispose();
            }
            """);

    /// <summary>
    /// The state overload keeps its state as long as its callback: a dropped registration with <c>this</c> as state
    /// keeps the object (reported); disposed, it keeps nothing.
    /// </summary>
    [Fact]
    public Task StateOverloadWithStaticCallbackKeepsTheState() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Request
            {
                void Cancel() { }
                public void Send(CancellationToken token) { token.Register({|#0:static state => ((Request)state!).Cancel()|}, this); }
                public void SendOnce(CancellationToken token) { using (token.Register(static state => ((Request)state!).Cancel(), this)) { } }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("A lambda", "this 'Request'", "until the token's source is cancelled or disposed", "its token registration is dropped"));

    [Fact]
    public Task DroppedTimerIsCollectedAndStopsItself() =>
        // The timer queue holds the callback, not the Timer: once nothing references the timer the GC collects it and
        // its finalizer stops it, so the capture is not kept. LEAK002 reports the dropped timer (it stops at random).
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Poller
            {
                int polls;
                void Poll() { }
                public void Start() { new Timer(_ => polls++, null, 0, 1000); }
                public void StartAgain() { var timer = new Timer(_ => Poll(), null, 0, 1000); }
            }
            """);

    [Fact]
    public Task TimerFieldWhoseCallbackDoesNotReachTheOwner() =>
        // Without a capture of 'this' nothing roots the owner, so the owner and its timer are collected together.
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Poller
            {
                private readonly Timer timer;
                public Poller(int[] counts) { timer = new Timer(_ => counts[0]++, null, 0, 1000); }
            }
            """);

    [Fact]
    public Task TimerOwnedAndDisposed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            class Poller : IDisposable
            {
                private readonly Timer timer;
                int polls;
                public Poller() { timer = new Timer(_ => polls++, null, 0, 1000); }
                public void Dispose() => timer.Dispose();
            }
            """);

    [Fact]
    public Task TimerInALocalThatIsDisposed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Poller
            {
                int polls;
                public void Run()
                {
                    using var timer = new Timer(_ => polls++, null, 0, 1000);
                    Thread.Sleep(5000);
                }
            }
            """);

    [Fact]
    public Task StaticClassCapturingOnlyStaticState() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Metrics
            {
                static int count;
                static readonly List<Action> resets = new();
                public static void Init(string name) { resets.Add(() => count = name.Length); }
            }
            """);

    [Fact]
    public Task StaticMemberStoringWhatItWasGiven() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Options
            {
                static Func<string> factory;
                public static void Configure(string prefix) { factory = () => prefix + "x"; }
            }
            """);

    [Fact]
    public Task SingletonCapturingThisInStaticField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Hooks { public static Action OnReset; }
            sealed class Settings
            {
                public static Settings Instance { get; } = new Settings();
                private Settings() { Hooks.OnReset = () => Reload(); }
                void Reload() { }
            }
            """);

    [Fact]
    public Task EventSubscriptionsAreTheEventFamilysBusiness() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class View
            {
                int n;
                public View() { AppDomain.CurrentDomain.ProcessExit += (s, e) => n++; }
            }
            """);

    [Fact]
    public Task RegistrationOnTokenOfUnknownLifetime() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Request
            {
                void Cancel() { }
                CancellationToken Current() => default;
                public void Send() { Current().Register(() => Cancel()); }
            }
            """);

    [Fact]
    public Task WaitUnregistered() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Watcher
            {
                private RegisteredWaitHandle wait;
                void OnSignal() { }
                public void Watch(WaitHandle handle) { wait = ThreadPool.RegisterWaitForSingleObject(handle, (state, timedOut) => OnSignal(), null, -1, false); }
                public void Stop() => wait.Unregister(null);
            }
            """);

    [Fact]
    public Task DelegateStoredInAnInstanceOfAnotherObjectGivenFromOutsideIsNotJudged() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public Action Callback; }
            class View
            {
                int n;
                public View(Bus bus) { bus.Callback = () => n++; }
            }
            """);

    [Fact]
    public Task TimerFieldDisposedThroughALocalCopy() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Watcher
            {
                private Timer? reloadTimer;
                private readonly object gate = new object();
                public void Changed()
                {
                    lock (gate)
                    {
                        var timer = reloadTimer;
                        if (timer is null) { reloadTimer = new Timer(s => Reload(s), null, 1000, Timeout.Infinite); }
                        else { timer.Change(1000, Timeout.Infinite); }
                    }
                }
                private void Reload(object? state)
                {
                    lock (gate)
                    {
                        var current = reloadTimer;
                        reloadTimer = null;
                        current?.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public Task TimerFieldDisposedThroughInterlockedExchange() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            class Poller : IDisposable
            {
                private Timer? timer;
                int polls;
                public void Start() { timer = new Timer(_ => polls++, null, 0, 1000); }
                public void Dispose() => Interlocked.Exchange(ref timer, null)?.Dispose();
            }
            """);

    [Theory]
    [InlineData("if (timer is { } t) { timer = null; await t.DisposeAsync(); }")]
    [InlineData("if (timer is Timer t) { timer = null; t.Dispose(); }")]
    public Task TimerFieldDisposedThroughAPatternVariable(string release) =>
        // OpenMU's DroppedMoney: the field is copied by the pattern, cleared, then the copy is disposed.
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            sealed class DroppedMoney : IAsyncDisposable
            {
                private Timer? timer;
                int polls;
                public DroppedMoney(int ms) { timer = new Timer(_ => polls++, null, ms, Timeout.Infinite); }
                public async ValueTask DisposeAsync() { {{release}} }
            }
            """);

    [Fact]
    public Task StaticCallbackClearedByTheType() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Hooks { public static Action OnReset; }
            class View : IDisposable
            {
                int count;
                static Action refreshAll;
                public void Attach() { Hooks.OnReset = () => count = 0; refreshAll += Refresh; }
                void Refresh() { }
                public void Dispose() { Hooks.OnReset = null; refreshAll -= Refresh; }
            }
            """);

    [Fact]
    public Task StaticCollectionEntryRemovedByTheType() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            sealed class Session : IDisposable
            {
                static readonly ConcurrentDictionary<Guid, Func<string>> active = new();
                readonly Guid id = Guid.NewGuid();
                string user = "";
                public void Open() { active[id] = () => user; }
                public void Dispose() => active.TryRemove(id, out _);
            }
            """);
    [Theory]
    [InlineData("static void Main() { var log = new System.IO.StringWriter(); AppDomain.CurrentDomain.ProcessExit += (s, e) => log.Flush(); }")]
    [InlineData("public void Start() { var log = new System.IO.StringWriter(); AppDomain.CurrentDomain.ProcessExit += (s, e) => Flush(log); } void Flush(System.IO.TextWriter w) { }")]
    [InlineData("public void Start() { AppDomain.CurrentDomain.ProcessExit += (s, e) => Console.WriteLine(\"bye\"); }")]
    [InlineData("public void Start(Publisher p) { var n = 0; p.Changed += (s, e) => n++; }")]
    [InlineData("public void Start() { var n = 0; EventHandler h = (s, e) => n++; AppDomain.CurrentDomain.ProcessExit += h; AppDomain.CurrentDomain.ProcessExit -= h; }")]
    public Task ProcessWideSubscriptionsThatAreNotOnePerCall(string member) =>
        // Static members run once (a start-up hook); a lambda capturing this is LEAK102's; nothing captured keeps
        // nothing; an instance publisher is the events family's; a stored handler can be removed.
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            public class Publisher { public event EventHandler Changed; }
            public class Host
            {
                {{member}}
            }
            """);
}
