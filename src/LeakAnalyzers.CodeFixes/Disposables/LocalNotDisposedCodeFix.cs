namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Linq;
using System.Threading;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK001: declares the local with <c>using</c> (<c>await using</c> for a type that is only IAsyncDisposable),
/// or, before C# 8, wraps the rest of the block in a using statement. Offered only where the analyzer found
/// the local is never handed over or reassigned.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LocalNotDisposedCodeFix)), Shared]
public sealed class LocalNotDisposedCodeFix() : LeakCodeFix(Descriptors.LEAK001LocalNotDisposed.Id, new FixAction("Dispose with 'using'", nameof(LocalNotDisposedCodeFix), Plan))
{
    /// <summary>Decided on the original tree; applied where the declaration is once the fixes before it are.</summary>
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, LocalNotDisposedAnalyzer.FixKey) != "using" ||
            editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration } } ||
            !declaration.UsingKeyword.IsKind(SyntaxKind.None) ||
            declaration.Parent is not (BlockSyntax or GlobalStatementSyntax) ||
            UsingKind(declaration, editor.SemanticModel, editor.CancellationToken) is not { } kind)
        {
            return false;
        }

        editor.Rewrite(declaration, (root, current) => Apply(root, current, kind));
        return true;
    }

    private enum Kind
    {
        UsingDeclaration,
        AwaitUsingDeclaration,
        UsingStatement,
    }

    private static Kind? UsingKind(LocalDeclarationStatementSyntax declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var variable = declaration.Declaration.Variables[0];
        if (semanticModel.GetDeclaredSymbol(variable, cancellationToken) is not ILocalSymbol local)
        {
            return null;
        }

        var disposable = semanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        var isDisposable = local.Type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default) ||
                           SymbolEqualityComparer.Default.Equals(local.Type, disposable);
        var languageVersion = ((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion;

        if (languageVersion < LanguageVersion.CSharp8)
        {
            return isDisposable && declaration.Parent is BlockSyntax ? Kind.UsingStatement : null;
        }

        if (isDisposable)
        {
            return Kind.UsingDeclaration;
        }

        // Only IAsyncDisposable: `await using` needs an async context.
        var function = declaration.Parent?.Parent;
        var isAsync = function switch
        {
            MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax localFunction => localFunction.Modifiers.Any(SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
            _ => false,
        };
        return isAsync ? Kind.AwaitUsingDeclaration : null;
    }

    private static SyntaxNode Apply(SyntaxNode root, LocalDeclarationStatementSyntax declaration, Kind kind)
    {
        if (kind == Kind.UsingStatement)
        {
            return WrapRestOfBlock(root, declaration);
        }

        var leading = declaration.GetLeadingTrivia();
        var updated = declaration
            .WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        if (kind == Kind.AwaitUsingDeclaration)
        {
            updated = updated.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return root.ReplaceNode(declaration, updated.WithLeadingTrivia(leading));
    }

    /// <summary>C# 7.3 and older: <c>using (var x = ...) { rest of the block }</c>.</summary>
    private static SyntaxNode WrapRestOfBlock(SyntaxNode root, LocalDeclarationStatementSyntax declaration)
    {
        var block = (BlockSyntax)declaration.Parent!;
        var index = block.Statements.IndexOf(declaration);
        var rest = block.Statements.Skip(index + 1).ToList();
        var usingStatement = SyntaxFactory.UsingStatement(
                declaration: declaration.Declaration.WithoutTrivia(),
                expression: null,
                statement: SyntaxFactory.Block(rest))
            .WithLeadingTrivia(declaration.GetLeadingTrivia())
            .WithTrailingTrivia(declaration.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var statements = block.Statements.Take(index).Append(usingStatement);
        return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statements)));
    }
}
