namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer, LeakAnalyzers.CodeFixes.Events.RemoveHandlerInDisposeCodeFix>;

/// <summary>The LEAK101 fix for subscription methods: the entry's undo method, written from the subscribing call, in Dispose.</summary>
public class SubscriptionMethodFix
{
    private const string Cms = """

        namespace Cms.Events
        {
            using System;
            public static class Event
            {
                public static void Subscribe(string eventName, EventHandler handler) { }
                public static void Unsubscribe(string eventName, EventHandler handler) { }
            }
        }

        """;

    [Fact]
    public Task StaticUnsubscribeWithTheSameEventName() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                using Cms.Events;

                class Indexer
                {
                    public Indexer()
                    {
                        [|Event.Subscribe("item:saved", OnSaved)|];
                    }

                    void OnSaved(object sender, EventArgs e) { }
                }
                """ + Cms,
            FixedCode = """
                using System;
                using Cms.Events;

                class Indexer : IDisposable
                {
                    public Indexer()
                    {
                        Event.Subscribe("item:saved", OnSaved);
                    }

                    void OnSaved(object sender, EventArgs e) { }

                    public void Dispose()
                    {
                        Event.Unsubscribe("item:saved", OnSaved);
                    }
                }
                """ + Cms,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.subscription_methods = Cms.Events.Event.Subscribe:Unsubscribe\n",
        }.RunAsync();

    [Fact]
    public Task MessengerUnregistersTheRecipient() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using CommunityToolkit.Mvvm.Messaging;

            class Saved { }

            sealed class InboxViewModel : IDisposable
            {
                public InboxViewModel()
                {
                    [|StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { })|];
                }

                public void Dispose()
                {
                }
            }
            """ + SubscriptionStubs.Messengers,
            """
            using System;
            using CommunityToolkit.Mvvm.Messaging;

            class Saved { }

            sealed class InboxViewModel : IDisposable
            {
                public InboxViewModel()
                {
                    StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { });
                }

                public void Dispose()
                {
                    StrongReferenceMessenger.Default.Unregister<Saved>(this);
                }
            }
            """ + SubscriptionStubs.Messengers);

    [Fact]
    public Task AggregatorUnsubscribesTheHandlerThroughTheFieldThatKeepsIt() =>
        Verify.VerifyCodeFixAsync(
            """
            using Prism.Events;

            class Saved : PubSubEvent<string> { }

            class EditorViewModel
            {
                private readonly IEventAggregator aggregator;

                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    [|aggregator.GetEvent<Saved>().Subscribe(OnSaved, keepSubscriberReferenceAlive: true)|];
                }

                void OnSaved(string path) { }
            }
            """ + SubscriptionStubs.Prism,
            """
            using Prism.Events;

            class Saved : PubSubEvent<string> { }

            class EditorViewModel : System.IDisposable
            {
                private readonly IEventAggregator aggregator;

                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    aggregator.GetEvent<Saved>().Subscribe(OnSaved, keepSubscriberReferenceAlive: true);
                }

                void OnSaved(string path) { }

                public void Dispose()
                {
                    aggregator.GetEvent<Saved>().Unsubscribe(OnSaved);
                }
            }
            """ + SubscriptionStubs.Prism);

    [Fact]
    public Task NoFixWhenThePublisherCannotBeNamedInDispose() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                using Cms.Events;

                class Indexer
                {
                    public Indexer(Func<Cms.Events.Bus> bus) => [|bus().Listen(OnSaved)|];
                    void OnSaved(object sender, EventArgs e) { }
                }
                """ + Cms.Replace("public static class Event", "public class Bus { public void Listen(EventHandler h) { } public void Unlisten(EventHandler h) { } }\n            public static class Event"),
            FixedCode = """
                using System;
                using Cms.Events;

                class Indexer
                {
                    public Indexer(Func<Cms.Events.Bus> bus) => [|bus().Listen(OnSaved)|];
                    void OnSaved(object sender, EventArgs e) { }
                }
                """ + Cms.Replace("public static class Event", "public class Bus { public void Listen(EventHandler h) { } public void Unlisten(EventHandler h) { } }\n            public static class Event"),
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.subscription_methods = Cms.Events.Bus.Listen:Unlisten\n",
        }.RunAsync();
}
