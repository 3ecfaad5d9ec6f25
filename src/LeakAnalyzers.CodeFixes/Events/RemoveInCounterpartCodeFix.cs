namespace LeakAnalyzers.CodeFixes.Events;

using System.Collections.Immutable;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Editing;
using LeakAnalyzers.Events;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>LEAK105: removes the handler in the counterpart of the repeating method (OnDisappearing for OnAppearing), overriding it when needed.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveInCounterpartCodeFix))]
[System.Composition.Shared]
public sealed class RemoveInCounterpartCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK105RepeatedSubscription.Id);

    public override FixAllProvider GetFixAllProvider() => EditorFixes.FixAll(Plan);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (EventFixes.Property(diagnostic, TypeEvents.Fix.Counterpart) is { } counterpart)
            {
                await EditorFixes.RegisterAsync(
                    new CodeFixContext(context.Document, diagnostic, context.RegisterCodeFix, context.CancellationToken),
                    $"Remove the handler in '{counterpart}'",
                    nameof(RemoveInCounterpartCodeFix),
                    Plan).ConfigureAwait(false);
            }
        }
    }

    private static bool Plan(TypeEditor editor, Diagnostic diagnostic) =>
        EventFixes.Property(diagnostic, TypeEvents.Fix.Counterpart) is { } counterpart &&
        EditorFixes.TypeOf(editor.Root, diagnostic) is { } type &&
        EventFixes.Removal(diagnostic) is { } removal &&
        editor.AddToMethod(type, counterpart, removal);
}
