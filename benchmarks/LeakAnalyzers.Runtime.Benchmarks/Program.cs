namespace LeakAnalyzers.Runtime.Benchmarks;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using LeakAnalyzers.Runtime;

/// <summary>
/// Builds heaps of the sizes given on the command line (in MB) and times what a test would do on them: a capture
/// (collections, writing the dump, opening it), a snapshot, a retention path through a static collection, a retention
/// path that needs the whole heap walked, and the grouped paths of a type's instances.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int[] sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 10, 100, 1000 };
        Console.WriteLine($"LeakAnalyzers.Runtime benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine("Each cell: wall-clock time (CPU time of this process). The machine's other jobs inflate wall-clock time; CPU time shows the work.");
        Console.WriteLine();
        Console.WriteLine("| Heap | Objects | Capture (GC + dump + open) | Snapshot | Roots (statics named) | Path via static list | Path, whole heap walked | Paths of a type's instances | Capture + snapshot + path |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");

        // A first capture loads ClrMD and the DAC; do it once so that the first size is not charged for it.
        using (HeapDump.Capture())
        {
        }

        foreach (int megabytes in sizes)
        {
            Measure(megabytes);
        }

        return 0;
    }

    private static void Measure(int megabytes)
    {
        Heap.Build(megabytes * 1024L * 1024L);
        Node inList = Heap.Nodes[Heap.Nodes.Count - 1];
        var local = new Node(); // reachable only from this frame: the search walks everything before the calling thread

        var total = new Timer();
        var timer = new Timer();
        using HeapDump dump = HeapDump.Capture(inList, local);
        string capture = timer.Lap();

        HeapSnapshot snapshot = dump.Snapshot();
        string snap = timer.Lap();

        _ = dump.Session.Roots();
        string roots = timer.Lap();

        RetentionPath listPath = dump.FindPath(inList)!;
        string pathList = timer.Lap();
        string firstTotal = total.Lap();

        RetentionPath localPath = dump.FindPath(local)!;
        string pathWalk = timer.Lap();

        var groups = dump.FindPathsToInstancesOf(typeof(Leaf));
        string pathType = timer.Lap();

        if (listPath.Family != LeakFamily.StaticCollection || !localPath.IsCallerReferenceOnly || groups.Count == 0)
        {
            throw new InvalidOperationException("Unexpected paths:\n" + listPath + "\n" + localPath);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {Format(snapshot.HeapBytes)} | {snapshot.HeapCount:N0} | {capture} | {snap} | {roots} | {pathList} | {pathWalk} | {pathType} | {firstTotal} |"));
        GC.KeepAlive(local);
        GC.KeepAlive(inList);
        Heap.Clear();
    }

    private static string Format(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.00} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MB");
}

/// <summary>Wall-clock and CPU time since the last lap.</summary>
internal sealed class Timer
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;

    internal string Lap()
    {
        TimeSpan nowCpu = Process.GetCurrentProcess().TotalProcessorTime;
        string text = string.Create(CultureInfo.InvariantCulture, $"{wall.Elapsed.TotalSeconds:0.00} s ({(nowCpu - cpu).TotalSeconds:0.00} s)");
        cpu = nowCpu;
        wall.Restart();
        return text;
    }
}

/// <summary>An object graph shaped like an application's: small objects, strings, arrays, references between them.</summary>
internal static class Heap
{
    internal static readonly List<Node> Nodes = new();
    internal static readonly Dictionary<int, Leaf> Leaves = new();

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Build(long bytes)
    {
        var random = new Random(42);
        long built = 0;
        int i = 0;
        while (built < bytes)
        {
            var node = new Node
            {
                Name = "node-" + i.ToString(CultureInfo.InvariantCulture),
                Data = new byte[32 + random.Next(64)],
            };
            if (Nodes.Count > 0)
            {
                node.Other = Nodes[random.Next(Nodes.Count)];
                Nodes[Nodes.Count - 1].Next = node;
            }

            if (i % 16 == 0)
            {
                Leaves[i] = new Leaf { Owner = node };
            }

            Nodes.Add(node);
            built += 48 + 40 + node.Data.Length + 24;
            i++;
        }
    }

    internal static void Clear()
    {
        Nodes.Clear();
        Nodes.TrimExcess();
        Leaves.Clear();
        Leaves.TrimExcess();
        GC.Collect();
    }
}

internal sealed class Node
{
    public Node? Next;
    public Node? Other;
    public string? Name;
    public byte[]? Data;
}

internal sealed class Leaf
{
    public Node? Owner;
}
