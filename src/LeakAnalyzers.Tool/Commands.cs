namespace LeakAnalyzers.Tool;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LeakAnalyzers.Runtime;
using LeakAnalyzers.Runtime.Internal;
using Microsoft.Diagnostics.NETCore.Client;

/// <summary>What each command does; the command line itself is in <see cref="Program"/>.</summary>
internal static class Commands
{
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(60);

    internal static int Ps(TextWriter output)
    {
        var published = new HashSet<int>(DiagnosticsClient.GetPublishedProcesses());
        var rows = new List<(int Pid, string Name, string Status, string Command)>();
        foreach (int pid in published.Concat(DotnetProcessesWithoutChannel(published)).Distinct().OrderBy(p => p))
        {
            if (pid == Environment.ProcessId)
            {
                continue;
            }

            string name;
            try
            {
                using Process process = Process.GetProcessById(pid);
                name = TargetProcess.AppName(pid, process.ProcessName);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                continue;
            }

            string status = published.Contains(pid) ? "can be read" : "diagnostics disabled";
            rows.Add((pid, name, status, CommandLine(pid)));
        }

        if (rows.Count == 0)
        {
            output.WriteLine("No .NET process that dotnet-leaks can see is running.");
            return 0;
        }

        output.WriteLine($"{"PID",8}  {"Name",-24} {"Status",-22} Command line");
        foreach (var row in rows)
        {
            output.WriteLine($"{row.Pid,8}  {Truncate(row.Name, 24),-24} {row.Status,-22} {Truncate(row.Command, 100)}");
        }

        return 0;
    }

    internal static int Snapshot(int pid, string? file, string[]? namespaces, int top, int pathTypes, TextWriter output, TextWriter error)
    {
        TargetProcess target = TargetProcess.Open(pid);
        HeapFilter filter = Filter(namespaces);
        string path = Path.GetFullPath(file ?? $"dotnet-leaks-{pid}-{DateTime.Now:yyyyMMdd-HHmmss}.snapshot.json");
        CheckWritable(path);
        HeapSnapshot snapshot = Read(target, dump => dump.Snapshot(filter, pathTypes), error);
        output.WriteLine(snapshot.ToTable(top).TrimEnd());
        WritePaths(snapshot.Paths, output);
        snapshot.Save(path);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Saved {path} ({new FileInfo(path).Length:N0} bytes). Compare two with: dotnet-leaks diff BEFORE AFTER"));
        return 0;
    }

    internal static int Diff(string beforeFile, string afterFile, int top, TextWriter output)
    {
        HeapSnapshot before = LoadSnapshot(beforeFile);
        HeapSnapshot after = LoadSnapshot(afterFile);
        SnapshotComparison comparison = after.CompareTo(before);
        output.WriteLine($"{Describe(before)} → {Describe(after)}");
        output.WriteLine(comparison.ToTable(top).TrimEnd());
        var grown = new HashSet<string>(comparison.Grown.Select(g => g.TypeName), StringComparer.Ordinal);
        WritePaths(after.Paths.Where(p => grown.Contains(p.Path.Target.TypeName)).ToList(), output);
        return 0;
    }

