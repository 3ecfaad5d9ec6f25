namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// What the source of the compilation says about disposal, read from declarations' syntax once per symbol
/// (no semantic model of another method is built):
/// <list type="bullet">
/// <item>whether a method disposes one of its parameters (<c>timer.WaitForDispose()</c> in NLog disposes its receiver),
/// so that handing a disposable to it hands it over;</item>
/// <item>whether a type's Dispose releases nothing: it only disposes members that need no disposal themselves
/// (NLog's <c>ReusableStreamCreator</c> disposes a <c>MemoryStream</c>), so an undisposed instance is not a leak.</item>
/// </list>
/// </summary>
internal sealed class SourceDisposal
{
    private const int MaxDepth = 3;
    private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> disposesParameter = new();
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> releasesNothing = new(SymbolEqualityComparer.Default);

    private readonly ConcurrentDictionary<(IMethodSymbol, string), bool> disposesMember = new();

    /// <summary>
    /// True when the method's body disposes or closes the member named <paramref name="member"/> of its own type,
    /// directly or through methods of the same type it calls by name (three calls deep): <c>Stop()</c> that calls
    /// <c>timer?.Dispose()</c>.
    /// </summary>
    internal bool DisposesMember(IMethodSymbol method, string member)
    {
        method = method.OriginalDefinition;
        return method.DeclaringSyntaxReferences.Length > 0 &&
               disposesMember.GetOrAdd((method, member), key => DisposesMember(key.Item1, key.Item2, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)));
    }

    private static bool DisposesMember(IMethodSymbol method, string member, HashSet<IMethodSymbol> visiting) =>
        Reaches(method, invocation => DisposedMemberName(invocation) == member, skipCatchesAndLambdas: false, visiting);

    private readonly ConcurrentDictionary<IMethodSymbol, bool> disposesThis = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when a source method that is not itself a Dispose method disposes its own object: it calls
    /// <c>Dispose()</c>, <c>Dispose(true)</c>, <c>DisposeAsync()</c> or <c>Close()</c> on <c>this</c>, directly or through
    /// methods of its type it calls by name (three calls deep): a pooled builder's <c>ToString()</c> that returns
    /// its buffer to the pool, a <c>CloseAsync()</c> that ends in <c>DisposeAsync()</c>. A call in a catch clause or
    /// in a lambda does not count: a method that disposes only when it fails, or later, leaves a live object.
    /// </summary>
    internal bool DisposesThis(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return !method.IsStatic && method.MethodKind == MethodKind.Ordinary && method.DeclaringSyntaxReferences.Length > 0 &&
               !OwnershipModel.IsDisposeMethod(method) &&
               disposesThis.GetOrAdd(method, m => Reaches(m, IsDisposeCallOnThis, skipCatchesAndLambdas: true, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)));
    }

    private static bool IsDisposeCallOnThis(InvocationExpressionSyntax invocation)
    {
        var name = invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var member } => member.Identifier.ValueText,
            _ => null,
        };
        var arguments = invocation.ArgumentList.Arguments;
        return name switch
        {
            "Dispose" => arguments.Count == 0 || (arguments.Count == 1 && arguments[0].Expression.IsKind(SyntaxKind.TrueLiteralExpression)),
            "DisposeAsync" or "Close" => arguments.Count == 0,
            _ => false,
        };
    }

    /// <summary>
    /// Whether the body of <paramref name="method"/>, or of a method of its type it calls by name (three calls deep),
    /// holds an invocation <paramref name="found"/> accepts; with <paramref name="skipCatchesAndLambdas"/>, not in a
    /// catch clause, a lambda or a local function.
    /// </summary>
    private static bool Reaches(IMethodSymbol method, Func<InvocationExpressionSyntax, bool> found, bool skipCatchesAndLambdas, HashSet<IMethodSymbol> visiting)
    {
        if (visiting.Count > MaxDepth || !visiting.Add(method))
        {
            return false;
        }

        foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
        {
            var body = Body(reference.GetSyntax());
            if (body is null)
            {
                continue;
            }

            var nodes = skipCatchesAndLambdas
                ? body.DescendantNodes(node => node is not (CatchClauseSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                : body.DescendantNodes();
            foreach (var invocation in nodes.OfType<InvocationExpressionSyntax>())
            {
                if (found(invocation))
                {
                    return true;
                }

                var callee = invocation.Expression switch
                {
                    IdentifierNameSyntax name => name.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
                    _ => null,
                };
                if (callee is null)
                {
                    continue;
                }

                foreach (var candidate in method.ContainingType.GetMembers(callee))
                {
                    if (candidate is IMethodSymbol { IsStatic: false } other && other.DeclaringSyntaxReferences.Length > 0 &&
                        Reaches(other.OriginalDefinition, found, skipCatchesAndLambdas, visiting))
                    {
                        return true;
                    }
                }
            }
        }

        visiting.Remove(method);
        return false;
    }

    /// <summary>True when the method's body disposes or closes the parameter at <paramref name="ordinal"/>.</summary>
    internal bool DisposesParameter(IMethodSymbol method, int ordinal)
    {
        method = method.ReducedFrom ?? method;
        method = Implementation(method.OriginalDefinition);
        if (method.DeclaringSyntaxReferences.Length != 1 || ordinal < 0 || ordinal >= method.Parameters.Length)
        {
            return false;
        }

        return disposesParameter.GetOrAdd((method, ordinal), static key =>
        {
            var name = key.Item1.Parameters[key.Item2].Name;
            var body = Body(key.Item1.DeclaringSyntaxReferences[0].GetSyntax());
            if (body is null)
            {
                return false;
            }

            foreach (var node in body.DescendantNodes())
            {
                if (node is InvocationExpressionSyntax invocation && IsDisposeCallOn(invocation, name))
                {
                    return true;
                }

                if (node is UsingStatementSyntax { Expression: IdentifierNameSyntax used } && used.Identifier.ValueText == name)
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary>
    /// True for a type declared in source whose Dispose methods do nothing but dispose members whose types need no
    /// disposal (and call its own Dispose(bool) or GC.SuppressFinalize), with no finalizer and no base type outside source.
    /// </summary>
    internal bool ReleasesNothing(INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal)
    {
        type = type.OriginalDefinition;
        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        // Only finished answers are shared between threads; a cycle is cut with the conservative "no".
        return releasesNothing.GetOrAdd(type, t => ReleasesNothing(t, needsDisposal, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default)));
    }

    private bool ReleasesNothing(INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal, HashSet<INamedTypeSymbol> visiting)
    {
        type = type.OriginalDefinition;
        if (visiting.Count > MaxDepth || type.DeclaringSyntaxReferences.Length == 0 || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) ||
            !visiting.Add(type))
        {
            return false;
        }

        var result = Compute(type, needsDisposal, visiting);
        visiting.Remove(type);
        return result;
    }

    private bool Compute(INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal, HashSet<INamedTypeSymbol> visiting)
    {
        var baseType = type.BaseType;
        var baseReleasesNothing = false;
        if (baseType is not null && baseType.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType) &&
            baseType.DeclaringSyntaxReferences.Length == 0)
        {
            // A framework or library base may release something in its own Dispose, unless the tables say it needs
            // none (a StringWriter or MemoryStream subclass that adds no resource of its own).
            if (needsDisposal(baseType))
            {
                return false;
            }

            baseReleasesNothing = true;
        }

        var foundDispose = false;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            if (method.MethodKind == MethodKind.Destructor)
            {
                return false;
            }

            if (!IsDisposeMethod(method))
            {
                continue;
            }

            foundDispose = true;
            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                var body = Body(reference.GetSyntax());
                if (body is null || !OnlyReleasesHarmlessMembers(body, type, needsDisposal, visiting))
                {
                    return false;
                }
            }
        }

        if (!foundDispose && baseType is { DeclaringSyntaxReferences.Length: > 0 })
        {
            return ReleasesNothing(baseType, needsDisposal, visiting);
        }

        return foundDispose || baseReleasesNothing;
    }

    private bool OnlyReleasesHarmlessMembers(SyntaxNode body, INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal, HashSet<INamedTypeSymbol> visiting)
    {
        foreach (var node in body.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            switch (invocation.Expression)
            {
                // Dispose(true), this.Dispose(disposing)
                case IdentifierNameSyntax { Identifier.ValueText: "Dispose" }:
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" }:
                    continue;

                // GC.SuppressFinalize(this)
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "GC" }, Name.Identifier.ValueText: "SuppressFinalize" }:
                    continue;

                // base.Dispose(...) on a source base is judged with the base.
                case MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax }:
                    if (type.BaseType is { } baseType &&
                        (baseType.DeclaringSyntaxReferences.Length == 0 ? !needsDisposal(baseType) : ReleasesNothing(baseType, needsDisposal, visiting)))
                    {
                        continue;
                    }

                    return false;
            }

            if (DisposedMemberName(invocation) is not { } name || FindFieldType(type, name) is not { } memberType ||
                (needsDisposal(memberType) && !(memberType is INamedTypeSymbol named && ReleasesNothing(named, needsDisposal, visiting)) &&
                 !KnownApis.ReleasesNothingIn(memberType, type, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Operations.IArgumentOperation>.Empty)))
            {
                return false;
            }
        }

        return true;
    }

    private static ITypeSymbol? FindFieldType(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                switch (member)
                {
                    case IFieldSymbol field:
                        return field.Type;
                    case IPropertySymbol property:
                        return property.Type;
                }
            }
        }

        return null;
    }

    /// <summary><c>x.Dispose()</c>, <c>x?.Dispose()</c>, <c>this.x.Close()</c>: the name of x.</summary>
    private static string? DisposedMemberName(InvocationExpressionSyntax invocation)
    {
        ExpressionSyntax? receiver;
        string method;
        switch (invocation.Expression)
        {
            case MemberAccessExpressionSyntax access:
                receiver = access.Expression;
                method = access.Name.Identifier.ValueText;
                break;
            case MemberBindingExpressionSyntax binding when invocation.Parent is ConditionalAccessExpressionSyntax conditional:
                receiver = conditional.Expression;
                method = binding.Name.Identifier.ValueText;
                break;
            default:
                return null;
        }

        if (method is not ("Dispose" or "Close" or "DisposeAsync") || invocation.ArgumentList.Arguments.Count != 0)
        {
            return null;
        }

        return receiver switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
            _ => null,
        };
    }

    private static bool IsDisposeCallOn(InvocationExpressionSyntax invocation, string name) =>
        DisposedMemberName(invocation) == name;

    private static bool IsDisposeMethod(IMethodSymbol method)
    {
        var name = method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0
            ? method.ExplicitInterfaceImplementations[0].Name
            : method.Name;
        return name is "Dispose" or "DisposeAsync" or "Close";
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, DisposeGuard?> disposeGuards = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when the object <paramref name="creation"/> builds (of a source type) releases nothing in Dispose because
    /// every Dispose of the type first tests a bool member that only constructors set (<c>if (isPooled)
    /// ArrayPool.Return(...)</c>, <c>if (!ownsHandle) return;</c>), and this constructor, with these arguments, leaves
    /// it false: the member's initial value when the constructor does not set it, or the constant (or default) value
    /// of the parameter it is set from.
    /// </summary>
    internal bool GuardedOff(IObjectCreationOperation creation)
    {
        if (creation.Type is not INamedTypeSymbol type || creation.Constructor is not { } constructor ||
            type.OriginalDefinition.DeclaringSyntaxReferences.Length == 0 ||
            disposeGuards.GetOrAdd(type.OriginalDefinition, FindGuard) is not { } guard)
        {
            return false;
        }

        constructor = Implementation(constructor.OriginalDefinition);
        if (constructor.DeclaringSyntaxReferences.Length == 0)
        {
            return guard.Initial == false; // the implicit constructor sets nothing
        }

        if (constructor.DeclaringSyntaxReferences.Length != 1 ||
            constructor.DeclaringSyntaxReferences[0].GetSyntax() is not ConstructorDeclarationSyntax declaration ||
            declaration.Initializer is { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.ThisKeyword })
        {
            return false;
        }

        AssignmentExpressionSyntax? set = null;
        foreach (var assignment in declaration.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (NameOf(assignment.Left) == guard.Name)
            {
                if (set is not null || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    return false;
                }

                set = assignment;
            }
        }

        if (set is null)
        {
            return guard.Initial == false;
        }

        switch (set.Right)
        {
            case LiteralExpressionSyntax literal:
                return literal.IsKind(SyntaxKind.FalseLiteralExpression);
            case IdentifierNameSyntax identifier:
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Parameter is { } parameter && parameter.Name == identifier.Identifier.ValueText &&
                        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, creation.Constructor.OriginalDefinition))
                    {
                        return argument.Value.ConstantValue is { HasValue: true, Value: false };
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static DisposeGuard? FindGuard(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsRecord ||
            type.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) })
        {
            return null;
        }

        string? guard = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            if (method.MethodKind == MethodKind.Destructor)
            {
                return null;
            }

            if (!IsDisposeMethod(method))
            {
                continue;
            }

            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                switch (Body(reference.GetSyntax()))
                {
                    case BlockSyntax block when OnlyDelegates(block):
                        continue;
                    case BlockSyntax block when GuardOf(block) is { } name && (guard is null || guard == name):
                        guard = name;
                        continue;
                    default:
                        return null;
                }
            }
        }

        if (guard is null)
        {
            return null;
        }

        // The guard is a bool field that only the type can set, or a get-only auto-property; only constructors set it.
        bool? initial = false;
        switch (type.GetMembers(guard).FirstOrDefault())
        {
            case IFieldSymbol { IsStatic: false, Type.SpecialType: SpecialType.System_Boolean } field
                when field.IsReadOnly || field.DeclaredAccessibility == Accessibility.Private:
                foreach (var reference in field.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var value })
                    {
                        initial = value.IsKind(SyntaxKind.FalseLiteralExpression) ? false : value.IsKind(SyntaxKind.TrueLiteralExpression) ? true : null;
                    }
                }

                break;
            case IPropertySymbol { IsStatic: false, SetMethod: null, Type.SpecialType: SpecialType.System_Boolean } property:
                foreach (var reference in property.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is not PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors } declaration ||
                        accessors.Accessors.Any(accessor => accessor.Body is not null || accessor.ExpressionBody is not null))
                    {
                        return null; // not an auto-property: its getter may compute anything
                    }

                    if (declaration.Initializer is { Value: var value })
                    {
                        initial = value.IsKind(SyntaxKind.FalseLiteralExpression) ? false : value.IsKind(SyntaxKind.TrueLiteralExpression) ? true : null;
                    }
                }

                break;
            default:
                return null;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var assignment in reference.GetSyntax().DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (NameOf(assignment.Left) == guard && assignment.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is null)
                {
                    return null;
                }
            }
        }

        return new DisposeGuard(guard, initial);
    }

    /// <summary>Dispose() { Dispose(true); GC.SuppressFinalize(this); }: only calls the type's other Dispose.</summary>
    private static bool OnlyDelegates(BlockSyntax block) =>
        block.Statements.All(statement => statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation } &&
            invocation.Expression switch
            {
                IdentifierNameSyntax { Identifier.ValueText: "Dispose" or "DisposeAsync" } => true,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" or "DisposeAsync" } => true,
                MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "GC" }, Name.Identifier.ValueText: "SuppressFinalize" } => true,
                _ => false,
            });

    /// <summary>
    /// The member a Dispose body tests before doing anything: <c>if (!flag) return;</c> first, or every statement an
    /// <c>if</c> without else whose condition is the flag, alone or and-ed with something else.
    /// </summary>
    private static string? GuardOf(BlockSyntax block)
    {
        if (block.Statements.Count == 0)
        {
            return null;
        }

        if (block.Statements[0] is IfStatementSyntax { Else: null, Condition: PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var negated } } first &&
            (first.Statement is ReturnStatementSyntax { Expression: null } ||
             (first.Statement is BlockSyntax { Statements.Count: 1 } only && only.Statements[0] is ReturnStatementSyntax { Expression: null })) &&
            NameOf(negated) is { } returned)
        {
            return returned;
        }

        string? guard = null;
        foreach (var statement in block.Statements)
        {
            if (statement is not IfStatementSyntax { Else: null } guarded || Conjunct(guarded.Condition, guard) is not { } name)
            {
                return null;
            }

            guard = name;
        }

        return guard;
    }

    /// <summary>The member name among the and-ed terms of <paramref name="condition"/> (the one named <paramref name="expected"/>, when given).</summary>
    private static string? Conjunct(ExpressionSyntax condition, string? expected)
    {
        condition = Unparenthesize(condition);
        if (condition is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and)
        {
            return Conjunct(and.Left, expected) ?? Conjunct(and.Right, expected);
        }

        return NameOf(condition) is { } name && (expected is null || expected == name) ? name : null;
    }

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary><c>flag</c> or <c>this.flag</c>: the name of a member of this object.</summary>
    private static string? NameOf(ExpressionSyntax expression) =>
        Unparenthesize(expression) switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
            _ => null,
        };

    private sealed class DisposeGuard
    {
        internal DisposeGuard(string name, bool? initial)
        {
            Name = name;
            Initial = initial;
        }

        internal string Name { get; }

        /// <summary>Its value when no constructor sets it; null when its initializer is not a constant.</summary>
        internal bool? Initial { get; }
    }

    /// <summary>A partial method or constructor declares on one part and has its body on the other.</summary>
    private static IMethodSymbol Implementation(IMethodSymbol method) => method.PartialImplementationPart ?? method;

    private static SyntaxNode? Body(SyntaxNode declaration) =>
        declaration switch
        {
            BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
}
