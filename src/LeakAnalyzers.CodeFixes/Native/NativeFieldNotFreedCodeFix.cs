namespace LeakAnalyzers.CodeFixes.Native;

using System.Linq;
using LeakAnalyzers.Native;

/// <summary>
/// LEAK403: frees the field in Dispose, guarded and reset so that a second Dispose does nothing
/// (<c>if (memory != IntPtr.Zero) { Marshal.FreeHGlobal(memory); memory = IntPtr.Zero; }</c>): last in the type's
/// Dispose and outside <c>if (disposing)</c>, since unmanaged memory is freed on both paths; a type without one
/// overrides its base's or implements IDisposable (<see cref="DisposeStyle.Unmanaged"/>: <c>Dispose()</c> on a sealed
/// class or a struct, without the interface on a ref struct, the <c>Dispose(bool)</c> pattern on an unsealed class).
/// A readonly field loses <c>readonly</c> so that it can be reset.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NativeFieldNotFreedCodeFix)), Shared]
public sealed class NativeFieldNotFreedCodeFix() : LeakCodeFix(Descriptors.LEAK403NativeFieldNotFreed.Id, new FixAction("Free in Dispose", nameof(NativeFieldNotFreedCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        var semanticModel = editor.SemanticModel;
        if (Property(diagnostic, NativeFieldNotFreedAnalyzer.ReleaseKey) is not { } release ||
            editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { Parent.Parent: FieldDeclarationSyntax fieldDeclaration } declarator ||
            fieldDeclaration.Parent is not TypeDeclarationSyntax typeDeclaration ||
            semanticModel.GetDeclaredSymbol(declarator, editor.CancellationToken) is not IFieldSymbol field ||
            field.ContainingType is not { } type)
        {
            return false;
        }

        var position = typeDeclaration.CloseBraceToken.SpanStart;
        var throughIntPtr = Property(diagnostic, NativeFieldNotFreedAnalyzer.ThroughIntPtrKey) == "true";
        var name = SyntaxFactory.IdentifierName(field.Name);
        var call = NativeReleaseSyntax.Build(release, throughIntPtr, name, field.Type, semanticModel, position);
        if (call is null)
        {
            return false;
        }

        // A second Dispose must not free again: test, free, reset.
        StatementSyntax guarded;
        bool resets;
        if (!throughIntPtr && field.Type is { Name: "GCHandle" })
        {
            guarded = SyntaxFactory.IfStatement(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, name, SyntaxFactory.IdentifierName("IsAllocated")),
                SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(call)));
            resets = true;
        }
        else if (NativeReleaseSyntax.EmptyValue(field.Type, semanticModel, position) is { } empty)
        {
            guarded = SyntaxFactory.IfStatement(
                SyntaxFactory.BinaryExpression(SyntaxKind.NotEqualsExpression, name, empty),
                SyntaxFactory.Block(
                    SyntaxFactory.ExpressionStatement(call),
                    SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, name, empty))));
            resets = true;
        }
        else
        {
            guarded = SyntaxFactory.ExpressionStatement(call);
            resets = false;
        }

        var removeReadonly = resets && field.IsReadOnly;
        if ((removeReadonly && type.IsReadOnly) || // a readonly struct cannot have a field that is reset
            !editor.CanAddToDispose(typeDeclaration, DisposeStyle.Unmanaged))
        {
            return false;
        }

        if (removeReadonly && fieldDeclaration.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.ReadOnlyKeyword)) is { RawKind: not 0 } readonlyToken)
        {
            var withoutReadonly = fieldDeclaration.WithModifiers(fieldDeclaration.Modifiers.Remove(readonlyToken));
            editor.Replace(fieldDeclaration, readonlyToken == fieldDeclaration.Modifiers[0] ? withoutReadonly.WithLeadingTrivia(fieldDeclaration.GetLeadingTrivia()) : withoutReadonly);
        }

        return editor.AddToDispose(typeDeclaration, guarded, DisposeStyle.Unmanaged, unsafeCode: field.Type.TypeKind == TypeKind.Pointer);
    }
}
