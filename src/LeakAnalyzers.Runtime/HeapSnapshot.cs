namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LeakAnalyzers.Runtime.Internal;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Counts and bytes per type on the managed heap of this process at one moment, after full collections
/// (tracemalloc's top statistics, objgraph's most common types). Immutable and cheap to keep: the dump it was read
/// from is already deleted. Compare two with <see cref="CompareTo"/>.
/// </summary>
/// <example><code>
/// HeapSnapshot before = HeapSnapshot.Take(HeapFilter.Namespace("MyApp"));
/// RunScenario();
/// HeapSnapshot after = HeapSnapshot.Take(HeapFilter.Namespace("MyApp"));
/// Console.WriteLine(after.CompareTo(before).ToTable());
/// </code></example>
public sealed class HeapSnapshot
{
    private readonly Dictionary<string, TypeStatistics> byName;

    internal HeapSnapshot(IReadOnlyList<TypeStatistics> types, long heapCount, long heapBytes, string filter, DateTimeOffset takenAt)
    {
        Types = types;
        HeapCount = heapCount;
        HeapBytes = heapBytes;
        Filter = filter;
        TakenAt = takenAt;
        byName = new Dictionary<string, TypeStatistics>(StringComparer.Ordinal);
        foreach (TypeStatistics t in types)
        {
            byName[t.TypeName] = t;
        }
    }

    /// <summary>The types the filter kept, most bytes first.</summary>
    public IReadOnlyList<TypeStatistics> Types { get; }

    /// <summary>Objects of the kept types.</summary>
    public long Count => Types.Sum(t => t.Count);

    /// <summary>Bytes of the kept types (shallow sizes: each object's own size).</summary>
    public long Bytes => Types.Sum(t => t.Bytes);

    /// <summary>Objects on the whole heap, whatever the filter.</summary>
    public long HeapCount { get; }

    /// <summary>Bytes on the whole heap, whatever the filter.</summary>
    public long HeapBytes { get; }

    /// <summary>The filter the snapshot was taken or narrowed with.</summary>
    public string Filter { get; }

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset TakenAt { get; }

    /// <summary>What was read: empty for this process, <c>process 1234 (MyService)</c> for another one.</summary>
    public string Source { get; internal init; } = string.Empty;

    /// <summary>
    /// Retention paths sampled when the snapshot was taken (by <c>dotnet-leaks snapshot</c>, for the types with the most
    /// instances), grouped by shape; empty for snapshots taken with <see cref="Take"/>. Saved and loaded with the snapshot.
    /// </summary>
    public IReadOnlyList<RetentionPathGroup> Paths { get; internal init; } = Array.Empty<RetentionPathGroup>();

    /// <summary>
    /// Saves the snapshot as a snapshot file (JSON: the type table and the sampled paths; a few kilobytes to a few
    /// megabytes, never a dump), so that a later run can compare against it with <see cref="Load(string)"/> and
    /// <see cref="CompareTo"/>, or <c>dotnet-leaks diff</c> can.
    /// </summary>
    /// <param name="path">The file to write; replaced if it exists. Nothing is left behind when writing fails.</param>
    public void Save(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("A file path is needed.", nameof(path));
        }