    internal static int Watch(int pid, string intervalText, int count, string[]? namespaces, int top, string? dotFile, TextWriter output, TextWriter error)
    {
        TimeSpan interval = Interval.Parse(intervalText, "--interval");
        if (count < 2)
        {
            throw new ToolException("--count must be at least 2: growth needs two snapshots or more.");
        }

        TargetProcess target = TargetProcess.Open(pid);
        HeapFilter filter = Filter(namespaces);
        string dot = Path.GetFullPath(dotFile ?? $"dotnet-leaks-{pid}-growth.dot");
        CheckWritable(dot);
        var counts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var growing = new List<(string Type, long[] Counts)>();
        var groups = new List<RetentionPathGroup>();
        var clock = Stopwatch.StartNew();
        for (int sample = 0; sample < count; sample++)
        {
            if (sample > 0)
            {
                TimeSpan wait = interval * sample - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }
            }

            int index = sample;
            HeapSnapshot snapshot = Read(target, dump =>
            {
                HeapSnapshot taken = dump.Snapshot(filter);
                foreach (TypeStatistics type in taken.Types)
                {
                    if (!counts.TryGetValue(type.TypeName, out long[]? series))
                    {
                        counts[type.TypeName] = series = new long[count];
                    }

                    series[index] = type.Count;
                }

                if (index == count - 1)
                {
                    growing = counts.Where(c => GrewEveryTime(c.Value)).Select(c => (c.Key, c.Value))
                        .OrderByDescending(g => g.Value[^1] - g.Value[0]).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
                    if (growing.Count > 0)
                    {
                        groups = dump.SamplePaths(growing.Take(5).Select(g => g.Type).ToList(), 100, 3).ToList();
                    }
                }

                return taken;
            }, error);
            string next = sample + 1 < count ? $"; next in {Math.Max(0, (interval * (sample + 1) - clock.Elapsed).TotalSeconds):0} s" : string.Empty;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{sample + 1}/{count}] {DateTime.Now:HH:mm:ss} {snapshot.Count:N0} objects, {Format.Bytes(snapshot.Bytes)} of {snapshot.Filter}{next}"));
        }

        if (growing.Count == 0)
        {
            output.WriteLine($"No type of {filter} grew in every one of the {count - 1} intervals of {interval.TotalSeconds:0.###} s.");
            return 0;
        }

        output.WriteLine($"{growing.Count} type(s) of {filter} grew in every one of the {count - 1} intervals of {interval.TotalSeconds:0.###} s:");
        output.WriteLine($"{"Per interval",14} {"Counts",-34}  Type");
        foreach (var (type, series) in growing.Take(Math.Max(1, top)))
        {
            double perInterval = (series[^1] - series[0]) / (double)(count - 1);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"+" + perInterval.ToString("0.##", CultureInfo.InvariantCulture),14} {string.Join(" → ", series.Select(c => c.ToString("N0", CultureInfo.InvariantCulture))),-34}  {TypeNames.Short(type)}"));
        }

        WritePaths(groups, output);
        if (groups.Count > 0)
        {
            WriteDot(RetentionPath.ToDot(groups.Select(g => g.Path), $"what grew in {target.Source}"), dot, output);
        }

        return 1;
    }

    internal static int Paths(int pid, string type, int maxGroups, string? dotFile, TextWriter output, TextWriter error)
    {
        TargetProcess target = TargetProcess.Open(pid);
        string dot = Path.GetFullPath(dotFile ?? $"dotnet-leaks-{pid}-paths.dot");
        CheckWritable(dot);
        Func<string, bool> matches = TypeMatcher(type);
        InstanceCount found = Read(target, dump => HeapQueries.Instances(dump, matches, sample: 1000, maxGroups: maxGroups), error);
        if (found.Count == 0)
        {
            output.WriteLine($"No live instance of {type} in {target.Source}.");
            return 0;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{found.Count:N0} live instance(s) of {type}; the paths of the first {Math.Min(found.Count, 1000):N0}, grouped by shape:"));
        WritePaths(found.Groups, output);
        WriteDot(RetentionPath.ToDot(found.Groups.Select(g => g.Path), $"what holds {type} in {target.Source}"), dot, output);
        return 0;
    }

    internal static int Confirm(int pid, string sarifFile, string? intervalText, TextWriter output, TextWriter error)
    {
        IReadOnlyList<Finding> findings = SarifLog.ReadLeakFindings(sarifFile);
        TimeSpan? interval = intervalText is null ? null : Interval.Parse(intervalText, "--interval");
        TargetProcess target = TargetProcess.Open(pid);
        var checks = findings.Select(f => new SubjectCheck(f)).ToList();
        Read(target, dump => { checks.ForEach(c => c.Observe(dump, 0)); return 0; }, error);
        if (interval is { } wait)
        {
            error.WriteLine($"Reading {target.Source} again in {wait.TotalSeconds:0.###} s, to see what grows.");
            Thread.Sleep(wait);
            Read(target, dump => { checks.ForEach(c => c.Observe(dump, 1)); return 0; }, error);
        }

        output.WriteLine($"{findings.Count} LEAK finding(s) of {Path.GetFileName(sarifFile)} checked against {target.Source}:");
        foreach (SubjectCheck check in checks)
        {
            output.WriteLine();
            check.Write(output, interval is not null);
        }

        int confirmed = checks.Count(c => c.Status == ConfirmStatus.Confirmed);
        output.WriteLine();
        output.WriteLine($"{confirmed} confirmed, {checks.Count(c => c.Status == ConfirmStatus.NotObserved)} not observed, {checks.Count(c => c.Status == ConfirmStatus.CannotTell)} cannot tell.");
        return confirmed > 0 ? 1 : 0;
    }

    /// <summary>Collects, reads the heap once, runs <paramref name="read"/> while the process is suspended, and releases it.</summary>
    private static T Read<T>(TargetProcess target, Func<HeapDump, T> read, TextWriter error)
    {
        TimeSpan collect = target.Collect(CollectTimeout);
        var watch = Stopwatch.StartNew();
        HeapDump dump = target.Capture();
        try
        {
            T result = read(dump);
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Source}: collected in {collect.TotalSeconds:0.00} s, read ({target.LastMethod}) in {watch.Elapsed.TotalSeconds:0.00} s"));
            return result;
        }
        catch (Exception e) when (e is not ToolException && target.Gone(e) is { } gone)
        {
            throw gone;
        }
        finally
        {
            dump.Dispose();
        }
    }

    internal static Func<string, bool> TypeMatcher(string type)
    {
        string wanted = type.Trim();
        return name => name == wanted || TypeNames.Short(name) == wanted || name.EndsWith("." + wanted, StringComparison.Ordinal) || name.EndsWith("+" + wanted, StringComparison.Ordinal);
    }

    private static HeapFilter Filter(string[]? namespaces)
    {
        var list = (namespaces ?? Array.Empty<string>()).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (list.Count == 0)
        {
            return HeapFilter.All;
        }

        HeapFilter filter = HeapFilter.Namespace(list[0]);
        foreach (string name in list.Skip(1))
        {
            filter = filter.Or(HeapFilter.Namespace(name));
        }

        return filter;
    }

    private static bool GrewEveryTime(long[] series)
    {
        for (int i = 1; i < series.Length; i++)
        {
            if (series[i] <= series[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void WritePaths(IReadOnlyList<RetentionPathGroup> groups, TextWriter output)
    {
        foreach (RetentionPathGroup group in groups)
        {
            output.WriteLine();
            output.WriteLine($"{TypeNames.Short(group.Path.Target.TypeName)}: {group}");
        }
    }

    private static void WriteDot(string dot, string path, TextWriter output)
    {
        File.WriteAllText(path, dot);
        output.WriteLine();
        output.WriteLine($"Graph: {path}");
        string svg = Path.ChangeExtension(path, ".svg");
        try
        {
            DotWriter.Render(dot, svg, "svg", "dot");
            output.WriteLine($"Image: {svg}");
        }
        catch (InvalidOperationException)
        {
            // Graphviz is optional: without it the DOT file is the result.
        }
    }

    private static HeapSnapshot LoadSnapshot(string file)
    {
        try
        {
            return HeapSnapshot.Load(file);
        }
        catch (FileNotFoundException)
        {
            throw new ToolException($"There is no snapshot file '{file}'.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ToolException($"There is no snapshot file '{file}'.");
        }
        catch (InvalidDataException e)
        {
            throw new ToolException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"The snapshot file '{file}' cannot be read: {e.Message}", e);
        }
    }

    private static string Describe(HeapSnapshot snapshot) =>
        string.Create(CultureInfo.InvariantCulture, $"{(snapshot.Source.Length > 0 ? snapshot.Source : "snapshot")} at {snapshot.TakenAt:yyyy-MM-dd HH:mm:ss}");

    private static void CheckWritable(string path)
    {
        string? folder = Path.GetDirectoryName(path);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new ToolException($"The folder of '{path}' does not exist.");
        }
    }

    private static IEnumerable<int> DotnetProcessesWithoutChannel(HashSet<int> published)
    {
        if (!OperatingSystem.IsLinux())
        {
            yield break;
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || published.Contains(pid))
            {
                continue;
            }

            bool dotnet = false;
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(dir, "maps")))
                {
                    if (line.EndsWith("libcoreclr.so", StringComparison.Ordinal))
                    {
                        dotnet = true;
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            if (dotnet)
            {
                yield return pid;
            }
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return OperatingSystem.IsLinux() ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim() : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
