namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Diagnostics.Runtime;

/// <summary>What a static field holds at capture time, for <c>dotnet-leaks confirm</c>.</summary>
internal sealed record StaticFieldValue(
    string DeclaringType,
    string Field,
    string ValueType,
    string Description,
    bool IsDelegate,
    bool IsCollection,
    long? Count,
    IReadOnlyDictionary<string, int> TargetTypes,
    RetentionPath? Path);

/// <summary>Live instances of the types a test selects, with the ways a sample of them is held.</summary>
internal sealed record InstanceCount(long Count, long WithField, IReadOnlyList<RetentionPathGroup> Groups);

/// <summary>
/// Questions about named program elements (a static field, a type's instances) asked of one capture: the engine behind
/// <c>dotnet-leaks confirm</c>, which names its subjects the way the analyzers' messages do (short type names).
/// </summary>
internal static class HeapQueries
{
    /// <summary>The values of static fields named <paramref name="field"/> whose declaring type <paramref name="declaringType"/> accepts.</summary>
    internal static IReadOnlyList<StaticFieldValue> Statics(HeapDump dump, string field, Func<string, bool> declaringType)
    {
        HeapSession session = dump.Session;
        var result = new List<StaticFieldValue>();
        foreach (RootRecord root in session.Roots())
        {
            if (root.Kind != RootKind.StaticField || root.FieldName is null || root.DeclaringType is null ||
                RootRecord.FieldDisplayName(root.FieldName) != field || !declaringType(root.DeclaringType))
            {
                continue;
            }

            ClrObject value = session.Heap.GetObject(root.Object);
            ClrType? type = value.Type;
            if (type is null)
            {
                continue;
            }

            string description = dump.Describer.DescribeObject(root.Object, type);
            bool isDelegate = type.IsDelegate();
            bool isCollection = PathDescriber.IsCollection(type) || type.IsArray;
            var targets = new Dictionary<string, int>(StringComparer.Ordinal);
            long? count = null;
            ulong held = 0;
            if (isDelegate)
            {
                count = 0;
                foreach (ClrDelegateTarget target in value.AsDelegate().EnumerateDelegateTargets())
                {
                    count++;
                    if (!target.TargetObject.IsNull && target.TargetObject.Type?.Name is { } name)
                    {
                        targets[name] = targets.TryGetValue(name, out int n) ? n + 1 : 1;
                        held = held == 0 ? target.TargetObject.Address : held;
                    }
                }
            }
            else if (isCollection)
            {
                count = Count(value, type);
                held = FirstEntry(session.Heap, value);
            }

            RetentionPath? path = null;
            if (held != 0)
            {
                path = dump.PathsTo(new[] { held }).TryGetValue(held, out RetentionPath? found) ? found : null;
            }

            result.Add(new StaticFieldValue(root.DeclaringType, field, type.Name ?? "<unknown type>", description, isDelegate, isCollection, count, targets, path));
        }

        return result;
    }

    /// <summary>Instances of the types <paramref name="typeName"/> accepts, with how a sample of them is held.</summary>
    /// <param name="dump">The capture.</param>
    /// <param name="typeName">A test on the runtime's full type name.</param>
    /// <param name="field">When given, <see cref="InstanceCount.WithField"/> counts the instances whose field of that name is not null.</param>
    /// <param name="sample">How many instances to follow for paths.</param>
    /// <param name="maxGroups">At most this many shapes of path.</param>
    internal static InstanceCount Instances(HeapDump dump, Func<string, bool> typeName, string? field = null, int sample = 100, int maxGroups = 3)
    {
        HeapSession session = dump.Session;
        var matches = new Dictionary<ulong, bool>();
        var sampled = new List<ulong>();
        long count = 0;
        long withField = 0;
        foreach (ClrObject obj in session.Heap.EnumerateObjects())
        {
            ClrType? type = obj.Type;
            if (type is null || type.IsFree)
            {
                continue;
            }

            if (!matches.TryGetValue(type.MethodTable, out bool match))
            {
                match = typeName(session.Describe(type).FullName);
                matches[type.MethodTable] = match;
            }

            if (!match)
            {
                continue;
            }

            count++;
            if (field is not null && type.GetFieldByName(field) is { IsObjectReference: true } f && !f.ReadObject(obj.Address, interior: false).IsNull)
            {
                withField++;
            }

            if (sampled.Count < sample)
            {
                sampled.Add(obj.Address);
            }
        }

        Dictionary<ulong, RetentionPath> paths = dump.PathsTo(sampled);
        return new InstanceCount(count, withField, HeapDump.Group(sampled.Where(paths.ContainsKey).Select(a => paths[a]), maxGroups));
    }

    private static long? Count(ClrObject value, ClrType type)
    {
        if (type.IsArray)
        {
            return value.AsArray().Length;
        }

        foreach (string name in new[] { "_size", "_count", "count" })
        {
            if (value.TryReadField(name, out int n))
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>The first object a collection holds that is not one of its own arrays or nodes (a few levels deep).</summary>
    private static ulong FirstEntry(ClrHeap heap, ClrObject collection)
    {
        var frontier = new List<ClrObject> { collection };
        for (int depth = 0; depth < 4 && frontier.Count > 0; depth++)
        {
            var next = new List<ClrObject>();
            foreach (ClrObject holder in frontier)
            {
                foreach (ClrObject reference in holder.EnumerateReferences(carefully: true))
                {
                    ClrType? type = reference.Type;
                    if (type is null)
                    {
                        continue;
                    }

                    bool own = type.IsArray || ((type.Name ?? string.Empty).StartsWith("System.Collections.", StringComparison.Ordinal) && (type.Name!.Contains('+') || type.Name.Contains("Node")));
                    if (!own && reference.Address != collection.Address)
                    {
                        return reference.Address;
                    }

                    if (own && next.Count < 64)
                    {
                        next.Add(reference);
                    }
                }
            }

            frontier = next;
        }

        return 0;
    }
}