        string full = System.IO.Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new System.IO.FileStream(temporary, System.IO.FileMode.CreateNew, System.IO.FileAccess.Write))
            {
                Save(stream);
            }

            System.IO.File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (System.IO.File.Exists(temporary))
            {
                System.IO.File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes the snapshot file format to a stream.</summary>
    /// <param name="stream">Where to write.</param>
    public void Save(System.IO.Stream stream)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        SnapshotFile.Write(this, stream);
    }

    /// <summary>Reads a snapshot file written by <see cref="Save(string)"/> or <c>dotnet-leaks snapshot</c>.</summary>
    /// <param name="path">The snapshot file.</param>
    /// <exception cref="System.IO.InvalidDataException">The file is not a snapshot, is damaged, or was written by a newer version.</exception>
    /// <exception cref="System.IO.FileNotFoundException">There is no such file.</exception>
    public static HeapSnapshot Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("A file path is needed.", nameof(path));
        }

        using var stream = System.IO.File.OpenRead(path);
        return SnapshotFile.Read(stream, path);
    }

    /// <summary>Reads a snapshot file from a stream.</summary>
    /// <param name="stream">The snapshot file's content.</param>
    /// <exception cref="System.IO.InvalidDataException">The content is not a snapshot, is damaged, or was written by a newer version.</exception>
    public static HeapSnapshot Load(System.IO.Stream stream)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        return SnapshotFile.Read(stream, "the stream");
    }

    /// <summary>
    /// Captures the heap of this process and counts objects per type. Runs full blocking collections first (unless the
    /// options say not to), writes a temporary dump, reads it and deletes it.
    /// </summary>
    /// <param name="filter">Which types to keep; all by default.</param>
    /// <param name="options">How to capture the heap.</param>
    /// <exception cref="HeapInspectionException">The heap cannot be read; the message says why.</exception>
    public static HeapSnapshot Take(HeapFilter? filter = null, HeapInspectionOptions? options = null)
    {
        using HeapSession session = HeapSession.Capture(options);
        return FromSession(session, filter ?? HeapFilter.All);
    }

    /// <summary>The statistics of one type, by the runtime's full name (<c>MyApp.Item</c>, <c>System.Collections.Generic.List&lt;MyApp.Item&gt;</c>), or null.</summary>
    /// <param name="fullName">The full type name.</param>
    public TypeStatistics? Find(string fullName) => byName.TryGetValue(fullName, out TypeStatistics? t) ? t : null;

    /// <summary>The statistics of one type, or null when it has no instance (or the filter dropped it).</summary>
    /// <param name="type">The type (a closed generic type for generics).</param>
    public TypeStatistics? Find(Type type)
    {
        if (type is null)
        {
            throw new ArgumentNullException(nameof(type));
        }

        ulong handle = (ulong)type.TypeHandle.Value.ToInt64();

        // A snapshot loaded from a file has no method tables: the runtime's name (for non-generic types the same as
        // reflection's) identifies the type there.
        return Types.FirstOrDefault(t => t.MethodTable == handle) ?? Types.FirstOrDefault(t => t.MethodTable == 0 && t.TypeName == type.FullName);
    }

    /// <summary>The number of live instances of <paramref name="type"/> (0 when none).</summary>
    /// <param name="type">The type.</param>
    public long CountOf(Type type) => Find(type)?.Count ?? 0;

    /// <summary>A snapshot of the types both this snapshot's filter and <paramref name="filter"/> keep.</summary>
    /// <param name="filter">The narrower filter.</param>
    public HeapSnapshot Where(HeapFilter filter)
    {
        if (filter is null)
        {
            throw new ArgumentNullException(nameof(filter));
        }

        return new HeapSnapshot(Types.Where(t => filter.Matches(t.Info)).ToList(), HeapCount, HeapBytes, $"{Filter} and {filter}", TakenAt)
        {
            Source = Source,
            Paths = Paths.Where(p => filter.Matches(new HeapTypeInfo(p.Path.Target.TypeName, TypeNames.Namespace(p.Path.Target.TypeName), string.Empty, 0))).ToList(),
        };
    }

    /// <summary>What changed since <paramref name="baseline"/> (tracemalloc's compare_to, objgraph's show_growth).</summary>
    /// <param name="baseline">The earlier snapshot.</param>
    public SnapshotComparison CompareTo(HeapSnapshot baseline)
    {
        if (baseline is null)
        {
            throw new ArgumentNullException(nameof(baseline));
        }

        return SnapshotComparison.Create(baseline, this);
    }

    /// <summary>The snapshot as a table: count, bytes and type, most bytes first.</summary>
    /// <param name="top">How many types to show.</param>
    public string ToTable(int top = 20)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Heap at {TakenAt:HH:mm:ss}: {HeapCount:N0} objects, {Format.Bytes(HeapBytes)}; {Filter}: {Count:N0} objects, {Format.Bytes(Bytes)}"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"Count",12} {"Bytes",12}  Type"));
        foreach (TypeStatistics t in Types.Take(top))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{t.Count,12:N0} {Format.Bytes(t.Bytes),12}  {t.DisplayName}"));
        }

        if (Types.Count > top)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"… and {Types.Count - top} more types"));
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();

    internal static HeapSnapshot FromSession(HeapSession session, HeapFilter filter)
    {
        var counts = new Dictionary<ulong, (ClrType? Type, long Count, long Bytes)>();
        long heapCount = 0;
        long heapBytes = 0;
        foreach (ClrObject obj in session.Heap.EnumerateObjects())
        {
            ClrType? type = obj.Type;
            if (type is not null && type.IsFree)
            {
                continue;
            }

            // An object whose method table is not in the dump (a collectible type's, for example) has no known
            // type and so no known size: it is counted, with 0 bytes, under "<unknown type>".
            long size = type is null ? 0 : (long)obj.Size;
            heapCount++;
            heapBytes += size;
            ulong key = type?.MethodTable ?? 0;
            counts.TryGetValue(key, out var entry);
            counts[key] = (type ?? entry.Type, entry.Count + 1, entry.Bytes + size);
        }

        var types = new List<TypeStatistics>();
        foreach (var pair in counts)
        {
            HeapTypeInfo info = pair.Value.Type is { } type
                ? session.Describe(type)
                : new HeapTypeInfo("<unknown type>", string.Empty, string.Empty, 0);
            if (filter.Matches(info))
            {
                types.Add(new TypeStatistics(info, pair.Value.Count, pair.Value.Bytes));
            }
        }

        types.Sort((a, b) => b.Bytes != a.Bytes ? b.Bytes.CompareTo(a.Bytes) : string.CompareOrdinal(a.TypeName, b.TypeName));
        return new HeapSnapshot(types, heapCount, heapBytes, filter.ToString(), DateTimeOffset.Now);
    }
}

