namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK004: disposes the previous value just before the assignment that overwrites it:
/// <c>x?.Dispose();</c> on the line before <c>x = new X();</c>. Offered when the assignment is a statement of its own
/// in a block (or a top-level statement, or a switch section).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OverwrittenWhileOwnedCodeFix))]
[Shared]
public sealed class OverwrittenWhileOwnedCodeFix : CodeFixProvider
{
    private const string Title = "Dispose the previous value first";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK004OverwrittenWhileOwned.Id);

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
            if (FindStatement(root, diagnostic) is { } statement)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, statement))),
                        equivalenceKey: nameof(OverwrittenWhileOwnedCodeFix)),
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

        // Each fix inserts before its own statement: apply from the end of the file back, so earlier spans hold.
        var statements = diagnostics
            .Select(diagnostic => FindStatement(root, diagnostic))
            .Where(statement => statement is not null)
            .Select(statement => statement!)
            .Distinct()
            .OrderByDescending(statement => statement.SpanStart)
            .ToList();
        var current = root;
        foreach (var statement in statements)
        {
            if (current.FindNode(statement.Span, getInnermostNodeForTie: false).FirstAncestorOrSelf<ExpressionStatementSyntax>() is { } same &&
                same.Span == statement.Span)
            {
                current = Apply(current, same);
            }
        }

        return document.WithSyntaxRoot(current);
    }

    private static ExpressionStatementSyntax? FindStatement(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { Parent: ExpressionStatementSyntax statement } assignment &&
               assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
               statement.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax
            ? statement
            : null;
    }

    private static SyntaxNode Apply(SyntaxNode root, ExpressionStatementSyntax statement)
    {
        var target = ((AssignmentExpressionSyntax)statement.Expression).Left.WithoutTrivia();
        var endOfLine = statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var dispose = SyntaxFactory.ExpressionStatement(
                SyntaxFactory.ConditionalAccessExpression(
                    target,
                    SyntaxFactory.InvocationExpression(SyntaxFactory.MemberBindingExpression(SyntaxFactory.IdentifierName("Dispose")))))
            .WithLeadingTrivia(statement.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);

        if (statement.Parent is GlobalStatementSyntax global)
        {
            var unit = (CompilationUnitSyntax)global.Parent!;
            var index = unit.Members.IndexOf(global);
            return root.ReplaceNode(unit, unit.WithMembers(unit.Members.Insert(index, SyntaxFactory.GlobalStatement(dispose))));
        }

        return root.InsertNodesBefore(statement, new[] { dispose });
    }
}
