namespace LeakAnalyzers.Shared;

using System.Text;
using Microsoft.CodeAnalysis;

/// <summary>
/// Names of symbols as the known-APIs table and .editorconfig write them:
/// a type by its full metadata name (<c>System.Collections.Generic.List`1</c>), a member as
/// <c>Type.Member</c>, a constructor as <c>Type..ctor</c>.
/// </summary>
internal static class SymbolNames
{
    internal static string FullMetadataName(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol or IPointerTypeSymbol or ITypeParameterSymbol)
        {
            return type.Name;
        }

        var builder = new StringBuilder();
        Append(builder, type.OriginalDefinition);
        return builder.ToString();
    }

    internal static string MemberKey(ITypeSymbol containingType, string memberName) =>
        FullMetadataName(containingType) + "." + memberName;

    private static void Append(StringBuilder builder, ISymbol symbol)
    {
        if (symbol.ContainingType is { } outer)
        {
            Append(builder, outer);
            builder.Append('+');
        }
        else if (symbol.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            builder.Append(ns.ToDisplayString());
            builder.Append('.');
        }

        builder.Append(symbol.MetadataName);
    }
}