/// <summary>Instances and bytes of one type in a <see cref="HeapSnapshot"/>.</summary>
public sealed class TypeStatistics
{
    internal TypeStatistics(HeapTypeInfo info, long count, long bytes)
    {
        Info = info;
        Count = count;
        Bytes = bytes;
    }

    /// <summary>The runtime's full name: namespace, '+' for nesting, generic arguments in angle brackets.</summary>
    public string TypeName => Info.FullName;

    /// <summary>The name as C# shows it, without namespaces: <c>Dictionary&lt;string, Item&gt;</c>.</summary>
    public string DisplayName => TypeNames.Short(Info.FullName);

    /// <summary>The namespace of the type (of its generic definition for generics).</summary>
    public string Namespace => Info.Namespace;

    /// <summary>The simple name of the assembly that defines the type.</summary>
    public string Assembly => Info.Assembly;

    /// <summary>Live instances.</summary>
    public long Count { get; }

    /// <summary>Their bytes (shallow sizes).</summary>
    public long Bytes { get; }

    internal HeapTypeInfo Info { get; }

    internal ulong MethodTable => Info.MethodTable;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DisplayName}: {Count:N0} objects, {Format.Bytes(Bytes)}");
}

/// <summary>Formatting shared by the reports.</summary>
internal static class Format
{
    internal static string Bytes(long bytes)
    {
        double value = Math.Abs(bytes);
        string sign = bytes < 0 ? "-" : string.Empty;
        return value switch
        {
            < 1024 => string.Create(CultureInfo.InvariantCulture, $"{sign}{value:0} B"),
            < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{sign}{value / 1024:0.0} KB"),
            < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{sign}{value / 1024 / 1024:0.0} MB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{sign}{value / 1024 / 1024 / 1024:0.00} GB"),
        };
    }

    internal static string Signed(long value) => value > 0 ? "+" + value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("N0", CultureInfo.InvariantCulture);
}
