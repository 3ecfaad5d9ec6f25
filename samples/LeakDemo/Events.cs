namespace LeakDemo.Events;

using System;
using System.Collections.Generic;
using System.ComponentModel;

/// <summary>A long-lived publisher: one feed for the whole application.</summary>
public sealed class MarketFeed
{
    public static MarketFeed Shared { get; } = new();

    public event EventHandler<decimal>? PriceChanged;

    public void Publish(decimal price) => PriceChanged?.Invoke(this, price);
}

/// <summary>Application settings, one instance per process.</summary>
public sealed class Settings : INotifyPropertyChanged
{
    public static Settings Default { get; } = new();

    public event PropertyChangedEventHandler? PropertyChanged;

    public string Currency { get; private set; } = "EUR";

    public void ChangeCurrency(string currency)
    {
        Currency = currency;
        PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(nameof(Currency)));
    }
}

/// <summary>
/// LEAK101: the ticker subscribes to the feed it is given and never unsubscribes, so the feed keeps every ticker
/// ever created alive, with its price history.
/// </summary>
public sealed class PriceTickerLeaky
{
    private readonly List<decimal> history = new();

    public PriceTickerLeaky(MarketFeed feed)
    {
        feed.PriceChanged += OnPriceChanged;
    }

    public int Count => history.Count;

    private void OnPriceChanged(object? sender, decimal price) => history.Add(price);
}

/// <summary>Clean: the ticker keeps the feed and unsubscribes in Dispose.</summary>
public sealed class PriceTicker : IDisposable
{
    private readonly MarketFeed feed;
    private readonly List<decimal> history = new();

    public PriceTicker(MarketFeed feed)
    {
        this.feed = feed;
        feed.PriceChanged += OnPriceChanged;
    }

    public int Count => history.Count;

    public void Dispose() => feed.PriceChanged -= OnPriceChanged;

    private void OnPriceChanged(object? sender, decimal price) => history.Add(price);
}

/// <summary>
/// LEAK102: a lambda that uses the status bar is added to the settings singleton; no '-=' can remove it, so the
/// status bar lives until the process ends.
/// </summary>
public sealed class StatusBarLeaky
{
    public StatusBarLeaky()
    {
        Settings.Default.PropertyChanged += (sender, e) => Text = "Prices in " + Settings.Default.Currency;
    }

    public string Text { get; private set; } = string.Empty;
}

/// <summary>Clean: a named handler, removed in Dispose.</summary>
public sealed class StatusBar : IDisposable
{
    public StatusBar()
    {
        Settings.Default.PropertyChanged += OnSettingsChanged;
    }

    public string Text { get; private set; } = string.Empty;

    public void Dispose() => Settings.Default.PropertyChanged -= OnSettingsChanged;

    private void OnSettingsChanged(object? sender, PropertyChangedEventArgs e) => Text = "Prices in " + Settings.Default.Currency;
}

/// <summary>A chart that attaches to the shared feed and detaches again, once right (Detach) and once wrong.</summary>
public sealed class ChartPanel
{
    private int points;

    public int Points => points;

    public void Attach() => MarketFeed.Shared.PriceChanged += OnPriceChanged;

    /// <summary>LEAK103: a new lambda never equals the method that was added, so the chart stays subscribed.</summary>
    public void DetachLeaky() => MarketFeed.Shared.PriceChanged -= (sender, price) => OnPriceChanged(sender, price);

    /// <summary>Clean: removes the method that was added.</summary>
    public void Detach() => MarketFeed.Shared.PriceChanged -= OnPriceChanged;

    private void OnPriceChanged(object? sender, decimal price) => points++;
}

/// <summary>
/// LEAK104: the monitor unsubscribes in its finalizer, which cannot run while the feed still holds the monitor.
/// </summary>
public sealed class SpreadMonitorLeaky
{
    private decimal last;

    public SpreadMonitorLeaky()
    {
        MarketFeed.Shared.PriceChanged += OnPriceChanged;
    }

    ~SpreadMonitorLeaky()
    {
        MarketFeed.Shared.PriceChanged -= OnPriceChanged;
    }

    public decimal Last => last;

    private void OnPriceChanged(object? sender, decimal price) => last = price;
}

/// <summary>Clean: the monitor unsubscribes in Dispose.</summary>
public sealed class SpreadMonitor : IDisposable
{
    private decimal last;

    public SpreadMonitor()
    {
        MarketFeed.Shared.PriceChanged += OnPriceChanged;
    }

    public decimal Last => last;

    public void Dispose() => MarketFeed.Shared.PriceChanged -= OnPriceChanged;

    private void OnPriceChanged(object? sender, decimal price) => last = price;
}

/// <summary>An order board that shows one row per order and refreshes when prices change.</summary>
public sealed class OrderBoard : IDisposable
{
    private readonly MarketFeed feed;
    private readonly List<string> rows = new();
    private int refreshes;

    public OrderBoard(MarketFeed feed) => this.feed = feed;

    public int Refreshes => refreshes;

    /// <summary>LEAK105: subscribes once per row; with ten rows every price change refreshes the board ten times.</summary>
    public void ShowOrdersLeaky(IEnumerable<string> orders)
    {
        foreach (var order in orders)
        {
            rows.Add(order);
            feed.PriceChanged += OnPriceChanged;
        }
    }

    /// <summary>Clean: one subscription, whatever the number of rows.</summary>
    public void ShowOrders(IEnumerable<string> orders)
    {
        rows.AddRange(orders);
        feed.PriceChanged -= OnPriceChanged;
        feed.PriceChanged += OnPriceChanged;
    }

    public void Dispose() => feed.PriceChanged -= OnPriceChanged;

    private void OnPriceChanged(object? sender, decimal price) => refreshes++;
}
