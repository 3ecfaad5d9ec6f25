namespace LeakAnalyzers.Tool;

using System;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Runtime;
using LeakAnalyzers.Runtime.Internal;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

/// <summary>
/// A .NET process of this machine that dotnet-leaks reads: checked before anything is done (it runs, it is .NET,
/// its diagnostics channel is on, we may read it), then collected through its diagnostics channel and read in place.
/// </summary>
internal sealed class TargetProcess
{
    private TargetProcess(int id, string name)
    {
        Id = id;
        Name = name;
    }

    internal int Id { get; }

    internal string Name { get; }

    internal string Source => $"process {Id} ({Name})";

    /// <summary>How the last capture read the heap: "attached" or "dump".</summary>
    internal string LastMethod { get; private set; } = string.Empty;

    /// <summary>Checks the process and says clearly what is wrong, before any attempt to read it.</summary>
    internal static TargetProcess Open(int pid)
    {
        if (pid <= 0)
        {
            throw new ToolException($"{pid} is not a process ID.");
        }

        if (pid == Environment.ProcessId)
        {
            throw new ToolException("dotnet-leaks cannot read its own process; give the ID of the process to look at (see 'dotnet-leaks ps').");
        }

        string name;
        try
        {
            using Process process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                throw new ToolException($"No process with ID {pid} is running.");
            }

            name = AppName(pid, process.ProcessName);
        }
        catch (ArgumentException)
        {
            throw new ToolException($"No process with ID {pid} is running (see 'dotnet-leaks ps' for the .NET processes that can be read).");
        }
        catch (InvalidOperationException)
        {
            throw new ToolException($"No process with ID {pid} is running.");
        }

        var target = new TargetProcess(pid, name);
        if (OperatingSystem.IsLinux())
        {
            target.CheckLinux();
        }
        else if (!DiagnosticsClient.GetPublishedProcesses().Contains(pid))
        {
            throw new ToolException($"Process {pid} ({name}) has no .NET diagnostics channel: it is not a .NET process, or its diagnostics are disabled (DOTNET_EnableDiagnostics=0).");
        }

