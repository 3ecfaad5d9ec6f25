namespace LeakAnalyzers.Tests.Infrastructure;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

/// <summary>Runs a child process with a time limit; on timeout the process and its children are killed.</summary>
internal static class ProcessRunner
{
    /// <summary>The dotnet host running these tests, so the child uses the same SDK.</summary>
    internal static string DotnetHost
    {
        get
        {
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
            {
                return hostPath;
            }

            var mainModule = Environment.ProcessPath;
            if (mainModule is not null && Path.GetFileNameWithoutExtension(mainModule) == "dotnet")
            {
                return mainModule;
            }

            return "dotnet";
        }
    }

    /// <summary>
    /// Runs <c>dotnet</c> with settings that leave no build server, MSBuild node or compiler server behind
    /// and that do not inherit the MSBuild environment of the test run that started it.
    /// </summary>
    internal static ProcessResult RunDotnet(
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment,
        params string[] arguments) =>
        Run(DotnetHost, arguments, workingDirectory, timeout, DotnetEnvironment(environment));

    /// <summary>The environment every <c>dotnet</c> child gets: no build servers, no telemetry, English output; then <paramref name="environment"/>.</summary>
    internal static Dictionary<string, string?> DotnetEnvironment(IReadOnlyDictionary<string, string>? environment)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["UseSharedCompilation"] = "false",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
            ["NUGET_XMLDOC_MODE"] = "skip",
        };
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                env[pair.Key] = pair.Value;
            }
        }

        return env;
    }

    internal static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = StartInfo(fileName, arguments, workingDirectory, environment);
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = !process.WaitForExit((int)timeout.TotalMilliseconds);
        if (timedOut)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended between the timeout and the kill.
            }
        }

        // The parameterless overload also waits for the redirected streams to be drained.
        process.WaitForExit();
        stopwatch.Stop();

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        var commandLine = fileName + " " + string.Join(" ", startInfo.ArgumentList);
        return new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, text, stopwatch.Elapsed, timedOut);
    }

    /// <summary>
    /// A child process with redirected streams, <paramref name="environment"/> on top of the test's own minus the
    /// MSBuild variables of the <c>dotnet test</c> running it, which would point the child at this repository's build.
    /// </summary>
    internal static ProcessStartInfo StartInfo(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in new List<string>(startInfo.Environment.Keys))
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.Environment.Remove(key);
            }
        }

        foreach (var pair in environment)
        {
            startInfo.Environment[pair.Key] = pair.Value;
        }

        return startInfo;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

internal sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed, bool TimedOut)
{
    /// <summary>What a failing assertion prints: the command, how it ended, and everything it wrote.</summary>
    public string Describe() =>
        $"`{this.CommandLine}` {(this.TimedOut ? "timed out" : $"exited with {this.ExitCode}")} after {this.Elapsed.TotalSeconds:0.0} s. Output:\n{this.Output}";
}
