namespace LeakAnalyzers.Shared;

using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// Methods in source whose result the caller owns because every value they return is a new object:
/// <c>Stream Open() =&gt; new FileStream(...)</c>. Decided from the declaration's syntax alone (no semantic model of
/// another method is built), once per method and compilation. A method that returns a field, a parameter, a
/// call result or <c>this</c> lends or forwards, and is not a factory.
/// </summary>
internal sealed class SourceFactories
{
    private readonly ConcurrentDictionary<IMethodSymbol, bool> cache = new(SymbolEqualityComparer.Default);

    internal bool IsFactory(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.Length != 1 || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
        {
            return false;
        }

        return cache.GetOrAdd(method, static m => Compute(m.DeclaringSyntaxReferences[0].GetSyntax()));
    }

    private static bool Compute(SyntaxNode declaration)
    {
        var (body, expressionBody) = declaration switch
        {
            MethodDeclarationSyntax method => (method.Body, method.ExpressionBody),
            LocalFunctionStatementSyntax local => (local.Body, local.ExpressionBody),
            _ => ((BlockSyntax?)null, (ArrowExpressionClauseSyntax?)null),
        };

        if (expressionBody is not null)
        {
            return IsNewObject(expressionBody.Expression, allowNull: false);
        }

        if (body is null)
        {
            return false;
        }

        var returns = 0;
        foreach (var node in body.DescendantNodes(descendIntoChildren: n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            switch (node)
            {
                case ReturnStatementSyntax { Expression: { } expression }:
                    if (!IsNewObject(expression, allowNull: true))
                    {
                        return false;
                    }

                    returns++;
                    break;
                case YieldStatementSyntax:
                    return false;
            }
        }

        return returns > 0;
    }

    private static bool IsNewObject(ExpressionSyntax expression, bool allowNull)
    {
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            expression = expression is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)expression).Expression;
        }

        return expression switch
        {
            ObjectCreationExpressionSyntax => true,
            ImplicitObjectCreationExpressionSyntax => true,
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression) => allowNull,
            ConditionalExpressionSyntax conditional => IsNewObject(conditional.WhenTrue, true) && IsNewObject(conditional.WhenFalse, true),
            _ => false,
        };
    }
}
