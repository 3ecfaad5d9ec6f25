namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer>;

public class Reports
{
    [Fact]
    public Task LambdaCapturingThisInStaticField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Hooks { public static Action OnReset; }
            class View
            {
                int count;
                public void Attach() { Hooks.OnReset = {|#0:() => count = 0|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "this 'View'",
                "until the process ends",
                "held by the static 'Hooks.OnReset'"));

    [Fact]
    public Task MethodGroupCombinedIntoStaticDelegate() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class View
            {
                static Action refreshAll;
                public View() { refreshAll += {|#0:Refresh|}; }
                void Refresh() { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "The method group 'Refresh'",
                "this 'View'",
                "until the process ends",
                "held by the static 'View.refreshAll'"));

    [Fact]
    public Task LambdaAddedToStaticCollection() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Registry { public static readonly List<Func<string>> Sources = new(); }
            class Report
            {
                string title = "";
                public Report() { Registry.Sources.Add({|#0:() => title|}); }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "this 'Report'",
                "until the process ends",
                "held by the static 'Registry.Sources'"));

    [Fact]
    public Task LambdaInAMemberOfAStaticSlotNothingEmpties() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            public struct Actions { public Delegate Write; }
            internal static class Slots<T>
            {
                public static Actions[] All = new Actions[16];
                public static void SetWrite(int id, Delegate write) { {|#1:All[id].Write = write|}; }
            }
            public sealed class SerializationContext
            {
                private readonly int id = 1;
                public SerializationContext Marshal<TIn, TOut>(Func<TIn, TOut> converter)
                {
                    Slots<TIn>.SetWrite(id, {|#0:new Func<TIn, object>(value => converter(value))|});
                    return this;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "A lambda",
                "'converter'",
                "until the process ends",
                "held by the static 'Slots.All', through 'SetWrite'"));

    [Fact]
    public Task AnonymousMethodStoredInStaticDictionaryByIndexer() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            class Handler
            {
                static readonly ConcurrentDictionary<string, Action> handlers = new();
                void Handle() { }
                public void Register(string key) { handlers[key] = [|delegate { Handle(); }|]; }
            }
            """);

    [Fact]
    public Task LambdaCapturingALocalBufferInStaticField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Loader
            {
                static Func<int> lastLength;
                public void Load()
                {
                    var buffer = new byte[1 << 20];
                    lastLength = {|#0:() => buffer.Length|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "'buffer'",
                "until the process ends",
                "held by the static 'Loader.lastLength'"));

    [Fact]
    public Task TimerFieldStartedLazilyAndNeverDisposed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Poller
            {
                private Timer timer;
                private int polls;
                public void Start() => timer ??= new Timer([|_ => polls++|], null, 0, 1000);
            }
            """);

    [Fact]
    public Task TimerFieldNeverDisposed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Poller
            {
                private readonly Timer timer;
                public Poller() { timer = new Timer({|#0:Poll|}, null, 0, 1000); }
                void Poll(object state) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "The method group 'Poll'",
                "this 'Poller'",
                "for good",
                "held by the timer in 'timer', which is never disposed"));

    [Fact]
    public Task DroppedRegistrationOnParameterToken() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;
            class Request
            {
                void Cancel() { }
                public async Task SendAsync(CancellationToken cancellationToken)
                {
                    cancellationToken.Register({|#0:() => Cancel()|});
                    await Task.Delay(10);
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "this 'Request'",
                "until the token's source is cancelled or disposed",
                "its token registration is dropped"));

    [Fact]
    public Task DroppedRegistrationOnNullableTokenWithConditionalAccess() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Dialog
            {
                void Close() { }
                public void Show(CancellationToken? cancelToken) { cancelToken?.Register([|() => Close()|]); }
            }
            """);

    [Fact]
    public Task RegistrationOnTokenFieldFromConstructorCapturingALocal() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;
            class Client
            {
                private readonly CancellationToken clientToken;
                public Client(CancellationToken token) { clientToken = token; }
                public Task<int> ReceiveAsync()
                {
                    var completion = new TaskCompletionSource<int>();
                    clientToken.Register({|#0:() => completion.TrySetCanceled()|});
                    return completion.Task;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "'completion'",
                "until the token's source is cancelled or disposed",
                "its token registration is dropped"));

    [Fact]
    public Task RegistrationKeptInALocalNeverDisposed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Request
            {
                void Cancel() { }
                public void Send(CancellationToken token) { var registration = token.Register([|Cancel|]); }
            }
            """);

    [Fact]
    public Task RegistrationKeptInAFieldNeverRead() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Request
            {
                private CancellationTokenRegistration registration;
                void Cancel() { }
                public void Send(CancellationToken token) { registration = token.Register([|Cancel|]); }
            }
            """);

    [Fact]
    public Task LocalFunctionThatCapturesThisGivenToTheToken() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Request
            {
                bool cancelled;
                public void Send(CancellationToken token)
                {
                    void OnCancel() => cancelled = true;
                    token.Register([|OnCancel|]);
                }
            }
            """);

    [Fact]
    public Task WaitNeverUnregistered() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Watcher
            {
                void OnSignal() { }
                public void Watch(WaitHandle handle) { ThreadPool.RegisterWaitForSingleObject(handle, [|(state, timedOut) => OnSignal()|], null, -1, false); }
            }
            """);

    [Fact]
    public Task TimerInStaticField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Cache
            {
                static Timer sweeper;
                void Sweep() { }
                public void Start() { sweeper = new Timer([|_ => Sweep()|], null, 0, 60000); }
            }
            """);

    [Fact]
    public Task TimerFieldOnlyRescheduledThroughACopy() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class Watcher
            {
                private Timer? reloadTimer;
                public void Changed()
                {
                    var timer = reloadTimer;
                    if (timer is null) { reloadTimer = new Timer([|s => Reload()|], null, 1000, Timeout.Infinite); }
                    else { timer.Change(1000, Timeout.Infinite); }
                }
                private void Reload() { }
            }
            """);
    [Fact]
    public Task LambdaCapturingALocalAddedToAProcessWideEventOnEveryCall() =>
        // CSRedisCore's SubscribeList: every call roots its subscription object in two process-wide events.
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            public sealed class Subscription : IDisposable { public void Dispose() { } }
            public class Client
            {
                public Subscription SubscribeList(string key)
                {
                    var subscription = new Subscription();
                    AppDomain.CurrentDomain.ProcessExit += {|#0:(s, e) => { subscription.Dispose(); }|};
                    Console.CancelKeyPress += {|#1:(s, e) => subscription.Dispose()|};
                    return subscription;
                }
            }
            public class Connection
            {
                public Connection(Subscription subscription)
                {
                    var name = subscription.ToString();
                    AppDomain.CurrentDomain.ProcessExit += {|#2:delegate { Console.WriteLine(name); }|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda", "'subscription'", "until the process ends",
                "added to 'AppDomain.CurrentDomain.ProcessExit' on every call, never removable"),
            Verify.Diagnostic().WithLocation(1).WithArguments(
                "A lambda", "'subscription'", "until the process ends",
                "added to 'Console.CancelKeyPress' on every call, never removable"),
            Verify.Diagnostic().WithLocation(2).WithArguments(
                "An anonymous method", "'name'", "until the process ends",
                "added to 'AppDomain.CurrentDomain.ProcessExit' by every 'Connection' created, never removable"));
}
