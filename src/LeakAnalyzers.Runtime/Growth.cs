namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LeakAnalyzers.Runtime.Internal;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Finds types whose instance count keeps growing while a scenario repeats (objgraph's show_growth, tracemalloc's
/// compare_to, over several iterations). A type is reported when its count rose in every measured interval, so one-off
/// caches filled by the first iterations are not reported.
/// </summary>
public static class Growth
{
    /// <summary>Types this library and ClrMD create while measuring; never reported.</summary>
    private static readonly HeapFilter Tooling = HeapFilter.Assembly("LeakAnalyzers.Runtime")
        .Or(HeapFilter.Assembly("Microsoft.Diagnostics.Runtime"))
        .Or(HeapFilter.Assembly("Microsoft.Diagnostics.NETCore.Client"));

    private const int Capacity = 1 << 15;

    /// <summary>
    /// Runs <paramref name="scenario"/> <paramref name="warmup"/> times, takes a snapshot, then runs it
    /// <paramref name="iterations"/> more times with a snapshot after each, and reports the types that grew in every
    /// interval, with the retention paths of their instances at the end. Each snapshot is a heap capture (about half a
    /// second for a test host).
    /// </summary>
    /// <param name="scenario">One iteration of the work.</param>
    /// <param name="filter">The types to watch; all by default (your namespace or assembly gives a cleaner report).</param>
    /// <param name="iterations">Measured iterations, at least 2.</param>
    /// <param name="warmup">Iterations run before the first snapshot, so that lazy caches are filled.</param>
    /// <param name="options">How to capture the heap.</param>
    /// <exception cref="LeakScenarioException">The scenario threw; the message says in which iteration.</exception>
    /// <exception cref="HeapInspectionException">The heap cannot be read.</exception>
    public static GrowthReport Measure(Action scenario, HeapFilter? filter = null, int iterations = 4, int warmup = 1, HeapInspectionOptions? options = null)
    {
        if (scenario is null)
        {
            throw new ArgumentNullException(nameof(scenario));
        }

        if (iterations < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Growth needs at least 2 measured iterations to tell steady growth from a one-off.");
        }

        filter ??= HeapFilter.All;
        string? disabled = DiagnosticsChannel.DisabledReason();
        if (disabled is not null)
        {
            throw new DiagnosticsDisabledException(disabled);
        }

        // Watch the user's types, not this library's own measuring.
        HeapFilter watched = filter.And(Tooling.Not());

        // The counts live in tables allocated before the first capture, keyed by method table, so that keeping them
        // adds no object between two captures (a growing list of snapshots would itself be reported as growth).
        int samples = iterations + 1;
        var rows = new Dictionary<ulong, int>(Capacity);
        var counts = new long[Capacity * samples];

        int iteration = 0;
        for (int i = 0; i < warmup; i++)
        {
            RunOnce(scenario, ++iteration);
        }

        if (HeapSession.Captures == 0)
        {
            // The first capture in a process loads ClrMD and fills the runtime's reflection caches; do it before
            // counting, or those caches look like growth.
            using HeapSession primer = HeapSession.Capture(options);
        }

        for (int sample = 0; sample < samples - 1; sample++)
        {
            using (HeapSession session = HeapSession.Capture(options))
            {
                Count(session, watched, rows, counts, samples, sample);
            }

            RunOnce(scenario, ++iteration);
        }

        using HeapDump last = HeapDump.Capture(options);
        Count(last.Session, watched, rows, counts, samples, samples - 1);
        HeapSnapshot final = last.Snapshot(watched);

        var growing = new List<TypeGrowth>();
        foreach (TypeStatistics type in final.Types)
        {
            if (!rows.TryGetValue(type.MethodTable, out int row))
            {
                continue;
            }

            long[] series = new long[samples];
            Array.Copy(counts, row * samples, series, 0, samples);
            bool grewEveryTime = true;
            for (int i = 1; i < series.Length; i++)
            {
                grewEveryTime &= series[i] > series[i - 1];
            }

            if (grewEveryTime)
            {
                growing.Add(new TypeGrowth(type.Info, series, iterations));
            }
        }

        growing.Sort((a, b) => b.PerIteration.CompareTo(a.PerIteration));
        foreach (TypeGrowth type in growing.Take(5))
        {
            string name = type.TypeName;
            type.Paths = last.FindPathsToInstances(HeapFilter.Where(n => n == name, type.DisplayName), maxGroups: 3);
        }

        return new GrowthReport(final, samples, growing, iterations, filter.ToString());
    }

    private static void Count(HeapSession session, HeapFilter filter, Dictionary<ulong, int> rows, long[] counts, int samples, int sample)
    {
        var matches = new Dictionary<ulong, bool>();
        foreach (ClrObject obj in session.Heap.EnumerateObjects())
        {
            ClrType? type = obj.Type;
            if (type is null || type.IsFree)
            {
                continue;
            }

            if (!matches.TryGetValue(type.MethodTable, out bool match))
            {
                match = filter.Matches(session.Describe(type));
                matches[type.MethodTable] = match;
            }

            if (!match)
            {
                continue;
            }

            if (!rows.TryGetValue(type.MethodTable, out int row))
            {
                if (rows.Count >= Capacity)
                {
                    continue;
                }

                row = rows.Count;
                rows[type.MethodTable] = row;
            }

            counts[row * samples + sample]++;
        }
    }

    private static void RunOnce(Action scenario, int iteration)
    {
        try
        {
            scenario();
        }
        catch (Exception e)
        {
            throw new LeakScenarioException($"Growth.Measure: the scenario threw {e.GetType().Name} on iteration {iteration}, so growth was not measured: {e.Message}", e);
        }
    }
}

/// <summary>The result of <see cref="Growth.Measure"/>.</summary>
public sealed class GrowthReport
{
    internal GrowthReport(HeapSnapshot final, int samples, IReadOnlyList<TypeGrowth> growing, int iterations, string filter)
    {
        Final = final;
        SampleCount = samples;
        Growing = growing;
        Iterations = iterations;
        Filter = filter;
    }

    /// <summary>The snapshot after the last iteration, of the watched types.</summary>
    public HeapSnapshot Final { get; }

    /// <summary>How many times the heap was counted: after the warm-up, then after each measured iteration.</summary>
    public int SampleCount { get; }

    /// <summary>The types that were watched.</summary>
    public string Filter { get; }

    /// <summary>Types whose count rose in every interval, fastest growth first.</summary>
    public IReadOnlyList<TypeGrowth> Growing { get; }

    /// <summary>The number of measured iterations.</summary>
    public int Iterations { get; }

    /// <summary>Whether any watched type kept growing.</summary>
    public bool HasGrowth => Growing.Count > 0;

    /// <summary>The growing type, or null.</summary>
    /// <param name="type">The type.</param>
    public TypeGrowth? Find(Type type)
    {
        ulong handle = (ulong)type.TypeHandle.Value.ToInt64();
        return Growing.FirstOrDefault(g => g.Info.MethodTable == handle);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (!HasGrowth)
        {
            text.Append(CultureInfo.InvariantCulture, $"No type of {Filter} grew in every one of {Iterations} iterations.");
            return text.ToString();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{Growing.Count} type(s) of {Filter} grew in every one of {Iterations} iterations:");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"Per iteration",14} {"Counts",-30}  Type");
        foreach (TypeGrowth g in Growing)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{"+" + g.PerIteration.ToString("0.##", CultureInfo.InvariantCulture),14} {string.Join(" → ", g.Counts),-30}  {g.DisplayName}");
        }

        foreach (TypeGrowth g in Growing.Where(g => g.Paths.Count > 0))
        {
            text.AppendLine();
            text.AppendLine($"{g.DisplayName}{(g.Family == LeakFamily.None ? string.Empty : $" (confirms {g.Family.RuleRange()}, {g.Family.Title()})")}:");
            foreach (RetentionPathGroup group in g.Paths)
            {
                text.AppendLine(group.ToString());
            }
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>A type that grew in every interval of a <see cref="Growth.Measure"/> run.</summary>
public sealed class TypeGrowth
{
    internal TypeGrowth(HeapTypeInfo info, IReadOnlyList<long> counts, int iterations)
    {
        Info = info;
        Counts = counts;
        PerIteration = (counts[counts.Count - 1] - counts[0]) / (double)iterations;
    }

    /// <summary>The runtime's full name of the type.</summary>
    public string TypeName => Info.FullName;

    /// <summary>The name as C# shows it.</summary>
    public string DisplayName => TypeNames.Short(Info.FullName);

    /// <summary>The instance count at each snapshot.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Instances gained per iteration, on average.</summary>
    public double PerIteration { get; }

    /// <summary>How the instances are held at the end (grouped), for the five fastest-growing types.</summary>
    public IReadOnlyList<RetentionPathGroup> Paths { get; internal set; } = Array.Empty<RetentionPathGroup>();

    /// <summary>The analyzer family the largest group's path confirms.</summary>
    public LeakFamily Family => Paths.Count > 0 ? Paths[0].Path.Family : LeakFamily.None;

    internal HeapTypeInfo Info { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{DisplayName}: {string.Join(" → ", Counts)}";
}
