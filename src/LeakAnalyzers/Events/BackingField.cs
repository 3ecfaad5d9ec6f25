namespace LeakAnalyzers.Events;

using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// One publisher, two names: a property whose getter only returns a field of its own type
/// (<c>static AppDomain CurrentAppDomain => currentAppDomain;</c>) stands for that field, so a subscription through
/// the property and a removal through the field are of the same publisher. Read from the getter's syntax (an
/// expression body, or a block that is one return), no semantic model.
/// </summary>
internal static class BackingField
{
    private static readonly ConditionalWeakTable<ISymbol, StrongBox<ISymbol?>> Cache = new();

    /// <summary>The field the property returns, or null.</summary>
    internal static ISymbol? Of(ISymbol member) =>
        member is IPropertySymbol { IsIndexer: false, GetMethod: { } } property && !property.DeclaringSyntaxReferences.IsEmpty
            ? Cache.GetValue(property, p => new StrongBox<ISymbol?>(Find((IPropertySymbol)p))).Value
            : null;

    private static ISymbol? Find(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.Length != 1 || property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax declaration)
        {
            return null;
        }

        ExpressionSyntax? returned = declaration.ExpressionBody?.Expression;
        if (returned is null && declaration.AccessorList is { } accessors)
        {
            foreach (var accessor in accessors.Accessors)
            {
                if (accessor.Keyword.ValueText != "get")
                {
                    continue;
                }

                returned = accessor.ExpressionBody?.Expression ??
                           (accessor.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null);
            }
        }

        var name = returned switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax named } => named.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax owner, Name: IdentifierNameSyntax named } when owner.Identifier.ValueText == property.ContainingType.Name => named.Identifier.ValueText,
            _ => null,
        };

        if (name is null)
        {
            return null;
        }

        foreach (var candidate in property.ContainingType.GetMembers(name))
        {
            if (candidate is IFieldSymbol field && field.IsStatic == property.IsStatic)
            {
                return field.OriginalDefinition;
            }
        }

        return null;
    }
}
