namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// One capture of this process's heap: the dump on disk, ClrMD's view of it, and the addresses (at capture time) of the
/// objects the caller asked to follow. Disposing closes ClrMD and deletes the dump.
/// </summary>
internal sealed class HeapSession : IDisposable
{
    private readonly IDisposable? source;
    private readonly DataTarget target;
    private readonly ClrRuntime runtime;
    private readonly ulong[] tracked;
    private readonly Dictionary<ulong, HeapTypeInfo> typeInfo = new();
    private readonly Dictionary<ulong, Type?> reflectionTypes = new();
    private static readonly object CaptureGate = new();
    private static int captures;
    private List<RootRecord>? roots;

    private HeapSession(IDisposable? source, DataTarget target, ClrRuntime runtime, ulong[] tracked, int callingThreadId, int? processId, string? dumpFolder)
    {
        this.source = source;
        this.target = target;
        this.runtime = runtime;
        this.tracked = tracked;
        CallingThreadId = callingThreadId;
        ProcessId = processId;
        DumpFolder = dumpFolder;
        IsSelf = processId is null;
    }

    internal ClrHeap Heap => runtime.Heap;

    internal ClrRuntime Runtime => runtime;

    /// <summary>
    /// The managed ID of the thread that asked for the capture: its stack holds the test's own references.
    /// -1 for another process, where no thread is the caller's.
    /// </summary>
    internal int CallingThreadId { get; }

    /// <summary>The dump's folder, for a capture of this process; null for an attached process.</summary>
    internal string? DumpFolder { get; }

    /// <summary>The process read, when it is another one; null for this process.</summary>
    internal int? ProcessId { get; }

    /// <summary>Whether the heap is this very process's: then a method table is a live type handle here.</summary>
    internal bool IsSelf { get; }

    /// <summary>Names of events, read from the assemblies' metadata, for types of another process.</summary>
    internal MetadataEvents Events { get; } = new();

    /// <summary>How many captures this process has made: the first one loads and caches a lot in the runtime itself.</summary>
    internal static int Captures => captures;

