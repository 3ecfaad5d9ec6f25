namespace LeakAnalyzers.CodeFixes.Editing;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeActions;

/// <summary>Plans the fix of one diagnostic into the editor, deciding on its original document; false when it cannot be fixed.</summary>
internal delegate bool FixPlan(TypeEditor editor, Diagnostic diagnostic);

/// <summary>
/// The one way a LeakAnalyzers fix is offered. A fix is one or more actions, each a title, an equivalence key and a
/// <see cref="FixPlan"/> that records the edits of one diagnostic in a <see cref="TypeEditor"/>. A single fix plans
/// into a fresh editor (once to see whether it applies, once when chosen). Fix All, in each document, runs the action
/// whose key was chosen: it plans every diagnostic, in document order, into one editor and applies them together, so
/// that one Dispose receives the statements of all of them; or, for a <see cref="FixAction.OneAtATime"/> action, it
/// fixes one diagnostic at a time on the document the previous ones left, following the diagnostic's locations.
/// </summary>
public abstract class LeakCodeFix : CodeFixProvider
{
    private readonly ImmutableArray<FixAction> actions;

    private protected LeakCodeFix(string fixableId, params FixAction[] actions)
        : this(ImmutableArray.Create(fixableId), actions)
    {
    }

    private protected LeakCodeFix(ImmutableArray<string> fixableIds, params FixAction[] actions)
    {
        FixableDiagnosticIds = fixableIds;
        this.actions = actions.ToImmutableArray();
    }

    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var action in actions)
            {
                // Plan once to know whether the fix applies (and its title); the action plans again on the same document.
                var probe = new TypeEditor(root, semanticModel, context.CancellationToken);
                if (!action.Plan(probe, diagnostic))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        probe.Title ?? action.Title,
                        cancellationToken =>
                        {
                            var editor = new TypeEditor(root, semanticModel, cancellationToken);
                            action.Plan(editor, diagnostic);
                            return Task.FromResult(context.Document.WithSyntaxRoot(editor.Apply()));
                        },
                        action.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The value of a diagnostic property the analyzer set for its fix; null when it is missing or blank.</summary>
    internal static string? Property(Diagnostic diagnostic, string key) =>
        diagnostic.Properties.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var action = actions.FirstOrDefault(a => a.EquivalenceKey == context.CodeActionEquivalenceKey) ?? actions[0];
        var ordered = diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        return action.OneAtATime
            ? await FixOneAtATimeAsync(context, document, ordered, action).ConfigureAwait(false)
            : await FixTogetherAsync(context, document, ordered, action).ConfigureAwait(false);
    }

    private static async Task<Document?> FixTogetherAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics, FixAction action)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return null;
        }

        var editor = new TypeEditor(root, semanticModel, context.CancellationToken);
        var any = false;
        foreach (var diagnostic in diagnostics)
        {
            any |= action.Plan(editor, diagnostic);
        }

        return any ? document.WithSyntaxRoot(editor.Apply()) : null;
    }

    /// <summary>
    /// Each diagnostic planned on the document as the previous fixes left it, with a fresh semantic model: for fixes
    /// whose ranges may overlap, so that each move changes what the next may do. The nodes the diagnostic's locations
    /// point at are marked first, and each diagnostic is handed over with its locations where those nodes are now.
    /// </summary>
    private static async Task<Document?> FixOneAtATimeAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics, FixAction action)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var marks = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        SyntaxAnnotation? Mark(Location location)
        {
            if (!location.IsInSource || location.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            if (!marks.TryGetValue(node, out var mark))
            {
                mark = new SyntaxAnnotation();
                marks.Add(node, mark);
            }

            return mark;
        }

        var marked = diagnostics.Select(d => (Diagnostic: d, Location: Mark(d.Location), Additional: d.AdditionalLocations.Select(Mark).ToList())).ToList();
        var current = document.WithSyntaxRoot(root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original])));
        foreach (var (diagnostic, location, additional) in marked)
        {
            var currentRoot = await current.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var semanticModel = await current.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (currentRoot is null || semanticModel is null || Follow(location, diagnostic.Location, currentRoot) is not { } moved)
            {
                continue;
            }

            var followed = Diagnostic.Create(
                diagnostic.Descriptor,
                moved,
                diagnostic.AdditionalLocations.Select((original, i) => Follow(additional[i], original, currentRoot) ?? Location.None),
                diagnostic.Properties);
            var editor = new TypeEditor(currentRoot, semanticModel, context.CancellationToken);
            if (action.Plan(editor, followed))
            {
                current = current.WithSyntaxRoot(editor.Apply());
            }
        }

        return current;
    }

    /// <summary>Where the marked node is in <paramref name="root"/>; the original location when it was not marked; null when the node is gone.</summary>
    private static Location? Follow(SyntaxAnnotation? mark, Location original, SyntaxNode root) =>
        mark is null
            ? original
            : root.GetAnnotatedNodes(mark).FirstOrDefault() is { } node ? Location.Create(root.SyntaxTree, node.Span) : null;
}

/// <summary>One action a <see cref="LeakCodeFix"/> offers: its title, its equivalence key and its plan.</summary>
internal sealed class FixAction
{
    internal FixAction(string title, string equivalenceKey, FixPlan plan, bool oneAtATime = false)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
        Plan = plan;
        OneAtATime = oneAtATime;
    }

    /// <summary>The title, unless the plan names the action for its diagnostic (<see cref="TypeEditor.Title"/>).</summary>
    internal string Title { get; }

    internal string EquivalenceKey { get; }

    internal FixPlan Plan { get; }

    /// <summary>Fix All fixes one diagnostic at a time, each planned on what the previous ones left.</summary>
    internal bool OneAtATime { get; }
}
