namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Diagnostics;
using System.IO;
using Xunit;

/// <summary>
/// Runs this test assembly as a child process with the runtime's diagnostics channel turned off
/// (DOTNET_EnableDiagnostics=0) and checks what each feature does there. The variable only takes effect at start-up,
/// so a child process is the honest way to test it.
/// </summary>
public sealed class DiagnosticsDisabledTests
{
    [Fact]
    public void Collection_checks_work_and_survivors_say_why_their_path_is_missing()
    {
        string output = RunProbe("collected");
        Assert.Contains("COLLECTED-OK", output);
        Assert.Contains("SURVIVORS 1", output);
        Assert.Contains("REASON DOTNET_EnableDiagnostics=0 is set", output);
    }

    [Fact]
    public void Heap_features_fail_with_a_message_that_names_the_setting()
    {
        string output = RunProbe("snapshot");
        Assert.Contains("DISABLED DOTNET_EnableDiagnostics=0 is set, so the runtime's diagnostics channel is disabled", output);
        Assert.DoesNotContain("SNAPSHOT-TAKEN", output);
    }

    [Fact]
    public void Leaks_fails_with_the_same_exception_as_the_other_heap_features()
    {
        string output = RunProbe("leaks");
        Assert.Contains("LEAKS-THREW DiagnosticsDisabledException The Registered is still alive, but its retention path is unavailable: DOTNET_EnableDiagnostics=0 is set", output);
        Assert.DoesNotContain("LEAKS-RETURNED", output);
    }

    [Fact]
    public void Past_the_early_check_the_runtimes_own_refusal_is_translated_and_nothing_hangs()
    {
        string output = RunProbe("channel");
        Assert.Contains("DiagnosticsDisabledException", output);
        Assert.Contains("ServerNotAvailableException", output);
        Assert.DoesNotContain("SNAPSHOT-TAKEN", output);
    }

    private static string RunProbe(string probe)
    {
        string assembly = typeof(DiagnosticsDisabledTests).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost(), $"exec \"{assembly}\" probe {probe}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The probe '{probe}' hung with diagnostics disabled.");
        }

        string output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"probe {probe} exited with {process.ExitCode}:\n{output}");
        return output;
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string main = Process.GetCurrentProcess().MainModule?.FileName ?? "dotnet";
        return Path.GetFileNameWithoutExtension(main).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? main : "dotnet";
    }
}
