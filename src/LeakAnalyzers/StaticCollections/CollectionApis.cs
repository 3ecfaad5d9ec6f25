namespace LeakAnalyzers.StaticCollections;

using System.Collections.Immutable;

/// <summary>How a growable collection is filled: by key (a set or dictionary, which stops growing once every key is in) or by sequence.</summary>
internal enum CollectionShape
{
    /// <summary>Every add makes it longer: lists, queues, stacks, bags, string builders.</summary>
    Sequence,

    /// <summary>An add grows it only for a new key (the element of a set, the key of a dictionary).</summary>
    Keyed,

    /// <summary>An immutable sequence or an array: it grows only when replaced by itself plus more (<c>items = items.Add(x)</c>).</summary>
    ReplacedSequence,

    /// <summary>An immutable dictionary or set: it grows only when replaced by itself plus a new key (<c>map = map.SetItem(k, v)</c>).</summary>
    ReplacedKeyed,
}

/// <summary>
/// What LeakAnalyzers knows about growable collections, in one place: which types grow, which of their methods
/// add and which remove, and which key types are bounded by nature. Types are full metadata names
/// (<see cref="Shared.SymbolNames"/>). Users extend the tables from .editorconfig:
/// <c>leak_analyzers.bounded_key_types</c> (more bounded key types) and <c>leak_analyzers.bounded_collections</c>
/// (members <c>Type.Member</c> or collection types that are bounded in a way the analyzer cannot see).
/// </summary>
internal static class CollectionApis
{
    /// <summary>Growable collection types and how they are keyed.</summary>
    internal static readonly ImmutableDictionary<string, CollectionShape> GrowableTypes = new (string, CollectionShape)[]
    {
        ("System.Collections.Generic.List`1", CollectionShape.Sequence),
        ("System.Collections.Generic.Queue`1", CollectionShape.Sequence),
        ("System.Collections.Generic.Stack`1", CollectionShape.Sequence),
        ("System.Collections.Generic.LinkedList`1", CollectionShape.Sequence),
        ("System.Collections.Generic.IList`1", CollectionShape.Sequence),
        ("System.Collections.Generic.ICollection`1", CollectionShape.Sequence),
        ("System.Collections.Generic.Dictionary`2", CollectionShape.Keyed),
        ("System.Collections.Generic.IDictionary`2", CollectionShape.Keyed),
        ("System.Collections.Generic.SortedDictionary`2", CollectionShape.Keyed),
        ("System.Collections.Generic.SortedList`2", CollectionShape.Keyed),
        ("System.Collections.Generic.HashSet`1", CollectionShape.Keyed),
        ("System.Collections.Generic.SortedSet`1", CollectionShape.Keyed),
        ("System.Collections.Generic.ISet`1", CollectionShape.Keyed),
        ("System.Collections.Concurrent.ConcurrentDictionary`2", CollectionShape.Keyed),
        ("System.Collections.Concurrent.ConcurrentBag`1", CollectionShape.Sequence),
        ("System.Collections.Concurrent.ConcurrentQueue`1", CollectionShape.Sequence),
        ("System.Collections.Concurrent.ConcurrentStack`1", CollectionShape.Sequence),
        ("System.Collections.Concurrent.BlockingCollection`1", CollectionShape.Sequence),
        ("System.Collections.ObjectModel.Collection`1", CollectionShape.Sequence),
        ("System.Collections.ObjectModel.ObservableCollection`1", CollectionShape.Sequence),
        ("System.Collections.ArrayList", CollectionShape.Sequence),
        ("System.Collections.Queue", CollectionShape.Sequence),
        ("System.Collections.Stack", CollectionShape.Sequence),
        ("System.Collections.Hashtable", CollectionShape.Keyed),
        ("System.Collections.IDictionary", CollectionShape.Keyed),
        ("System.Text.StringBuilder", CollectionShape.Sequence),
        ("System.Collections.Immutable.ImmutableList`1", CollectionShape.ReplacedSequence),
        ("System.Collections.Immutable.ImmutableArray`1", CollectionShape.ReplacedSequence),
        ("System.Collections.Immutable.ImmutableQueue`1", CollectionShape.ReplacedSequence),
        ("System.Collections.Immutable.ImmutableStack`1", CollectionShape.ReplacedSequence),
        ("System.Collections.Immutable.IImmutableList`1", CollectionShape.ReplacedSequence),
        ("System.Collections.Immutable.ImmutableDictionary`2", CollectionShape.ReplacedKeyed),
        ("System.Collections.Immutable.ImmutableSortedDictionary`2", CollectionShape.ReplacedKeyed),
        ("System.Collections.Immutable.IImmutableDictionary`2", CollectionShape.ReplacedKeyed),
        ("System.Collections.Immutable.ImmutableHashSet`1", CollectionShape.ReplacedKeyed),
        ("System.Collections.Immutable.ImmutableSortedSet`1", CollectionShape.ReplacedKeyed),
        ("System.Collections.Immutable.IImmutableSet`1", CollectionShape.ReplacedKeyed),
    }.ToImmutableDictionary(x => x.Item1, x => x.Item2);

