namespace LeakAnalyzers.CodeFixes.Events;

using System.Collections.Immutable;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Editing;
using LeakAnalyzers.Events;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>LEAK103: removes the handler that was added instead of a new lambda or a method that was never added.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveAddedHandlerCodeFix))]
[System.Composition.Shared]
public sealed class RemoveAddedHandlerCodeFix : CodeFixProvider
{
    private const string Title = "Remove the handler that was added";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK103RemovalRemovesNothing.Id);

    public override FixAllProvider GetFixAllProvider() => EditorFixes.FixAll(Plan);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        EditorFixes.RegisterAsync(context, Title, nameof(RemoveAddedHandlerCodeFix), Plan);

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
