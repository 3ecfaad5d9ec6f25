namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Breadth-first search of the object graph from the GC roots, stage by stage (static fields, handles, other threads,
/// the finalizer queue, the calling thread), so that each target gets the shortest path from the most telling root.
/// Stops as soon as every target has been reached.
/// </summary>
internal sealed class PathSearch
{
    private readonly HeapSession session;
    /// <summary>Marks a root in <see cref="parent"/>: no object lives at the top of the address space.</summary>
    private const ulong RootMark = ulong.MaxValue;

    private readonly AddressMap parent = new();
    private readonly Dictionary<ulong, RootRecord> rootOf = new();

    internal PathSearch(HeapSession session)
    {
        this.session = session;
    }

    /// <summary>Number of objects visited by the last search (for benchmarks).</summary>
    internal int Visited => parent.Count;

    /// <summary>Finds a path to each target; a target absent from the result is not reachable from any root.</summary>
    internal Dictionary<ulong, FoundPath> Find(IReadOnlyCollection<ulong> targets)
    {
        var remaining = new HashSet<ulong>(targets);
        remaining.Remove(0);
        var result = new Dictionary<ulong, FoundPath>();
        if (remaining.Count == 0)
        {
            return result;
        }

        ClrHeap heap = session.Heap;
        IReadOnlyList<RootRecord> roots = session.Roots();
        var queue = new Queue<ulong>();
        int index = 0;
        while (index < roots.Count && remaining.Count > 0)
        {
            int stage = roots[index].Stage;
            for (; index < roots.Count && roots[index].Stage == stage; index++)
            {
                RootRecord root = roots[index];
                if (!parent.TryAdd(root.Object, RootMark))
                {
                    continue;
                }

                rootOf[root.Object] = root;
                remaining.Remove(root.Object);
                queue.Enqueue(root.Object);
            }

            while (queue.Count > 0 && remaining.Count > 0)
            {
                ulong current = queue.Dequeue();
                ClrType? type = heap.GetObjectType(current);
                if (type is null || !type.ContainsPointers && !type.IsCollectible)
                {
                    // Objects whose type the runtime cannot describe are leaves: their references cannot be read safely.
                    continue;
                }

                try
                {
                    foreach (ulong next in heap.GetObject(current, type).EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
                    {
                        // One lookup per reference: this loop runs for every reference of the heap in the worst case.
                        if (next == 0 || !parent.TryAdd(next, current))
                        {
                            continue;
                        }

                        queue.Enqueue(next);
                        if (remaining.Remove(next) && remaining.Count == 0)
                        {
                            break;
                        }
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException or IndexOutOfRangeException)
                {
                    // An object whose references cannot be read is a leaf; what it reached so far stays reached.
                }
            }
        }

        foreach (ulong target in targets)
        {
            if (target == 0)
            {
                continue;
            }

            var chain = new List<ulong>();
            ulong node = target;
            while (true)
            {
                chain.Add(node);
                if (!parent.TryGetValue(node, out ulong up))
                {
                    break;
                }

                if (up == RootMark)
                {
                    chain.Reverse();
                    result[target] = new FoundPath(rootOf[node], chain);
                    break;
                }

                node = up;
            }
        }

        return result;
    }
}

/// <summary>A root and the objects from its object (first) to the target (last).</summary>
internal sealed record FoundPath(RootRecord Root, IReadOnlyList<ulong> Objects);
