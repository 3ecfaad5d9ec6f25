namespace LeakAnalyzers.CodeFixes.Native;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Native;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// LEAK402: calls the matching release instead (<c>Marshal.FreeCoTaskMem(p)</c> → <c>Marshal.FreeHGlobal(p)</c>).
/// Offered when the matching release is declared by the same type with the same parameters, so that only the
/// name changes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MismatchedFreeCodeFix))]
[Shared]
public sealed class MismatchedFreeCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK402MismatchedFree.Id);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, semanticModel, diagnostic, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Release with '{NativeApis.Display(diagnostic.Properties[MismatchedFreeAnalyzer.ReplacementKey]!)}'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(plan.Name, Renamed(plan.Name, plan.Replacement)))),
                        equivalenceKey: nameof(MismatchedFreeCodeFix)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return null;
        }

        var renames = new Dictionary<SimpleNameSyntax, string>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, semanticModel, diagnostic, context.CancellationToken) is { } plan)
            {
                renames[plan.Name] = plan.Replacement;
            }
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(renames.Keys, (original, _) => Renamed(original, renames[original])));
    }

    private static (SimpleNameSyntax Name, string Replacement)? Plan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(MismatchedFreeAnalyzer.ReplacementKey, out var replacement) || replacement is null)
        {
            return null;
        }

        var invocation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        var name = invocation?.Expression switch
        {
            MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };

        if (invocation is null || name is null || semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol current)
        {
            return null;
        }

        var dot = replacement.LastIndexOf('.');
        var replacementName = replacement.Substring(dot + 1);
        var sameShape = current.ContainingType.GetMembers(replacementName).OfType<IMethodSymbol>().Any(candidate =>
            candidate.IsStatic == current.IsStatic &&
            candidate.Parameters.Length == current.Parameters.Length &&
            candidate.Parameters.Zip(current.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type) && a.RefKind == b.RefKind).All(same => same));
        return sameShape && dot > 0 && replacement.Substring(0, dot) == LeakAnalyzers.Shared.SymbolNames.FullMetadataName(current.ContainingType)
            ? (name, replacementName)
            : null;
    }

    private static SimpleNameSyntax Renamed(SimpleNameSyntax name, string replacement) =>
        name.WithIdentifier(SyntaxFactory.Identifier(replacement).WithTriviaFrom(name.Identifier));
}
