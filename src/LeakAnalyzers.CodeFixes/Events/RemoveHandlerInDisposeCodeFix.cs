namespace LeakAnalyzers.CodeFixes.Events;

using System.Collections.Immutable;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Editing;
using LeakAnalyzers.Events;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>LEAK101: adds the missing <c>-=</c> to Dispose, implementing IDisposable when the type lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveHandlerInDisposeCodeFix))]
[System.Composition.Shared]
public sealed class RemoveHandlerInDisposeCodeFix : CodeFixProvider
{
    private const string Title = "Remove the handler in Dispose";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK101HandlerNeverRemoved.Id);

    public override FixAllProvider GetFixAllProvider() => EditorFixes.FixAll(Plan);

    public override Task RegisterCodeFixesAsync(CodeFixContext context) =>
        EditorFixes.RegisterAsync(context, Title, nameof(RemoveHandlerInDisposeCodeFix), Plan);

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic) =>
        EditorFixes.TypeOf(editor.Root, diagnostic) is { } type &&
        EventFixes.Removal(diagnostic) is { } removal &&
        editor.AddToDispose(type, removal);
}
