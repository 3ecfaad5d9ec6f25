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
