namespace LeakAnalyzers.CodeFixes.Editing;

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>Names for the locals and lambda parameters the fixes write.</summary>
internal static class LocalNames
{
    /// <summary>
    /// A name no identifier of the enclosing type (or of the file, at top level) uses, so that the new local neither
    /// hides nor is hidden by anything written there: <paramref name="baseName"/>, then with 2, 3, ...
    /// </summary>
    internal static string UniqueInType(SyntaxNode at, string baseName) =>
        Unique(baseName, IdentifiersIn((SyntaxNode?)at.FirstAncestorOrSelf<TypeDeclarationSyntax>() ?? at.SyntaxTree.GetRoot()));

    /// <summary><paramref name="baseName"/>, or with 2, 3, ... until it is not in <paramref name="used"/> (a leading <c>@</c> is ignored).</summary>
    internal static string Unique(string baseName, ICollection<string> used)
    {
        var candidate = baseName;
        for (var suffix = 2; used.Contains(candidate.TrimStart('@')); suffix++)
        {
            candidate = baseName + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>Every identifier written in <paramref name="scope"/>.</summary>
    internal static HashSet<string> IdentifiersIn(SyntaxNode scope) =>
        new(scope.DescendantTokens().Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText));
}
