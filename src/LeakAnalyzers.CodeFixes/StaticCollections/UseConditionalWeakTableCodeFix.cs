namespace LeakAnalyzers.CodeFixes.StaticCollections;

using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.StaticCollections;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK201/LEAK202: a static dictionary keyed by objects compared by identity becomes a <c>ConditionalWeakTable</c>,
/// so an entry goes when nothing else holds its key. Offered only where the analyzer found the change mechanical
/// (<see cref="GrowthFinding.WeakTable"/>): <c>d[k] = v</c> becomes <c>d.AddOrUpdate(k, v)</c>, <c>GetOrAdd</c>
/// becomes <c>GetValue</c>; <c>Add</c>, <c>TryAdd</c> and <c>TryGetValue</c> keep their names.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseConditionalWeakTableCodeFix)), Shared]
public sealed class UseConditionalWeakTableCodeFix() : LeakCodeFix(
    ImmutableArray.Create(Descriptors.LEAK201PrivateStaticCollectionGrows.Id, Descriptors.LEAK202VisibleStaticCollectionGrows.Id),
    new FixAction("Use a ConditionalWeakTable: entries go when their keys do", nameof(UseConditionalWeakTableCodeFix), Plan))
{
    private const string Namespace = "System.Runtime.CompilerServices";

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        var model = editor.SemanticModel;
        if (Property(diagnostic, GrowthFinding.FixKey) != GrowthFinding.WeakTableFix ||
            editor.NodeAt(diagnostic) is not VariableDeclaratorSyntax declarator ||
            declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration ||
            WeakTableType(declaration.Type) is not { } tableType ||
            model.GetDeclaredSymbol(declarator, editor.CancellationToken) is not { } field)
        {
            return false;
        }

        editor.Replace(declaration.Type, tableType.WithTriviaFrom(declaration.Type));
        if (declarator.Initializer?.Value is ObjectCreationExpressionSyntax creation && WeakTableType(creation.Type) is { } created)
        {
            editor.Replace(creation.Type, created.WithTriviaFrom(creation.Type));
        }

        foreach (var name in editor.Root.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, editor.CancellationToken).Symbol, field))
            {
                continue;
            }

            var reference = name.Parent is MemberAccessExpressionSyntax outer && outer.Name == name ? (ExpressionSyntax)outer : name;
            switch (reference.Parent)
            {
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetOrAdd" } call when call.Expression == reference:
                    editor.Replace(call.Name, SyntaxFactory.IdentifierName("GetValue").WithTriviaFrom(call.Name));
                    break;
                case ElementAccessExpressionSyntax { Parent: AssignmentExpressionSyntax assignment } element
                    when element.Expression == reference && assignment.Left == element && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                         element.ArgumentList.Arguments.Count == 1:
                    editor.Replace(
                        assignment,
                        SyntaxFactory.InvocationExpression(
                                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, reference.WithoutTrivia(), SyntaxFactory.IdentifierName("AddOrUpdate")),
                                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { element.ArgumentList.Arguments[0], SyntaxFactory.Argument(assignment.Right.WithoutTrivia()) })))
                            .WithTriviaFrom(assignment));
                    break;
            }
        }

        editor.Rewrite(declarator, (root, _) => root is CompilationUnitSyntax unit && !HasUsing(unit) ? AddUsing(unit) : root);
        return true;
    }

    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit) =>
        unit.AddUsings(
            SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(Namespace))
                .NormalizeWhitespace()
                .WithTrailingTrivia(TypeEditor.NewLineOf(unit))
                .WithAdditionalAnnotations(Formatter.Annotation));

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
