namespace LeakAnalyzers.CodeFixes.Disposables;

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

/// <summary>
/// LEAK001: declares the local with <c>using</c> (<c>await using</c> for a type that is only IAsyncDisposable),
/// or, before C# 8, wraps the rest of the block in a using statement. Offered only where the analyzer found
/// the local is never handed over or reassigned.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LocalNotDisposedCodeFix))]
[Shared]
public sealed class LocalNotDisposedCodeFix : CodeFixProvider
{
    private const string Title = "Dispose with 'using'";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK001LocalNotDisposed.Id);

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
            if (FindDeclaration(root, diagnostic) is { } declaration && UsingKind(declaration, semanticModel, context.CancellationToken) is { } kind)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        cancellationToken => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, declaration, kind))),
                        equivalenceKey: nameof(LocalNotDisposedCodeFix)),
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

        // Decide every fix on the original tree, then apply from the end of the file backwards so that the
        // spans of the fixes still to come do not move.
        var fixes = diagnostics
            .Select(diagnostic => FindDeclaration(root, diagnostic))
            .Where(declaration => declaration is not null)
            .Distinct()
            .Select(declaration => (Declaration: declaration!, Kind: UsingKind(declaration!, semanticModel, context.CancellationToken)))
            .Where(fix => fix.Kind is not null)
            .OrderByDescending(fix => fix.Declaration.SpanStart)
            .ToList();

        var current = root;
        foreach (var (declaration, kind) in fixes)
        {
            var currentDeclaration = current.FindNode(declaration.Span, getInnermostNodeForTie: false)
                .FirstAncestorOrSelf<LocalDeclarationStatementSyntax>();
            if (currentDeclaration is not null && currentDeclaration.Span == declaration.Span)
            {
                current = Apply(current, currentDeclaration, kind!.Value);
            }
        }

        return document.WithSyntaxRoot(current);
    }

    private static LocalDeclarationStatementSyntax? FindDeclaration(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(LocalNotDisposedAnalyzer.FixKey, out var fix) || fix != "using")
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement } } &&
               statement.UsingKeyword.IsKind(SyntaxKind.None) &&
               statement.Parent is BlockSyntax or GlobalStatementSyntax
            ? statement
            : null;
    }

    private enum Kind
    {
        UsingDeclaration,
        AwaitUsingDeclaration,
        UsingStatement,
    }

    private static Kind? UsingKind(LocalDeclarationStatementSyntax declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var variable = declaration.Declaration.Variables[0];
        if (semanticModel.GetDeclaredSymbol(variable, cancellationToken) is not ILocalSymbol local)
        {
            return null;
        }

        var disposable = semanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        var isDisposable = local.Type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default) ||
                           SymbolEqualityComparer.Default.Equals(local.Type, disposable);
        var languageVersion = ((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion;

        if (languageVersion < LanguageVersion.CSharp8)
        {
            return isDisposable && declaration.Parent is BlockSyntax ? Kind.UsingStatement : null;
        }

        if (isDisposable)
        {
            return Kind.UsingDeclaration;
        }

        // Only IAsyncDisposable: `await using` needs an async context.
        var function = declaration.Parent?.Parent;
        var isAsync = function switch
        {
            MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax localFunction => localFunction.Modifiers.Any(SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
            _ => false,
        };
        return isAsync ? Kind.AwaitUsingDeclaration : null;
    }

    private static SyntaxNode Apply(SyntaxNode root, LocalDeclarationStatementSyntax declaration, Kind kind)
    {
        if (kind == Kind.UsingStatement)
        {
            return WrapRestOfBlock(root, declaration);
        }

        var leading = declaration.GetLeadingTrivia();
        var updated = declaration
            .WithoutLeadingTrivia()
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        if (kind == Kind.AwaitUsingDeclaration)
        {
            updated = updated.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return root.ReplaceNode(declaration, updated.WithLeadingTrivia(leading));
    }

    /// <summary>C# 7.3 and older: <c>using (var x = ...) { rest of the block }</c>.</summary>
    private static SyntaxNode WrapRestOfBlock(SyntaxNode root, LocalDeclarationStatementSyntax declaration)
    {
        var block = (BlockSyntax)declaration.Parent!;
        var index = block.Statements.IndexOf(declaration);
        var rest = block.Statements.Skip(index + 1).ToList();
        var usingStatement = SyntaxFactory.UsingStatement(
                declaration: declaration.Declaration.WithoutTrivia(),
                expression: null,
                statement: SyntaxFactory.Block(rest))
            .WithLeadingTrivia(declaration.GetLeadingTrivia())
            .WithTrailingTrivia(declaration.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var statements = block.Statements.Take(index).Append(usingStatement);
        return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statements)));
    }
}
