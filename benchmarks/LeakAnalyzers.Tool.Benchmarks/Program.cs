namespace LeakAnalyzers.Tool.Benchmarks;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;

/// <summary>
/// Builds a heap of each size given (in MB) in a separate process, then reads that one process with dotnet-leaks,
/// dotnet-gcdump (collect + report) and dotnet-dump (collect + dumpheap -stat), one after the other, and prints for
/// each: wall-clock time, the largest file it left on disk while working, and whether it counted every instance of
/// the heap's main type (the process knows the exact number). dotnet-gcdump and dotnet-dump 10.0.750501 are installed
/// into a folder of the benchmark's own on first use.
/// </summary>
public static class Program
{
    private const string GcdumpVersion = "10.0.750501";

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "heap")
        {
            return Heap.Hold(int.Parse(args[1], CultureInfo.InvariantCulture));
        }

        int[] sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 100, 1000 };
        string work = Path.Combine(Path.GetTempPath(), "leakanalyzers-toolbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string tools = InstallTools();
            Console.WriteLine($"dotnet-leaks / dotnet-gcdump / dotnet-dump on one process, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine();
            Console.WriteLine("| Heap | Objects | Tool | Steps | Wall-clock | Largest file on disk | Node instances counted | Complete |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (int megabytes in sizes)
            {
                Measure(megabytes, tools, work);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static void Measure(int megabytes, string tools, string work)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        start.ArgumentList.Add("heap");
        start.ArgumentList.Add(megabytes.ToString(CultureInfo.InvariantCulture));
        using Process target = Process.Start(start)!;
        try
        {
            string[] ready = (target.StandardOutput.ReadLine() ?? string.Empty).Split(' ');
            long nodes = long.Parse(ready[1], CultureInfo.InvariantCulture);
            long objects = long.Parse(ready[2], CultureInfo.InvariantCulture);
            string heap = $"{megabytes} MB";
            string pid = target.Id.ToString(CultureInfo.InvariantCulture);

            // dotnet-leaks: collect through the diagnostics channel, attach, count; the table only, then with paths.
            Row(heap, objects, "dotnet-leaks snapshot", nodes, work, folder =>
            {
                string file = Path.Combine(folder, "s.json");
                var t = Run("dotnet", new[] { ToolDll(), "snapshot", "-p", pid, "-o", file, "--paths", "0" }, folder);
                return (new[] { ("snapshot", t.Elapsed) }, CountFromSnapshot(file));
            });
            Row(heap, objects, "dotnet-leaks snapshot, 3 types' paths", nodes, work, folder =>
            {
                string file = Path.Combine(folder, "s.json");
                var t = Run("dotnet", new[] { ToolDll(), "snapshot", "-p", pid, "-o", file }, folder);
                return (new[] { ("snapshot", t.Elapsed) }, CountFromSnapshot(file));
            });

            Row(heap, objects, "dotnet-gcdump collect + report", nodes, work, folder =>
            {
                string file = Path.Combine(folder, "h.gcdump");
                var collect = Run(Path.Combine(tools, "dotnet-gcdump"), new[] { "collect", "-p", pid, "-o", file }, folder);
                var report = Run(Path.Combine(tools, "dotnet-gcdump"), new[] { "report", file }, folder);
                return (new[] { ("collect", collect.Elapsed), ("report", report.Elapsed) }, CountFromTable(report.Output, "LeakAnalyzers.Tool.Benchmarks.Node", countColumn: 1));
            });

            Row(heap, objects, "dotnet-dump collect --type Heap + dumpheap -stat", nodes, work, folder =>
            {
                string file = Path.Combine(folder, "h.dmp");
                var collect = Run(Path.Combine(tools, "dotnet-dump"), new[] { "collect", "-p", pid, "--type", "Heap", "-o", file }, folder);
                var analyze = Run(Path.Combine(tools, "dotnet-dump"), new[] { "analyze", file, "-c", "dumpheap -stat", "-c", "exit" }, folder);
                return (new[] { ("collect", collect.Elapsed), ("dumpheap -stat", analyze.Elapsed) }, CountFromTable(analyze.Output, "LeakAnalyzers.Tool.Benchmarks.Node", countColumn: 1));
            });
        }
        finally
        {
            target.Kill(entireProcessTree: true);
            target.WaitForExit();
        }
    }

    private static void Row(string heap, long objects, string tool, long expected, string work, Func<string, ((string Step, TimeSpan Time)[] Steps, long? Counted)> measure)
    {
        string folder = Path.Combine(work, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var disk = new DiskWatcher(folder);
        var watch = Stopwatch.StartNew();
        ((string Step, TimeSpan Time)[] steps, long? counted) = measure(folder);
        TimeSpan total = watch.Elapsed;
        long largest = disk.Stop();
        string stepText = string.Join(" + ", steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Step} {s.Time.TotalSeconds:0.0} s")));
        string complete = counted == expected ? "yes" : counted is null ? "no (type not in the output)" : "no";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {heap} | {objects:N0} | {tool} | {stepText} | {total.TotalSeconds:0.0} s | {Size(largest)} | {(counted is null ? "-" : counted.Value.ToString("N0", CultureInfo.InvariantCulture))} of {expected:N0} | {complete} |"));
        Directory.Delete(folder, recursive: true);
    }

    private static long? CountFromSnapshot(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
        foreach (JsonElement type in document.RootElement.GetProperty("types").EnumerateArray())
        {
            if (type.GetProperty("name").GetString() == "LeakAnalyzers.Tool.Benchmarks.Node")
            {
                return type.GetProperty("count").GetInt64();
            }
        }

        return null;
    }

    /// <summary>The count on the line of a table that ends with the type's name (gcdump report, dumpheap -stat).</summary>
    private static long? CountFromTable(string output, string type, int countColumn)
    {
        foreach (string raw in output.Split('\n'))
        {
            // gcdump report: "bytes count Type  [Assembly.dll]"; dumpheap -stat: "MT count bytes Type".
            string line = Regex.Replace(raw.Trim(), @"\s+\[[^\]]*\]$", string.Empty);
            string[] columns = Regex.Split(line, @"\s+");
            if (columns.Length > countColumn && columns[^1] == type)
            {
                if (long.TryParse(columns[countColumn].Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out long count))
                {
                    return count;
                }
            }
        }

        return null;
    }

    private static (TimeSpan Elapsed, string Output) Run(string file, string[] args, string folder)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        TimeSpan elapsed = watch.Elapsed;
        string output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}: {output}");
        }

        return (elapsed, output);
    }

    private static string ToolDll() =>
        typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ToolDll").Value!;

    private static string InstallTools()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "tools");
        foreach (string tool in new[] { "dotnet-gcdump", "dotnet-dump" })
        {
            if (!File.Exists(Path.Combine(folder, tool)))
            {
                var (_, output) = Run("dotnet", new[] { "tool", "install", "--tool-path", folder, tool, "--version", GcdumpVersion }, AppContext.BaseDirectory);
                if (!File.Exists(Path.Combine(folder, tool)))
                {
                    throw new InvalidOperationException($"{tool} {GcdumpVersion} could not be installed: {output}");
                }
            }
        }

        return folder;
    }

    private static string Size(long bytes) => bytes switch
    {
        0 => "none",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.00} GB"),
    };
}

