namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Closures;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer>;

/// <summary>
/// Timers that keep their callback's captures for good are one root cause with one diagnostic: LEAK301's (the
/// closure family's, as the runtime library files the path through the timer queue). A <c>System.Threading.Timer</c>
/// field whose callback captures its owner, never stopped, and an Rx timer subscription (<c>Observable.Interval</c>,
/// <c>Observable.Timer</c> with a period, <c>Sample</c> by time) dropped or kept in a field nothing reads. Each test
/// runs LEAK301 with the disposables rules (LEAK001-004) and states everything they report.
/// </summary>
public class TimerCycles
{
    private const string Rx = """
        namespace System.Reactive.Linq
        {
            using System;
            public static class Observable
            {
                public static IObservable<long> Interval(TimeSpan period) => throw null;
                public static IObservable<long> Timer(TimeSpan dueTime) => throw null;
                public static IObservable<long> Timer(TimeSpan dueTime, TimeSpan period) => throw null;
                public static IObservable<TResult> Select<TSource, TResult>(this IObservable<TSource> source, Func<TSource, TResult> selector) => throw null;
                public static IObservable<TSource> Sample<TSource>(this IObservable<TSource> source, TimeSpan interval) => throw null;
            }
        }
        namespace System
        {
            public static class ObservableExtensions
            {
                public static IDisposable Subscribe<T>(this IObservable<T> source, Action<T> onNext) => throw null;
                public static void Subscribe<T>(this IObservable<T> source, Action<T> onNext, Action<Exception> onError, System.Threading.CancellationToken token) { }
            }
        }

        """;

    [Fact]
    public Task TimerFieldWhoseCallbackHoldsItsOwnerIsReportedOnceByLeak301() =>
        Run(
            """
            using System.Threading;
            class Poller
            {
                private readonly Timer timer;
                public Poller() { timer = new Timer({|LEAK301:Poll|}, null, 0, 1000); }
                void Poll(object state) { }
            }
            """);

    [Fact]
    public Task TimerFieldWhoseCallbackCapturesNothingOfItsOwnerStaysLeak003() =>
        Run(
            """
            using System;
            using System.Threading;
            class Poller
            {
                private readonly Timer {|LEAK003:timer|};
                public Poller() { timer = new Timer(static _ => Console.WriteLine("tick"), null, 0, 1000); }
            }
            """);

    /// <summary>
    /// Panuon's notice box: a one-shot timer (period <c>Timeout.Infinite</c>) that nothing changes fires once and
    /// leaves the timer queue; it keeps its owner until then, not for good. Neither family reports it.
    /// </summary>
    [Theory]
    [InlineData("new Timer(OnTick, null, duration, Timeout.Infinite)")]
    [InlineData("new Timer(OnTick, null, TimeSpan.FromSeconds(duration), Timeout.InfiniteTimeSpan)")]
    public Task OneShotTimerFieldIsSilent(string creation) =>
        Run(
            $$"""
            using System;
            using System.Threading;
            class NoticeItem
            {
                private readonly Timer timer;
                public NoticeItem(int duration) { timer = {{creation}}; }
                public event EventHandler Closed;
                void OnTick(object state) => Closed?.Invoke(this, EventArgs.Empty);
            }
            """);

    /// <summary>A one-shot timer whose callback makes the next one re-arms itself for good: still a timer cycle.</summary>
    [Fact]
    public Task OneShotTimerRearmedByItsCallbackIsReported() =>
        Run(
            """
            using System.Threading;
            class Poller
            {
                private Timer timer;
                public Poller() { timer = new Timer({|LEAK301:OnTick|}, null, 1000, Timeout.Infinite); }
                void OnTick(object state) { {|LEAK004:timer = new Timer({|LEAK301:OnTick|}, null, 1000, Timeout.Infinite)|}; }
            }
            """);

    [Fact]
    public Task TimerFieldThatIsChangedButNeverDisposedStaysLeak003() =>
        Run(
            """
            using System.Threading;
            class Poller
            {
                private readonly Timer {|LEAK003:timer|};
                public Poller() { timer = new Timer(_ => Poll(), null, 0, 1000); }
                public void Pause() => timer.Change(Timeout.Infinite, Timeout.Infinite);
                void Poll() { }
            }
            """);

    [Fact]
    public Task DroppedIntervalSubscriptionIsReportedOnceByLeak301() =>
        Run(
            """
            using System;
            using System.Reactive.Linq;
            class Dashboard
            {
                int refreshes;
                public Dashboard()
                {
                    Observable.Interval(TimeSpan.FromSeconds(1)).Subscribe({|#0:_ => refreshes++|});
                }
            }
            """ + Rx,
            Verify.Diagnostic().WithLocation(0).WithArguments("A lambda", "this 'Dashboard'", "for good", "its Rx timer subscription is dropped"));

