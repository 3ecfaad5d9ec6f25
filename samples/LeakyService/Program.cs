namespace LeakyService;

using System;
using System.Collections.Generic;
using System.Threading;

/// <summary>
/// Handles a "request" every few milliseconds, like a service under steady load. In the default mode each request
/// leaves objects behind in three ways the analyzers report; with the argument <c>fixed</c> it runs the fixed twins,
/// which release everything. It prints "ready" once started and runs until killed (or for the seconds given after the
/// mode).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool leaky = args.Length == 0 || args[0] != "fixed";
        int seconds = args.Length > 1 && int.TryParse(args[1], out int s) ? s : int.MaxValue / 1000;
        int interval = int.TryParse(Environment.GetEnvironmentVariable("LEAKYSERVICE_INTERVAL_MS"), out int ms) ? ms : 20;
        Console.WriteLine($"ready {Environment.ProcessId} {(leaky ? "leaky" : "fixed")}");
        DateTime end = DateTime.UtcNow.AddSeconds(seconds);
        int request = 0;
        while (DateTime.UtcNow < end)
        {
            if (leaky)
            {
                Requests.HandleLeaky(request++);
            }
            else
            {
                Requests.HandleFixed(request++);
            }

            PriceFeed.Publish(request);
            Thread.Sleep(interval);
        }

        return 0;
    }
}

public static class Requests
{
    public static void HandleLeaky(int id)
    {
        var widget = new QuoteWidget();
        widget.Render();
        AuditTrail.Record(new AuditEntry(id));
        var monitor = new RequestMonitor(id);
        monitor.Touch();
    }

    public static void HandleFixed(int id)
    {
        using var widget = new FixedQuoteWidget();
        widget.Render();
        BoundedAuditTrail.Record(new AuditEntry(id));
        using var monitor = new FixedRequestMonitor(id);
        monitor.Touch();
    }
}

/// <summary>A process-wide price feed.</summary>
public static class PriceFeed
{
    public static event EventHandler<decimal>? PriceChanged;

    public static void Publish(decimal price) => PriceChanged?.Invoke(null, price);
}

/// <summary>Subscribes to the static feed and never unsubscribes: every widget stays reachable (LEAK101).</summary>
public sealed class QuoteWidget
{
    private readonly byte[] frame = new byte[256];

    public QuoteWidget() => PriceFeed.PriceChanged += OnPrice;

    public decimal Last { get; private set; }

    public void Render() => frame[0] = 1;

    private void OnPrice(object? sender, decimal price) => Last = price;
}

/// <summary>The fixed twin: unsubscribes when disposed.</summary>
public sealed class FixedQuoteWidget : IDisposable
{
    private readonly byte[] frame = new byte[256];

    public FixedQuoteWidget() => PriceFeed.PriceChanged += OnPrice;

    public decimal Last { get; private set; }

    public void Render() => frame[0] = 1;

    public void Dispose() => PriceFeed.PriceChanged -= OnPrice;

    private void OnPrice(object? sender, decimal price) => Last = price;
}

public sealed record AuditEntry(int Request);

/// <summary>A static list that only grows (LEAK201).</summary>
public static class AuditTrail
{
    private static readonly List<AuditEntry> Entries = new();

    public static void Record(AuditEntry entry) => Entries.Add(entry);
}

/// <summary>The fixed twin: keeps the last 100 entries.</summary>
public static class BoundedAuditTrail
{
    private static readonly Queue<AuditEntry> Entries = new();

    public static void Record(AuditEntry entry)
    {
        Entries.Enqueue(entry);
        while (Entries.Count > 100)
        {
            Entries.Dequeue();
        }
    }
}

/// <summary>
/// A timer whose callback captures the monitor, never disposed: the runtime's timer queue keeps both (LEAK301; one root
/// cause, one diagnostic: LEAK003 leaves the undisposed timer field to LEAK301).
/// </summary>
public sealed class RequestMonitor
{
    private readonly Timer timer;

    public RequestMonitor(int id)
    {
        Id = id;
        timer = new Timer(_ => Checks++, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    }

    public int Id { get; }

    public int Checks { get; private set; }

    public void Touch() => Checks++;
}

/// <summary>The fixed twin: disposes its timer.</summary>
public sealed class FixedRequestMonitor : IDisposable
{
    private readonly Timer timer;

    public FixedRequestMonitor(int id)
    {
        Id = id;
        timer = new Timer(_ => Checks++, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    }

    public int Id { get; }

    public int Checks { get; private set; }

    public void Touch() => Checks++;

    public void Dispose() => timer.Dispose();
}
