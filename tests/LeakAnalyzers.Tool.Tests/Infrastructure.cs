namespace LeakAnalyzers.Tool.Tests;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;

/// <summary>Where things are: the repository, the sample service and its SARIF log, the configuration built.</summary>
internal static class Repository
{
    internal static string Root { get; } = FindRoot();

    internal static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    internal static string ServiceDll => Path.Combine(Root, "samples", "LeakyService", "bin", Configuration, "net10.0", "LeakyService.dll");

    internal static string ServiceSarif => Path.Combine(Root, "samples", "LeakyService", "bin", Configuration, "build.sarif");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeakAnalyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LeakAnalyzers.sln was not found above " + AppContext.BaseDirectory);
    }

    internal static string DotnetHost()
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

/// <summary>
/// A child process that is always killed: on Dispose, and by a process-exit hook if the test host goes down first.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly List<Process> Running = new();
    private readonly StringBuilder output = new();
    private bool disposed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Running)
            {
                foreach (Process process in Running)
                {
                    Kill(process);
                }
            }
        };
    }

    private ChildProcess(Process process)
    {
        Process = process;
    }

    internal Process Process { get; }

    /// <summary>The process to look at: the service itself, which runs under a shell (see <see cref="StartService"/>).</summary>
    internal int Id { get; private set; }

    internal string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the sample service and waits for its "ready" line. It runs under a shell, so that it is not a child of
    /// the test host: dotnet-leaks runs inside the test host here, and .NET reaps its own children's state changes,
    /// which would take the stop notification that attaching waits for (a real user's service is never the tool's
    /// child). Killing the shell's process tree kills the service.
    /// </summary>
    internal static ChildProcess StartService(string mode, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "\"$0\" \"$@\" & wait", Repository.DotnetHost(), "exec", Repository.ServiceDll, mode } };
        ChildProcess child = Start(start, environment);
        child.WaitFor("ready", TimeSpan.FromSeconds(30));
        string ready = child.Output.Split('\n').First(l => l.StartsWith("ready ", StringComparison.Ordinal));
        child.Id = int.Parse(ready.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return child;
    }

    internal static ChildProcess Start(string file, string arguments, IDictionary<string, string>? environment = null) =>
        Start(new ProcessStartInfo(file, arguments), environment);

    private static ChildProcess Start(ProcessStartInfo start, IDictionary<string, string>? environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            start.Environment[pair.Key] = pair.Value;
        }

        Process process = Process.Start(start)!;
        var child = new ChildProcess(process) { Id = process.Id };
        lock (Running)
        {
            Running.Add(process);
        }

        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    internal void WaitFor(string text, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Process.HasExited || DateTime.UtcNow > end)
            {
                throw new InvalidOperationException($"The child process did not print '{text}' (exited: {Process.HasExited}). Output:\n{Output}");
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        lock (Running)
        {
            Running.Remove(Process);
        }

        int shell = Process.Id;
        Kill(Process);
        if (Id != shell)
        {
            try
            {
                using Process service = Process.GetProcessById(Id);
                Kill(service);
            }
            catch (ArgumentException)
            {
                // Already gone with the shell.
            }
        }

        Process.Dispose();
    }

    private void Append(string? line)
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

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}

/// <summary>dotnet-leaks run in this process, with its output and exit code.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Error)
{
    internal static ToolRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new ToolRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit code {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}

/// <summary>A fresh folder under the temporary folder, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    internal TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "leakanalyzers-tooltest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    internal string Path { get; }

    internal string File(string name) => System.IO.Path.Combine(Path, name);

    internal string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
