namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using LeakAnalyzers.Runtime.Internal;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Finds disposables a scenario left undisposed (the runtime side of LEAK0xx).
/// <para>
/// Two sources, used together. <b>Opt-in tracking</b>: a type that calls <see cref="Created"/> in its constructor and
/// <see cref="Disposed"/> in <c>Dispose</c> is followed exactly while <see cref="Run"/> runs, with the stack where each
/// instance was created; the calls cost a field read when no check runs. <b>The heap</b>: with a filter, every live
/// instance of a disposable type it selects is examined after the scenario; it counts as undisposed when a
/// disposed flag (<c>_disposed</c>, <c>disposedValue</c>, <c>IsDisposed</c>...) is false, or when its finalizer was not
/// suppressed; otherwise its state is reported as unknown.
/// </para>
/// </summary>
/// <example><code>
/// public sealed class Connection : IDisposable
/// {
///     public Connection() =&gt; DisposalTracker.Created(this);
///     public void Dispose() =&gt; DisposalTracker.Disposed(this);
/// }
///
/// LeakAssert.AllDisposed(() =&gt; service.Query(), HeapFilter.Namespace("MyApp"));
/// </code></example>
public static class DisposalTracker
{
    private static readonly object Gate = new();
    private static readonly ConditionalWeakTable<object, Registration> Registrations = new();
    private static List<(WeakReference Short, WeakReference Long, Registration Registration)>? active;

    /// <summary>Whether a check is running, so that <see cref="Created"/> records instances.</summary>
    public static bool IsTracking => Volatile.Read(ref active) is not null;

    /// <summary>
    /// Call from the constructor of a disposable type to opt into exact tracking. Records the instance and the stack
    /// that created it when a check is running; does nothing otherwise.
    /// </summary>
    /// <param name="instance">The new instance (<c>this</c>).</param>
    public static void Created(object instance)
    {
        if (instance is null || Volatile.Read(ref active) is null)
        {
            return;
        }

        var registration = new Registration(instance.GetType(), CreationSite());
        lock (Gate)
        {
            if (active is null)
            {
                return;
            }

            Registrations.AddOrUpdate(instance, registration);
            active.Add((new WeakReference(instance, trackResurrection: false), new WeakReference(instance, trackResurrection: true), registration));
        }
    }

