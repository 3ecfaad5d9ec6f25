namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using LeakAnalyzers.Runtime.Internal;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// One capture of this process's heap, to ask several questions of: a snapshot, retention paths of chosen objects,
/// retention paths of all instances of a type. Capturing writes a temporary dump (larger than the heap) through
/// the runtime's diagnostics channel; disposing deletes it. Use one capture for several assertions where the
/// questions are about the same moment.
/// </summary>
/// <example><code>
/// using var heap = HeapDump.Capture(subscriber);
/// Console.WriteLine(heap.Snapshot(HeapFilter.Namespace("MyApp")).ToTable());
/// Console.WriteLine(heap.FindPath(subscriber));
/// </code></example>
public sealed class HeapDump : IDisposable
{
    private static readonly Regex Indexes = new(@"\[\d+\]", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private static readonly Regex Keys = new(@"for key .*$", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private static readonly Regex Digits = new(@"\d+", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private static readonly Regex Links = new(@"\(\d+ links\)", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private readonly HeapSession session;
    private readonly List<WeakReference<object>> tracked;
    private PathDescriber? describer;
    private bool disposed;

    private HeapDump(HeapSession session, List<WeakReference<object>> tracked, TimeSpan captureTime)
    {
        this.session = session;
        this.tracked = tracked;
        CaptureTime = captureTime;
    }

    /// <summary>How long the capture took: collections, writing the dump and opening it.</summary>
    public TimeSpan CaptureTime { get; }

    /// <summary>Captures the heap with the default options.</summary>
    /// <param name="track">Objects you will ask <see cref="FindPath"/> about. They are followed through weak handles.</param>
    /// <exception cref="HeapInspectionException">The heap cannot be read; the message says why.</exception>
    public static HeapDump Capture(params object[] track) => Capture(HeapInspectionOptions.Default, track);

    /// <summary>Captures the heap.</summary>
    /// <param name="options">Where to write the temporary dump, how long to wait, whether to collect first.</param>
    /// <param name="track">Objects you will ask <see cref="FindPath"/> about. They are followed through weak handles.</param>
    /// <exception cref="HeapInspectionException">The heap cannot be read; the message says why.</exception>
    public static HeapDump Capture(HeapInspectionOptions? options, params object[] track)
    {
        track ??= Array.Empty<object>();
        foreach (object o in track)
        {
            CheckTrackable(o, nameof(track));
        }

        var watch = Stopwatch.StartNew();
        HeapSession session = HeapSession.Capture(options, track);
        var weak = track.Select(o => new WeakReference<object>(o)).ToList();
        return new HeapDump(session, weak, watch.Elapsed);
    }

    /// <summary>
    /// Reads the heap of another process of this machine in place, with no dump written (dotnet-leaks' engine). The
    /// process stays suspended until the returned object is disposed. Nothing is collected first: ask the process's
    /// runtime for a collection before, as dotnet-leaks does, to count live objects only.
    /// </summary>
    internal static HeapDump Attach(int processId, string source)
    {
        var watch = Stopwatch.StartNew();
        HeapSession session = HeapSession.Attach(processId);
        return new HeapDump(session, new List<WeakReference<object>>(), watch.Elapsed) { Source = source };
    }

    /// <summary>
    /// Opens a dump file written by someone else (dotnet-leaks' fallback, when it cannot attach): the reading works as
    /// for a capture, and disposing does not delete the file.
    /// </summary>
    internal static HeapDump Open(string dumpPath, string source)
    {
        var watch = Stopwatch.StartNew();
        HeapSession session = HeapSession.Open(dumpPath);
        return new HeapDump(session, new List<WeakReference<object>>(), watch.Elapsed) { Source = source };
    }

    /// <summary>Runs once the capture is released (dotnet-leaks deletes a fallback dump's folder then).</summary>
    internal event Action? Disposed;

    /// <summary>What was captured, for snapshots: empty for this process.</summary>
    internal string Source { get; init; } = string.Empty;

    /// <summary>Counts and bytes per type at capture time.</summary>
    /// <param name="filter">Which types to keep; all by default.</param>
    public HeapSnapshot Snapshot(HeapFilter? filter = null)
    {
        ThrowIfDisposed();
        HeapSnapshot snapshot = HeapSnapshot.FromSession(session, filter ?? HeapFilter.All);
        return Source.Length == 0
            ? snapshot
            : new HeapSnapshot(snapshot.Types, snapshot.HeapCount, snapshot.HeapBytes, snapshot.Filter, snapshot.TakenAt) { Source = Source };
    }

    /// <summary>
    /// Counts and bytes per type, with retention paths sampled for the <paramref name="pathTypes"/> kept types that
    /// have the most instances (grouped by shape; saved with the snapshot by <see cref="HeapSnapshot.Save(string)"/>).
    /// </summary>
    /// <param name="filter">Which types to keep; all by default.</param>
    /// <param name="pathTypes">For how many types (those with the most instances) to sample paths.</param>
    /// <param name="instancesPerType">At most this many instances of each such type are followed.</param>
    public HeapSnapshot Snapshot(HeapFilter? filter, int pathTypes, int instancesPerType = 100)
    {
        HeapSnapshot snapshot = Snapshot(filter);
        if (pathTypes <= 0)
        {
            return snapshot;
        }

        var names = snapshot.Types.OrderByDescending(t => t.Count).ThenBy(t => t.TypeName, StringComparer.Ordinal)
            .Where(t => t.MethodTable != 0).Take(pathTypes).Select(t => t.TypeName).ToList();
        return new HeapSnapshot(snapshot.Types, snapshot.HeapCount, snapshot.HeapBytes, snapshot.Filter, snapshot.TakenAt)
        {
            Source = snapshot.Source,
            Paths = SamplePaths(names, instancesPerType, groupsPerType: 3),
        };
    }

    /// <summary>
    /// Retention paths of up to <paramref name="instancesPerType"/> instances of each named type, grouped per type:
    /// one walk of the heap for all of them.
    /// </summary>
    internal IReadOnlyList<RetentionPathGroup> SamplePaths(IReadOnlyCollection<string> typeNames, int instancesPerType, int groupsPerType)
    {
        ThrowIfDisposed();
        var wanted = new HashSet<string>(typeNames, StringComparer.Ordinal);
        var byType = new Dictionary<ulong, List<ulong>>();
        var matches = new Dictionary<ulong, bool>();
        int full = 0;
        foreach (ClrObject obj in session.Heap.EnumerateObjects())
        {
            ClrType? type = obj.Type;
            if (type is null || type.IsFree)
            {
                continue;
            }

            if (!matches.TryGetValue(type.MethodTable, out bool match))
            {
                match = wanted.Contains(session.Describe(type).FullName);
                matches[type.MethodTable] = match;
            }

            if (!match)
            {
                continue;
            }

            if (!byType.TryGetValue(type.MethodTable, out List<ulong>? list))
            {
                byType[type.MethodTable] = list = new List<ulong>();
            }

            if (list.Count < instancesPerType)
            {
                list.Add(obj.Address);
                if (list.Count == instancesPerType && ++full == wanted.Count)
                {
                    break;
                }
            }
        }

        var all = byType.Values.SelectMany(l => l).ToList();
        Dictionary<ulong, RetentionPath> paths = PathsTo(all);
        var result = new List<RetentionPathGroup>();
        foreach (List<ulong> instances in byType.Values.OrderByDescending(l => l.Count))
        {
            result.AddRange(Group(instances.Where(paths.ContainsKey).Select(a => paths[a]), groupsPerType));
        }

        return result;
    }

    /// <summary>The retention path of an object passed to <see cref="Capture(object[])"/>.</summary>
    /// <param name="target">The object.</param>
    /// <returns>The path, or <see langword="null"/> when no root reaches the object.</returns>
    /// <exception cref="ArgumentException">The object was not passed to <c>Capture</c>.</exception>
    public RetentionPath? FindPath(object target)
    {
        ThrowIfDisposed();
        int index = IndexOf(target);
        ulong address = session.TrackedAddress(index);
        Dictionary<ulong, FoundPath> found = new PathSearch(session).Find(new[] { address });
        return found.TryGetValue(address, out FoundPath? path) ? Describer.Describe(path) : null;
    }

    /// <summary>Retention paths of all instances of a type, grouped by the way they are held, largest group first.</summary>
    /// <param name="type">The exact type.</param>
    /// <param name="maxGroups">At most this many groups.</param>
    /// <param name="maxInstances">At most this many instances are followed (see <see cref="FindPathsToInstances"/>).</param>
    public IReadOnlyList<RetentionPathGroup> FindPathsToInstancesOf(Type type, int maxGroups = 10, int maxInstances = 1000) =>
        FindPathsToInstances(HeapFilter.Types(type), maxGroups, maxInstances);

    /// <summary>
    /// Retention paths of the instances of the types a filter selects, grouped by the way they are held. The groups are
    /// built from at most <paramref name="maxInstances"/> instances (the first ones on the heap), so that a type with a
    /// million instances stays fast; <see cref="RetentionPathGroup.Count"/> counts within those.
    /// </summary>
    /// <param name="filter">Which types.</param>
    /// <param name="maxGroups">At most this many groups.</param>
    /// <param name="maxInstances">At most this many instances are followed.</param>
    public IReadOnlyList<RetentionPathGroup> FindPathsToInstances(HeapFilter filter, int maxGroups = 10, int maxInstances = 1000)
    {
        ThrowIfDisposed();
        if (filter is null)
        {
            throw new ArgumentNullException(nameof(filter));
        }

        var targets = new List<ulong>();
        var matches = new Dictionary<ulong, bool>();
        foreach (ClrObject obj in session.Heap.EnumerateObjects())
        {
            ClrType? type = obj.Type;
            if (type is null || type.IsFree)
            {
                continue;
            }

            if (!matches.TryGetValue(type.MethodTable, out bool match))
            {
                match = filter.Matches(session.Describe(type));
                matches[type.MethodTable] = match;
            }

            if (match)
            {
                targets.Add(obj.Address);
                if (targets.Count >= maxInstances)
                {
                    break;
                }
            }
        }

        return Group(PathsTo(targets).Values, maxGroups);
    }

    /// <summary>Deletes the temporary dump and releases ClrMD.</summary>
    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            session.Dispose();
            Disposed?.Invoke();
        }
    }

    internal HeapSession Session => session;

    internal PathDescriber Describer => describer ??= new PathDescriber(session);

    internal Dictionary<ulong, RetentionPath> PathsTo(IReadOnlyCollection<ulong> addresses)
    {
        ThrowIfDisposed();
        var result = new Dictionary<ulong, RetentionPath>();
        foreach (var pair in new PathSearch(session).Find(addresses))
        {
            result[pair.Key] = Describer.Describe(pair.Value);
        }

        return result;
    }

    internal ulong AddressOfTracked(int index) => session.TrackedAddress(index);

    internal static IReadOnlyList<RetentionPathGroup> Group(IEnumerable<RetentionPath> paths, int maxGroups)
    {
        return paths
            .GroupBy(p => p.Root + "|" + string.Join("|", p.Steps.Select(s => Shape(s.Via) + ">" + s.TypeName)))
            .Select(g => new RetentionPathGroup(g.OrderBy(Order, StringComparer.Ordinal).First(), g.Count()))
            .OrderByDescending(g => g.Count)
            .Take(Math.Max(1, maxGroups))
            .ToList();
    }

    /// <summary>
    /// Which path of a group is shown: the one with the lowest slots (<c>item [0]</c> before <c>item [2]</c>), not the
    /// first on the heap, whose order changes with every garbage collection.
    /// </summary>
    private static string Order(RetentionPath path) =>
        string.Join("|", path.Steps.Select(s => s.Via is null ? string.Empty : Digits.Replace(s.Via, m => m.Value.PadLeft(20, '0'))));

    /// <summary>How a step is held, without which slot or key: instances in the same collection are held the same way.</summary>
    private static string Shape(string? via) => via is null ? string.Empty : Links.Replace(Keys.Replace(Indexes.Replace(via, "[]"), "for key"), "(links)");

    internal static void CheckTrackable(object? target, string parameter)
    {
        if (target is null)
        {
            throw new ArgumentNullException(parameter);
        }

        Type type = target.GetType();
        if (type.IsValueType)
        {
            throw new ArgumentException($"A boxed {type.Name} has no identity: every boxing makes a new object, so it has no retention path. Pass a reference-type object.", parameter);
        }
    }

    private int IndexOf(object target)
    {
        for (int i = 0; i < tracked.Count; i++)
        {
            if (tracked[i].TryGetTarget(out object? candidate) && ReferenceEquals(candidate, target))
            {
                return i;
            }
        }

        throw new ArgumentException("The object was not passed to HeapDump.Capture, so its address at capture time is unknown. Pass it to Capture.", nameof(target));
    }

    private void ThrowIfDisposed()
    {
        if (disposed)
        {
            throw new ObjectDisposedException(nameof(HeapDump), "The heap dump has been disposed and its file deleted.");
        }
    }
}