    /// <summary>
    /// Captures the heap. <paramref name="track"/> are objects whose address in the dump the caller needs; they are
    /// followed through weak handles, so the capture itself does not keep them alive.
    /// </summary>
    internal static HeapSession Capture(HeapInspectionOptions? options, IReadOnlyList<object>? track = null)
    {
        options ??= HeapInspectionOptions.Default;
        string? disabled = DiagnosticsChannel.DisabledReason();
        if (disabled is not null)
        {
            throw new DiagnosticsDisabledException(disabled);
        }

        var handles = new GCHandle[track?.Count ?? 0];
        try
        {
            for (int i = 0; i < handles.Length; i++)
            {
                handles[i] = GCHandle.Alloc(track![i], GCHandleType.WeakTrackResurrection);
            }

            // A dump written while another thread's collection is running cannot be walked; that passes, so such a
            // capture is made again (a few times) before the caller is told.
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return CaptureOnce(options, handles);
                }
                catch (HeapNotWalkableException) when (attempt < 3)
                {
                    System.Threading.Thread.Sleep(50 * attempt);
                }
            }
        }
        finally
        {
            foreach (GCHandle handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }

    private static HeapSession CaptureOnce(HeapInspectionOptions options, GCHandle[] handles)
    {
        {
            DumpFile file;
            lock (CaptureGate)
            {
                // One capture at a time: the runtime writes one dump at a time, and collections of two captures
                // would interleave with each other's dumps.
                if (options.CollectFirst)
                {
                    FullCollection.Run();
                }

                file = DumpFile.Write(options);
            }

            DataTarget? dataTarget = null;
            try
            {
                dataTarget = DataTarget.LoadDump(file.Path, LocalFileLocator.Options());
                ClrRuntime clr = OpenRuntime(dataTarget, "The heap dump of this process");

                var addresses = new ulong[handles.Length];
                for (int i = 0; i < handles.Length; i++)
                {
                    ulong slot = (ulong)GCHandle.ToIntPtr(handles[i]).ToInt64();
                    addresses[i] = dataTarget.DataReader.ReadPointer(slot);
                }

                System.Threading.Interlocked.Increment(ref captures);
                return new HeapSession(file, dataTarget, clr, addresses, Environment.CurrentManagedThreadId, processId: null, file.Folder);
            }
            catch (Exception e)
            {
                dataTarget?.Dispose();
                file.Dispose();
                if (e is HeapInspectionException)
                {
                    throw;
                }

                throw new HeapInspectionException($"The heap dump of this process could not be read: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Attaches to another process of this machine and reads its heap in place, with no dump written: the process is
    /// suspended until the session is disposed. Collections cannot be forced from here (see
    /// <c>dotnet-leaks</c>, which asks the runtime for one through its diagnostics channel first).
    /// </summary>
    internal static HeapSession Attach(int processId)
    {
        DataTarget? attached = null;
        DataTarget? dataTarget = null;
        try
        {
            attached = DataTarget.AttachToProcess(processId, suspend: true, LocalFileLocator.Options());

            // The attached target suspends the process and reads it; a second data target reads through a page cache
            // on top of it (see PageCachingReader). Disposing the session releases the cache, then the process.
            dataTarget = new DataTarget(new PageCachingReader(attached.DataReader), LocalFileLocator.Options());
            ClrRuntime clr = OpenRuntime(dataTarget, $"Process {processId}");
            System.Threading.Interlocked.Increment(ref captures);
            return new HeapSession(attached, dataTarget, clr, Array.Empty<ulong>(), -1, processId, null);
        }
        catch (Exception e)
        {
            dataTarget?.Dispose();
            attached?.Dispose();
            if (e is HeapInspectionException)
            {
                throw;
            }

            throw new HeapInspectionException($"Process {processId} could not be read: {e.Message}", e);
        }
    }

    /// <summary>Opens a dump file of another process, written by someone else; disposing leaves the file alone.</summary>
    internal static HeapSession Open(string dumpPath)
    {
        DataTarget? dataTarget = null;
        try
        {
            dataTarget = DataTarget.LoadDump(dumpPath, LocalFileLocator.Options());
            ClrRuntime clr = OpenRuntime(dataTarget, $"The dump '{dumpPath}'");
            return new HeapSession(null, dataTarget, clr, Array.Empty<ulong>(), -1, processId: 0, null);
        }
        catch (Exception e)
        {
            dataTarget?.Dispose();
            if (e is HeapInspectionException)
            {
                throw;
            }

            throw new HeapInspectionException($"The dump '{dumpPath}' could not be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The runtime of a data target, through the DAC next to the runtime that the process loaded. Naming the DAC keeps
    /// ClrMD from building its default file locator, which would create a symbol cache folder and load the Azure
    /// identity libraries (not shipped with this library) for symbol servers never asked here.
    /// </summary>
    private static ClrRuntime OpenRuntime(DataTarget dataTarget, string what)
    {
        if (dataTarget.ClrVersions.Length == 0)
        {
            throw new HeapInspectionException($"{what} holds no .NET runtime that ClrMD recognises.");
        }

        ClrInfo info = dataTarget.ClrVersions[0];
        string? runtimeFolder = System.IO.Path.GetDirectoryName(info.ModuleInfo.FileName);
        string? dac = null;
        foreach (DebugLibraryInfo library in info.DebuggingLibraries)
        {
            if (library.Kind != DebugLibraryKind.Dac || library.TargetArchitecture != RuntimeInformation.ProcessArchitecture)
            {
                continue;
            }

            // A full path is the runtime's own folder; a bare name is looked for there.
            string candidate = System.IO.Path.IsPathRooted(library.FileName) || runtimeFolder is null
                ? library.FileName
                : System.IO.Path.Combine(runtimeFolder, library.FileName);
            if (System.IO.File.Exists(candidate))
            {
                dac = candidate;
                break;
            }
        }

        if (dac is null)
        {
            throw new HeapInspectionException(
                $"{what} runs a .NET runtime whose data access library (the DAC, libmscordaccore.so or mscordaccore.dll) was not found next to " +
                $"its runtime ({info.ModuleInfo.FileName}). The heap can only be read with the DAC of the same runtime build, from a process of " +
                $"the same architecture ({RuntimeInformation.ProcessArchitecture}).");
        }

        // The DAC beside the runtime the process loaded is of that very build. ClrMD's own version check compares it
        // with the version it reads from the runtime's image, which it does not find in Linux dumps (it reads 0.0).
        ClrRuntime clr = info.CreateRuntime(dac, ignoreMismatch: true);
        if (!clr.Heap.CanWalkHeap)
        {
            clr.Dispose();
            throw new HeapNotWalkableException($"{what} was read while its GC heap could not be walked (a collection was in progress). Try again.");
        }

        return clr;
    }

    /// <summary>The address at capture time of the <paramref name="index"/>-th tracked object; 0 when it had been collected.</summary>
    internal ulong TrackedAddress(int index) => tracked[index];

    internal HeapTypeInfo Describe(ClrType type)
    {
        if (!typeInfo.TryGetValue(type.MethodTable, out HeapTypeInfo info))
        {
            string name = type.Name ?? $"<unknown type 0x{type.MethodTable:x}>";
            info = new HeapTypeInfo(name, TypeNames.Namespace(type.Name), TypeNames.AssemblyName(type.Module?.AssemblyName ?? type.Module?.Name), type.MethodTable);
            typeInfo[type.MethodTable] = info;
        }

        return info;
    }

    /// <summary>
    /// The reflection type for a type in the dump. The dump is of this very process, so a method table address is a live
    /// type handle here, as long as the type cannot be unloaded: collectible types are never resolved.
    /// </summary>
    internal Type? ReflectionType(ClrType? type)
    {
        if (!IsSelf || type is null || type.IsFree || type.IsCollectible || type.MethodTable == 0)
        {
            return null;
        }

        if (!reflectionTypes.TryGetValue(type.MethodTable, out Type? result))
        {
            try
            {
                result = Type.GetTypeFromHandle(RuntimeTypeHandle.FromIntPtr(new IntPtr((long)type.MethodTable)));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
            {
                result = null;
            }

            reflectionTypes[type.MethodTable] = result;
        }

        return result;
    }

    /// <summary>Every GC root, with static fields named, in the order a retention path prefers them.</summary>
    internal IReadOnlyList<RootRecord> Roots() => roots ??= RootRecord.Collect(this);

    public void Dispose()
    {
        runtime.Dispose();
        target.Dispose();
        source?.Dispose();
    }
}

/// <summary>The dump was taken while a collection was running; taking it again usually works.</summary>
internal sealed class HeapNotWalkableException : HeapInspectionException
{
    internal HeapNotWalkableException(string message)
        : base(message)
    {
    }
}
