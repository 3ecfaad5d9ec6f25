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
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK401: wraps the statements after the allocation, to the end of the block, in try/finally with the matching
/// free (<c>Marshal.FreeHGlobal(p)</c>, <c>NativeMemory.AlignedFree(p)</c>, <c>handle.Free()</c>). Offered only where
/// the analyzer found it safe: one allocation, never handed over, never freed elsewhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NativeMemoryNotFreedCodeFix))]
[Shared]
public sealed class NativeMemoryNotFreedCodeFix : CodeFixProvider
{
    private const string Title = "Free in a finally block";

    private static readonly SyntaxAnnotation TargetAnnotation = new(nameof(NativeMemoryNotFreedCodeFix));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK401NativeMemoryNotFreed.Id);

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
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, plan.Statement, plan.Release))),
                        equivalenceKey: nameof(NativeMemoryNotFreedCodeFix)),
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

        // Plan every fix on the original tree; then apply them innermost and last first, finding each statement
        // again by its annotation, so that wrapping one block keeps the statements of the others.
        var plans = new List<(SyntaxAnnotation Annotation, int Position, StatementSyntax Release)>();
        var annotated = new Dictionary<StatementSyntax, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, semanticModel, diagnostic, context.CancellationToken) is { } plan && !annotated.ContainsKey(plan.Statement))
            {
                var annotation = new SyntaxAnnotation(TargetAnnotation.Kind);
                annotated[plan.Statement] = annotation;
                plans.Add((annotation, plan.Statement.SpanStart, plan.Release));
            }
        }

        var current = root.ReplaceNodes(annotated.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotated[original]));
        foreach (var (annotation, _, release) in plans.OrderByDescending(p => p.Position))
        {
            if (current.GetAnnotatedNodes(annotation).OfType<StatementSyntax>().FirstOrDefault() is { Parent: BlockSyntax } statement)
            {
                current = Apply(current, statement, release);
            }
        }

        return document.WithSyntaxRoot(current);
    }

    private static (StatementSyntax Statement, StatementSyntax Release)? Plan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(NativeMemoryNotFreedAnalyzer.FixKey, out var fix) || fix != "tryfinally" ||
            !properties.TryGetValue(NativeMemoryNotFreedAnalyzer.LocalKey, out var localName) || localName is null ||
            !properties.TryGetValue(NativeMemoryNotFreedAnalyzer.ReleaseKey, out var release) || release is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var statement = node.FirstAncestorOrSelf<StatementSyntax>();
        if (statement?.Parent is not BlockSyntax block)
        {
            return null;
        }

        ILocalSymbol? local = statement switch
        {
            LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration =>
                semanticModel.GetDeclaredSymbol(declaration.Declaration.Variables[0], cancellationToken) as ILocalSymbol,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } =>
                semanticModel.GetSymbolInfo(assignment.Left, cancellationToken).Symbol as ILocalSymbol,
            _ => null,
        };

        if (local is null || local.Name != localName)
        {
            return null;
        }

        // Moving a local function or a label into the try block would change what can reach it.
        var rest = block.Statements.Skip(block.Statements.IndexOf(statement) + 1);
        if (rest.Any(s => s is LocalFunctionStatementSyntax or LabeledStatementSyntax))
        {
            return null;
        }

        var throughIntPtr = properties.TryGetValue(NativeMemoryNotFreedAnalyzer.ThroughIntPtrKey, out var through) && through == "true";
        var call = NativeReleaseSyntax.Build(release, throughIntPtr, SyntaxFactory.IdentifierName(local.Name), local.Type, semanticModel, statement.SpanStart);
        return call is null ? null : (statement, SyntaxFactory.ExpressionStatement(call));
    }

    private static SyntaxNode Apply(SyntaxNode root, StatementSyntax statement, StatementSyntax release)
    {
        var block = (BlockSyntax)statement.Parent!;
        var index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        StatementSyntax added;
        if (rest.Count == 0)
        {
            added = release.WithAdditionalAnnotations(Formatter.Annotation);
        }
        else
        {
            added = SyntaxFactory.TryStatement(
                    SyntaxFactory.Block(rest),
                    default,
                    SyntaxFactory.FinallyClause(SyntaxFactory.Block(release)))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        var statements = block.Statements.Take(index + 1).Append(added);
        return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statements)));
    }
}