    /// <summary>
    /// Methods that, on an immutable collection or through LINQ, return the collection with more in it: assigned back to
    /// the member they were called on (<c>map = map.Add(k, v)</c>, <c>items = items.Append(x).ToArray()</c>), the member grows.
    /// </summary>
    internal static readonly ImmutableHashSet<string> ReplacingGrowthMethods = ImmutableHashSet.Create(
        "Add", "AddRange", "SetItem", "SetItems", "Insert", "InsertRange", "Push", "Enqueue", "Union", "Append", "Prepend", "Concat");

    /// <summary>Methods that, assigned back, may make it smaller: a filter, a removal, an intersection.</summary>
    internal static readonly ImmutableHashSet<string> ReplacingShrinkMethods = ImmutableHashSet.Create(
        "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveAt", "Clear", "Pop", "Dequeue", "Except", "Intersect",
        "SymmetricExcept", "Where", "Skip", "SkipLast", "SkipWhile", "Take", "TakeLast", "TakeWhile", "Distinct", "DistinctBy", "Clear", "Slice");

    /// <summary><c>ImmutableInterlocked</c>'s methods that add to the collection passed by <c>ref</c> (the others may remove).</summary>
    internal static readonly ImmutableHashSet<string> InterlockedGrowthMethods = ImmutableHashSet.Create(
        "TryAdd", "GetOrAdd", "AddOrUpdate", "Push", "Enqueue");

    /// <summary>Methods that add to a collection. For keyed collections the first argument is the key (or the element of a set).</summary>
    internal static readonly ImmutableHashSet<string> GrowingMethods = ImmutableHashSet.Create(
        "Add", "TryAdd", "GetOrAdd", "AddOrUpdate", "Enqueue", "Push", "PushRange", "Insert", "InsertRange",
        "AddRange", "AddFirst", "AddLast", "AddBefore", "AddAfter", "UnionWith",
        "Append", "AppendLine", "AppendFormat", "AppendJoin");

    /// <summary>
    /// Methods that make a collection smaller (or empty it). One anywhere the collection is visible is taken as a way
    /// to shrink it: the analyzer does not try to prove that it runs often enough. A <c>BlockingCollection</c>'s
    /// <c>GetConsumingEnumerable</c> takes out every item it yields.
    /// </summary>
    internal static readonly ImmutableHashSet<string> ShrinkingMethods = ImmutableHashSet.Create(
        "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere", "RemoveFirst", "RemoveLast",
        "TryRemove", "Clear", "Dequeue", "TryDequeue", "Pop", "TryPop", "TryPopRange", "Take", "TryTake",
        "GetConsumingEnumerable", "ExceptWith", "IntersectWith", "SymmetricExceptWith");

    /// <summary>
    /// Key types bounded by nature: one key per loaded type or member, or a small fixed set of values. A per-type
    /// reflection cache is the common, correct use of a static dictionary. Enums, <c>bool</c>, <c>char</c>,
    /// <c>byte</c> and <c>sbyte</c> are bounded too (see <see cref="BoundedSpecialTypes"/>); so is a tuple of bounded keys,
    /// and any type in a <c>System.Reflection</c> namespace.
    /// </summary>
    internal static readonly ImmutableHashSet<string> BoundedKeyTypes = ImmutableHashSet.Create(
        "System.Type",
        "System.RuntimeTypeHandle",
        "System.RuntimeMethodHandle",
        "System.RuntimeFieldHandle",
        "System.Reflection.MemberInfo",
        "System.Reflection.Assembly",
        "System.Reflection.Module",
        "System.Reflection.ParameterInfo",

        // One per event source or meter of the process, by design (an EventListener sees each once).
        "System.Diagnostics.Tracing.EventSource",
        "System.Diagnostics.Metrics.Meter");

    /// <summary>Namespaces whose types are all bounded keys (reflection objects: one per loaded member).</summary>
    internal static readonly ImmutableArray<string> BoundedKeyNamespaces = ImmutableArray.Create(
        "System.Reflection");

    /// <summary>Members whose value, when read and compared, shows that the writes are bounded by a size check.</summary>
    internal static readonly ImmutableHashSet<string> SizeMembers = ImmutableHashSet.Create("Count", "Length", "LongCount", "Sum");

    /// <summary>
    /// Attributes of a parameter that the compiler fills with a name or path from the source at each call: a key made of
    /// them is bounded by the program's text (<c>[CallerMemberName] string memberName</c>).
    /// </summary>
    internal static readonly ImmutableHashSet<string> CallerInfoAttributes = ImmutableHashSet.Create(
        "System.Runtime.CompilerServices.CallerMemberNameAttribute",
        "System.Runtime.CompilerServices.CallerFilePathAttribute",
        "System.Runtime.CompilerServices.CallerLineNumberAttribute",
        "System.Runtime.CompilerServices.CallerArgumentExpressionAttribute");

    /// <summary>Factories whose delegate argument runs at most once: one-time lazy initialisation.</summary>
    internal static readonly ImmutableHashSet<string> OneTimeInitializers = ImmutableHashSet.Create(
        "System.Lazy`1",
        "System.Lazy`2",
        "System.Threading.LazyInitializer");
}
