namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer>;

/// <summary>Subscriptions made by calling a method of the subscription table instead of '+='.</summary>
public class SubscriptionMethods
{
    private const string Cms = """
        using System;
        namespace Cms.Events
        {
            public static class Event
            {
                public static void Subscribe(string eventName, EventHandler handler) { }
                public static void Unsubscribe(string eventName, EventHandler handler) { }
            }
        }

        """;

    private const string CmsConfig = "root = true\n[*.cs]\nleak_analyzers.subscription_methods = Cms.Events.Event.Subscribe:Unsubscribe\n";

    [Fact]
    public Task StaticSubscribeMethodFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = Cms + """
                class Indexer
                {
                    public Indexer() { {|#0:Cms.Events.Event.Subscribe("item:saved", OnSaved)|}; }
                    void OnSaved(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = CmsConfig,
            ExpectedDiagnostics =
            {
                Verify.Diagnostic().WithLocation(0).WithArguments(
                    "'OnSaved'",
                    "the static subscriptions of 'Event.Subscribe'",
                    "this 'Indexer' lives until the process ends"),
            },
        }.RunAsync();

    [Fact]
    public Task UnsubscribeOfAnotherEventNameRemovesNothing() =>
        new Verify.Test
        {
            TestCode = Cms + """
                class Indexer : IDisposable
                {
                    public Indexer() { [|Cms.Events.Event.Subscribe("item:saved", OnSaved)|]; }
                    public void Dispose() => Cms.Events.Event.Unsubscribe("item:deleted", OnSaved);
                    void OnSaved(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = CmsConfig,
        }.RunAsync();

    [Fact]
    public Task MatchingUnsubscribeIsSilent() =>
        new Verify.Test
        {
            TestCode = Cms + """
                class Indexer : IDisposable
                {
                    public Indexer() { Cms.Events.Event.Subscribe("item:saved", OnSaved); }
                    public void Dispose() => Cms.Events.Event.Unsubscribe("item:saved", OnSaved);
                    void OnSaved(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = CmsConfig,
        }.RunAsync();

    [Fact]
    public Task WithoutTheKeyAMethodNamedSubscribeIsNotASubscription() =>
        Verify.VerifyAnalyzerAsync(Cms + """
            class Indexer
            {
                public Indexer() { Cms.Events.Event.Subscribe("item:saved", OnSaved); }
                void OnSaved(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task GameEventOnAnObjectHeldByAStaticField() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                namespace Game
                {
                    public class EventVoid
                    {
                        public void Add(Action callback) { }
                        public void Remove(Action callback) { }
                    }

                    public static class GameEvents { public static EventVoid onPause = new EventVoid(); }
                }

                class PauseMenu
                {
                    public void Start() => {|#0:Game.GameEvents.onPause.Add(OnPause)|};
                    void OnPause() { }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.subscription_methods = Game.EventVoid.Add:Remove\n",
            ExpectedDiagnostics =
            {
                Verify.Diagnostic().WithLocation(0).WithArguments(
                    "'OnPause'",
                    "'Game.GameEvents.onPause' (via 'Add')",
                    "this 'PauseMenu' lives until the process ends"),
            },
        }.RunAsync();

    [Fact]
    public Task StrongMessengerKeepsTheRecipient() =>
        Verify.VerifyAnalyzerAsync(
            """
            using CommunityToolkit.Mvvm.Messaging;
            class Saved { }
            class InboxViewModel
            {
                public InboxViewModel()
                {
                    {|#0:StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => ((InboxViewModel)r).OnSaved(m))|};
                }

                void OnSaved(Saved message) { }
            }
            """ + SubscriptionStubs.Messengers,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'this'",
                "'StrongReferenceMessenger.Default' (via 'Register')",
                "this 'InboxViewModel' lives until the process ends"));

    [Fact]
    public Task StrongMessengerUnregisteredInDisposeIsSilent() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using CommunityToolkit.Mvvm.Messaging;
            class Saved { }
            class Closed { }
            class InboxViewModel : IDisposable
            {
                public InboxViewModel()
                {
                    StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { });
                    StrongReferenceMessenger.Default.Register<Closed>(this, static (r, m) => { });
                }

                public void Dispose()
                {
                    StrongReferenceMessenger.Default.Unregister<Saved>(this);
                    StrongReferenceMessenger.Default.UnregisterAll(this);
                }
            }
            """ + SubscriptionStubs.Messengers);

    [Fact]
    public Task UnregisterOfAnotherMessageLeavesTheFirst() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using CommunityToolkit.Mvvm.Messaging;
            class Saved { }
            class Closed { }
            class InboxViewModel : IDisposable
            {
                public InboxViewModel() { [|StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { })|]; }
                public void Dispose() => StrongReferenceMessenger.Default.Unregister<Closed>(this);
            }
            """ + SubscriptionStubs.Messengers);

    [Fact]
    public Task WeakMessengersAreSilent() =>
        Verify.VerifyAnalyzerAsync("""
            using CommunityToolkit.Mvvm.Messaging;
            class Saved { }
            class InboxViewModel
            {
                public InboxViewModel(IMessenger messenger)
                {
                    WeakReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { });
                    messenger.Register<Saved>(this, static (r, m) => { });
                }
            }
            """ + SubscriptionStubs.Messengers);

    [Fact]
    public Task AggregatorAskedToKeepTheSubscriber() =>
        Verify.VerifyAnalyzerAsync(
            """
            using Prism.Events;
            class Saved : PubSubEvent<string> { }
            class EditorViewModel
            {
                private readonly IEventAggregator aggregator;
                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    {|#0:aggregator.GetEvent<Saved>().Subscribe(OnSaved, keepSubscriberReferenceAlive: true)|};
                }

                void OnSaved(string path) { }
            }
            """ + SubscriptionStubs.Prism,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnSaved'",
                "'aggregator.GetEvent<Saved>()' (via 'Subscribe')",
                "this 'EditorViewModel' lives as long as the publisher"));

