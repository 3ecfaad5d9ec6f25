namespace LeakAnalyzers.Events;

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// The calls of a public registration method (<c>Register(window)</c>) in the whole compilation, for LEAK105: is it
/// called more than once with the same publisher? Only asked for the rare method that subscribes to a parameter's
/// event and has a removal elsewhere; the trees are filtered by the method's name as text before anything is bound.
/// Two calls pass the same publisher when their arguments name the same field or property (of the same object, or
/// static), or the same local or parameter in the same method.
/// </summary>
internal static class RegistrationCalls
{
    private static readonly ConditionalWeakTable<IMethodSymbol, StrongBox<string?>> Cache = new();

    /// <summary>The argument passed twice, as written at the first call, or null.</summary>
    internal static string? SameArgumentTwice(SourceOwnership? source, Compilation compilation, IMethodSymbol method, IParameterSymbol parameter) =>
        source is null ? null : Cache.GetValue(method.OriginalDefinition, m => new StrongBox<string?>(Find(source, compilation, m, parameter.Ordinal))).Value;

    private static string? Find(SourceOwnership source, Compilation compilation, IMethodSymbol method, int ordinal)
    {
        var seen = new Dictionary<(ISymbol, ISymbol?), string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = tree.GetText().ToString();
            if (text.IndexOf(method.Name, StringComparison.Ordinal) < 0)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var invocation in tree.GetRoot().DescendantNodes())
            {
                if (invocation is not InvocationExpressionSyntax call ||
                    Name(call.Expression) != method.Name ||
                    call.ArgumentList.Arguments.Count <= ordinal)
                {
                    continue;
                }

                model ??= source.SemanticModelOf(tree);
                if (model.GetSymbolInfo(call).Symbol is not IMethodSymbol target ||
                    !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method))
                {
                    continue;
                }

                var argument = call.ArgumentList.Arguments[ordinal].Expression;
                if (model.GetSymbolInfo(argument).Symbol is not { } symbol ||
                    symbol is not (IFieldSymbol or IPropertySymbol or ILocalSymbol or IParameterSymbol))
                {
                    continue;
                }

                // A static member; a field of this object, or a local or parameter: the same name in the same type or method is the same object.
                ISymbol? scope;
                if (symbol is ILocalSymbol or IParameterSymbol)
                {
                    scope = model.GetEnclosingSymbol(call.SpanStart);
                }
                else if (symbol.IsStatic)
                {
                    scope = null;
                }
                else if (argument is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax })
                {
                    scope = model.GetEnclosingSymbol(call.SpanStart)?.ContainingType;
                }
                else
                {
                    continue;
                }

                var key = (symbol.OriginalDefinition, scope);
                if (seen.ContainsKey(key))
                {
                    return seen[key];
                }

                seen[key] = argument.ToString();
            }
        }

        return null;
    }

    private static string? Name(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };
}
