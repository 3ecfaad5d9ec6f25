namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Linq;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK004: disposes the previous value just before the assignment that overwrites it:
/// <c>x?.Dispose();</c> on the line before <c>x = new X();</c>. Offered when the assignment is a statement of its own
/// in a block (or a top-level statement, or a switch section).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OverwrittenWhileOwnedCodeFix)), Shared]
public sealed class OverwrittenWhileOwnedCodeFix() : LeakCodeFix(Descriptors.LEAK004OverwrittenWhileOwned.Id, new FixAction("Dispose the previous value first", nameof(OverwrittenWhileOwnedCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is not { Parent: ExpressionStatementSyntax statement } assignment ||
            !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ||
            statement.Parent is not (BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax))
        {
            return false;
        }

        editor.Rewrite(statement, Apply);
        return true;
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
