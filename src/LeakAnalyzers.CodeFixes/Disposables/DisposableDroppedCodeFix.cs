namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Linq;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK002: keeps the dropped disposable in a <c>using</c> local. <c>File.Create(path);</c> becomes
/// <c>using var fileStream = File.Create(path);</c>; a creation inside a larger statement moves into a using local
/// declared just before that statement. Not offered for subscriptions (disposing at the end of the scope would end
/// them), inside lambdas' expression bodies, or before C# 8.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposableDroppedCodeFix)), Shared]
public sealed class DisposableDroppedCodeFix() : LeakCodeFix(Descriptors.LEAK002DisposableDropped.Id, new FixAction("Keep it in a 'using' local", nameof(DisposableDroppedCodeFix), Plan))
{
    /// <summary>Decided on the original tree; the local is named when it is written, so that each gets a name of its own.</summary>
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, DisposableDroppedAnalyzer.FixKey) != "using" ||
            editor.NodeAt(diagnostic) is not ExpressionSyntax expression ||
            ((CSharpParseOptions)expression.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp8 ||
            EnclosingStatement(expression) is null ||
            editor.SemanticModel.GetTypeInfo(expression, editor.CancellationToken).Type is not { } type)
        {
            return false;
        }

        var disposable = editor.SemanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        var isDisposable = SymbolEqualityComparer.Default.Equals(type, disposable) || type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);
        if (!isDisposable && !IsInAsyncFunction(expression))
        {
            return false;
        }

        var baseName = BaseName(type);
        editor.Rewrite(expression, (root, current) => Apply(root, current, baseName, await: !isDisposable));
        return true;
    }

    private static SyntaxNode Apply(SyntaxNode root, ExpressionSyntax expression, string baseName, bool await)
    {
        var statement = EnclosingStatement(expression)!;
        var name = LocalNames.UniqueInType(statement, baseName);
        var declaration = LocalNames.UsingLocal(name, expression.WithoutTrivia(), await);

        // `File.Create(path);` or `_ = File.Create(path);`: the statement becomes the declaration.
        if (statement is ExpressionStatementSyntax { Expression: var whole } &&
            (whole == expression || whole is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Right: var right } && right == expression))
        {
            return root.ReplaceNode(statement, declaration.WithTriviaFrom(statement));
        }

        var updatedStatement = statement.ReplaceNode(expression, SyntaxFactory.IdentifierName(name).WithTriviaFrom(expression));
        var inserted = declaration
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(TypeEditor.NewLineOf(root))
            .WithAdditionalAnnotations(Formatter.Annotation);

        if (statement.Parent is BlockSyntax block)
        {
            var index = block.Statements.IndexOf(statement);
            var statements = block.Statements.RemoveAt(index).InsertRange(index, new StatementSyntax[] { inserted, updatedStatement });
            return root.ReplaceNode(block, block.WithStatements(statements));
        }

        // A top-level statement.
        var global = (GlobalStatementSyntax)statement.Parent!;
        var unit = (CompilationUnitSyntax)global.Parent!;
        var position = unit.Members.IndexOf(global);
        var members = unit.Members.RemoveAt(position).InsertRange(
            position,
            new MemberDeclarationSyntax[] { SyntaxFactory.GlobalStatement(inserted), global.WithStatement(updatedStatement) });
        return root.ReplaceNode(unit, unit.WithMembers(members));
    }

    /// <summary>The statement, directly in a block or at top level, that evaluates the expression; null inside a lambda or a non-block context.</summary>
    private static StatementSyntax? EnclosingStatement(ExpressionSyntax expression)
    {
        for (SyntaxNode? node = expression.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return null;
                case StatementSyntax statement:
                    return statement.Parent is BlockSyntax or GlobalStatementSyntax &&
                           statement is not (LocalFunctionStatementSyntax or LabeledStatementSyntax)
                        ? statement
                        : null;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool IsInAsyncFunction(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case CompilationUnitSyntax:
                    return true; // top-level statements may await
            }
        }

        return false;
    }

    /// <summary><c>FileStream</c> → <c>fileStream</c>; <c>IDisposable</c> → <c>disposable</c>.</summary>
    private static string BaseName(ITypeSymbol type)
    {
        var name = type.Name;
        if (name.Length > 2 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name.Substring(1);
        }

        if (name.Length == 0)
        {
            return "resource";
        }

        name = char.ToLowerInvariant(name[0]) + name.Substring(1);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
