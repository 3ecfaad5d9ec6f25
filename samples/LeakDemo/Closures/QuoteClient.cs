namespace LeakDemo.Closures;

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

/// <summary>Where a lambda is kept decides what it keeps alive: each leaky method beside its clean counterpart.</summary>
public sealed class QuoteClient : IDisposable
{
    private static Action? resetAll;

    private static Func<string>? lastWarmUp;

    private readonly byte[] cache = new byte[64 * 1024];
    private readonly List<Func<string>> ownProviders = new();
    private Timer? refreshTimer;
    private int refreshes;
    private int cancellations;

    public int Refreshes => Volatile.Read(ref refreshes);

    public int Cancellations => Volatile.Read(ref cancellations);

    /// <summary>LEAK301: the lambda captures this; the token's source keeps it until it is cancelled, once per call.</summary>
    public async Task<int> FetchLeaky(int id, CancellationToken cancellationToken)
    {
        cancellationToken.Register(() => Interlocked.Increment(ref cancellations));
        await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
        return id * 2;
    }

    /// <summary>Clean: the registration is disposed when the awaited work is done.</summary>
    public async Task<int> Fetch(int id, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => Interlocked.Increment(ref cancellations));
        await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
        return id * 2;
    }

    /// <summary>LEAK301: the static list keeps this client, and its 64 KB cache, for the life of the process.</summary>
    public void PublishStatusLeaky() => StatusBoardLeaky.Providers.Add(() => $"{cache.Length} bytes cached, {Refreshes} refreshes");

    /// <summary>LEAK301: the same, one call further: 'Add' puts what it is given in a static list.</summary>
    public void PublishThroughBoardLeaky() => BoardLeaky.Add(() => $"{cache.Length} bytes cached");

    /// <summary>Clean: the client's own list lives no longer than the client.</summary>
    public void PublishStatus() => ownProviders.Add(() => $"{cache.Length} bytes cached, {Refreshes} refreshes");

    /// <summary>LEAK301: a static delegate combined with this client's method: the client is never collected.</summary>
    public void JoinResetLeaky() => resetAll += Reset;

    /// <summary>LEAK301: every call adds a lambda to a process-wide event; it keeps its quote log until the process ends.</summary>
    public void FlushAtExitLeaky(int id)
    {
        var log = new List<string> { $"quote {id}" };
        AppDomain.CurrentDomain.ProcessExit += (sender, e) => Console.WriteLine(string.Join(", ", log));
    }

    /// <summary>Clean: the log is written when the work is done, nothing stays behind.</summary>
    public void FlushNow(int id)
    {
        var log = new List<string> { $"quote {id}" };
        Console.WriteLine(string.Join(", ", log));
    }

    /// <summary>Clean: the timer is kept in a field and disposed with the client.</summary>
    public void StartRefresh() => refreshTimer ??= new Timer(_ => Interlocked.Increment(ref refreshes), null, 0, 1000);

    /// <summary>LEAK302: the static delegate uses only 'label', but shares its closure with the 256 KB payload.</summary>
    public static Task WarmUpLeaky(string name)
    {
        var payload = new byte[256 * 1024];
        var fill = Task.Run(() => Array.Fill(payload, (byte)1));
        var label = name.ToUpperInvariant();
        lastWarmUp = () => label;
        return fill;
    }

    /// <summary>Clean: the long-lived lambda's variable lives in a block of its own, so its closure holds only the label (what the LEAK302 fix writes).</summary>
    public static Task WarmUp(string name)
    {
        var payload = new byte[256 * 1024];
        var fill = Task.Run(() => Array.Fill(payload, (byte)1));
        {
            var label = name.ToUpperInvariant();
            lastWarmUp = () => label;
        }

        return fill;
    }

    public static string LastWarmUp() => lastWarmUp?.Invoke() ?? "none";

    public string Status() => ownProviders.Count > 0 ? ownProviders[0]() : "idle";

    public void Dispose() => refreshTimer?.Dispose();

    private void Reset() => Interlocked.Exchange(ref refreshes, 0);
}

/// <summary>
/// LEAK301: the timer stays in a field that nothing disposes. The timer queue holds the callback, the callback holds
/// this object, this object holds the timer: none of them is ever collected. One root cause, one diagnostic: LEAK003
/// leaves this field to LEAK301, whose fix disposes it in Dispose. (A timer that is simply dropped is different: the GC
/// collects it and its finalizer stops it, so LEAK002 reports it instead.)
/// </summary>
internal sealed class Refresher
{
    private Timer? timer;
    private int refreshes;

    public int Refreshes => Volatile.Read(ref refreshes);

    public void StartLeaky() => timer ??= new Timer(_ => Interlocked.Increment(ref refreshes), null, 0, 1000);
}

/// <summary>Every client that publishes its status registers here; nothing ever removes the entries (LEAK202).</summary>
internal static class StatusBoardLeaky
{
    internal static readonly List<Func<string>> Providers = new();
}

/// <summary>A registry that keeps what its method is given (LEAK202 on the list; LEAK301 where a caller's lambda goes in).</summary>
internal static class BoardLeaky
{
    internal static readonly List<Func<string>> All = new();

    internal static void Add(Func<string> provider) => All.Add(provider);
}
