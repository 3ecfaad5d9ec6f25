namespace LeakAnalyzers.Tests.Events;

/// <summary>
/// Small stand-ins for the subscription APIs of the built-in table (same namespaces, type and member names), so
/// that rule tests compile against the .NET reference pack alone. Only the shapes the analyzer reads are here.
/// </summary>
internal static class SubscriptionStubs
{
    /// <summary>CommunityToolkit.Mvvm's messengers: the strong one, the weak one, and the extension methods on IMessenger.</summary>
    internal const string Messengers = """

        namespace CommunityToolkit.Mvvm.Messaging
        {
            public delegate void MessageHandler<in TRecipient, in TMessage>(TRecipient recipient, TMessage message) where TRecipient : class where TMessage : class;
            public interface IMessenger
            {
                void UnregisterAll(object recipient);
            }

            public sealed class StrongReferenceMessenger : IMessenger
            {
                public static StrongReferenceMessenger Default { get; } = new StrongReferenceMessenger();
                public void UnregisterAll(object recipient) { }
            }

            public sealed class WeakReferenceMessenger : IMessenger
            {
                public static WeakReferenceMessenger Default { get; } = new WeakReferenceMessenger();
                public void UnregisterAll(object recipient) { }
            }

            public static class IMessengerExtensions
            {
                public static void Register<TMessage>(this IMessenger messenger, object recipient, MessageHandler<object, TMessage> handler) where TMessage : class { }
                public static void Unregister<TMessage>(this IMessenger messenger, object recipient) where TMessage : class { }
            }
        }

        """;

    /// <summary>Prism's event aggregator: GetEvent&lt;T&gt;() and a PubSubEvent that holds subscribers weakly unless asked.</summary>
    internal const string Prism = """

        namespace Prism.Events
        {
            using System;
            public class SubscriptionToken : IDisposable { public void Dispose() { } }
            public class PubSubEvent<TPayload>
            {
                public SubscriptionToken Subscribe(Action<TPayload> action, bool keepSubscriberReferenceAlive = false) => new SubscriptionToken();
                public void Unsubscribe(Action<TPayload> subscriber) { }
            }

            public interface IEventAggregator { TEventType GetEvent<TEventType>() where TEventType : new(); }
        }

        """;
}
