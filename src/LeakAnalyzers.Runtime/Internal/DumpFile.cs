namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Diagnostics.NETCore.Client;

/// <summary>
/// A dump of the current process written through the runtime's diagnostics channel into a private temporary folder.
/// Disposing deletes the folder; folders left by a process that was killed are deleted by the next one.
/// </summary>
internal sealed class DumpFile : IDisposable
{
    internal const string FolderPrefix = "leakanalyzers-dump-";

    private static readonly object Gate = new();
    private static readonly HashSet<string> LiveFolders = new(StringComparer.Ordinal);
    private static bool exitHookInstalled;
    private static int abandonedWrites;

    private DumpFile(string folder, string path)
    {
        Folder = folder;
        Path = path;
    }

    internal string Folder { get; }

    /// <summary>Dumps given up on whose writing has not finished yet.</summary>
    internal static int AbandonedWrites => Volatile.Read(ref abandonedWrites);

    /// <summary>Tests make a dump slow with this, to reach the time limit deterministically.</summary>
    internal static Action? BeforeWriteForTests { get; set; }

    internal string Path { get; }

    /// <summary>Writes a dump with the GC heap. Throws <see cref="HeapInspectionException"/> with the reason when it cannot.</summary>
    internal static DumpFile Write(HeapInspectionOptions options)
    {
        string? disabled = DiagnosticsChannel.DisabledReason();
        if (disabled is not null)
        {
            throw new DiagnosticsDisabledException(disabled);
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "HeapInspectionOptions.Timeout must be positive and under 24 days.");
        }

        string root;
        try
        {
            // The runtime resolves a relative path against its own idea of the current folder: make it absolute here.
            root = System.IO.Path.GetFullPath(options.DumpDirectory ?? System.IO.Path.GetTempPath());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw new HeapInspectionException($"The heap dump could not be written: '{options.DumpDirectory}' is not a usable folder ({e.Message}).", e);
        }

        string folder = System.IO.Path.Combine(
            root,
            FolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
        string path = System.IO.Path.Combine(folder, "heap.dmp");

        lock (Gate)
        {
            InstallExitHook();
            DeleteFoldersOfDeadProcesses(root);
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new HeapInspectionException($"The heap dump could not be written: the folder '{folder}' could not be created ({e.Message}).", e);
            }

            LiveFolders.Add(folder);
        }

        var file = new DumpFile(folder, path);
        try
        {
            file.WriteWithTimeout(options.Timeout);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Deletes the dump and its folder. Never throws.</summary>
    public void Dispose()
    {
        DeleteFolder(Folder);
    }

    private static void DeleteFolder(string folder)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                lock (Gate)
                {
                    LiveFolders.Remove(folder);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Windows keeps a file locked for a moment after its last handle closes.
                Thread.Sleep(50 * (attempt + 1));
            }
        }
    }

    private static void InstallExitHook()
    {
        if (exitHookInstalled)
        {
            return;
        }

        exitHookInstalled = true;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            string[] folders;
            lock (Gate)
            {
                folders = new string[LiveFolders.Count];
                LiveFolders.CopyTo(folders);
            }

            foreach (string folder in folders)
            {
                DeleteFolder(folder);
            }
        };
    }

    /// <summary>Deletes dump folders of processes that no longer run (a test host killed in the middle of a capture).</summary>
    private static void DeleteFoldersOfDeadProcesses(string root)
    {
        try
        {
            foreach (string folder in Directory.EnumerateDirectories(root, FolderPrefix + "*"))
            {
                string name = System.IO.Path.GetFileName(folder);
                int dash = name.IndexOf('-', FolderPrefix.Length);
                if (dash < 0 || !int.TryParse(name.AsSpan(FolderPrefix.Length, dash - FolderPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    continue;
                }

                if (pid != Environment.ProcessId && !IsRunning(pid))
                {
                    DeleteFolder(folder);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a folder we cannot list is not ours to clean.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private void WriteWithTimeout(TimeSpan timeout)
    {
        string path = Path;
        var write = Task.Factory.StartNew(
            () =>
            {
                BeforeWriteForTests?.Invoke();
                CreatedumpOutput.Quiet(
                    System.IO.Path.Combine(Folder, "createdump.log"),
                    () => new DiagnosticsClient(Environment.ProcessId).WriteDump(DumpType.WithHeap, path, WriteDumpFlags.None));
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        bool finished;
        try
        {
            finished = write.Wait(timeout);
        }
        catch (AggregateException e)
        {
            Exception inner = e.InnerException ?? e;
            throw Translate(inner);
        }

        if (!finished)
        {
            // The runtime goes on writing; delete the folder once it is done so that nothing is left behind.
            string folder = Folder;
            Interlocked.Increment(ref abandonedWrites);
            write.ContinueWith(
                _ =>
                {
                    DeleteFolder(folder);
                    Interlocked.Decrement(ref abandonedWrites);
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            throw new HeapInspectionException(
                $"Writing the heap dump took longer than {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s and was abandoned; " +
                "its folder is deleted now and again when the runtime's write ends, so nothing is left. Raise HeapInspectionOptions.Timeout for very large heaps.");
        }

        if (!File.Exists(path))
        {
            throw new HeapInspectionException($"The runtime reported the heap dump as written, but '{path}' does not exist.");
        }
    }

    private static HeapInspectionException Translate(Exception e)
    {
        string? disabled = DiagnosticsChannel.DisabledReason();
        if (disabled is not null)
        {
            return new DiagnosticsDisabledException(disabled, e);
        }

        return e switch
        {
            ServerNotAvailableException => new DiagnosticsDisabledException(
                "The runtime's diagnostics channel of this process could not be reached, so its heap cannot be read " +
                $"({e.Message}). It is disabled by DOTNET_EnableDiagnostics=0 or DOTNET_EnableDiagnostics_IPC=0, and it needs a writable " +
                "temporary folder (TMPDIR on Linux) for its socket. Collection checks (LeakAssert.Collected) still work without it.",
                e),
            _ => new HeapInspectionException($"The runtime could not write a heap dump of this process: {e.Message}", e),
        };
    }
}
