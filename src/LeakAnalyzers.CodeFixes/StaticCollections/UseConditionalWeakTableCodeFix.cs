namespace LeakAnalyzers.CodeFixes.StaticCollections;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Editing;
using LeakAnalyzers.StaticCollections;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK201/LEAK202: a static dictionary keyed by objects compared by identity becomes a <c>ConditionalWeakTable</c>,
/// so an entry goes when nothing else holds its key. Offered only where the analyzer found the change mechanical
/// (<see cref="GrowthFinding.WeakTable"/>): <c>d[k] = v</c> becomes <c>d.AddOrUpdate(k, v)</c>, <c>GetOrAdd</c>
/// becomes <c>GetValue</c>; <c>Add</c>, <c>TryAdd</c> and <c>TryGetValue</c> keep their names.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseConditionalWeakTableCodeFix))]
[System.Composition.Shared]
public sealed class UseConditionalWeakTableCodeFix : CodeFixProvider
{
    private const string Title = "Use a ConditionalWeakTable: entries go when their keys do";
    private const string Namespace = "System.Runtime.CompilerServices";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK201PrivateStaticCollectionGrows.Id, Descriptors.LEAK202VisibleStaticCollectionGrows.Id);

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
            await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (IsFixable(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ct),
                        nameof(UseConditionalWeakTableCodeFix)),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static bool IsFixable(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(GrowthFinding.FixKey, out var fix) && fix == GrowthFinding.WeakTableFix;

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit || model is null)
        {
            return document;
        }

        var fields = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        foreach (var diagnostic in diagnostics.Where(IsFixable))
        {
            if (diagnostic.Location.SourceTree != root.SyntaxTree ||
                root.FindNode(diagnostic.Location.SourceSpan) is not VariableDeclaratorSyntax declarator ||
                declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration ||
                WeakTableType(declaration.Type) is not { } tableType ||
                model.GetDeclaredSymbol(declarator, cancellationToken) is not { } field ||
                !fields.Add(field))
            {
                continue;
            }

            editor.ReplaceNode(declaration.Type, tableType.WithTriviaFrom(declaration.Type));
            if (declarator.Initializer?.Value is ObjectCreationExpressionSyntax creation && WeakTableType(creation.Type) is { } created)
            {
                editor.ReplaceNode(creation.Type, created.WithTriviaFrom(creation.Type));
            }
        }

        if (fields.Count == 0)
        {
            return document;
        }

        foreach (var name in root.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (!fields.Contains(model.GetSymbolInfo(name, cancellationToken).Symbol!))
            {
                continue;
            }

            var reference = name.Parent is MemberAccessExpressionSyntax outer && outer.Name == name ? (ExpressionSyntax)outer : name;
            switch (reference.Parent)
            {
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetOrAdd" } call when call.Expression == reference:
                    editor.ReplaceNode(call.Name, SyntaxFactory.IdentifierName("GetValue").WithTriviaFrom(call.Name));
                    break;
                case ElementAccessExpressionSyntax { Parent: AssignmentExpressionSyntax assignment } element
                    when element.Expression == reference && assignment.Left == element && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                         element.ArgumentList.Arguments.Count == 1:
                    editor.ReplaceNode(
                        assignment,
                        SyntaxFactory.InvocationExpression(
                                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, reference.WithoutTrivia(), SyntaxFactory.IdentifierName("AddOrUpdate")),
                                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { element.ArgumentList.Arguments[0], SyntaxFactory.Argument(assignment.Right.WithoutTrivia()) })))
                            .WithTriviaFrom(assignment));
                    break;
            }
        }

        var newRoot = (CompilationUnitSyntax)editor.GetChangedRoot();
        if (!HasUsing(newRoot))
        {
            newRoot = newRoot.AddUsings(
                SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(Namespace))
                    .NormalizeWhitespace()
                    .WithTrailingTrivia(TypeEditor.NewLineOf(newRoot))
                    .WithAdditionalAnnotations(Formatter.Annotation));
        }

        return document.WithSyntaxRoot(newRoot);
    }

    private static bool HasUsing(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<UsingDirectiveSyntax>()
            .Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == Namespace);

    /// <summary><c>ConditionalWeakTable&lt;K, V&gt;</c> with the type arguments of a generic dictionary type; null for anything else.</summary>
    private static TypeSyntax? WeakTableType(TypeSyntax type)
    {
        var generic = type switch
        {
            GenericNameSyntax g => g,
            QualifiedNameSyntax { Right: GenericNameSyntax g } => g,
            AliasQualifiedNameSyntax { Name: GenericNameSyntax g } => g,
            _ => null,
        };
        return generic is { TypeArgumentList.Arguments.Count: 2 }
            ? SyntaxFactory.GenericName(SyntaxFactory.Identifier("ConditionalWeakTable"), generic.TypeArgumentList)
            : null;
    }
}
