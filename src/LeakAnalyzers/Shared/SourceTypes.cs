namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

/// <summary>Every named type declared in a compilation's source, nested ones too: listed once per compilation.</summary>
internal static class SourceTypes
{
    private static readonly ConditionalWeakTable<Compilation, StrongBox<ImmutableArray<INamedTypeSymbol>>> ByCompilation = new();

    private static readonly ConditionalWeakTable<Compilation, Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>> Implementers = new();

    internal static ImmutableArray<INamedTypeSymbol> Of(Compilation compilation) =>
        ByCompilation.GetValue(compilation, c => new StrongBox<ImmutableArray<INamedTypeSymbol>>(List(c))).Value;

    /// <summary>
    /// The concrete classes and structs of the compilation's source that implement <paramref name="type"/> (an
    /// interface) or derive from it (a class), compared by original definition: one map per compilation, so a question
    /// about one abstract member does not walk every source type again.
    /// </summary>
    internal static ImmutableArray<INamedTypeSymbol> ConcreteImplementersOf(Compilation compilation, INamedTypeSymbol type)
    {
        var map = Implementers.GetValue(compilation, BuildImplementers);
        return map.TryGetValue(type.OriginalDefinition, out var found) ? found : ImmutableArray<INamedTypeSymbol>.Empty;
    }

    /// <summary>
    /// The method that runs in <paramref name="type"/> for an interface or abstract <paramref name="member"/> (original
    /// definitions): the implementation of the interface as the type constructs it, or the nearest override in the type
    /// or its bases.
    /// </summary>
    internal static IMethodSymbol? ImplementationIn(INamedTypeSymbol type, IMethodSymbol member)
    {
        if (member.ContainingType is not { } declaring)
        {
            return null;
        }

        if (declaring.TypeKind == TypeKind.Interface)
        {
            return type.AllInterfaces.FirstOrDefault(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, declaring)) is { } constructed
                ? type.FindImplementationForInterfaceMember(
                    constructed.GetMembers(member.Name).FirstOrDefault(candidate => SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, member)) ?? member) as IMethodSymbol
                : null;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers(member.Name).OfType<IMethodSymbol>().FirstOrDefault(candidate => Overrides(candidate, member)) is { } found)
            {
                return found;
            }
        }

        return null;

        static bool Overrides(IMethodSymbol candidate, IMethodSymbol member)
        {
            for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, member))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> BuildImplementers(Compilation compilation)
    {
        var builders = new Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>.Builder>(SymbolEqualityComparer.Default);
        void Add(INamedTypeSymbol key, INamedTypeSymbol implementer)
        {
            if (!builders.TryGetValue(key, out var list))
            {
                builders[key] = list = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            }

            list.Add(implementer);
        }

        foreach (var type in Of(compilation))
        {
            if (type.IsAbstract || type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                continue;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                Add(implemented.OriginalDefinition, type);
            }

            for (var current = (INamedTypeSymbol?)type; current is not null; current = current.BaseType)
            {
                Add(current.OriginalDefinition, type);
            }
        }

        var map = new Dictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        foreach (var pair in builders)
        {
            map[pair.Key] = pair.Value.ToImmutable();
        }

        return map;
    }

    private static ImmutableArray<INamedTypeSymbol> List(Compilation compilation)
    {
        // Namespaces and nested types only: a type's GetMembers would build and sort its whole member list.
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        var types = new Stack<INamedTypeSymbol>();
        namespaces.Push(compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            var ns = namespaces.Pop();
            foreach (var inner in ns.GetNamespaceMembers())
            {
                namespaces.Push(inner);
            }

            foreach (var type in ns.GetTypeMembers())
            {
                types.Push(type);
            }

            while (types.Count > 0)
            {
                var type = types.Pop();
                if (type.DeclaringSyntaxReferences.Length == 0)
                {
                    continue;
                }

                builder.Add(type);
                foreach (var nested in type.GetTypeMembers())
                {
                    types.Push(nested);
                }
            }
        }

        return builder.ToImmutable();
    }
}
