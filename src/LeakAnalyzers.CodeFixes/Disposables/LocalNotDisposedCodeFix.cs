namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Linq;
using System.Threading;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK001: declares the local with <c>using</c> (<c>await using</c> for a type that is only IAsyncDisposable),
/// or, before C# 8, wraps the rest of the block in a using statement. Offered only where the analyzer found
/// the local is never handed over or reassigned. For a writer over a stream the method does not own, it also passes
/// the flag that leaves that stream open (<c>new StreamWriter(output, leaveOpen: true)</c>), so disposing the writer
/// never closes the caller's stream.
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

        ArgumentSyntax? flag = null;
        if (Property(diagnostic, LocalNotDisposedAnalyzer.FlagKey) is { } flagName)
        {
            flag = SyntaxFactory.Argument(
                SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(flagName)),
                default,
                SyntaxFactory.LiteralExpression(Property(diagnostic, LocalNotDisposedAnalyzer.FlagValueKey) == "false" ? SyntaxKind.FalseLiteralExpression : SyntaxKind.TrueLiteralExpression));
            if (!TakesFlag(declaration, flag, editor.SemanticModel))
            {
                return false;
            }

            editor.Title = $"Dispose with 'using', passing '{flag}'";
        }

        editor.Rewrite(declaration, (root, current) => Apply(root, flag is null ? current : WithFlag(current, flag), kind, current));
        return true;
    }

    /// <summary>The creation the local is declared with, given the flag, still binds to a constructor.</summary>
    private static bool TakesFlag(LocalDeclarationStatementSyntax declaration, ArgumentSyntax flag, SemanticModel semanticModel)
    {
        if (Creation(declaration) is not { } creation)
        {
            return false;
        }

        var speculative = creation.WithArgumentList(AddTo(creation.ArgumentList, flag));
        return semanticModel.GetSpeculativeSymbolInfo(creation.SpanStart, speculative, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol
        {
            MethodKind: MethodKind.Constructor,
        };
    }

    private static BaseObjectCreationExpressionSyntax? Creation(LocalDeclarationStatementSyntax declaration)
    {
        var value = declaration.Declaration.Variables[0].Initializer?.Value;
        while (value is ParenthesizedExpressionSyntax parenthesized)
        {
            value = parenthesized.Expression;
        }

        return value as BaseObjectCreationExpressionSyntax;
    }

    private static LocalDeclarationStatementSyntax WithFlag(LocalDeclarationStatementSyntax declaration, ArgumentSyntax flag) =>
        Creation(declaration) is { } creation
            ? declaration.ReplaceNode(creation, creation.WithArgumentList(AddTo(creation.ArgumentList, flag)))
            : declaration;

    private static ArgumentListSyntax AddTo(ArgumentListSyntax? arguments, ArgumentSyntax flag) =>
        arguments is null
            ? SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(flag))
            : arguments.WithArguments(arguments.Arguments.Add(flag));

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

    /// <summary>Turns <paramref name="original"/>, the declaration in <paramref name="root"/>, into <paramref name="declaration"/> declared with using.</summary>
    private static SyntaxNode Apply(SyntaxNode root, LocalDeclarationStatementSyntax declaration, Kind kind, LocalDeclarationStatementSyntax original)
    {
        if (kind == Kind.UsingStatement)
        {
            return WrapRestOfBlock(root, original, declaration);
        }

        var leading = declaration.GetLeadingTrivia();
        var updated = declaration
            .WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        if (kind == Kind.AwaitUsingDeclaration)
        {
            updated = updated.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return root.ReplaceNode(original, updated.WithLeadingTrivia(leading));
    }

    /// <summary>C# 7.3 and older: <c>using (var x = ...) { rest of the block }</c>.</summary>
    private static SyntaxNode WrapRestOfBlock(SyntaxNode root, LocalDeclarationStatementSyntax original, LocalDeclarationStatementSyntax declaration)
    {
        var block = (BlockSyntax)original.Parent!;
        var index = block.Statements.IndexOf(original);
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
