namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// What a type's source could do, read from its syntax alone, once per type and compilation and shared by every rule
/// that asks: the types it creates with <c>new</c>, the names it calls or reads, whether it loops with
/// <c>foreach</c>, how many lambdas and local functions it has, and which names it mentions where a method group
/// could stand. The analyzer driver binds a body and builds its operation tree for every body that some rule
/// registered an operation action for; a rule that registers per type, only for types whose syntax shows its
/// pattern can occur, spares the driver that work for every other type.
/// </summary>
internal sealed class TypeSyntaxFacts
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, TypeSyntaxFacts>> ByCompilation = new();

    private int createsDisposable = -1;

    private TypeSyntaxFacts(
        ImmutableArray<(SyntaxTree Tree, int Position, TypeSyntax Type)> creations,
        bool hasUntypedCreation,
        ImmutableHashSet<string> names,
        ImmutableHashSet<string> namesOutsideCalls,
        bool hasForEach,
        int functions,
        bool hasSource)
    {
        Creations = creations;
        HasUntypedCreation = hasUntypedCreation;
        Names = names;
        NamesOutsideCalls = namesOutsideCalls;
        HasForEach = hasForEach;
        Functions = functions;
        HasSource = hasSource;
    }

    /// <summary><c>new T(...)</c>: each type written after <c>new</c>, with a position in the type's body to resolve it at.</summary>
    internal ImmutableArray<(SyntaxTree Tree, int Position, TypeSyntax Type)> Creations { get; }

    /// <summary>A <c>new()</c> whose type no declaration beside it names (an argument, a return, an assignment).</summary>
    internal bool HasUntypedCreation { get; }

    /// <summary>Every simple name the type's code calls, reads or writes (<c>Open</c> in <c>File.Open(p)</c>, <c>Current</c>).</summary>
    internal ImmutableHashSet<string> Names { get; }

    /// <summary>The simple names written where a method group could stand: not called, not declared, not in <c>nameof</c>.</summary>
    internal ImmutableHashSet<string> NamesOutsideCalls { get; }

    internal bool HasForEach { get; }

    /// <summary>Lambdas, anonymous methods and local functions.</summary>
    internal int Functions { get; }

    /// <summary>False for a type with no declaration in source to read (then every filter must let it through).</summary>
    internal bool HasSource { get; }

    internal static TypeSyntaxFacts Of(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var cache = ByCompilation.GetValue(compilation, _ => new ConcurrentDictionary<INamedTypeSymbol, TypeSyntaxFacts>(SymbolEqualityComparer.Default));
        var key = type.OriginalDefinition;
        return cache.TryGetValue(key, out var facts) ? facts : cache.GetOrAdd(key, Read(key, cancellationToken));
    }

    /// <summary>
    /// Whether some <c>new T(...)</c> of the type may make something <paramref name="isDisposable"/> accepts: T resolved
    /// where the type's members are declared (a name that does not resolve there, such as a method's type parameter,
    /// counts), and every <c>new()</c> whose target no declaration names. Decided once per type.
    /// </summary>
    internal bool CreatesDisposable(SemanticModelSource models, Func<ITypeSymbol, bool> isDisposable)
    {
        if (createsDisposable < 0)
        {
            createsDisposable = HasUntypedCreation || AnyCreationIs(models, isDisposable) ? 1 : 0;
        }

        return createsDisposable == 1;
    }

    private bool AnyCreationIs(SemanticModelSource models, Func<ITypeSymbol, bool> isDisposable)
    {
        var resolved = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (tree, position, written) in Creations)
        {
            var text = written.ToString();
            if (!resolved.TryGetValue(text, out var disposable))
            {
                var type = models(tree).GetSpeculativeTypeInfo(position, written, SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
                resolved[text] = disposable = type is null || type.TypeKind is TypeKind.Error or TypeKind.TypeParameter || isDisposable(type);
            }

            if (disposable)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where a type's semantic models come from (one per tree and compilation, shared: see RS1030).</summary>
    internal delegate SemanticModel SemanticModelSource(SyntaxTree tree);

    private static TypeSyntaxFacts Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var creations = ImmutableArray.CreateBuilder<(SyntaxTree, int, TypeSyntax)>();
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var outsideCalls = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var untyped = false;
        var forEach = false;
        var functions = 0;
        var hasSource = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            hasSource = true;
            var position = declaration is TypeDeclarationSyntax { OpenBraceToken.RawKind: not 0 } typeDeclaration && !typeDeclaration.OpenBraceToken.IsMissing
                ? typeDeclaration.OpenBraceToken.Span.End
                : declaration.SpanStart;
            foreach (var node in declaration.DescendantNodes())
            {
                switch (node)
                {
                    case ObjectCreationExpressionSyntax creation:
                        creations.Add((reference.SyntaxTree, position, creation.Type));
                        break;
                    case ImplicitObjectCreationExpressionSyntax implicitCreation:
                        if (DeclaredTypeOf(implicitCreation) is { } declared)
                        {
                            creations.Add((reference.SyntaxTree, position, declared));
                        }
                        else
                        {
                            untyped = true;
                        }

                        break;
                    case ForEachStatementSyntax or ForEachVariableStatementSyntax:
                        forEach = true;
                        break;
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        functions++;
                        break;
                    case SimpleNameSyntax name:
                        var text = name.Identifier.ValueText;
                        names.Add(text);
                        if (!IsCallee(name) && !IsInNameOf(name))
                        {
                            outsideCalls.Add(text);
                        }

                        break;
                }
            }
        }

        return new TypeSyntaxFacts(creations.ToImmutable(), untyped, names.ToImmutable(), outsideCalls.ToImmutable(), forEach, functions, hasSource);
    }

    /// <summary><c>Stream s = new(...)</c>, <c>List&lt;int&gt; Items { get; } = new()</c>: the type the declaration names.</summary>
    private static TypeSyntax? DeclaredTypeOf(ImplicitObjectCreationExpressionSyntax creation) =>
        creation.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type: { IsVar: false } type } } } => type,
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax { Type: var type } } => type,
            _ => null,
        };

    private static bool IsCallee(SimpleNameSyntax name)
    {
        SyntaxNode expression = name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name => access,
            MemberBindingExpressionSyntax binding => binding,
            _ => name,
        };
        return expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression;
    }

    private static bool IsInNameOf(SyntaxNode node)
    {
        for (var current = node.Parent; current is ArgumentSyntax or ArgumentListSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax; current = current.Parent)
        {
            if (current is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } })
            {
                return true;
            }
        }

        return false;
    }
}
