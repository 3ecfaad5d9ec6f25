namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

    private static bool DisposesMember(IMethodSymbol method, string member, HashSet<IMethodSymbol> visiting)
    {
        if (visiting.Count > MaxDepth || !visiting.Add(method))
        {
            return false;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var body = Body(reference.GetSyntax());
            if (body is null)
            {
                continue;
            }

            foreach (var invocation in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (DisposedMemberName(invocation) == member)
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
                    if (candidate is IMethodSymbol other && other.DeclaringSyntaxReferences.Length > 0 &&
                        DisposesMember(other.OriginalDefinition, member, visiting))
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
        method = method.OriginalDefinition;
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
        if (baseType is not null && baseType.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType) &&
            baseType.DeclaringSyntaxReferences.Length == 0)
        {
            return false; // a framework or library base may release something in its own Dispose
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
            foreach (var reference in method.DeclaringSyntaxReferences)
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

        return foundDispose;
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
                    if (type.BaseType is { } baseType && ReleasesNothing(baseType, needsDisposal, visiting))
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

    private static SyntaxNode? Body(SyntaxNode declaration) =>
        declaration switch
        {
            BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
}
