namespace LeakAnalyzers.Tool;

using System;
using System.IO;
using LeakAnalyzers.Runtime;
using Microsoft.Diagnostics.NETCore.Client;

/// <summary>
/// The fallback when attaching is not allowed: the target's runtime writes a dump (with the GC heap) into a private
/// temporary folder, which is deleted as soon as the heap has been read, on every path out.
/// </summary>
internal static class DumpedCapture
{
    internal static HeapDump Write(TargetProcess target)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"dotnet-leaks-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "heap.dmp");
            new DiagnosticsClient(target.Id).WriteDump(DumpType.WithHeap, path, WriteDumpFlags.None);

            // ClrMD reads the dump lazily: the folder can only go once the dump is closed, so the dump object owns it.
            return new FolderOwningDump(HeapDump.Open(path, target.Source), folder).Dump;
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private sealed class FolderOwningDump
    {
        internal FolderOwningDump(HeapDump dump, string folder)
        {
            Dump = dump;
            dump.Disposed += () => TryDelete(folder);
        }

        internal HeapDump Dump { get; }
    }
}
