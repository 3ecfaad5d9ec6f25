namespace LeakAnalyzers.StaticCollections;

using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// The collection tables of <see cref="CollectionApis"/> for one compilation, with the symbols looked up once and the
/// .editorconfig extensions of each tree (<see cref="CollectionSettings"/>).
/// </summary>
internal sealed class CollectionModel
{
    private readonly string ruleId;
    private readonly ConcurrentDictionary<ISymbol, CollectionShape?> growable = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IPropertySymbol, bool> autoProperties = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<AnalyzerConfigOptions, CollectionSettings> settings = new();

    private readonly LifetimeModel lifetimes;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> longLived = new(SymbolEqualityComparer.Default);

    private CollectionModel(string ruleId, INamedTypeSymbol? weakTable, LifetimeModel lifetimes)
    {
        this.ruleId = ruleId;
        WeakTable = weakTable;
        this.lifetimes = lifetimes;
    }

    /// <summary><c>System.Runtime.CompilerServices.ConditionalWeakTable`2</c>, when the compilation has it.</summary>
    internal INamedTypeSymbol? WeakTable { get; }

    /// <summary>Null when the compilation has none of the growable types (nothing to analyze).</summary>
    internal static CollectionModel? Create(Compilation compilation, string ruleId) =>
        compilation.GetTypeByMetadataName("System.Collections.Generic.List`1") is null &&
        compilation.GetTypeByMetadataName("System.Text.StringBuilder") is null
            ? null
            : new CollectionModel(
                ruleId,
                compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ConditionalWeakTable`2"),
                LifetimeModel.Create(compilation, ruleId));

    /// <summary>
    /// Whether instances of <paramref name="type"/> live as long as the process (a singleton, or a type in the
    /// long-lived tables; see <see cref="LifetimeModel.IsLongLivedType"/>): their instance collections are as
    /// long-lived as static ones, and their constructors run once, at start-up.
    /// </summary>
    internal bool IsLongLivedHolder(INamedTypeSymbol? type, AnalyzerOptions options, SyntaxTree tree) =>
        type is { IsStatic: false, TypeKind: TypeKind.Class } &&
        type.Locations.Any(l => l.IsInSource) &&
        longLived.GetOrAdd(type, t => lifetimes.IsLongLivedType(t, lifetimes.SettingsFor(options, tree)));

    internal static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>The key type of a keyed collection type (<c>TKey</c> of a dictionary, <c>T</c> of a set).</summary>
    internal static ITypeSymbol? KeyType(ITypeSymbol? collection) =>
        collection is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length > 0 ? named.TypeArguments[0] : null;

    internal CollectionSettings SettingsFor(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = LeakOptions.For(options, tree);
        return settings.GetOrAdd(config, c => CollectionSettings.Create(c, ruleId));
    }

    /// <summary>Whether <paramref name="member"/> is a static field or auto-property declared in source whose type is a growable collection.</summary>
    internal bool IsGrowable(ISymbol member, out CollectionShape shape)
    {
        var result = growable.GetOrAdd(member, m =>
            TypeOf(m) is INamedTypeSymbol type &&
            m.Locations.Any(l => l.IsInSource) &&
            CollectionApis.GrowableTypes.TryGetValue(SymbolNames.FullMetadataName(type), out var s)
                ? s
                : null);
        shape = result ?? CollectionShape.Sequence;
        return result is not null;
    }

    /// <summary>A property with a compiler-generated backing field: it holds the collection itself.</summary>
    internal bool IsAutoProperty(IPropertySymbol property) =>
        autoProperties.GetOrAdd(property, p =>
            p.Locations.Any(l => l.IsInSource) &&
            p.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, p)));

    internal bool IsOneTimeInitializer(INamedTypeSymbol type) =>
        CollectionApis.OneTimeInitializers.Contains(SymbolNames.FullMetadataName(type));
}

/// <summary>The collection tables as extended by the .editorconfig of one tree.</summary>
internal sealed class CollectionSettings
{
    private readonly ImmutableHashSet<string> boundedKeyTypes;
    private readonly ImmutableHashSet<string> boundedCollections;

    private CollectionSettings(ImmutableHashSet<string> boundedKeyTypes, ImmutableHashSet<string> boundedCollections)
    {
        this.boundedKeyTypes = boundedKeyTypes;
        this.boundedCollections = boundedCollections;
    }

    internal static CollectionSettings Create(AnalyzerConfigOptions options, string ruleId) => new(
        CollectionApis.BoundedKeyTypes.Union(LeakOptions.GetList(options, ruleId, LeakOptions.BoundedKeyTypes)),
        ImmutableHashSet.CreateRange(StringComparer.Ordinal, LeakOptions.GetList(options, ruleId, LeakOptions.BoundedCollections)));

    internal bool IsBoundedCollection(ISymbol member, ITypeSymbol? type) =>
        boundedCollections.Count > 0 &&
        (boundedCollections.Contains(SymbolNames.MemberKey(member.ContainingType, member.Name)) ||
         (type is not null && boundedCollections.Contains(SymbolNames.FullMetadataName(type))));

    /// <summary>
    /// Whether keys of <paramref name="type"/> are bounded by nature: reflection objects, enums, <c>bool</c>,
    /// <c>char</c>, <c>byte</c>, <c>sbyte</c>, the types of <c>bounded_key_types</c> (and their subclasses), and tuples of those.
    /// </summary>
    internal bool IsBoundedKeyType(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
            case SpecialType.System_Enum:
                return true;
        }

        if (type is ITypeParameterSymbol parameter)
        {
            // Cache<TEnum> where TEnum : struct, Enum: a type parameter constrained to a bounded type.
            return parameter.ConstraintTypes.Any(IsBoundedKeyType);
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
        {
            return tuple.TupleElements.Length > 0 && tuple.TupleElements.All(e => IsBoundedKeyType(e.Type));
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic && generic.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return IsBoundedKeyType(generic.TypeArguments[0]);
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (boundedKeyTypes.Contains(SymbolNames.FullMetadataName(current)))
            {
                return true;
            }

            var ns = current.ContainingNamespace?.ToDisplayString();
            if (ns is not null && CollectionApis.BoundedKeyNamespaces.Any(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