/// <summary>
/// The largest file seen in a folder and the temporary folder's new dotnet-leaks folders while a tool works:
/// sampled every 50 ms, so a dump written and deleted during the work is seen too.
/// </summary>
internal sealed class DiskWatcher : IDisposable
{
    private readonly string folder;
    private readonly Thread thread;
    private volatile bool stop;
    private long largest;

    internal DiskWatcher(string folder)
    {
        this.folder = folder;
        thread = new Thread(Poll) { IsBackground = true };
        thread.Start();
    }

    internal long Stop()
    {
        stop = true;
        thread.Join();
        Sample();
        return largest;
    }

    public void Dispose()
    {
        if (!stop)
        {
            Stop();
        }
    }

    private void Poll()
    {
        while (!stop)
        {
            Sample();
            Thread.Sleep(50);
        }
    }

    private void Sample()
    {
        foreach (string root in new[] { folder, Path.GetTempPath() })
        {
            try
            {
                IEnumerable<string> files = root == folder
                    ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                    : Directory.EnumerateDirectories(root, "dotnet-leaks-*").SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories));
                foreach (string file in files)
                {
                    try
                    {
                        largest = Math.Max(largest, new FileInfo(file).Length);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}

/// <summary>The heap process: small objects, strings and arrays linked to each other, held by a static list.</summary>
internal static class Heap
{
    internal static readonly List<Node> Nodes = new();
    internal static readonly Dictionary<int, Leaf> Leaves = new();

    internal static int Hold(int megabytes)
    {
        Build(megabytes * 1024L * 1024L);
        GC.Collect();
        long objects = Nodes.Count * 3L + Leaves.Count;
        Console.WriteLine($"ready {Nodes.Count} {objects}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Build(long bytes)
    {
        var random = new Random(42);
        long built = 0;
        int i = 0;
        while (built < bytes)
        {
            var node = new Node { Name = "node-" + i.ToString(CultureInfo.InvariantCulture), Data = new byte[32 + random.Next(64)] };
            if (Nodes.Count > 0)
            {
                node.Other = Nodes[random.Next(Nodes.Count)];
                Nodes[^1].Next = node;
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
