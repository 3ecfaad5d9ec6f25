namespace LeakAnalyzers.CodeFixes.Events;

using LeakAnalyzers.Events;

/// <summary>LEAK105: removes the handler in the counterpart of the repeating method (OnDisappearing for OnAppearing), overriding it when needed.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveInCounterpartCodeFix)), Shared]
public sealed class RemoveInCounterpartCodeFix() : LeakCodeFix(Descriptors.LEAK105RepeatedSubscription.Id, new FixAction("Remove the handler in the counterpart", nameof(RemoveInCounterpartCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, TypeEvents.Fix.Counterpart) is not { } counterpart ||
            editor.TypeOf(diagnostic) is not { } type ||
            EventFixes.Removal(diagnostic) is not { } removal)
        {
            return false;
        }

        editor.Title = $"Remove the handler in '{counterpart}'";
        return editor.AddToMethod(type, counterpart, removal);
    }
}
