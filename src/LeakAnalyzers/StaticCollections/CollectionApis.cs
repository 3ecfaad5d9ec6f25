namespace LeakAnalyzers.StaticCollections;

using System.Collections.Immutable;

/// <summary>How a growable collection is filled: by key (a set or dictionary, which stops growing once every key is in) or by sequence.</summary>
internal enum CollectionShape
{
    /// <summary>Every add makes it longer: lists, queues, stacks, bags, string builders.</summary>
    Sequence,

    /// <summary>An add grows it only for a new key (the element of a set, the key of a dictionary).</summary>
    Keyed,
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
    }.ToImmutableDictionary(x => x.Item1, x => x.Item2);

    /// <summary>Methods that add to a collection. For keyed collections the first argument is the key (or the element of a set).</summary>
    internal static readonly ImmutableHashSet<string> GrowingMethods = ImmutableHashSet.Create(
        "Add", "TryAdd", "GetOrAdd", "AddOrUpdate", "Enqueue", "Push", "PushRange", "Insert", "InsertRange",
        "AddRange", "AddFirst", "AddLast", "AddBefore", "AddAfter", "UnionWith",
        "Append", "AppendLine", "AppendFormat", "AppendJoin");

    /// <summary>
    /// Methods that make a collection smaller (or empty it). One anywhere the collection is visible is taken as a way
    /// to shrink it: the analyzer does not try to prove that it runs often enough.
    /// </summary>
    internal static readonly ImmutableHashSet<string> ShrinkingMethods = ImmutableHashSet.Create(
        "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere", "RemoveFirst", "RemoveLast",
        "TryRemove", "Clear", "Dequeue", "TryDequeue", "Pop", "TryPop", "TryPopRange", "Take", "TryTake",
        "ExceptWith", "IntersectWith", "SymmetricExceptWith");

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
        "System.Reflection.ParameterInfo");

    /// <summary>Namespaces whose types are all bounded keys (reflection objects: one per loaded member).</summary>
    internal static readonly ImmutableArray<string> BoundedKeyNamespaces = ImmutableArray.Create(
        "System.Reflection");

    /// <summary>Members whose value, when read and compared, shows that the writes are bounded by a size check.</summary>
    internal static readonly ImmutableHashSet<string> SizeMembers = ImmutableHashSet.Create("Count", "Length", "LongCount");

    /// <summary>Factories whose delegate argument runs at most once: one-time lazy initialisation.</summary>
    internal static readonly ImmutableHashSet<string> OneTimeInitializers = ImmutableHashSet.Create(
        "System.Lazy`1",
        "System.Lazy`2",
        "System.Threading.LazyInitializer");
}
