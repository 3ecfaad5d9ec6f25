namespace LeakAnalyzers.Shared;

using System;
using Microsoft.CodeAnalysis;

/// <summary>
/// Ownership attributes in user code, recognised by name so that no package is needed:
/// JetBrains' <c>MustDisposeResourceAttribute</c> and <c>HandlesResourceDisposalAttribute</c>, or any attribute so named.
/// </summary>
internal static class Attributes
{
    private const string MustDisposeResourceName = "MustDisposeResourceAttribute";
    private const string HandlesResourceDisposalName = "HandlesResourceDisposalAttribute";

    /// <summary>True or false as the attribute says (its optional bool argument defaults to true); null when absent.</summary>
    internal static bool? MustDisposeResource(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsNamed(attribute, MustDisposeResourceName))
            {
                return attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is bool value ? value : true;
            }
        }

        if (symbol is IMethodSymbol method)
        {
            foreach (var attribute in method.GetReturnTypeAttributes())
            {
                if (IsNamed(attribute, MustDisposeResourceName))
                {
                    return attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is bool value ? value : true;
                }
            }
        }

        return null;
    }

    internal static bool HandlesResourceDisposal(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsNamed(attribute, HandlesResourceDisposalName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNamed(AttributeData attribute, string name) =>
        attribute.AttributeClass is { } type &&
        (string.Equals(type.Name, name, StringComparison.Ordinal) ||
         string.Equals(type.Name + "Attribute", name, StringComparison.Ordinal));
}
