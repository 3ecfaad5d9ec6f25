namespace LeakAnalyzers.Tool.Tests;

using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

/// <summary>Bad input: a clear message, exit code 2, and nothing left behind.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void No_such_process()
    {
        using var folder = new TempFolder();
        ToolRun run = ToolRun.Of("snapshot", "-p", "2147483646", "-o", folder.File("s.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No process with ID 2147483646 is running", run.Error);
        Assert.Empty(folder.Entries());
    }

    [Fact]
    public void A_process_that_is_not_dotnet()
    {
        using ChildProcess sleeper = ChildProcess.Start("sleep", "60");
        ToolRun run = ToolRun.Of("paths", "-p", sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--type", "X");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a .NET process", run.Error);
    }

    [Fact]
    public void A_target_with_diagnostics_disabled()
    {
        using ChildProcess service = ChildProcess.StartService("leaky", new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });
        ToolRun run = ToolRun.Of("watch", "-p", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "1s");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("runs with DOTNET_EnableDiagnostics=0, so its diagnostics channel is off", run.Error);

        // ps lists it, and says why it cannot be read.
        ToolRun ps = ToolRun.Of("ps");
        Assert.Contains(ps.Output.Split('\n'), l => l.TrimStart().StartsWith(service.Id + " ", StringComparison.Ordinal) && l.Contains("diagnostics disabled", StringComparison.Ordinal));
    }

    [Fact]
    public void A_target_that_exits_in_the_middle_of_a_snapshot_leaves_no_file()
    {
        using var folder = new TempFolder();
        using ChildProcess service = ChildProcess.StartService("leaky");
        TargetProcess.BeforeCaptureForTests = target => service.Dispose();
        try
        {
            ToolRun run = ToolRun.Of("snapshot", "-p", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", folder.File("s.json"));
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("exited while dotnet-leaks was reading it; nothing was written", run.Error);
        }
        finally
        {
            TargetProcess.BeforeCaptureForTests = null;
        }

        Assert.Empty(folder.Entries());
    }

    [Theory]
    [InlineData("{\"format\": \"leakanalyzers-heap-snapshot\", \"version\": 2}", "written in snapshot format version 2")]
    [InlineData("{\"format\": \"leakanalyzers-heap-snapshot\", \"vers", "it is not a JSON document")]
    [InlineData("{\"format\": \"leakanalyzers-heap-snapshot\", \"version\": 1, \"takenAt\": \"2026-01-01T00:00:00Z\", \"filter\": \"all\", \"heap\": {}}", "damaged or incomplete")]
    public void A_corrupt_or_newer_snapshot_file(string content, string reason)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("bad.json"), content);
        ToolRun run = ToolRun.Of("diff", folder.File("bad.json"), folder.File("bad.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot be read as a heap snapshot", run.Error);
        Assert.Contains(reason, run.Error);
    }

    [Fact]
    public void A_missing_snapshot_file()
    {
        ToolRun run = ToolRun.Of("diff", "/nonexistent/a.json", "/nonexistent/b.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("There is no snapshot file '/nonexistent/a.json'", run.Error);
    }

    [Fact]
    public void A_sarif_log_without_LEAK_results()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("build.sarif"), "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleId\": \"CS0168\", \"message\": {\"text\": \"unused\"}}]}]}");
        ToolRun run = ToolRun.Of("confirm", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sarif", folder.File("build.sarif"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no LEAK results (1 result(s) of other analyzers)", run.Error);
    }

    [Fact]
    public void A_bad_interval_and_an_unknown_command()
    {
        ToolRun interval = ToolRun.Of("watch", "-p", "1", "--interval", "soon");
        Assert.Equal(2, interval.ExitCode);
        Assert.Contains("--interval 'soon' is not a duration", interval.Error);

        ToolRun unknown = ToolRun.Of("sweep");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unrecognized command or argument 'sweep'", unknown.Error);
    }
}
