namespace LeakAnalyzers.CodeFixes.Editing;

using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// How a fix built on <see cref="TypeEditor"/> is offered: one plan per diagnostic, run on a fresh editor for a
/// single fix and on one shared editor for Fix All, so that one Dispose receives the statements of every diagnostic.
/// </summary>
internal static class EditorFixes
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
        FixAllProvider.Create((context, document, diagnostics) => FixAllInDocumentAsync(context, document, diagnostics, plan));

    /// <summary>The work of <see cref="FixAll"/>, for a provider that picks the plan by the equivalence key of the chosen action.</summary>
    internal static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics, Plan plan)
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
    }

    /// <summary>The type declaration whose code holds the diagnostic.</summary>
    internal static TypeDeclarationSyntax? TypeOf(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree)
        {
            return null;
        }

        return root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TypeDeclarationSyntax>();
    }
}
