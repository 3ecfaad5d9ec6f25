namespace LeakAnalyzers.Runtime.Tests.Demo;

using Xunit;

/// <summary>
/// The demo from docs/runtime.md: the analyzers flag the subscription in <see cref="QuoteViewModel"/>; these tests
/// confirm in a running process that it leaks, show what holds it, and prove the fix.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public void The_view_model_leaks_through_the_static_price_feed()
    {
        try
        {
            RetentionPath path = LeakAssert.Leaks(() => new QuoteViewModel(), vm => PriceFeed.Publish(42m));

            Assert.Equal(LeakFamily.EventSubscription, path.Family);      // confirms the LEAK1xx finding
            Assert.Equal("static PriceFeed.PriceChanged (event)", path.Root);
            Assert.Equal("EventHandler<decimal> → QuoteViewModel.OnPriceChanged", path.Steps[0].Description);
            Assert.Equal("QuoteViewModel", path.Target.Description);
        }
        finally
        {
            PriceFeed.Reset();
        }
    }

    [Fact]
    public void The_fixed_view_model_is_collected_once_disposed()
    {
        LeakAssert.Collected(() => new FixedQuoteViewModel(), vm =>
        {
            PriceFeed.Publish(42m);
            Assert.Equal(42m, vm.Last);
            vm.Dispose();
        });
    }
}
