namespace LeakAnalyzers.CodeFixes.Events;

using System.Linq;

/// <summary>LEAK104: moves the removal out of the finalizer into Dispose; a finalizer left empty goes too.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveRemovalToDisposeCodeFix)), Shared]
public sealed class MoveRemovalToDisposeCodeFix() : LeakCodeFix(Descriptors.LEAK104RemovedOnlyInFinalizer.Id, new FixAction("Move the removal into Dispose", nameof(MoveRemovalToDisposeCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (editor.TypeOf(diagnostic) is not { } type ||
            EventFixes.Removal(diagnostic) is not { } removal ||
            editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { } statement ||
            !editor.CanAddToDispose(type))
        {
            return false;
        }

        var removed = Emptied(statement, editor);
        editor.Replace(removed, null);

        // The blank line that separated the removed statement from the next one goes with it.
        if (removed.Parent is BlockSyntax block && removed is StatementSyntax removedStatement)
        {
            var index = block.Statements.IndexOf(removedStatement);
            if (index + 1 < block.Statements.Count && block.Statements[index + 1] is var next &&
                next.GetLeadingTrivia() is { Count: > 0 } leading && leading[0].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                editor.Replace(next, next.WithLeadingTrivia(leading.Skip(1)));
            }
        }

        return editor.AddToDispose(type, removal);
    }

    /// <summary>The statement, or the <c>if</c> or finalizer that removing it (with what other fixes remove) leaves empty.</summary>
    private static SyntaxNode Emptied(StatementSyntax statement, TypeEditor editor)
    {
        SyntaxNode node = statement;
        while (true)
        {
            switch (node.Parent)
            {
                case BlockSyntax block when block.Parent is IfStatementSyntax { Else: null } or DestructorDeclarationSyntax &&
                                            block.Statements.All(other => other == node || editor.IsRemoved(other)):
                    node = block.Parent!;
                    if (node is DestructorDeclarationSyntax)
                    {
                        return node;
                    }

                    break;
                case IfStatementSyntax { Else: null } ifStatement when ifStatement.Statement == node:
                    node = ifStatement;
                    break;
                default:
                    return node;
            }
        }
    }
}
