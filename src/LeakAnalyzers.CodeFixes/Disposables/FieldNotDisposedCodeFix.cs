namespace LeakAnalyzers.CodeFixes.Disposables;

using LeakAnalyzers.Disposables;

/// <summary>
/// LEAK003: disposes the member with its owner, last in the type's Dispose (inside <c>if (disposing)</c> in a
/// <c>Dispose(bool)</c>); a type without one overrides its base's or implements IDisposable: <c>Dispose()</c> on a
/// sealed type or struct, the <c>Dispose(bool)</c> pattern on an unsealed one (<see cref="DisposeStyle.OwnedMember"/>).
/// The call is null-conditional unless the member is read-only and created by its initializer.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FieldNotDisposedCodeFix)), Shared]
public sealed class FieldNotDisposedCodeFix() : LeakCodeFix(Descriptors.LEAK003FieldNotDisposed.Id, new FixAction("Dispose it in Dispose", nameof(FieldNotDisposedCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        var node = editor.NodeAt(diagnostic);
        var member = node switch
        {
            VariableDeclaratorSyntax variable => variable.Identifier.ValueText,
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            _ => node?.FirstAncestorOrSelf<VariableDeclaratorSyntax>()?.Identifier.ValueText,
        };
        if (member is null || node?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type ||
            Property(diagnostic, FieldNotDisposedAnalyzer.NoFixKey) is not null)
        {
            return false;
        }

        var conditional = Property(diagnostic, FieldNotDisposedAnalyzer.AccessKey) != ".";
        var dispose = SyntaxFactory.ParseStatement(conditional ? $"{member}?.Dispose();" : $"{member}.Dispose();");
        return editor.AddToDispose(type, dispose, DisposeStyle.OwnedMember);
    }
}
