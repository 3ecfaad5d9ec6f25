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
    private readonly DumpFile file;
    private readonly DataTarget target;
    private readonly ClrRuntime runtime;
    private readonly ulong[] tracked;
    private readonly Dictionary<ulong, HeapTypeInfo> typeInfo = new();
    private readonly Dictionary<ulong, Type?> reflectionTypes = new();
    private static readonly object CaptureGate = new();
    private static int captures;
    private List<RootRecord>? roots;

    private HeapSession(DumpFile file, DataTarget target, ClrRuntime runtime, ulong[] tracked, int callingThreadId)
    {
        this.file = file;
        this.target = target;
        this.runtime = runtime;
        this.tracked = tracked;
        CallingThreadId = callingThreadId;
    }

    internal ClrHeap Heap => runtime.Heap;

    internal ClrRuntime Runtime => runtime;

    /// <summary>The managed ID of the thread that asked for the capture: its stack holds the test's own references.</summary>
    internal int CallingThreadId { get; }

    internal string DumpFolder => file.Folder;

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
                dataTarget = DataTarget.LoadDump(file.Path);
                if (dataTarget.ClrVersions.Length == 0)
                {
                    throw new HeapInspectionException("The heap dump of this process holds no .NET runtime that ClrMD recognises.");
                }

                ClrRuntime clr = dataTarget.ClrVersions[0].CreateRuntime();
                if (!clr.Heap.CanWalkHeap)
                {
                    clr.Dispose();
                    throw new HeapInspectionException("The heap dump was taken while the GC heap could not be walked (a collection was in progress). Try again.");
                }

                var addresses = new ulong[handles.Length];
                for (int i = 0; i < handles.Length; i++)
                {
                    ulong slot = (ulong)GCHandle.ToIntPtr(handles[i]).ToInt64();
                    addresses[i] = dataTarget.DataReader.ReadPointer(slot);
                }

                System.Threading.Interlocked.Increment(ref captures);
                return new HeapSession(file, dataTarget, clr, addresses, Environment.CurrentManagedThreadId);
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
        if (type is null || type.IsFree || type.IsCollectible || type.MethodTable == 0)
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
        file.Dispose();
    }
}
