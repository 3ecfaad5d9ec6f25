namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Collections.Generic;
using LeakAnalyzers.Runtime.Internal;
using LeakAnalyzers.Runtime.Tests.Fixtures;

/// <summary>What the child process does when started with <c>probe NAME</c>; prints one line per finding.</summary>
internal static class DiagnosticsProbe
{
    private static readonly List<object> Kept = new();

    internal static int Run(string name)
    {
        try
        {
            switch (name)
            {
                case "collected":
                    // The weak-reference check needs no diagnostics channel.
                    LeakAssert.Collected(() => new Registered(register: false));
                    Console.WriteLine("COLLECTED-OK");

                    var tracker = new ObjectTracker();
                    Kept.Add(tracker.Track(new Registered(register: false), "kept"));
                    CollectionCheck check = tracker.Check();
                    Console.WriteLine($"SURVIVORS {check.Survivors.Count}");
                    Console.WriteLine($"REASON {check.Survivors[0].PathUnavailableReason}");
                    return 0;

                case "snapshot":
                    try
                    {
                        HeapSnapshot.Take();
                        Console.WriteLine("SNAPSHOT-TAKEN");
                    }
                    catch (DiagnosticsDisabledException e)
                    {
                        Console.WriteLine($"DISABLED {e.Message}");
                    }

                    return 0;

                case "leaks":
                    // LeakAssert.Leaks needs the path, so it must fail the way every other heap feature does.
                    try
                    {
                        LeakAssert.Leaks(() => new Registered(register: false), r => Kept.Add(r));
                        Console.WriteLine("LEAKS-RETURNED");
                    }
                    catch (HeapInspectionException e)
                    {
                        Console.WriteLine($"LEAKS-THREW {e.GetType().Name} {e.Message}");
                    }

                    return 0;

                case "channel":
                    // Skip the environment check, to see what the runtime itself answers when its channel is off.
                    DiagnosticsChannel.IgnoreEnvironment = true;
                    try
                    {
                        HeapSnapshot.Take(options: new HeapInspectionOptions { Timeout = TimeSpan.FromSeconds(30) });
                        Console.WriteLine("SNAPSHOT-TAKEN");
                    }
                    catch (HeapInspectionException e)
                    {
                        Console.WriteLine($"{e.GetType().Name} {e.InnerException?.GetType().Name} {e.Message}");
                    }

                    return 0;

                default:
                    Console.WriteLine($"UNKNOWN PROBE {name}");
                    return 2;
            }
        }
        catch (Exception e)
        {
            Console.WriteLine($"FAILED {e}");
            return 1;
        }
    }
}
