namespace LeakAnalyzers.CodeFixes.Closures;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using LeakAnalyzers.Closures;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// LEAK301: a dropped cancellation-token registration, in a method that goes on to await, is kept in a <c>using</c>
/// local so that it is disposed when the awaited work is done: <c>token.Register(() => Cancel());</c> becomes
/// <c>using var registration = token.Register(() => Cancel());</c>. Offered only where the analyzer said so
/// (C# 8 or later, the registration is a statement of its own in a block, and a later statement of that block awaits).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeRegistrationCodeFix))]
[Shared]
public sealed class DisposeRegistrationCodeFix : CodeFixProvider
{
    private const string Title = "Dispose the registration when the awaited work is done ('using' local)";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK301CapturingDelegateKeptAlive.Id);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic) is { } statement)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, statement))),
                        equivalenceKey: nameof(DisposeRegistrationCodeFix)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        // Mark every statement on the original tree, then rewrite one at a time so that each gets a name of its own.
        var annotations = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics)
        {
            if (Target(root, diagnostic) is { } statement && !annotations.ContainsKey(statement))
            {
                annotations[statement] = new SyntaxAnnotation();
            }
        }

        var ordered = annotations.Values.ToList();
        var current = root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original]));
        foreach (var annotation in ordered)
        {
            if (current.GetAnnotatedNodes(annotation).OfType<ExpressionStatementSyntax>().FirstOrDefault() is { } statement)
            {
                current = Apply(current, statement);
            }
        }

        return document.WithSyntaxRoot(current);
    }

    /// <summary>The expression statement that drops the registration, when the analyzer offered the fix.</summary>
    private static ExpressionStatementSyntax? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(CapturingDelegateKeptAliveAnalyzer.UsingFixProperty))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node.FirstAncestorOrSelf<ExpressionStatementSyntax>() is { Parent: BlockSyntax, Expression: InvocationExpressionSyntax } statement
            ? statement
            : null;
    }

    private static SyntaxNode Apply(SyntaxNode root, ExpressionStatementSyntax statement)
    {
        var name = UniqueName(statement, "registration");
        var declaration = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(SyntaxTriviaList.Empty, "var", SyntaxFactory.TriviaList(SyntaxFactory.Space))),
                    SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithInitializer(SyntaxFactory.EqualsValueClause(
                                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                                statement.Expression.WithoutTrivia())))))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            .WithSemicolonToken(statement.SemicolonToken)
            .WithTriviaFrom(statement);
        return root.ReplaceNode(statement, declaration);
    }

    /// <summary>A name no identifier of the enclosing type uses, so nothing is shadowed or captured by mistake.</summary>
    private static string UniqueName(SyntaxNode statement, string baseName)
    {
        var scope = (SyntaxNode?)statement.FirstAncestorOrSelf<TypeDeclarationSyntax>() ?? statement.SyntaxTree.GetRoot();
        var used = new HashSet<string>(
            scope.DescendantTokens().Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText));
        var candidate = baseName;
        for (var suffix = 2; used.Contains(candidate); suffix++)
        {
            candidate = baseName + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
