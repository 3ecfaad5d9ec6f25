namespace LeakAnalyzers.CodeFixes.Disposables;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Disposables;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

/// <summary>
/// LEAK003: disposes the member with its owner. When the type has a Dispose method (Dispose(bool) preferred), the
/// call is added at its end (inside <c>if (disposing)</c> when there is one); otherwise the type implements
/// IDisposable: <c>Dispose()</c> on a sealed type or struct, the <c>Dispose(bool)</c> pattern on an unsealed one, or
/// an override of a disposable base's <c>Dispose(bool)</c>. The call is null-conditional unless the member is
/// read-only and created by its initializer.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FieldNotDisposedCodeFix))]
[Shared]
public sealed class FieldNotDisposedCodeFix : CodeFixProvider
{
    private const string Title = "Dispose it in Dispose";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK003FieldNotDisposed.Id);

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
            if (MakePlan(root, semanticModel, diagnostic, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, plan.Type, new[] { plan }))),
                        equivalenceKey: nameof(FieldNotDisposedCodeFix)),
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

        // One edit per type, disposing all of its members at once, in the order they are declared.
        var plans = diagnostics
            .Select(diagnostic => MakePlan(root, semanticModel, diagnostic, context.CancellationToken))
            .Where(plan => plan is not null)
            .Select(plan => plan!)
            .GroupBy(plan => plan.Type)
            .ToList();
        var current = root.TrackNodes(plans.Select(group => group.Key));
        foreach (var group in plans)
        {
            if (current.GetCurrentNode(group.Key) is { } type)
            {
                current = Apply(current, type, group.OrderBy(plan => plan.Order).ToList());
            }
        }

        return document.WithSyntaxRoot(current);
    }

    private enum Shape
    {
        /// <summary>The type has a Dispose method to add to.</summary>
        AddToExisting,

        /// <summary>Implement IDisposable with a plain Dispose().</summary>
        ImplementSealed,

        /// <summary>Implement IDisposable with the Dispose(bool) pattern.</summary>
        ImplementPattern,

        /// <summary>Override a disposable base class's Dispose(bool).</summary>
        OverrideBase,
    }

    private sealed class Plan
    {
        internal Plan(TypeDeclarationSyntax type, string member, bool conditional, Shape shape, int order)
        {
            Type = type;
            Member = member;
            Conditional = conditional;
            Shape = shape;
            Order = order;
        }

        internal TypeDeclarationSyntax Type { get; }

        internal string Member { get; }

        internal bool Conditional { get; }

        internal Shape Shape { get; }

        internal int Order { get; }
    }

    private static Plan? MakePlan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var declaration = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (declaration is null || semanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }

        var member = node switch
        {
            VariableDeclaratorSyntax variable => variable.Identifier.ValueText,
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            _ => node.FirstAncestorOrSelf<VariableDeclaratorSyntax>()?.Identifier.ValueText,
        };
        if (member is null)
        {
            return null;
        }

        if (diagnostic.Properties.ContainsKey(FieldNotDisposedAnalyzer.NoFixKey))
        {
            return null;
        }

        var conditional = !(diagnostic.Properties.TryGetValue(FieldNotDisposedAnalyzer.AccessKey, out var access) && access == ".");
        Shape shape;
        var dispose = FieldNotDisposedAnalyzer.FindDispose(type);
        if (dispose is not null)
        {
            if (dispose.DeclaringSyntaxReferences.Length != 1 || dispose.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax method ||
                method.SyntaxTree != declaration.SyntaxTree)
            {
                return null;
            }

            shape = Shape.AddToExisting;
        }
        else if (BaseDisposeBool(type) is { } baseDispose)
        {
            if (!baseDispose.IsVirtual && !baseDispose.IsOverride && !baseDispose.IsAbstract)
            {
                return null;
            }

            shape = Shape.OverrideBase;
        }
        else if (IsDisposable(type.BaseType, semanticModel.Compilation))
        {
            return null; // a base that disposes through a non-virtual Dispose(): nothing safe to add
        }
        else
        {
            shape = type.IsSealed || type.TypeKind == TypeKind.Struct ? Shape.ImplementSealed : Shape.ImplementPattern;
        }

        return new Plan(declaration, member, conditional, shape, node.SpanStart);
    }

    private static SyntaxNode Apply(SyntaxNode root, TypeDeclarationSyntax type, IReadOnlyList<Plan> plans)
    {
        var endOfLine = root.DescendantTrivia().FirstOrDefault(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia));
        var blankLine = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.CarriageReturnLineFeed;
        var statements = plans.Select(plan => DisposeStatement(plan).WithTrailingTrivia(blankLine)).ToList();
        var shape = plans[0].Shape;
        TypeDeclarationSyntax updated;
        switch (shape)
        {
            case Shape.AddToExisting:
                var method = ExistingDispose(type);
                if (method is null)
                {
                    return root;
                }

                updated = type.ReplaceNode(method, AddStatements(method, statements));
                break;
            case Shape.ImplementSealed:
                updated = AddInterface(type).AddMembers(Parse("""
                    public void Dispose()
                    {
                    }
                    """, statements, blankLine));
                break;
            case Shape.ImplementPattern:
                updated = AddInterface(type).AddMembers(
                    SyntaxFactory.ParseMemberDeclaration("""
                        public void Dispose()
                        {
                            Dispose(true);
                            System.GC.SuppressFinalize(this);
                        }
                        """)!.WithLeadingTrivia(blankLine).WithTrailingTrivia(blankLine).WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation),
                    Parse("""
                        protected virtual void Dispose(bool disposing)
                        {
                            if (disposing)
                            {
                            }
                        }
                        """, statements, blankLine));
                break;
            default:
                updated = type.AddMembers(Parse("""
                    protected override void Dispose(bool disposing)
                    {
                        if (disposing)
                        {
                        }

                        base.Dispose(disposing);
                    }
                    """, statements, blankLine));
                break;
        }

        return root.ReplaceNode(type, updated);
    }

    private static StatementSyntax DisposeStatement(Plan plan)
    {
        var text = plan.Conditional ? $"{plan.Member}?.Dispose();" : $"{plan.Member}.Dispose();";
        return SyntaxFactory.ParseStatement(text).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>A member template whose first empty block (the method's, or the <c>if (disposing)</c> one) receives the statements.</summary>
    private static MemberDeclarationSyntax Parse(string template, IReadOnlyList<StatementSyntax> statements, SyntaxTrivia blankLine)
    {
        var member = (MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(template)!;
        var target = member.DescendantNodes().OfType<BlockSyntax>().First(block => block.Statements.Count == 0);
        return member.ReplaceNode(target, target.WithStatements(SyntaxFactory.List(statements)))
            .WithLeadingTrivia(blankLine)
            .WithTrailingTrivia(blankLine)
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
    }

    private static MethodDeclarationSyntax AddStatements(MethodDeclarationSyntax method, IReadOnlyList<StatementSyntax> statements)
    {
        if (method.ExpressionBody is { } arrow)
        {
            var body = SyntaxFactory.Block(new StatementSyntax[] { SyntaxFactory.ExpressionStatement(arrow.Expression) }.Concat(statements));
            return method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body).WithAdditionalAnnotations(Formatter.Annotation);
        }

        if (method.Body is null)
        {
            return method;
        }

        // Dispose(bool disposing): inside `if (disposing) { ... }` when the method has one.
        if (method.ParameterList.Parameters.Count == 1 &&
            method.Body.Statements.OfType<IfStatementSyntax>().FirstOrDefault(s =>
                s.Condition is IdentifierNameSyntax name && name.Identifier.ValueText == method.ParameterList.Parameters[0].Identifier.ValueText) is { Statement: BlockSyntax guarded } guard)
        {
            return method.ReplaceNode(guarded, guarded.AddStatements(statements.ToArray()));
        }

        // Before a trailing base.Dispose(...) call, so the member goes first.
        var last = method.Body.Statements.LastOrDefault();
        if (last is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } } })
        {
            var index = method.Body.Statements.Count - 1;
            return method.WithBody(method.Body.WithStatements(method.Body.Statements.InsertRange(index, statements)));
        }

        return method.WithBody(method.Body.AddStatements(statements.ToArray()));
    }

    private static MethodDeclarationSyntax? ExistingDispose(TypeDeclarationSyntax type)
    {
        var methods = type.Members.OfType<MethodDeclarationSyntax>().ToList();
        return methods.FirstOrDefault(m => m.Identifier.ValueText == "Dispose" && m.ParameterList.Parameters.Count == 1)
            ?? methods.FirstOrDefault(m => m.Identifier.ValueText == "Dispose" && m.ParameterList.Parameters.Count == 0)
            ?? methods.FirstOrDefault(m => m.Identifier.ValueText == "DisposeAsync" && m.ParameterList.Parameters.Count == 0);
    }

    private static TypeDeclarationSyntax AddInterface(TypeDeclarationSyntax type)
    {
        var disposable = SyntaxFactory.SimpleBaseType(SyntaxFactory.ParseTypeName("System.IDisposable").WithAdditionalAnnotations(Simplifier.Annotation));
        if (type.BaseList is null)
        {
            // `class C` + ` : IDisposable`, keeping what followed the name (the line break before the brace).
            var identifier = type.Identifier;
            var lastBeforeBase = type.TypeParameterList?.GetLastToken() ?? (type is RecordDeclarationSyntax { ParameterList: { } parameters } ? parameters.CloseParenToken : identifier);
            var trailing = lastBeforeBase.TrailingTrivia;
            var withoutTrailing = type.ReplaceToken(lastBeforeBase, lastBeforeBase.WithTrailingTrivia());
            var baseList = SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(disposable))
                .WithColonToken(SyntaxFactory.Token(SyntaxKind.ColonToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space))
                .WithTrailingTrivia(trailing);
            return withoutTrailing.WithBaseList(baseList);
        }

        return type.WithBaseList(type.BaseList.AddTypes(disposable));
    }

    private static IMethodSymbol? BaseDisposeBool(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol { Parameters.Length: 1 } method && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean &&
                    method.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal or Accessibility.Public)
                {
                    return method;
                }
            }
        }

        return null;
    }

    private static bool IsDisposable(ITypeSymbol? type, Compilation compilation)
    {
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        return type is not null && type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);
    }
}
