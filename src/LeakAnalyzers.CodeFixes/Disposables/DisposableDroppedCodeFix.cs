namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Editing;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK002: keeps the dropped disposable in a <c>using</c> local. <c>File.Create(path);</c> becomes
/// <c>using var fileStream = File.Create(path);</c>; a creation inside a larger statement moves into a using local
/// declared just before that statement. Not offered for subscriptions (disposing at the end of the scope would end
/// them), inside lambdas' expression bodies, or before C# 8.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposableDroppedCodeFix))]
[Shared]
public sealed class DisposableDroppedCodeFix : CodeFixProvider
{
    private const string Title = "Keep it in a 'using' local";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK002DisposableDropped.Id);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic) is { } expression && MakePlan(expression, semanticModel, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, expression, plan))),
                        equivalenceKey: nameof(DisposableDroppedCodeFix)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return null;
        }

        // Plan every fix on the original tree, mark the expressions, then apply one at a time on the current tree.
        var planned = new List<(SyntaxAnnotation Annotation, Plan Plan)>();
        var targets = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics)
        {
            if (Target(root, diagnostic) is { } expression && !targets.ContainsKey(expression) &&
                MakePlan(expression, semanticModel, context.CancellationToken) is { } plan)
            {
                var annotation = new SyntaxAnnotation();
                targets[expression] = annotation;
                planned.Add((annotation, plan));
            }
        }

        var current = root.ReplaceNodes(targets.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(targets[original]));
        foreach (var (annotation, plan) in planned)
        {
            if (current.GetAnnotatedNodes(annotation).OfType<ExpressionSyntax>().FirstOrDefault() is { } expression)
            {
                current = Apply(current, expression, plan);
            }
        }

        return document.WithSyntaxRoot(current);
    }

    private static ExpressionSyntax? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(DisposableDroppedAnalyzer.FixKey, out var fix) || fix != "using")
        {
            return null;
        }

        return root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax;
    }

    private sealed class Plan
    {
        internal Plan(string baseName, bool await)
        {
            BaseName = baseName;
            Await = await;
        }

        internal string BaseName { get; }

        internal bool Await { get; }
    }

    private static Plan? MakePlan(ExpressionSyntax expression, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (((CSharpParseOptions)expression.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp8 ||
            EnclosingStatement(expression) is null ||
            semanticModel.GetTypeInfo(expression, cancellationToken).Type is not { } type)
        {
            return null;
        }

        var disposable = semanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        var isDisposable = SymbolEqualityComparer.Default.Equals(type, disposable) || type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);
        if (!isDisposable && !IsInAsyncFunction(expression))
        {
            return null;
        }

        return new Plan(BaseName(type), await: !isDisposable);
    }

    private static SyntaxNode Apply(SyntaxNode root, ExpressionSyntax expression, Plan plan)
    {
        var statement = EnclosingStatement(expression)!;
        var name = LocalNames.UniqueInType(statement, plan.BaseName);
        var declaration = UsingDeclaration(name, expression.WithoutTrivia(), plan.Await);

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

    private static LocalDeclarationStatementSyntax UsingDeclaration(string name, ExpressionSyntax value, bool await)
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
