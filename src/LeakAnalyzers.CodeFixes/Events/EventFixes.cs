namespace LeakAnalyzers.CodeFixes.Events;

using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Shared;
using LeakAnalyzers.Events;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>What the event fixes share: reading the analyzer's properties, writing a removal, running one plan for one or many diagnostics.</summary>
internal static class EventFixes
{
    /// <summary>Plans the fix of one diagnostic into the editor; false when it cannot be fixed.</summary>
    internal delegate bool Plan(TypeEditor editor, Diagnostic diagnostic);

    /// <summary>Registers one code action per fixable diagnostic, each running <paramref name="plan"/> on a fresh editor.</summary>
    internal static async Task RegisterAsync(CodeFixContext context, string title, string equivalenceKey, Plan plan)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            // Plan once to know whether the fix applies; the action plans again on the same (unchanged) document.
            var probe = new TypeEditor(root, semanticModel, context.CancellationToken);
            if (!plan(probe, diagnostic))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    cancellationToken =>
                    {
                        var editor = new TypeEditor(root, semanticModel, cancellationToken);
                        plan(editor, diagnostic);
                        return Task.FromResult(context.Document.WithSyntaxRoot(editor.Apply()));
                    },
                    equivalenceKey),
                diagnostic);
        }
    }

    /// <summary>Fix All in a document: every diagnostic planned into one editor, applied once.</summary>
    internal static FixAllProvider FixAll(Plan plan) =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var semanticModel = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null)
            {
                return null;
            }

            var editor = new TypeEditor(root, semanticModel, context.CancellationToken);
            var any = false;
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                any |= plan(editor, diagnostic);
            }

            return any ? document.WithSyntaxRoot(editor.Apply()) : null;
        });

    /// <summary>The type declaration whose code holds the diagnostic.</summary>
    internal static TypeDeclarationSyntax? TypeOf(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree)
        {
            return null;
        }

        return root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TypeDeclarationSyntax>();
    }

    internal static string? Property(Diagnostic diagnostic, string key) =>
        diagnostic.Properties.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>
    /// <c>EventAccess -= handler;</c>, wrapped in <c>if (guard != null) { ... }</c> when the analyzer found the
    /// publisher may be null there; null when the analyzer could not name the event outside the subscribing code.
    /// </summary>
    internal static StatementSyntax? Removal(Diagnostic diagnostic, string? handler = null)
    {
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

/// <summary>LEAK101: adds the missing <c>-=</c> to Dispose, implementing IDisposable when the type lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveHandlerInDisposeCodeFix))]
[System.Composition.Shared]
public sealed class RemoveHandlerInDisposeCodeFix : CodeFixProvider
{
    private const string Title = "Remove the handler in Dispose";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK101HandlerNeverRemoved.Id);

    public override FixAllProvider GetFixAllProvider() => EventFixes.FixAll(Plan);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        EventFixes.RegisterAsync(context, Title, nameof(RemoveHandlerInDisposeCodeFix), Plan);

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic) =>
        EventFixes.TypeOf(editor.Root, diagnostic) is { } type &&
        EventFixes.Removal(diagnostic) is { } removal &&
        editor.AddToDispose(type, removal);
}

/// <summary>LEAK103: removes the handler that was added instead of a new lambda or a method that was never added.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveAddedHandlerCodeFix))]
[System.Composition.Shared]
public sealed class RemoveAddedHandlerCodeFix : CodeFixProvider
{
    private const string Title = "Remove the handler that was added";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK103RemovalRemovesNothing.Id);

    public override FixAllProvider GetFixAllProvider() => EventFixes.FixAll(Plan);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        EventFixes.RegisterAsync(context, Title, nameof(RemoveAddedHandlerCodeFix), Plan);

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (EventFixes.Property(diagnostic, TypeEvents.Fix.Replacement) is not { } replacement ||
            diagnostic.Location.SourceTree != editor.Root.SyntaxTree ||
            editor.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax handler)
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

/// <summary>LEAK104: moves the removal out of the finalizer into Dispose; a finalizer left empty goes too.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveRemovalToDisposeCodeFix))]
[System.Composition.Shared]
public sealed class MoveRemovalToDisposeCodeFix : CodeFixProvider
{
    private const string Title = "Move the removal into Dispose";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK104RemovedOnlyInFinalizer.Id);

    public override FixAllProvider GetFixAllProvider() => EventFixes.FixAll(Plan);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        EventFixes.RegisterAsync(context, Title, nameof(MoveRemovalToDisposeCodeFix), Plan);

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (EventFixes.TypeOf(editor.Root, diagnostic) is not { } type ||
            EventFixes.Removal(diagnostic) is not { } removal ||
            editor.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { } statement ||
            !editor.CanAddToDispose(type))
        {
            return false;
        }

        var removed = Emptied(statement);
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

    /// <summary>The statement, or the <c>if</c> or finalizer that removing it leaves empty.</summary>
    private static SyntaxNode Emptied(StatementSyntax statement)
    {
        SyntaxNode node = statement;
        while (true)
        {
            switch (node.Parent)
            {
                case BlockSyntax { Statements.Count: 1 } block when block.Parent is IfStatementSyntax { Else: null } or DestructorDeclarationSyntax:
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

/// <summary>LEAK105: removes the handler in the counterpart of the repeating method (OnDisappearing for OnAppearing), overriding it when needed.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveInCounterpartCodeFix))]
[System.Composition.Shared]
public sealed class RemoveInCounterpartCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK105RepeatedSubscription.Id);

    public override FixAllProvider GetFixAllProvider() => EventFixes.FixAll(Plan);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (EventFixes.Property(diagnostic, TypeEvents.Fix.Counterpart) is { } counterpart)
            {
                await EventFixes.RegisterAsync(
                    new CodeFixContext(context.Document, diagnostic, context.RegisterCodeFix, context.CancellationToken),
                    $"Remove the handler in '{counterpart}'",
                    nameof(RemoveInCounterpartCodeFix),
                    Plan).ConfigureAwait(false);
            }
        }
    }

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic) =>
        EventFixes.Property(diagnostic, TypeEvents.Fix.Counterpart) is { } counterpart &&
        EventFixes.TypeOf(editor.Root, diagnostic) is { } type &&
        EventFixes.Removal(diagnostic) is { } removal &&
        editor.AddToMethod(type, counterpart, removal);
}
