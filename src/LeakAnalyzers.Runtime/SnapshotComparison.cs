namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LeakAnalyzers.Runtime.Internal;

/// <summary>The difference between two <see cref="HeapSnapshot"/>s, type by type.</summary>
public sealed class SnapshotComparison
{
    private SnapshotComparison(IReadOnlyList<TypeDelta> changes)
    {
        Changes = changes;
    }

    /// <summary>Every type whose count or bytes changed, largest count increase first.</summary>
    public IReadOnlyList<TypeDelta> Changes { get; }

    /// <summary>Types with more instances than in the baseline.</summary>
    public IReadOnlyList<TypeDelta> Grown => Changes.Where(c => c.CountDelta > 0).ToList();

    /// <summary>The change of one type, or null when it did not change.</summary>
    /// <param name="type">The type.</param>
    public TypeDelta? Find(Type type)
    {
        ulong handle = (ulong)type.TypeHandle.Value.ToInt64();
        return Changes.FirstOrDefault(c => c.MethodTable == handle) ?? Changes.FirstOrDefault(c => c.MethodTable == 0 && c.TypeName == type.FullName);
    }

    /// <summary>The comparison as a table (objgraph's show_growth): type, count now, change.</summary>
    /// <param name="top">How many types to show.</param>
    public string ToTable(int top = 20)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"Count",12} {"Change",10} {"Bytes change",13}  Type"));
        foreach (TypeDelta d in Changes.Take(top))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{d.CountAfter,12:N0} {Format.Signed(d.CountDelta),10} {Format.Bytes(d.BytesDelta),13}  {d.DisplayName}"));
        }

        if (Changes.Count == 0)
        {
            text.AppendLine("(no change)");
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();

    internal static SnapshotComparison Create(HeapSnapshot baseline, HeapSnapshot current)
    {
        var before = baseline.Types.ToDictionary(t => t.TypeName, StringComparer.Ordinal);
        var after = current.Types.ToDictionary(t => t.TypeName, StringComparer.Ordinal);
        var changes = new List<TypeDelta>();
        foreach (string name in before.Keys.Union(after.Keys))
        {
            before.TryGetValue(name, out TypeStatistics? b);
            after.TryGetValue(name, out TypeStatistics? a);
            // A type's method table is known when the snapshot came from a heap; one loaded from a file has none.
            HeapTypeInfo info = a is not null && a.MethodTable != 0 ? a.Info : b is not null && b.MethodTable != 0 ? b.Info : (a ?? b)!.Info;
            var delta = new TypeDelta(info, b?.Count ?? 0, a?.Count ?? 0, b?.Bytes ?? 0, a?.Bytes ?? 0);
            if (delta.CountDelta != 0 || delta.BytesDelta != 0)
            {
                changes.Add(delta);
            }
        }

        changes.Sort((x, y) => y.CountDelta != x.CountDelta ? y.CountDelta.CompareTo(x.CountDelta) : y.BytesDelta.CompareTo(x.BytesDelta));
        return new SnapshotComparison(changes);
    }
}

/// <summary>How one type changed between two snapshots.</summary>
public sealed class TypeDelta
{
    internal TypeDelta(HeapTypeInfo info, long countBefore, long countAfter, long bytesBefore, long bytesAfter)
    {
        Info = info;
        CountBefore = countBefore;
        CountAfter = countAfter;
        BytesBefore = bytesBefore;
        BytesAfter = bytesAfter;
    }

    /// <summary>The runtime's full name of the type.</summary>
    public string TypeName => Info.FullName;

    /// <summary>The name as C# shows it, without namespaces.</summary>
    public string DisplayName => TypeNames.Short(Info.FullName);

    /// <summary>Instances in the baseline.</summary>
    public long CountBefore { get; }

    /// <summary>Instances now.</summary>
    public long CountAfter { get; }

    /// <summary>Bytes in the baseline.</summary>
    public long BytesBefore { get; }

    /// <summary>Bytes now.</summary>
    public long BytesAfter { get; }

    /// <summary>Instances gained (negative when lost).</summary>
    public long CountDelta => CountAfter - CountBefore;

    /// <summary>Bytes gained (negative when lost).</summary>
    public long BytesDelta => BytesAfter - BytesBefore;

    internal HeapTypeInfo Info { get; }

    internal ulong MethodTable => Info.MethodTable;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DisplayName}: {CountBefore:N0} → {CountAfter:N0} ({Format.Signed(CountDelta)})");
}