    [Fact]
    public Task AggregatorHoldsWeaklyByDefaultAndUnsubscribeCounts() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using Prism.Events;
            class Saved : PubSubEvent<string> { }
            class Closed : PubSubEvent<string> { }
            class EditorViewModel : IDisposable
            {
                private readonly IEventAggregator aggregator;
                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    aggregator.GetEvent<Saved>().Subscribe(OnSaved);
                    aggregator.GetEvent<Closed>().Subscribe(OnClosed, true);
                }

                public void Dispose() => aggregator.GetEvent<Closed>().Unsubscribe(OnClosed);
                void OnSaved(string path) { }
                void OnClosed(string path) { }
            }
            """ + SubscriptionStubs.Prism);

    [Fact]
    public Task UnsubscribeFromAnotherEventOfTheAggregatorLeavesTheFirst() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using Prism.Events;
            class Saved : PubSubEvent<string> { }
            class Closed : PubSubEvent<string> { }
            class EditorViewModel : IDisposable
            {
                private readonly IEventAggregator aggregator;
                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    [|aggregator.GetEvent<Saved>().Subscribe(OnSaved, true)|];
                }

                public void Dispose() => aggregator.GetEvent<Closed>().Unsubscribe(OnSaved);
                void OnSaved(string path) { }
            }
            """ + SubscriptionStubs.Prism);

    [Fact]
    public Task ObservableSubscriptionsAreTheDisposablesFamilys() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            class Ticker : IObservable<int>
            {
                public static readonly Ticker Shared = new Ticker();
                public IDisposable Subscribe(IObserver<int> observer) => null;
            }

            class Chart : IObserver<int>
            {
                private readonly IDisposable subscription;
                public Chart()
                {
                    Ticker.Shared.Subscribe(this);
                    subscription = Ticker.Shared.Subscribe(this);
                }

                public void OnNext(int value) { }
                public void OnError(Exception error) { }
                public void OnCompleted() { }
            }
            """);

    [Fact]
    public Task PublisherTheTypeCreatedIsSilent() =>
        new Verify.Test
        {
            TestCode = Cms.Replace("public static void", "public void").Replace("static class", "class") + """
                class Indexer
                {
                    private readonly Cms.Events.Event events = new Cms.Events.Event();
                    public Indexer() { events.Subscribe("item:saved", OnSaved); }
                    void OnSaved(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = CmsConfig,
        }.RunAsync();

    [Fact]
    public Task MalformedEntriesAreIgnored() =>
        new Verify.Test
        {
            TestCode = Cms + """
                class Indexer
                {
                    public Indexer() { [|Cms.Events.Event.Subscribe("item:saved", OnSaved)|]; }
                    void OnSaved(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.subscription_methods = NoDot, .Subscribe, Cms.Events.Event.Subscribe(:x, Cms.Events.Event.Subscribe:Unsubscribe:weak(, Cms.Events.Event.Subscribe:Unsubscribe\n",
        }.RunAsync();
}