    /// <summary>Call from <c>Dispose</c> of a type that calls <see cref="Created"/>.</summary>
    /// <param name="instance">The instance being disposed (<c>this</c>).</param>
    public static void Disposed(object instance)
    {
        if (instance is not null && Registrations.TryGetValue(instance, out Registration? registration))
        {
            registration.IsDisposed = true;
        }
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> and reports the disposables it left undisposed: opt-in instances created during
    /// the scenario and never disposed (still reachable, waiting for their finalizer, or already collected), and, with a
    /// <paramref name="filter"/>, live instances of the disposable types it selects that are known not to be disposed.
    /// </summary>
    /// <param name="scenario">The work to check.</param>
    /// <param name="filter">Disposable types to look for on the heap; null to rely on opt-in tracking alone (no heap capture unless something is left).</param>
    /// <param name="options">How to capture the heap.</param>
    /// <exception cref="LeakScenarioException">The scenario threw.</exception>
    /// <exception cref="HeapInspectionException">A filter was given and the heap cannot be read.</exception>
    public static UndisposedReport Run(Action scenario, HeapFilter? filter = null, HeapInspectionOptions? options = null)
    {
        if (scenario is null)
        {
            throw new ArgumentNullException(nameof(scenario));
        }

        var tracked = new List<(WeakReference Short, WeakReference Long, Registration Registration)>();
        lock (Gate)
        {
            if (active is not null)
            {
                throw new InvalidOperationException("DisposalTracker.Run is already running; checks cannot be nested or run in parallel.");
            }

            Volatile.Write(ref active, tracked);
        }

        try
        {
            RunScenario(scenario);
        }
        finally
        {
            lock (Gate)
            {
                Volatile.Write(ref active, null);
            }
        }

        // One full collection without running finalizers: an unreachable finalizable object then has a dead short weak
        // reference and a live long one, which is exactly "waiting for finalization".
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var found = new List<UndisposedObject>();
        var reachable = new List<(object Target, int Index)>();
        foreach (var (shortRef, longRef, registration) in tracked)
        {
            if (registration.IsDisposed)
            {
                continue;
            }

            DisposalState state = shortRef.Target is not null
                ? DisposalState.Reachable
                : longRef.IsAlive ? DisposalState.WaitingForFinalization : DisposalState.CollectedWithoutDispose;
            found.Add(new UndisposedObject(TypeNames.Short(ObjectTracker.FullName(registration.Type)), registration.Type.FullName ?? registration.Type.Name, state, "tracked: Dispose was never called", registration.CreatedAt, null));
            if (state == DisposalState.Reachable && shortRef.Target is { } target)
            {
                reachable.Add((target, found.Count - 1));
            }
        }

        var unknown = new List<UndisposedObject>();
        if (filter is not null || reachable.Count > 0)
        {
            using HeapDump dump = HeapDump.Capture(options ?? new HeapInspectionOptions { CollectFirst = false }, reachable.Select(r => r.Target).ToArray());
            foreach (var (target, index) in reachable)
            {
                found[index] = found[index].WithPath(dump.FindPath(target));
            }

            if (filter is not null)
            {
                var skip = new HashSet<ulong>(Enumerable.Range(0, reachable.Count).Select(dump.AddressOfTracked));
                ScanHeap(dump, filter, skip, found, unknown);
            }

            reachable.Clear();
        }

        return new UndisposedReport(found, unknown);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunScenario(Action scenario)
    {
        try
        {
            scenario();
        }
        catch (Exception e)
        {
            throw new LeakScenarioException($"DisposalTracker.Run: the scenario threw {e.GetType().Name}, so disposal was not checked: {e.Message}", e);
        }
    }

    private static void ScanHeap(HeapDump dump, HeapFilter filter, HashSet<ulong> skip, List<UndisposedObject> found, List<UndisposedObject> unknown)
    {
        HeapSession session = dump.Session;
        var candidates = new List<(ulong Address, ClrType Type, string How, bool Known)>();
        var disposable = new Dictionary<ulong, bool>();
        foreach (ClrObject obj in session.Heap.EnumerateObjects())
        {
            ClrType? type = obj.Type;
            if (type is null || type.IsFree || skip.Contains(obj.Address))
            {
                continue;
            }

            if (!disposable.TryGetValue(type.MethodTable, out bool isCandidate))
            {
                Type? reflected = session.ReflectionType(type);
                isCandidate = reflected is not null && typeof(IDisposable).IsAssignableFrom(reflected) && filter.Matches(session.Describe(type));
                disposable[type.MethodTable] = isCandidate;
            }

            if (!isCandidate)
            {
                continue;
            }

            (bool? disposed, string how) = DisposedState(obj, type);
            if (disposed == true)
            {
                continue;
            }

            candidates.Add((obj.Address, type, how, disposed == false));
        }

        Dictionary<ulong, RetentionPath> paths = dump.PathsTo(candidates.Select(c => c.Address).ToList());
        foreach (var (address, type, how, known) in candidates)
        {
            paths.TryGetValue(address, out RetentionPath? path);
            DisposalState state = path?.RootKind == RootKind.FinalizerQueue ? DisposalState.WaitingForFinalization : DisposalState.Reachable;
            var item = new UndisposedObject(TypeNames.Short(type.Name), type.Name ?? string.Empty, state, how, null, path);
            (known ? found : unknown).Add(item);
        }
    }

    /// <summary>Whether the object says it was disposed: true, false, or null when it gives no sign.</summary>
    private static (bool? Disposed, string How) DisposedState(ClrObject obj, ClrType type)
    {
        for (ClrType? current = type; current is not null; current = current.BaseType)
        {
            foreach (ClrInstanceField field in current.Fields)
            {
                string name = RootRecord.FieldDisplayName(field.Name ?? string.Empty).TrimStart('_').ToLowerInvariant();
                if (name.StartsWith("m_", StringComparison.Ordinal))
                {
                    name = name.Substring(2);
                }

                if (name is not ("disposed" or "isdisposed" or "disposedvalue" or "hasdisposed" or "wasdisposed"))
                {
                    continue;
                }

                try
                {
                    switch (field.ElementType)
                    {
                        case ClrElementType.Boolean:
                            bool flag = field.Read<bool>(obj.Address, interior: false);
                            return (flag, $"field {field.Name} is {(flag ? "true" : "false")}");
                        case ClrElementType.Int32:
                            int value = field.Read<int>(obj.Address, interior: false);
                            return (value != 0, $"field {field.Name} is {value}");
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    return (null, "its disposed flag could not be read");
                }
            }
        }

        if (type.IsFinalizable)
        {
            bool suppressed = type.IsFinalizeSuppressed(obj.Address);
            return (suppressed, suppressed ? "its finalizer was suppressed" : "its finalizer was not suppressed (Dispose calls GC.SuppressFinalize)");
        }

        return (null, "it has no disposed flag and no finalizer, and does not opt into tracking");
    }

    private static string CreationSite()
    {
        var trace = new StackTrace(2, fNeedFileInfo: true);
        var text = new StringBuilder();
        foreach (StackFrame frame in trace.GetFrames())
        {
            MethodBase? method = frame.GetMethod();
            if (method?.DeclaringType?.Namespace?.StartsWith("LeakAnalyzers.Runtime", StringComparison.Ordinal) == true
                && method.DeclaringType.Assembly == typeof(DisposalTracker).Assembly)
            {
                continue;
            }

            if (text.Length > 0 && method?.DeclaringType?.Namespace?.StartsWith("System.", StringComparison.Ordinal) == true)
            {
                break;
            }

            string location = frame.GetFileName() is { } file ? $" in {file}:line {frame.GetFileLineNumber()}" : string.Empty;
            text.Append("   at ").Append(method?.DeclaringType?.FullName).Append('.').Append(method?.Name).Append(location).AppendLine();
            if (text.Length > 4000)
            {
                break;
            }
        }

        return text.ToString().TrimEnd();
    }

    private sealed class Registration
    {
        internal Registration(Type type, string createdAt)
        {
            Type = type;
            CreatedAt = createdAt;
        }

        internal Type Type { get; }

        internal string CreatedAt { get; }

        internal bool IsDisposed { get; set; }
    }
}

/// <summary>Where an undisposed object is.</summary>
public enum DisposalState
{
    /// <summary>Still reachable from a GC root after the scenario.</summary>
    Reachable,

    /// <summary>Unreachable, waiting for its finalizer: its resource is released by the finalizer thread, if at all.</summary>
    WaitingForFinalization,

    /// <summary>Collected without <c>Dispose</c> having been called (opt-in tracking only).</summary>
    CollectedWithoutDispose,
}

/// <summary>A disposable that was not disposed.</summary>
public sealed class UndisposedObject
{
    internal UndisposedObject(string displayName, string typeName, DisposalState state, string evidence, string? createdAt, RetentionPath? path)
    {
        DisplayName = displayName;
        TypeName = typeName;
        State = state;
        Evidence = evidence;
        CreatedAt = createdAt;
        Path = path;
    }

    /// <summary>The type as C# shows it.</summary>
    public string DisplayName { get; }

    /// <summary>The full type name.</summary>
    public string TypeName { get; }

    /// <summary>Reachable, waiting for finalization, or collected without Dispose.</summary>
    public DisposalState State { get; }

    /// <summary>How it is known not to be disposed (tracked, a flag, the finalizer).</summary>
    public string Evidence { get; }

    /// <summary>The stack that created it, for types that opt into tracking; null otherwise.</summary>
    public string? CreatedAt { get; }

    /// <summary>What keeps it alive, when it is reachable and the heap could be read.</summary>
    public RetentionPath? Path { get; }

    /// <summary>Always <see cref="LeakFamily.Disposable"/> (LEAK0xx).</summary>
    public LeakFamily Family => LeakFamily.Disposable;

    internal UndisposedObject WithPath(RetentionPath? path) => new(DisplayName, TypeName, State, Evidence, CreatedAt, path);

    /// <inheritdoc/>
    public override string ToString()
    {
        string where = State switch
        {
            DisposalState.Reachable => "still reachable",
            DisposalState.WaitingForFinalization => "waiting for finalization",
            _ => "collected",
        };
        var text = new StringBuilder($"{DisplayName}: never disposed, {where} ({Evidence}); confirms {Family.RuleRange()} ({Family.Title()})");
        if (CreatedAt is not null)
        {
            text.AppendLine().Append("  created").AppendLine().Append(CreatedAt);
        }

        if (Path is not null)
        {
            text.AppendLine().Append("  held by: ").Append(Path.ToString().Replace(Environment.NewLine, Environment.NewLine + "  "));
        }

        return text.ToString();
    }
}

/// <summary>The result of <see cref="DisposalTracker.Run"/>.</summary>
public sealed class UndisposedReport
{
    internal UndisposedReport(IReadOnlyList<UndisposedObject> undisposed, IReadOnlyList<UndisposedObject> unknown)
    {
        Undisposed = undisposed;
        Unknown = unknown;
    }

    /// <summary>Disposables known not to have been disposed.</summary>
    public IReadOnlyList<UndisposedObject> Undisposed { get; }

    /// <summary>Live disposables of the filtered types whose disposal state cannot be told (no flag, no finalizer, no opt-in).</summary>
    public IReadOnlyList<UndisposedObject> Unknown { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(Undisposed.Count == 0 ? "No undisposed disposable found." : $"{Undisposed.Count} disposable(s) were never disposed:");
        foreach (UndisposedObject o in Undisposed)
        {
            text.AppendLine(o.ToString());
        }

        if (Unknown.Count > 0)
        {
            text.AppendLine($"{Unknown.Count} live disposable(s) in a state that cannot be told (call DisposalTracker.Created/Disposed in the type to track it): " +
                string.Join(", ", Unknown.GroupBy(u => u.DisplayName).Select(g => $"{g.Key} ×{g.Count()}")));
        }

        return text.ToString().TrimEnd();
    }
}
