namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Turns a chain of addresses into a path a person reads: named static fields, delegates with their methods, closures
/// mapped back to the method that created the lambda, collection entries instead of their internal arrays. It also
/// decides which analyzer family the path confirms: the recognised structure nearest to the root wins.
/// </summary>
internal sealed class PathDescriber
{
    private static readonly HashSet<string> Collections = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.List", "System.Collections.Generic.Dictionary", "System.Collections.Generic.HashSet",
        "System.Collections.Generic.Queue", "System.Collections.Generic.Stack", "System.Collections.Generic.LinkedList",
        "System.Collections.Generic.SortedDictionary", "System.Collections.Generic.SortedList", "System.Collections.Generic.SortedSet",
        "System.Collections.Generic.PriorityQueue", "System.Collections.Concurrent.ConcurrentDictionary",
        "System.Collections.Concurrent.ConcurrentBag", "System.Collections.Concurrent.ConcurrentQueue",
        "System.Collections.Concurrent.ConcurrentStack", "System.Collections.Concurrent.BlockingCollection",
        "System.Collections.ObjectModel.ObservableCollection", "System.Collections.ObjectModel.Collection",
        "System.Collections.ObjectModel.ReadOnlyCollection", "System.Collections.ObjectModel.ReadOnlyDictionary",
        "System.Collections.ArrayList", "System.Collections.Hashtable",
    };

    private readonly HeapSession session;
    private readonly ClrHeap heap;
    private readonly int pointerSize;
    private readonly Dictionary<ulong, Dictionary<ulong, int>> arrayOffsets = new();

    internal PathDescriber(HeapSession session)
    {
        this.session = session;
        heap = session.Heap;
        pointerSize = session.Runtime.DataTarget.DataReader.PointerSize;
    }

    internal RetentionPath Describe(FoundPath path)
    {
        IReadOnlyList<ulong> objects = path.Objects;
        var types = objects.Select(o => heap.GetObjectType(o)).ToArray();
        var steps = new List<RetentionStep>();
        RootRecord root = path.Root;

        LeakFamily family = LeakFamily.None;
        string? reason = null;
        if (root.Kind == RootKind.StaticField && root.IsEvent)
        {
            family = LeakFamily.EventSubscription;
            reason = $"it is reachable from the static event {TypeNames.Short(root.DeclaringType)}.{root.FieldName}: a subscription that is never removed";
        }

        else if (TimerCallback(objects, types) is { } timer)
        {
            // The runtime's timer queue is a static array of queues holding every scheduled timer: a collection
            // reachable from a static field by shape, but what leaks is a timer never disposed and what its callback
            // holds. The analyzers file that under closures (LEAK301's timer cycle, which LEAK003 and LEAK002 leave to
            // it), and so does this. A scheduler's periodic timer (Rx's Observable.Interval) is a System.Threading.Timer
            // on the same queue, and its path ends at the subscription's callbacks the same way.
            family = LeakFamily.Closure;
            reason = $"a System.Threading.Timer that is never disposed (directly, or under a scheduler's periodic work such as an Rx timer subscription) " +
                     $"keeps its callback ({timer}) alive, and with it everything the callback holds: the runtime's timer queue keeps every timer " +
                     "until it is disposed (the timer cycle LEAK301 reports)";
        }

        string? via = null;
        bool viaIsEvent = root.IsEvent;
        string holder = root.Description;
        int i = 0;
        while (i < objects.Count)
        {
            ulong address = objects[i];
            ClrType? type = types[i];
            string description = Safe(() => DescribeObject(address, type), TypeNames.Short(type?.Name));
            steps.Add(new RetentionStep(via, description, type?.Name ?? "<unknown type>", address));

            if (family == LeakFamily.None)
            {
                bool isEvent = viaIsEvent;
                string? edge = via;
                string owner = holder;
                (family, reason) = Safe(() => Classify(address, type, root, isEvent, edge, owner), (LeakFamily.None, (string?)null));
            }

            if (i == objects.Count - 1)
            {
                break;
            }

            holder = description;
            if (i == 0 && root.IsStaticsStorage && type?.IsArray == true)
            {
                // The runtime's array of static values: its slots are static fields the module did not name.
                ClrType storage = type;
                ulong value = objects[1];
                int? slot = Safe(() => ArrayIndex(address, storage, value), null);
                via = slot is null ? "static field slot" : $"static field slot [{slot}]";
                viaIsEvent = false;
                i++;
                continue;
            }

            if (type is not null && (IsCollection(type) || type.IsArray))
            {
                int j = i + 1;
                if (!type.IsArray)
                {
                    // Skip the collection's own arrays and nodes: the entry is what a person recognises.
                    while (j < objects.Count - 1 && IsCollectionInternal(types[j]))
                    {
                        j++;
                    }
                }

                // When the target is the collection's own storage (its entry array), say which field holds it.
                bool targetIsStorage = !type.IsArray && j == i + 1 && j == objects.Count - 1 && IsCollectionInternal(types[j]);
                if (!targetIsStorage)
                {
                    int from = i;
                    int to = j;
                    via = Safe(() => EntryLabel(objects, types, from, to), "item");
                    viaIsEvent = false;
                    i = j;
                    continue;
                }
            }

            if (type is not null && IsMulticast(address, type) && i + 2 < objects.Count && types[i + 1]?.IsArray == true)
            {
                ulong list = objects[i + 1];
                ClrType listType = types[i + 1]!;
                ulong handler = objects[i + 2];
                int? index = Safe(() => ArrayIndex(list, listType, handler), null);
                via = index is null ? "handler" : $"handler [{index}]";
                viaIsEvent = false;
                i += 2;
                continue;
            }

            ulong next = objects[i + 1];
            (via, viaIsEvent) = Safe(() => EdgeLabel(address, type, next), ("reference", false));

            // A linked list (the runtime's timer queue, a chain of nodes) gives one step per node, all alike; a path
            // through thousands of them would cost a description each. A run of objects of this type becomes one
            // step, with the number of links, labelled by its first link.
            int last = i;
            while (type is not null && !type.IsArray && last + 2 < objects.Count && types[last + 1]?.MethodTable == type.MethodTable)
            {
                last++;
            }

            if (last - i >= 2)
            {
                via = $"{via} ({(last - i).ToString(CultureInfo.InvariantCulture)} links)";
                viaIsEvent = false;
                i = last;
                continue;
            }

            i++;
        }

        if (family == LeakFamily.None)
        {
            reason = root.Kind switch
            {
                RootKind.CallingThreadStack => "only the caller's own reference keeps it alive: this is not a leak",
                RootKind.FinalizerQueue => "it is waiting for a finalizer to run",
                _ => "the path shows none of the patterns the analyzers report",
            };
        }

        return new RetentionPath(root.Kind, root.Description, steps, family, reason!);
    }

    /// <summary>The callback of the first runtime timer on the path, described, or null when the path has no timer.</summary>
    private string? TimerCallback(IReadOnlyList<ulong> objects, ClrType?[] types)
    {
        for (int i = 0; i < objects.Count; i++)
        {
            if (types[i]?.Name != "System.Threading.TimerQueueTimer")
            {
                continue;
            }

            for (int j = i + 1; j < objects.Count; j++)
            {
                if (types[j] is { } type && type.IsDelegate())
                {
                    ulong address = objects[j];
                    return Safe(() => DescribeObject(address, type), "its callback");
                }
            }

            return "its callback";
        }

        return null;
    }

    /// <summary>
    /// Describing a step reads more of the dump than the search did; a part that cannot be read gives a plainer
    /// description instead of failing the whole path.
    /// </summary>
    private static T Safe<T>(Func<T> describe, T fallback)
    {
        try
        {
            return describe();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException or IndexOutOfRangeException or NullReferenceException or OverflowException)
        {
            return fallback;
        }
    }

    private (LeakFamily Family, string? Reason) Classify(ulong address, ClrType? type, RootRecord root, bool viaIsEvent, string? via, string holder)
    {
        if (type is null)
        {
            return (LeakFamily.None, null);
        }

        if (type.IsDelegate())
        {
            if (viaIsEvent)
            {
                return (LeakFamily.EventSubscription, $"it is reachable from {(via is null ? holder : $"the {via} of {holder}")}: an event subscription that is never removed");
            }

            return (LeakFamily.Closure, $"a delegate ({DescribeObject(address, type)}) stored in {(via is null ? holder : $"the {via} of {holder}")} keeps its target alive");
        }

        bool storage = root.IsStaticsStorage && address == root.Object;
        if ((IsCollection(type) || type.IsArray) && !storage && root.Kind is RootKind.StaticField or RootKind.ThreadStaticField)
        {
            return (LeakFamily.StaticCollection, $"it is an entry of a {TypeNames.Short(type.Name)} reachable from {root.Description}: entries are added and never removed");
        }

        if (IsClosure(type.Name))
        {
            return (LeakFamily.Closure, $"the {DescribeObject(address, type)} captures it and is stored in {(via is null ? holder : $"the {via} of {holder}")}");
        }

        return (LeakFamily.None, null);
    }

    internal string DescribeObject(ulong address, ClrType? type)
    {
        if (type is null)
        {
            return $"<object at 0x{address:x} of a type the runtime cannot describe>";
        }

        string name = type.Name ?? $"<unnamed type 0x{type.MethodTable:x}>";
        string shortName = TypeNames.Short(name);
        ClrObject obj = heap.GetObject(address, type);
        try
        {
            if (type.IsDelegate())
            {
                ClrDelegate del = obj.AsDelegate();
                if (del.HasMultipleTargets)
                {
                    int count = del.EnumerateDelegateTargets().Count();
                    return $"{shortName} (multicast, {count} handlers)";
                }

                ClrDelegateTarget? target = del.GetDelegateTarget();
                return target?.Method is { } method ? $"{shortName} → {MethodDescription(method)}" : shortName;
            }

            if (type.IsString)
            {
                string? text = (string?)obj;
                if (text is not null && text.Length > 40)
                {
                    text = text.Substring(0, 40) + "…";
                }

                return $"string \"{text}\"";
            }

            if (type.IsArray)
            {
                return $"{shortName} (length {obj.AsArray().Length})";
            }

        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException or NullReferenceException)
        {
            return shortName;
        }

        string innermost = TypeNames.Innermost(name);
        if (IsClosure(name))
        {
            return $"closure of {ClosureOrigin(type)} ({innermost})";
        }

        if (innermost == "<>c")
        {
            return $"cached lambdas of {TypeNames.Short(TypeNames.Outer(name))}";
        }

        if (innermost.StartsWith("<", StringComparison.Ordinal) && innermost.Contains(">d__"))
        {
            string method = innermost.Substring(1, innermost.IndexOf('>') - 1);
            return $"state machine of {TypeNames.Short(TypeNames.Outer(name))}.{method} (async method or iterator)";
        }

        if (IsCollection(type))
        {
            foreach (string countField in new[] { "_size", "_count" })
            {
                if (obj.TryReadField(countField, out int count))
                {
                    return $"{shortName} (count {count})";
                }
            }
        }

        return shortName;
    }

    private (string Label, bool IsEvent) EdgeLabel(ulong from, ClrType? fromType, ulong to)
    {
        if (fromType is null)
        {
            return ("reference", false);
        }

        if (fromType.IsArray)
        {
            int? index = ArrayIndex(from, fromType, to);
            return (index is null ? "element" : $"[{index}]", false);
        }

        ClrReference? found = null;
        foreach (ClrReference reference in heap.GetObject(from, fromType).EnumerateReferencesWithFields(carefully: true, considerDependantHandles: true))
        {
            if (reference.Object.Address == to)
            {
                found = reference;
                break;
            }
        }

        if (found is not { } r)
        {
            return ("reference", false);
        }

        if (r.IsDependentHandle)
        {
            return ("value attached by a ConditionalWeakTable (dependent handle)", false);
        }

        string? fieldName = r.Field?.Name;
        if (fieldName is null)
        {
            return ("reference", false);
        }

        if (r.InnerField?.Field?.Name is { } inner)
        {
            return ($"field {RootRecord.FieldDisplayName(fieldName)}.{RootRecord.FieldDisplayName(inner)}", false);
        }

        if (fromType.IsDelegate())
        {
            return fieldName switch
            {
                "_target" => ("target", false),
                "_invocationList" => ("invocation list", false),
                _ => ($"field {fieldName}", false),
            };
        }

        if (IsClosure(fromType.Name))
        {
            if (fieldName == "<>4__this")
            {
                return ("captured this", false);
            }

            if (fieldName.Contains("__locals"))
            {
                return ("captured enclosing scope", false);
            }

            return ($"captured '{fieldName}'", false);
        }

        if (fieldName == "<>4__this")
        {
            return ("this of the enclosing method", false);
        }

        if (r.Field!.Type?.IsDelegate() == true && RootRecord.IsEventBackingField(session, r.Field.ContainingType ?? fromType, fieldName, isStatic: false))
        {
            return ($"event {fieldName}", true);
        }

        string display = RootRecord.FieldDisplayName(fieldName);
        return (display == fieldName ? $"field {fieldName}" : $"property {display}", false);
    }

    /// <summary>"item [3]", "value for key \"a\"", "key", "item": how a collection holds the object at <paramref name="itemIndex"/>.</summary>
    private string EntryLabel(IReadOnlyList<ulong> objects, ClrType?[] types, int collectionIndex, int itemIndex)
    {
        ulong item = objects[itemIndex];
        ulong holder = objects[itemIndex - 1];
        ClrType? holderType = types[itemIndex - 1];
        if (holderType is null)
        {
            return "item";
        }

        if (holderType.IsArray)
        {
            ClrType? element = holderType.ComponentType;
            if (element is not null && element.IsValueType && !element.IsPrimitive)
            {
                // An array of entries (Dictionary, HashSet): which entry, and which field of it. ClrMD gives array
                // references no field; the offset (from just after the method table) says which element and which
                // field of the entry struct it is.
                if (ArrayOffset(holder, holderType, item) is int offset)
                {
                    int relative = offset - pointerSize;
                    int componentSize = Math.Max(1, holderType.ComponentSize);
                    int index = relative / componentSize;
                    int within = relative % componentSize;
                    string? field = element.Fields.FirstOrDefault(f => f.Offset == within)?.Name;
                    if (field is "value" or "_value")
                    {
                        string? key = ReadEntryKey(holder, holderType, element, index);
                        return key is null ? "value" : $"value for key {key}";
                    }

                    return field is "key" or "_key" ? "key" : "item";
                }
            }

            int? slot = ArrayIndex(holder, holderType, item);
            string kind = IsCollection(types[collectionIndex]!) && IsKeyed(types[collectionIndex]!.Name) ? "entry" : "item";
            return slot is null ? kind : $"{kind} [{slot}]";
        }

        // A node object (ConcurrentDictionary, LinkedList): the value field, with the key when it has one.
        ClrObject node = heap.GetObject(holder, holderType);
        foreach (ClrReference reference in heap.GetObject(holder, holderType).EnumerateReferencesWithFields(carefully: true, considerDependantHandles: false))
        {
            if (reference.Object.Address != item)
            {
                continue;
            }

            string? field = reference.Field?.Name;
            if (field is "_value" or "value" && holderType.GetFieldByName("_key") is { } keyField)
            {
                string? key = FormatKey(keyField, node.Address, interior: false);
                return key is null ? "value" : $"value for key {key}";
            }

            if (field is "_key" or "key")
            {
                return "key";
            }
        }

        return "item";
    }

    private string? ReadEntryKey(ulong array, ClrType arrayType, ClrType element, int index)
    {
        ClrInstanceField? keyField = element.GetFieldByName("key") ?? element.GetFieldByName("_key");
        if (keyField is null || index < 0)
        {
            return null;
        }

        ulong entryAddress = arrayType.GetArrayElementAddress(array, index);
        return entryAddress == 0 ? null : FormatKey(keyField, entryAddress, interior: true);
    }

    private string? FormatKey(ClrInstanceField keyField, ulong address, bool interior)
    {
        try
        {
            if (keyField.IsObjectReference)
            {
                ClrObject key = keyField.ReadObject(address, interior);
                if (key.IsNull)
                {
                    return null;
                }

                if (key.Type?.IsString == true)
                {
                    string? text = (string?)key;
                    return text is null ? null : "\"" + (text.Length > 40 ? text.Substring(0, 40) + "…" : text) + "\"";
                }

                return TypeNames.Short(key.Type?.Name);
            }

            return keyField.ElementType switch
            {
                ClrElementType.Int32 => keyField.Read<int>(address, interior).ToString(CultureInfo.InvariantCulture),
                ClrElementType.Int64 => keyField.Read<long>(address, interior).ToString(CultureInfo.InvariantCulture),
                ClrElementType.UInt32 => keyField.Read<uint>(address, interior).ToString(CultureInfo.InvariantCulture),
                ClrElementType.Char => "'" + keyField.Read<char>(address, interior) + "'",
                ClrElementType.Boolean => keyField.Read<bool>(address, interior) ? "true" : "false",
                _ => null,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException)
        {
            return null;
        }
    }

    private int? ArrayIndex(ulong array, ClrType arrayType, ulong element)
    {
        if (arrayType.ComponentType?.IsObjectReference == true && pointerSize == 8)
        {
            // An array of references: read its elements in blocks and look for the address, which is much cheaper
            // than asking ClrMD for every reference of a large array.
            int length;
            try
            {
                length = heap.GetObject(array, arrayType).AsArray().Length;
            }
            catch (InvalidOperationException)
            {
                return null;
            }

            ulong first = arrayType.GetArrayElementAddress(array, 0);
            IDataReader reader = session.Runtime.DataTarget.DataReader;
            var buffer = new ulong[Math.Min(length, 8192)];
            for (int start = 0; start < length; start += buffer.Length)
            {
                int count = Math.Min(buffer.Length, length - start);
                Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan(0, count));
                if (reader.Read(first + (ulong)start * 8, bytes) != bytes.Length)
                {
                    break;
                }

                int found = Array.IndexOf(buffer, element, 0, count);
                if (found >= 0)
                {
                    return start + found;
                }
            }
        }

        return ArrayOffset(array, arrayType, element) is int offset
            ? (offset - pointerSize) / Math.Max(1, arrayType.ComponentSize)
            : null;
    }

    /// <summary>
    /// The offset ClrMD reports for the reference from an array to an element (from just after the method table).
    /// Large arrays are indexed once: grouping paths of many instances asks about the same array again and again.
    /// </summary>
    private int? ArrayOffset(ulong array, ClrType arrayType, ulong element)
    {
        if (!arrayOffsets.TryGetValue(array, out Dictionary<ulong, int>? offsets))
        {
            offsets = new Dictionary<ulong, int>();
            foreach (ClrReference reference in heap.GetObject(array, arrayType).EnumerateReferencesWithFields(carefully: true, considerDependantHandles: false))
            {
                offsets.TryAdd(reference.Object.Address, reference.Offset);
            }

            if (arrayOffsets.Count > 64)
            {
                arrayOffsets.Clear();
            }

            arrayOffsets[array] = offsets;
        }

        return offsets.TryGetValue(element, out int found) ? found : null;
    }

    private bool IsMulticast(ulong address, ClrType type)
    {
        if (!type.IsDelegate())
        {
            return false;
        }

        try
        {
            return heap.GetObject(address, type).AsDelegate().HasMultipleTargets;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private string ClosureOrigin(ClrType closure)
    {
        string outer = TypeNames.Short(TypeNames.Outer(closure.Name ?? string.Empty));
        IEnumerable<string> methodNames = closure.Methods.Select(m => m.Name ?? string.Empty);
        Type? reflected = session.ReflectionType(closure);
        if (reflected is not null)
        {
            methodNames = methodNames.Concat(reflected.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Select(m => m.Name));
        }

        foreach (string name in methodNames)
        {
            string? origin = LambdaOrigin(name);
            if (origin is not null)
            {
                return $"a lambda in {outer}.{origin}";
            }
        }

        return $"a lambda in {outer}";
    }

    /// <summary>The method that created a lambda or local function, from the compiler's name for it (<c>&lt;Subscribe&gt;b__0</c>).</summary>
    private static string? LambdaOrigin(string methodName)
    {
        if (methodName.Length < 4 || methodName[0] != '<')
        {
            return null;
        }

        int close = methodName.IndexOf('>');
        if (close <= 1 || close + 2 >= methodName.Length || methodName[close + 2] != '_')
        {
            return null;
        }

        char kind = methodName[close + 1];
        if (kind != 'b' && kind != 'g')
        {
            return null;
        }

        string origin = methodName.Substring(1, close - 1);
        return origin switch
        {
            ".ctor" => "constructor",
            ".cctor" => "static constructor",
            _ => origin,
        };
    }

    private static string MethodDescription(ClrMethod method)
    {
        string name = method.Name ?? "?";
        string typeName = method.Type?.Name ?? string.Empty;
        string? origin = LambdaOrigin(name);
        if (origin is not null)
        {
            string owner = IsClosure(typeName) || TypeNames.Innermost(typeName) == "<>c" ? TypeNames.Outer(typeName) ?? typeName : typeName;
            int bar = name.IndexOf('|');
            if (name[name.IndexOf('>') + 1] == 'g' && bar > 0)
            {
                string local = name.Substring(name.IndexOf("__", StringComparison.Ordinal) + 2, bar - name.IndexOf("__", StringComparison.Ordinal) - 2);
                return $"local function {local} in {TypeNames.Short(owner)}.{origin}";
            }

            return $"lambda in {TypeNames.Short(owner)}.{origin}";
        }

        return $"{TypeNames.Short(typeName)}.{name}";
    }

    internal static bool IsClosure(string? typeName) =>
        typeName is not null && TypeNames.Innermost(typeName).StartsWith("<>c__DisplayClass", StringComparison.Ordinal);

    internal static bool IsCollection(ClrType type)
    {
        string? name = type.Name;
        if (name is null)
        {
            return false;
        }

        string stripped = TypeNames.StripGenericArguments(name);
        return Collections.Contains(stripped);
    }

    private static bool IsKeyed(string? name) =>
        name is not null && (name.Contains("Dictionary") || name.Contains("Hashtable") || name.Contains("SortedList"));

    /// <summary>An object a collection keeps for itself: its arrays, nodes, tables and entries.</summary>
    private static bool IsCollectionInternal(ClrType? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.IsArray)
        {
            return true;
        }

        string name = type.Name ?? string.Empty;
        return name.StartsWith("System.Collections.", StringComparison.Ordinal) && (name.Contains('+') || name.Contains("Node"));
    }
}

/// <summary>Small helpers on ClrMD types.</summary>
internal static class ClrTypeExtensions
{
    internal static bool IsDelegate(this ClrType type)
    {
        for (ClrType? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == "System.MulticastDelegate" || current.Name == "System.Delegate")
            {
                return true;
            }
        }

        return false;
    }
}