    [Fact]
    public Task PeriodicTimerAndSampleThroughOperatorsKeptInFieldsNothingReads() =>
        Run(
            """
            using System;
            using System.Reactive.Linq;
            class Feed
            {
                private IDisposable heartbeat;
                private IDisposable sampled;
                private int beats;
                public void Start(IObservable<int> prices)
                {
                    heartbeat = Observable.Timer(TimeSpan.Zero, TimeSpan.FromSeconds(5)).Select({|#0:n => beats++|}).Subscribe(_ => { });
                    var limit = 10;
                    sampled = prices.Sample(TimeSpan.FromSeconds(1)).Subscribe({|#1:p => Console.WriteLine(p + limit)|});
                }
            }
            """ + Rx,
            Verify.Diagnostic().WithLocation(0).WithArguments("A lambda", "this 'Feed'", "for good", "its Rx timer subscription is kept in 'heartbeat', which is never disposed"),
            Verify.Diagnostic().WithLocation(1).WithArguments("A lambda", "'limit'", "for good", "its Rx timer subscription is kept in 'sampled', which is never disposed"));

    [Fact]
    public Task SubscriptionBoundToATokenEndsWithThatToken() =>
        Run(
            """
            using System;
            using System.Reactive.Linq;
            using System.Threading;
            sealed class Scheduler
            {
                private readonly CancellationTokenSource stopping = new CancellationTokenSource();
                int runs;
                public Action RunEvery(TimeSpan period)
                {
                    var cts = new CancellationTokenSource();
                    Observable.Interval(period).Subscribe(_ => runs++, _ => { }, cts.Token);
                    return () => cts.Cancel();
                }

                public void RunForever(TimeSpan period) =>
                    Observable.Interval(period).Subscribe(_ => runs++, _ => { }, stopping.Token);

                public void RunUntil(TimeSpan period, CancellationToken token) =>
                    Observable.Interval(period).Subscribe({|#0:_ => runs++|}, _ => { }, token);
            }
            """ + Rx,
            Verify.Diagnostic().WithLocation(0).WithArguments("A lambda", "this 'Scheduler'", "until the token's source is cancelled or disposed", "its Rx timer subscription ends only with that token"));

    [Fact]
    public Task SilentForDisposedSubscriptionsAndCaptureFreeCallbacks() =>
        Run(
            """
            using System;
            using System.Reactive.Linq;
            sealed class Dashboard : IDisposable
            {
                private readonly IDisposable refresh;
                int refreshes;
                public Dashboard()
                {
                    Observable.Interval(TimeSpan.FromSeconds(1)).Subscribe(static _ => Console.WriteLine("tick"));
                    refresh = Observable.Interval(TimeSpan.FromSeconds(1)).Subscribe(_ => refreshes++);
                }
                public void Dispose() => refresh.Dispose();
            }
            """ + Rx);

    [Fact]
    public Task Leak301IsSilentOnAOneShotTimerWhichEndsItsSubscriptionWhenItFires() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Reactive.Linq;
            class Splash
            {
                bool shown;
                public Splash() { Observable.Timer(TimeSpan.FromSeconds(1)).Subscribe(_ => shown = true); }
            }
            """ + Rx);

    [Theory]
    [InlineData("Observable.Timer(TimeSpan.FromSeconds(1))")]
    [InlineData("Observable.Timer(TimeSpan.FromSeconds(1)).Select(n => n * 2)")]
    [InlineData("prices.Take(1)")]
    [InlineData("Observable.Return(5L)")]
    public Task ADroppedSubscriptionToASourceThatCompletesByItselfIsSilent(string source) =>
        Run(
            $$"""
            using System;
            using System.Reactive.Linq;
            class Splash
            {
                long shown;
                public void Show(IObservable<long> prices) { {{source}}.Subscribe(n => shown = n); }
            }
            """ + Rx.Replace(
                "public static IObservable<long> Interval(",
                "public static IObservable<T> Take<T>(this IObservable<T> source, int count) => throw null; public static IObservable<T> Return<T>(T value) => throw null; public static IObservable<long> Interval("));

    [Fact]
    public Task ASubscriptionToASourceThatIsNotATimerStaysLeak002() =>
        Run(
            """
            using System;
            using System.Reactive.Linq;
            class Quote
            {
                decimal last;
                public void Watch(IObservable<decimal> prices) { {|LEAK002:prices.Select(p => p * 2).Subscribe(p => last = p)|}; }
            }
            """ + Rx);

    [Fact]
    public Task AnIntervalSubscriptionKeptInALocalIsLeak001s() =>
        Run(
            """
            using System;
            using System.Reactive.Linq;
            class Dashboard
            {
                int refreshes;
                public void Start()
                {
                    var subscription = {|LEAK001:Observable.Interval(TimeSpan.FromSeconds(1)).Subscribe(_ => refreshes++)|};
                }
            }
            """ + Rx);

    private static Task Run(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        var test = new WithDisposables { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private sealed class WithDisposables : Verify.Test
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new DiagnosticAnalyzer[]
        {
            new CapturingDelegateKeptAliveAnalyzer(),
            new LocalNotDisposedAnalyzer(),
            new DisposableDroppedAnalyzer(),
            new FieldNotDisposedAnalyzer(),
        };
    }
}
