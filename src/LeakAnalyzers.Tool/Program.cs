namespace LeakAnalyzers.Tool;

using System;
using System.CommandLine;
using System.IO;

/// <summary>The dotnet-leaks command line.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one command; exit codes: 0 done (nothing grew or confirmed), 1 something grew or was confirmed, 2 bad input or an unreadable target.</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var pid = new Option<int>("--process-id", "-p") { Description = "The ID of the .NET process to read (see 'dotnet-leaks ps').", Required = true };
        var filter = new Option<string[]>("--filter") { Description = "Only types in these namespaces (and those under them), for example MyApp.Orders.", AllowMultipleArgumentsPerToken = true };
        var top = new Option<int>("--top") { Description = "How many types to print.", DefaultValueFactory = _ => 20 };

        var ps = new Command("ps", "List the .NET processes of this machine and whether dotnet-leaks can read them.");
        ps.SetAction(_ => Commands.Ps(output));

        var outputFile = new Option<string?>("--output", "-o") { Description = "The snapshot file to write (default: dotnet-leaks-PID-TIME.snapshot.json in the current folder)." };
        var pathTypes = new Option<int>("--paths") { Description = "Sample retention paths for this many types (those with the most instances).", DefaultValueFactory = _ => 3 };
        var snapshot = new Command("snapshot", "Count objects and bytes per type in a running process, print the table and save it with sampled retention paths as a snapshot file.")
        {
            pid, outputFile, filter, top, pathTypes,
        };
        snapshot.SetAction(r => Commands.Snapshot(r.GetValue(pid), r.GetValue(outputFile), r.GetValue(filter), r.GetValue(top), r.GetValue(pathTypes), output, error));

        var before = new Argument<string>("before") { Description = "The earlier snapshot file." };
        var after = new Argument<string>("after") { Description = "The later snapshot file." };
        var diff = new Command("diff", "Show what changed between two snapshot files, with the retention paths the later one sampled.") { before, after, top };
        diff.SetAction(r => Commands.Diff(r.GetValue(before)!, r.GetValue(after)!, r.GetValue(top), output));

        var interval = new Option<string>("--interval") { Description = "Time between snapshots: 30s, 500ms, 5m, 1h.", DefaultValueFactory = _ => "30s" };
        var count = new Option<int>("--count", "-n") { Description = "How many snapshots to take (at least 2).", DefaultValueFactory = _ => 3 };
        var dotFile = new Option<string?>("--dot") { Description = "The Graphviz file to write the retention paths to (an .svg beside it when Graphviz's dot is installed)." };
        var watch = new Command("watch", "Take snapshots over time and report the types that grew in every interval, with their retention paths. Exits with 1 when something grew.")
        {
            pid, interval, count, filter, top, dotFile,
        };
        watch.SetAction(r => Commands.Watch(r.GetValue(pid), r.GetValue(interval)!, r.GetValue(count), r.GetValue(filter), r.GetValue(top), r.GetValue(dotFile), output, error));

        var typeName = new Option<string>("--type", "-t") { Description = "The type: full name (MyApp.Orders.Order) or short name (Order).", Required = true };
        var maxGroups = new Option<int>("--groups") { Description = "At most this many shapes of path.", DefaultValueFactory = _ => 5 };
        var paths = new Command("paths", "Show what keeps the instances of a type alive, grouped by the shape of their retention paths, as text and Graphviz DOT.")
        {
            pid, typeName, maxGroups, dotFile,
        };
        paths.SetAction(r => Commands.Paths(r.GetValue(pid), r.GetValue(typeName)!, r.GetValue(maxGroups), r.GetValue(dotFile), output, error));

        var sarif = new Option<string>("--sarif") { Description = "The SARIF log of a build with LeakAnalyzers (dotnet build -p:ErrorLog=build.sarif).", Required = true };
        var confirmInterval = new Option<string?>("--interval") { Description = "Read the process twice, this long apart, and say whether each subject grows." };
        var confirm = new Command("confirm", "Check each LEAK finding of a build's SARIF log against a running process: confirmed, not observed or cannot tell, with the retention path. Exits with 1 when a finding is confirmed.")
        {
            pid, sarif, confirmInterval,
        };
        confirm.SetAction(r => Commands.Confirm(r.GetValue(pid), r.GetValue(sarif)!, r.GetValue(confirmInterval), output, error));

        var root = new RootCommand("dotnet-leaks: find what grows in a running .NET process and what keeps it alive, and confirm LeakAnalyzers findings there.")
        {
            ps, snapshot, diff, watch, paths, confirm,
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                error.WriteLine(parseError.Message);
            }

            error.WriteLine("Run 'dotnet-leaks --help' for the commands and their options.");
            return 2;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ToolException e)
        {
            error.WriteLine("dotnet-leaks: " + e.Message);
            return 2;
        }
    }
}
