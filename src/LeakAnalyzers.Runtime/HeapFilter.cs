namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// Chooses which types a snapshot, a growth report or an undisposed report looks at: by namespace, by assembly or by
/// exact type. Filters combine with <see cref="Or"/> and <see cref="And"/>.
/// </summary>
/// <example><code>
/// var mine = HeapFilter.Namespace("MyApp").Or(HeapFilter.Assembly("MyApp.Core"));
/// </code></example>
public sealed class HeapFilter
{
    private readonly Func<HeapTypeInfo, bool> predicate;
    private readonly string description;

    private HeapFilter(Func<HeapTypeInfo, bool> predicate, string description)
    {
        this.predicate = predicate;
        this.description = description;
    }

    /// <summary>Every type.</summary>
    public static HeapFilter All { get; } = new(_ => true, "all types");

    /// <summary>
    /// Types in a namespace or any namespace under it (<c>"MyApp"</c> matches <c>MyApp</c> and <c>MyApp.Views</c>, not
    /// <c>MyAppTests</c>). Generic instantiations belong to their definition's namespace: <c>List&lt;MyApp.Item&gt;</c> is in
    /// <c>System.Collections.Generic</c>.
    /// </summary>
    /// <param name="prefix">The namespace, for example <c>"MyApp.Services"</c>.</param>
    public static HeapFilter Namespace(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            throw new ArgumentException("A namespace filter needs a namespace.", nameof(prefix));
        }

        return new HeapFilter(
            t => t.Namespace.Equals(prefix, StringComparison.Ordinal) || t.Namespace.StartsWith(prefix + ".", StringComparison.Ordinal),
            $"namespace {prefix}");
    }

    /// <summary>Types defined in an assembly, by simple name (<c>"MyApp.Core"</c>).</summary>
    /// <param name="simpleName">The assembly's simple name, without version or extension.</param>
    public static HeapFilter Assembly(string simpleName)
    {
        if (string.IsNullOrWhiteSpace(simpleName))
        {
            throw new ArgumentException("An assembly filter needs an assembly name.", nameof(simpleName));
        }

        return new HeapFilter(t => t.Assembly.Equals(simpleName, StringComparison.OrdinalIgnoreCase), $"assembly {simpleName}");
    }

    /// <summary>Types defined in the same assembly as <paramref name="type"/>.</summary>
    /// <param name="type">Any type of the assembly.</param>
    public static HeapFilter AssemblyOf(Type type)
    {
        if (type is null)
        {
            throw new ArgumentNullException(nameof(type));
        }

        return Assembly(type.Assembly.GetName().Name ?? string.Empty);
    }

    /// <summary>Exactly these types (a generic type must be a closed instantiation; arrays and pointers are not types of objects you can filter on by definition).</summary>
    /// <param name="types">The types.</param>
    public static HeapFilter Types(params Type[] types)
    {
        if (types is null || types.Length == 0)
        {
            throw new ArgumentException("A type filter needs at least one type.", nameof(types));
        }

        var handles = new HashSet<ulong>();
        foreach (Type type in types)
        {
            if (type is null)
            {
                throw new ArgumentException("A type filter cannot contain null.", nameof(types));
            }

            if (type.ContainsGenericParameters)
            {
                throw new ArgumentException($"'{type}' is an open generic type; no object has it. Pass a closed instantiation, or filter by namespace.", nameof(types));
            }

            handles.Add((ulong)type.TypeHandle.Value.ToInt64());
        }

        return new HeapFilter(t => handles.Contains(t.MethodTable), "types " + string.Join(", ", types.Select(t => t.Name)));
    }

    /// <summary>Types whose full runtime name (namespace, nesting with '+', generic arguments) satisfies <paramref name="match"/>.</summary>
    /// <param name="match">A test on the full type name, for example <c>n =&gt; n.EndsWith("ViewModel")</c>.</param>
    /// <param name="description">How the filter is named in reports.</param>
    public static HeapFilter Where(Func<string, bool> match, string description = "custom filter")
    {
        if (match is null)
        {
            throw new ArgumentNullException(nameof(match));
        }

        return new HeapFilter(t => match(t.FullName), description);
    }

    /// <summary>Types either filter accepts.</summary>
    /// <param name="other">The other filter.</param>
    public HeapFilter Or(HeapFilter other) => new(t => predicate(t) || other.predicate(t), $"{description} or {other.description}");

    /// <summary>Types both filters accept.</summary>
    /// <param name="other">The other filter.</param>
    public HeapFilter And(HeapFilter other) => new(t => predicate(t) && other.predicate(t), $"{description} and {other.description}");

    /// <summary>Types this filter rejects.</summary>
    public HeapFilter Not() => new(t => !predicate(t), $"not ({description})");

    /// <summary>What the filter selects, for reports.</summary>
    public override string ToString() => description;

    internal bool Matches(HeapTypeInfo type) => predicate(type);
}

/// <summary>What a filter sees of a type on the heap.</summary>
internal readonly record struct HeapTypeInfo(string FullName, string Namespace, string Assembly, ulong MethodTable);
