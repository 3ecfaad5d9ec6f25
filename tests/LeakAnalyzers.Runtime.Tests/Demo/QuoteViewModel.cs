namespace LeakAnalyzers.Runtime.Tests.Demo;

using System;

// The demo: code of the kind the analyzers flag, and its fix.

/// <summary>A process-wide price feed: its event lives as long as the process.</summary>
public static class PriceFeed
{
    public static event EventHandler<decimal>? PriceChanged;

    public static void Publish(decimal price) => PriceChanged?.Invoke(null, price);

    internal static void Reset() => PriceChanged = null;
}

/// <summary>
/// Subscribes to the static event and never unsubscribes: the analyzers report the subscription (LEAK1xx, event
/// subscriptions) because every view model ever created stays reachable from <see cref="PriceFeed.PriceChanged"/>.
/// </summary>
public sealed class QuoteViewModel
{
    public QuoteViewModel() => PriceFeed.PriceChanged += OnPriceChanged;

    public decimal Last { get; private set; }

    private void OnPriceChanged(object? sender, decimal price) => Last = price;
}

/// <summary>The fix: the subscription ends when the view model is disposed.</summary>
public sealed class FixedQuoteViewModel : IDisposable
{
    public FixedQuoteViewModel() => PriceFeed.PriceChanged += OnPriceChanged;

    public decimal Last { get; private set; }

    public void Dispose() => PriceFeed.PriceChanged -= OnPriceChanged;

    private void OnPriceChanged(object? sender, decimal price) => Last = price;
}
