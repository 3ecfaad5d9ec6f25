namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Runtime.CompilerServices;

/// <summary>Full, blocking collections with finalizers run, repeated until the heap stops shrinking.</summary>
internal static class FullCollection
{
    /// <summary>
    /// Collects everything that can be collected. One collection is not enough: objects whose finalizer ran only become
    /// collectable on the next one, and a finalizer can release further objects. The loop stops when a round frees
    /// nothing more (or, when <paramref name="isDone"/> is given, as soon as it says so) and after
    /// <paramref name="maxRounds"/> rounds at most.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Run(int maxRounds = 8, Func<bool>? isDone = null)
    {
        long previous = long.MaxValue;
        for (int round = 0; round < maxRounds; round++)
        {
            // Blocking but not compacting: what survives is the same either way, and compacting a large heap twice
            // per round costs seconds.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            if (isDone is not null && isDone())
            {
                return;
            }

            long now = GC.GetTotalMemory(forceFullCollection: false);
            if (round >= 1 && now >= previous)
            {
                return;
            }

            previous = now;
        }
    }
}
