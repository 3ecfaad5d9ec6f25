namespace LeakAnalyzers.Shared;

using Microsoft.CodeAnalysis;

/// <summary>Questions about base types, asked by several models.</summary>
internal static class Hierarchy
{
    /// <summary>
    /// <paramref name="type"/> is <paramref name="baseType"/>, or a class derived from it, whatever their type arguments
    /// (the base-class chain only; interfaces are not followed).
    /// </summary>
    internal static bool IsOrDerivesFrom(ITypeSymbol? type, ITypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }
}
