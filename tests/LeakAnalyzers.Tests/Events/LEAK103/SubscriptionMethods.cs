namespace LeakAnalyzers.Tests.Events.LEAK103;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RemovalRemovesNothingAnalyzer>;

public class SubscriptionMethods
{
    [Fact]
    public Task UnsubscribeWithALambda() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using Prism.Events;
            class Saved : PubSubEvent<string> { }
            class EditorViewModel : IDisposable
            {
                private readonly IEventAggregator aggregator;
                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    aggregator.GetEvent<Saved>().Subscribe(OnSaved, true);
                }

                public void Dispose() => aggregator.GetEvent<Saved>().Unsubscribe([|path => OnSaved(path)|]);
                void OnSaved(string path) { }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Prism);

    [Fact]
    public Task UnsubscribeOfTheHandlerThatWasAddedIsSilent() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using Prism.Events;
            class Saved : PubSubEvent<string> { }
            class EditorViewModel : IDisposable
            {
                private readonly IEventAggregator aggregator;
                public EditorViewModel(IEventAggregator aggregator)
                {
                    this.aggregator = aggregator;
                    aggregator.GetEvent<Saved>().Subscribe(OnSaved, true);
                }

                public void Dispose() => aggregator.GetEvent<Saved>().Unsubscribe(OnSaved);
                void OnSaved(string path) { }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Prism);
}
