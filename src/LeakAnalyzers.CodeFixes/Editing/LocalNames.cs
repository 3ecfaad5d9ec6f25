namespace LeakAnalyzers.CodeFixes.Editing;

using System.Collections.Generic;
using System.Linq;

/// <summary>The locals and lambda parameters the fixes write: their names, and <c>using</c> declarations.</summary>
internal static class LocalNames
{
    /// <summary><c>using var name = value;</c> (<c>await using</c> with <paramref name="await"/>), spaced as written by hand.</summary>
    internal static LocalDeclarationStatementSyntax UsingLocal(string name, ExpressionSyntax value, bool await = false)
    {
        var declaration = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(SyntaxTriviaList.Empty, "var", SyntaxFactory.TriviaList(SyntaxFactory.Space))),
                    SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithInitializer(SyntaxFactory.EqualsValueClause(
                                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                                value)))))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        return await
            ? declaration.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            : declaration;
    }

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
