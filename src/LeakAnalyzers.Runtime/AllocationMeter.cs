namespace LeakAnalyzers.Runtime;

using System;
using System.Diagnostics;
using System.Globalization;
using LeakAnalyzers.Runtime.Internal;

/// <summary>
/// Bytes allocated by a block of code (memory_profiler's figures, for a block): on the calling thread, exactly, and in
/// the whole process; optionally the bytes the block left on the heap after full collections.
/// </summary>
/// <example><code>
/// AllocationReport report = AllocationMeter.Measure(() =&gt; parser.Parse(text));
/// Assert.True(report.ThreadBytes &lt; 64 * 1024, report.ToString());
/// </code></example>
public static class AllocationMeter
{
    /// <summary>Runs <paramref name="action"/> and measures what it allocated.</summary>
    /// <param name="action">The block to measure.</param>
    /// <param name="measureRetained">
    /// Also run full collections before and after, and report how much the managed heap grew (what the block kept).
    /// </param>
    /// <exception cref="LeakScenarioException">The block threw.</exception>
    public static AllocationReport Measure(Action action, bool measureRetained = false)
    {
        if (action is null)
        {
            throw new ArgumentNullException(nameof(action));
        }

        using AllocationScope scope = Start(measureRetained);
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw new LeakScenarioException($"AllocationMeter.Measure: the block threw {e.GetType().Name}: {e.Message}", e);
        }

        return scope.Stop();
    }

    /// <summary>Starts measuring; call <see cref="AllocationScope.Stop"/> on the same thread at the end of the block.</summary>
    /// <param name="measureRetained">Also report the heap growth after full collections.</param>
    public static AllocationScope Start(bool measureRetained = false) => new(measureRetained);
}

/// <summary>A measurement in progress; see <see cref="AllocationMeter.Start"/>.</summary>
public sealed class AllocationScope : IDisposable
{
    private readonly bool measureRetained;
    private readonly int threadId;
    private readonly long threadStart;
    private readonly long processStart;
    private readonly long heapStart;
    private readonly int gen0;
    private readonly int gen1;
    private readonly int gen2;
    private readonly Stopwatch watch;
    private AllocationReport? report;

    internal AllocationScope(bool measureRetained)
    {
        this.measureRetained = measureRetained;
        if (measureRetained)
        {
            FullCollection.Run();
        }

        heapStart = GC.GetTotalMemory(forceFullCollection: false);
        gen0 = GC.CollectionCount(0);
        gen1 = GC.CollectionCount(1);
        gen2 = GC.CollectionCount(2);
        threadId = Environment.CurrentManagedThreadId;
        processStart = GC.GetTotalAllocatedBytes(precise: true);
        watch = Stopwatch.StartNew();
        threadStart = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Ends the measurement (once; later calls return the same report).</summary>
    /// <exception cref="InvalidOperationException">Called on another thread than <see cref="AllocationMeter.Start"/>.</exception>
    public AllocationReport Stop()
    {
        if (report is not null)
        {
            return report;
        }

        long threadEnd = GC.GetAllocatedBytesForCurrentThread();
        long processEnd = GC.GetTotalAllocatedBytes(precise: true);
        watch.Stop();
        if (Environment.CurrentManagedThreadId != threadId)
        {
            throw new InvalidOperationException("An allocation scope must be stopped on the thread that started it: the per-thread count is per thread.");
        }

        int c0 = GC.CollectionCount(0) - gen0;
        int c1 = GC.CollectionCount(1) - gen1;
        int c2 = GC.CollectionCount(2) - gen2;
        long? retained = null;
        if (measureRetained)
        {
            FullCollection.Run();
            retained = GC.GetTotalMemory(forceFullCollection: false) - heapStart;
        }

        report = new AllocationReport(threadEnd - threadStart, processEnd - processStart, retained, c0, c1, c2, watch.Elapsed);
        return report;
    }

    /// <summary>Stops the measurement if it is still running.</summary>
    public void Dispose()
    {
        if (report is null && Environment.CurrentManagedThreadId == threadId)
        {
            Stop();
        }
    }
}

/// <summary>What a block allocated.</summary>
public sealed class AllocationReport
{
    internal AllocationReport(long threadBytes, long processBytes, long? retainedBytes, int gen0, int gen1, int gen2, TimeSpan elapsed)
    {
        ThreadBytes = threadBytes;
        ProcessBytes = processBytes;
        RetainedBytes = retainedBytes;
        Gen0Collections = gen0;
        Gen1Collections = gen1;
        Gen2Collections = gen2;
        Elapsed = elapsed;
    }

    /// <summary>Bytes allocated on the calling thread by the block (exact).</summary>
    public long ThreadBytes { get; }

    /// <summary>Bytes allocated by all threads of the process meanwhile (includes other threads' work).</summary>
    public long ProcessBytes { get; }

    /// <summary>How much the heap grew across the block after full collections, when measured; can be negative.</summary>
    public long? RetainedBytes { get; }

    /// <summary>Generation 0 collections during the block.</summary>
    public int Gen0Collections { get; }

    /// <summary>Generation 1 collections during the block.</summary>
    public int Gen1Collections { get; }

    /// <summary>Generation 2 collections during the block.</summary>
    public int Gen2Collections { get; }

    /// <summary>Wall-clock time of the block.</summary>
    public TimeSpan Elapsed { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        string retained = RetainedBytes is { } r ? $", retained {Format.Bytes(r)}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"allocated {Format.Bytes(ThreadBytes)} on this thread ({ThreadBytes:N0} B), {Format.Bytes(ProcessBytes)} in the process{retained}; collections gen0 {Gen0Collections}, gen1 {Gen1Collections}, gen2 {Gen2Collections}; {Elapsed.TotalMilliseconds:0.#} ms");
    }
}
