namespace LeakAnalyzers.CodeFixes.Events;

using LeakAnalyzers.Events;

/// <summary>What the event fixes share: writing the removal the analyzer described in its properties.</summary>
internal static class EventFixes
{
    private static string? Property(Diagnostic diagnostic, string key) => Editing.LeakCodeFix.Property(diagnostic, key);

    /// <summary>
    /// <c>EventAccess -= handler;</c>, wrapped in <c>if (guard != null) { ... }</c> when the analyzer found the
    /// publisher may be null there; null when the analyzer could not name the event outside the subscribing code.
    /// </summary>
    internal static StatementSyntax? Removal(Diagnostic diagnostic, string? handler = null)
    {
        if (Property(diagnostic, TypeEvents.Fix.Removal) is { } written)
        {
            // A subscription method's undo, written whole by the analyzer (bus.Unsubscribe(OnSaved);).
            var statement = SyntaxFactory.ParseStatement(written);
            return statement.ContainsDiagnostics ? null : Guarded(diagnostic, statement.WithoutTrivia());
        }

        handler ??= Property(diagnostic, TypeEvents.Fix.Handler);
        if (Property(diagnostic, TypeEvents.Fix.EventAccess) is not { } access || handler is null)
        {
            return null;
        }

        var eventAccess = SyntaxFactory.ParseExpression(access);
        var handlerExpression = SyntaxFactory.ParseExpression(handler);
        if (eventAccess.ContainsDiagnostics || handlerExpression.ContainsDiagnostics)
        {
            return null;
        }

        StatementSyntax removal = SyntaxFactory.ExpressionStatement(
            SyntaxFactory.AssignmentExpression(SyntaxKind.SubtractAssignmentExpression, eventAccess.WithoutTrivia(), handlerExpression.WithoutTrivia()));
        return Guarded(diagnostic, removal);
    }

    /// <summary>The removal, inside <c>if (guard != null) { ... }</c> when the analyzer found the publisher may be null.</summary>
    private static StatementSyntax? Guarded(Diagnostic diagnostic, StatementSyntax removal)
    {
        if (Property(diagnostic, TypeEvents.Fix.Guard) is { } guard)
        {
            var condition = SyntaxFactory.ParseExpression(guard + " != null");
            if (condition.ContainsDiagnostics)
            {
                return null;
            }

            removal = SyntaxFactory.IfStatement(condition, SyntaxFactory.Block(removal));
        }

        return removal;
    }
}