        return target;
    }

    /// <summary>The app's name: for 'dotnet app.dll', "app" rather than the host's name.</summary>
    internal static string AppName(int pid, string processName)
    {
        if (processName != "dotnet" || !OperatingSystem.IsLinux())
        {
            return processName;
        }

        try
        {
            string[] args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            string? app = args.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            return app is null ? processName : Path.GetFileNameWithoutExtension(app);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return processName;
        }
    }

    private void CheckLinux()
    {
        string maps;
        try
        {
            maps = File.ReadAllText($"/proc/{Id}/maps");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ToolException(NotPermitted("its memory map cannot be read"));
        }
        catch (IOException e) when (!Directory.Exists($"/proc/{Id}"))
        {
            throw new ToolException($"Process {Id} exited before it could be read.", e);
        }
        catch (IOException e)
        {
            throw new ToolException(NotPermitted($"its memory map cannot be read ({e.Message})"), e);
        }

        if (maps.Length == 0 && Owner() is uint owner && owner != Geteuid())
        {
            throw new ToolException(NotPermitted("its memory map cannot be read"));
        }

        if (!maps.Contains("libcoreclr.so", StringComparison.Ordinal))
        {
            throw new ToolException($"Process {Id} ({Name}) is not a .NET process: it has not loaded the .NET runtime (libcoreclr.so). See 'dotnet-leaks ps' for the .NET processes of this machine.");
        }

        if (!DiagnosticsClient.GetPublishedProcesses().Contains(Id))
        {
            string? setting = DisabledSetting();
            throw new ToolException(setting is not null
                ? $"Process {Id} ({Name}) runs with {setting}, so its diagnostics channel is off and dotnet-leaks cannot ask its runtime for a collection or a dump. Start it without that setting to inspect it."
                : $"Process {Id} ({Name}) is a .NET process, but its diagnostics channel was not found in {Path.GetTempPath()}: its diagnostics are disabled (DOTNET_EnableDiagnostics=0 or DOTNET_EnableDiagnostics_IPC=0), or it runs with another TMPDIR than dotnet-leaks. Run dotnet-leaks with the process's TMPDIR.");
        }
    }

    /// <summary>"DOTNET_EnableDiagnostics=0" when the process's environment says so (readable for its owner and root).</summary>
    private string? DisabledSetting()
    {
        try
        {
            string[] variables = File.ReadAllText($"/proc/{Id}/environ").Split('\0');
            return variables.FirstOrDefault(v => v.Trim() is "DOTNET_EnableDiagnostics=0" or "COMPlus_EnableDiagnostics=0" or "DOTNET_EnableDiagnostics_IPC=0" or "COMPlus_EnableDiagnostics_IPC=0");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string NotPermitted(string what)
    {
        string owner = Owner() is uint uid ? $" belongs to user {uid} and" : string.Empty;
        return $"Not permitted to read process {Id} ({Name}): it{owner} {what}. Run dotnet-leaks as the user that runs it, or as root.";
    }

    private uint? Owner()
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        return null;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint Geteuid();

    /// <summary>
    /// Asks the process's runtime for a full blocking collection through its diagnostics channel (the GC heap collect
    /// keyword, as dotnet-gcdump does, without the heap dump events) and waits until it has finished, so that a
    /// snapshot counts live objects only.
    /// </summary>
    internal TimeSpan Collect(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var client = new DiagnosticsClient(Id);
        var provider = new EventPipeProvider(
            "Microsoft-Windows-DotNETRuntime",
            EventLevel.Informational,
            (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect));
        EventPipeSession session;
        try
        {
            session = client.StartEventPipeSession(new[] { provider }, requestRundown: false);
        }
        catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw Gone(e) ?? new ToolException($"Process {Id} ({Name}) did not accept a diagnostics session: {e.Message}", e);
        }

        using (session)
        {
            var finished = new ManualResetEventSlim();
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCStop += (GCEndTraceData e) =>
            {
                if (e.Depth == 2)
                {
                    finished.Set();
                }
            };
            var processing = Task.Run(() =>
            {
                try
                {
                    source.Process();
                }
                catch (Exception)
                {
                    // The stream ends when the session stops or the process exits; either is handled below.
                }
            });

            bool collected = finished.Wait(timeout);
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or TimeoutException or EndOfStreamException)
            {
            }

            processing.Wait(TimeSpan.FromSeconds(10));
            if (!collected)
            {
                if (HasExited())
                {
                    throw new ToolException($"Process {Id} ({Name}) exited while dotnet-leaks was reading it; nothing was written.");
                }

                throw new ToolException($"Process {Id} ({Name}) did not report the requested garbage collection within {timeout.TotalSeconds:0} s.");
            }
        }

        return watch.Elapsed;
    }

    /// <summary>
    /// Reads the heap: attached in place where the system allows it (no file at all), otherwise from a dump that the
    /// process's runtime writes into a private temporary folder, deleted with the returned object.
    /// </summary>
    internal HeapDump Capture()
    {
        BeforeCaptureForTests?.Invoke(this);
        if (ReadMode == "dump")
        {
            return CaptureFromDump(null);
        }

        try
        {
            HeapDump dump = HeapDump.Attach(Id, Source);
            LastMethod = "attached";
            return dump;
        }
        catch (HeapInspectionException attachFailure) when (!HasExited())
        {
            if (ReadMode == "attach")
            {
                throw new ToolException(AttachRefused(attachFailure), attachFailure);
            }

            return CaptureFromDump(attachFailure);
        }
        catch (HeapInspectionException e)
        {
            throw new ToolException($"Process {Id} ({Name}) exited while dotnet-leaks was reading it; nothing was written.", e);
        }
    }

    /// <summary>Tests stop the target here, to see what a target that exits in the middle of a snapshot gives.</summary>
    internal static Action<TargetProcess>? BeforeCaptureForTests { get; set; }

    /// <summary>
    /// DOTNET_LEAKS_READ: "dump" reads from a dump even where attaching works (to compare, or where attaching
    /// disturbs the process too long); "attach" never falls back to a dump. Unset: attach, else dump.
    /// </summary>
    private static string? ReadMode => Environment.GetEnvironmentVariable("DOTNET_LEAKS_READ")?.Trim().ToLowerInvariant();

    private HeapDump CaptureFromDump(Exception? attachFailure)
    {
        try
        {
            HeapDump dump = DumpedCapture.Write(this);
            LastMethod = "dump";
            return dump;
        }
        catch (Exception e) when (e is not ToolException)
        {
            string before = attachFailure is null ? string.Empty : AttachRefused(attachFailure) + " ";
            throw Gone(e) ?? new ToolException($"{before}Writing a dump of process {Id} through its diagnostics channel failed: {e.Message}", e);
        }
    }

    private string AttachRefused(Exception e)
    {
        string scope = string.Empty;
        try
        {
            string value = File.ReadAllText("/proc/sys/kernel/yama/ptrace_scope").Trim();
            if (value != "0")
            {
                scope = $" The kernel's ptrace scope (kernel.yama.ptrace_scope = {value}) keeps processes from reading others that are not their children; run dotnet-leaks as root, or with sudo, or set it to 0.";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return $"Could not attach to process {Id} ({Name}): {e.Message}.{scope}";
    }

    internal bool HasExited()
    {
        try
        {
            using Process process = Process.GetProcessById(Id);
            return process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>A clear message when the failure is the process having exited; null otherwise.</summary>
    internal ToolException? Gone(Exception e) =>
        HasExited() ? new ToolException($"Process {Id} ({Name}) exited while dotnet-leaks was reading it; nothing was written.", e) : null;
}
