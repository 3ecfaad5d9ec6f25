namespace LeakAnalyzers.StaticCollections;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
    // One options object per file: settings are remembered per object and built once per distinct configured value.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<AnalyzerConfigOptions, CollectionSettings> settings = new();
    private readonly ConcurrentDictionary<string, CollectionSettings> settingsByValues = new(StringComparer.Ordinal);

    private readonly LifetimeModel lifetimes;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> longLived = new(SymbolEqualityComparer.Default);

    private readonly Lazy<ImmutableHashSet<INamedTypeSymbol>> staticallyHeld;

    private CollectionModel(string ruleId, INamedTypeSymbol? weakTable, LifetimeModel lifetimes, Compilation compilation)
    {
        this.ruleId = ruleId;
        WeakTable = weakTable;
        this.lifetimes = lifetimes;
        staticallyHeld = StaticallyHeldByCompilation.GetValue(
            compilation,
            c => new Lazy<ImmutableHashSet<INamedTypeSymbol>>(() => StaticallyHeldTypes(c), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication));
    }

    /// <summary>The statically held types of a compilation, read once and shared by LEAK201 and LEAK202.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, Lazy<ImmutableHashSet<INamedTypeSymbol>>> StaticallyHeldByCompilation = new();

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
                LifetimeModel.Create(compilation, ruleId),
                compilation);

    /// <summary>
    /// Whether instances of <paramref name="type"/> live as long as the process (a singleton, or a type in the
    /// long-lived tables; see <see cref="LifetimeModel.IsLongLivedType"/>): their instance collections are as
    /// long-lived as static ones, and their constructors run once, at start-up.
    /// </summary>
    internal bool IsLongLivedHolder(INamedTypeSymbol? type, AnalyzerOptions options, SyntaxTree tree) =>
        type is { IsStatic: false, TypeKind: TypeKind.Class } &&
        type.Locations.Any(l => l.IsInSource) &&
        longLived.GetOrAdd(type, t => lifetimes.IsLongLivedType(t, lifetimes.SettingsFor(options, tree)) || staticallyHeld.Value.Contains(t.OriginalDefinition));

    /// <summary>
    /// Source classes one of whose instances is created into a static field or get-only static property: by a
    /// field of another type (<c>static readonly MemoryCache cache = new MemoryCache()</c>), or by a field of the type
    /// itself named as its one instance (<c>public static readonly Visitor Instance = new()</c>; <c>Empty</c> and
    /// <c>None</c> sentinels, which are never filled, do not count). Read once per compilation from the declarations'
    /// syntax: the initializer must be a creation of the declared type.
    /// </summary>
    private static ImmutableHashSet<INamedTypeSymbol> StaticallyHeldTypes(Compilation compilation)
    {
        var result = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var holder in SourceTypes.Of(compilation))
        {
            Collect(holder, result, compilation);
        }

        return result.ToImmutable();
    }

    private static void Collect(INamedTypeSymbol holder, ImmutableHashSet<INamedTypeSymbol>.Builder result, Compilation compilation)
    {
        foreach (var member in holder.GetMembers())
        {
            var type = member switch
            {
                IFieldSymbol { IsStatic: true, IsConst: false } field => field.Type,
                IPropertySymbol { IsStatic: true, SetMethod: null } property => property.Type,
                _ => null,
            };

            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface } declared || declared.SpecialType != SpecialType.None)
            {
                continue;
            }

            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var value = reference.GetSyntax() switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                    Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property => property.Initializer?.Value,
                    _ => null,
                };

                // The class the initializer creates: the declared one (`static readonly Visitor Instance = new()`), or a
                // source class of that name deriving from it (`static readonly ExpressionVisitor IfNullVisitor = new
                // IfNotNullVisitor();`).
                var held = value switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.ImplicitObjectCreationExpressionSyntax => declared,
                    Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax creation when SourceNames.RightmostName(creation.Type) is { } name =>
                        name == declared.Name ? declared : DerivedSourceClass(name, declared, compilation),
                    _ => null,
                };

                if (held is not { TypeKind: TypeKind.Class, IsAbstract: false } ||
                    !held.Locations.Any(l => l.IsInSource) ||
                    (SymbolEqualityComparer.Default.Equals(held.OriginalDefinition, holder.OriginalDefinition) && !KnownLifetimes.SingletonAccessorNames.Contains(member.Name)))
                {
                    continue;
                }

                result.Add(held.OriginalDefinition);
            }
        }
    }

    /// <summary>The one source class named <paramref name="name"/> that derives from (or implements) <paramref name="declared"/>.</summary>
    private static INamedTypeSymbol? DerivedSourceClass(string name, INamedTypeSymbol declared, Compilation compilation)
    {
        INamedTypeSymbol? found = null;
        foreach (var symbol in compilation.GetSymbolsWithName(name, SymbolFilter.Type))
        {
            if (symbol is INamedTypeSymbol { TypeKind: TypeKind.Class } candidate &&
                (Hierarchy.IsOrDerivesFrom(candidate, declared) || candidate.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, declared.OriginalDefinition))))
            {
                if (found is not null)
                {
                    return null;
                }

                found = candidate;
            }
        }

        return found;
    }

    internal static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>The key type of a keyed collection type (<c>TKey</c> of a dictionary, <c>T</c> of a set).</summary>
    internal static ITypeSymbol? KeyType(ITypeSymbol? collection) =>
        collection is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length > 0 ? named.TypeArguments[0] : null;

    /// <summary>Whether the collection grows only by being replaced (immutable collections, arrays).</summary>
    internal static bool IsReplaced(CollectionShape shape) => shape is CollectionShape.ReplacedSequence or CollectionShape.ReplacedKeyed;

    /// <summary>Whether adds are keyed (a new key grows it, a known one does not).</summary>
    internal static bool IsKeyed(CollectionShape shape) => shape is CollectionShape.Keyed or CollectionShape.ReplacedKeyed;

    internal CollectionSettings SettingsFor(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = LeakOptions.For(options, tree);
        return settings.GetValue(config, c => settingsByValues.GetOrAdd(CollectionSettings.KeyOf(c, ruleId), _ => CollectionSettings.Create(c, ruleId)));
    }

    /// <summary>Whether <paramref name="member"/> is a static field or auto-property declared in source whose type is a growable collection.</summary>
    internal bool IsGrowable(ISymbol member, out CollectionShape shape)
    {
        // Asked for every field and property reference of the compilation: reject by the type's simple name first,
        // before any symbol is hashed or any full name is built.
        var type = TypeOf(member);
        if (type is not IArrayTypeSymbol { Rank: 1 } && (type is not INamedTypeSymbol named || !GrowableSimpleNames.Contains(named.MetadataName)))
        {
            shape = CollectionShape.Sequence;
            return false;
        }

        var result = growable.GetOrAdd(member, m =>
            !m.Locations.Any(l => l.IsInSource) ? null :
            TypeOf(m) is IArrayTypeSymbol { Rank: 1 } ? CollectionShape.ReplacedSequence :
            TypeOf(m) is INamedTypeSymbol type && CollectionApis.GrowableTypes.TryGetValue(SymbolNames.FullMetadataName(type), out var s)
                ? s
                : null);
        shape = result ?? CollectionShape.Sequence;
        return result is not null;
    }

    /// <summary>The metadata names of the growable types without their namespace or containing type (<c>List`1</c>).</summary>
    private static readonly ImmutableHashSet<string> GrowableSimpleNames = ImmutableHashSet.CreateRange(
        StringComparer.Ordinal,
        CollectionApis.GrowableTypes.Keys.Select(key => key.Substring(Math.Max(key.LastIndexOf('.'), key.LastIndexOf('+')) + 1)));

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

    private static readonly string[] ConfiguredKeys = { LeakOptions.BoundedKeyTypes, LeakOptions.BoundedCollections };

    internal static string KeyOf(AnalyzerConfigOptions options, string ruleId) => LeakOptions.ValueKey(options, ruleId, ConfiguredKeys);

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
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Enum:
                // 16 bits at most (a char's range): a table of every value is bounded, like a lookup array.
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
