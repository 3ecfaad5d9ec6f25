namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

/// <summary>Every named type declared in a compilation's source, nested ones too: listed once per compilation.</summary>
internal static class SourceTypes
{
    private static readonly ConditionalWeakTable<Compilation, StrongBox<ImmutableArray<INamedTypeSymbol>>> ByCompilation = new();

    internal static ImmutableArray<INamedTypeSymbol> Of(Compilation compilation) =>
        ByCompilation.GetValue(compilation, c => new StrongBox<ImmutableArray<INamedTypeSymbol>>(List(c))).Value;

    private static ImmutableArray<INamedTypeSymbol> List(Compilation compilation)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type && type.DeclaringSyntaxReferences.Length > 0)
                {
                    builder.Add(type);
                    pending.Push(type);
                }
            }
        }

        return builder.ToImmutable();
    }
}
