namespace LeakAnalyzers.CodeFixes.Closures;

using LeakAnalyzers.Closures;

/// <summary>
/// LEAK301, for the timer cycles it owns (a <c>System.Threading.Timer</c> whose callback holds its owner, an Rx timer
/// subscription kept in a field nothing reads): disposes the member in the type's Dispose, as LEAK003's fix would
/// (last in <c>Dispose</c>, inside <c>if (disposing)</c> in a <c>Dispose(bool)</c>; a type without one overrides its
/// base's or implements IDisposable). Disposing the owner then stops the timer and ends the cycle. The call is
/// null-conditional: the member may not have been started.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeTimerCodeFix)), Shared]
public sealed class DisposeTimerCodeFix() : LeakCodeFix(
    Descriptors.LEAK301CapturingDelegateKeptAlive.Id,
    new FixAction("Dispose it in Dispose", nameof(DisposeTimerCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, CapturingDelegateKeptAliveAnalyzer.DisposeMemberProperty) is not { } member ||
            editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type ||
            !editor.CanAddToDispose(type, DisposeStyle.OwnedMember))
        {
            return false;
        }

        editor.Title = $"Dispose '{member}' in Dispose";
        return editor.AddToDispose(type, SyntaxFactory.ParseStatement($"{member}?.Dispose();"), DisposeStyle.OwnedMember);
    }
}
