namespace LeakAnalyzers.CodeFixes.Events;

/// <summary>LEAK101: adds the missing <c>-=</c> to Dispose, implementing IDisposable when the type lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveHandlerInDisposeCodeFix)), Shared]
public sealed class RemoveHandlerInDisposeCodeFix() : LeakCodeFix(Descriptors.LEAK101HandlerNeverRemoved.Id, new FixAction("Remove the handler in Dispose", nameof(RemoveHandlerInDisposeCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic) =>
        editor.TypeOf(diagnostic) is { } type &&
        EventFixes.Removal(diagnostic) is { } removal &&
        editor.AddToDispose(type, removal);
}
