namespace LeakAnalyzers.CodeFixes.Events;

using LeakAnalyzers.Events;

/// <summary>LEAK103: removes the handler that was added instead of a new lambda or a method that was never added.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveAddedHandlerCodeFix)), Shared]
public sealed class RemoveAddedHandlerCodeFix() : LeakCodeFix(
    Descriptors.LEAK103RemovalRemovesNothing.Id,
    new FixAction("Remove the handler that was added", nameof(RemoveAddedHandlerCodeFix), Plan),
    new FixAction("Remove the handler instead of adding it", nameof(RemoveAddedHandlerCodeFix) + ".Subtract", PlanSubtraction))
{
    /// <summary><c>bus.Saved += OnSaved;</c> in Dispose becomes <c>bus.Saved -= OnSaved;</c>.</summary>
    private static bool PlanSubtraction(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, TypeEvents.Fix.AddMeantRemove) is null ||
            editor.NodeAt(diagnostic) is not ExpressionSyntax handler ||
            handler.Parent is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } assignment ||
            assignment.Right != handler)
        {
            return false;
        }

        editor.Replace(
            assignment,
            SyntaxFactory.AssignmentExpression(
                    SyntaxKind.SubtractAssignmentExpression,
                    assignment.Left,
                    SyntaxFactory.Token(SyntaxKind.MinusEqualsToken).WithTriviaFrom(assignment.OperatorToken),
                    assignment.Right)
                .WithTriviaFrom(assignment));
        return true;
    }

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, TypeEvents.Fix.Replacement) is not { } replacement ||
            editor.NodeAt(diagnostic) is not ExpressionSyntax handler)
        {
            return false;
        }

        var expression = SyntaxFactory.ParseExpression(replacement);
        if (expression.ContainsDiagnostics)
        {
            return false;
        }

        editor.Replace(handler, expression.WithTriviaFrom(handler));
        return true;
    }
}
