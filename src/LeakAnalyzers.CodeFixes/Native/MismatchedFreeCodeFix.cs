namespace LeakAnalyzers.CodeFixes.Native;

using System.Linq;
using LeakAnalyzers.Native;

/// <summary>
/// LEAK402: calls the matching release instead (<c>Marshal.FreeCoTaskMem(p)</c> → <c>Marshal.FreeHGlobal(p)</c>).
/// Offered when the matching release is declared by the same type with the same parameters, so that only the
/// name changes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MismatchedFreeCodeFix)), Shared]
public sealed class MismatchedFreeCodeFix() : LeakCodeFix(Descriptors.LEAK402MismatchedFree.Id, new FixAction("Release with the matching function", nameof(MismatchedFreeCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Property(diagnostic, MismatchedFreeAnalyzer.ReplacementKey) is not { } replacement)
        {
            return false;
        }

        var invocation = editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<InvocationExpressionSyntax>();
        var name = invocation?.Expression switch
        {
            MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };

        if (invocation is null || name is null || editor.SemanticModel.GetSymbolInfo(invocation, editor.CancellationToken).Symbol is not IMethodSymbol current)
        {
            return false;
        }

        var dot = replacement.LastIndexOf('.');
        var replacementName = replacement.Substring(dot + 1);
        var sameShape = current.ContainingType.GetMembers(replacementName).OfType<IMethodSymbol>().Any(candidate =>
            candidate.IsStatic == current.IsStatic &&
            candidate.Parameters.Length == current.Parameters.Length &&
            candidate.Parameters.Zip(current.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type) && a.RefKind == b.RefKind).All(same => same));
        if (!sameShape || dot <= 0 || replacement.Substring(0, dot) != LeakAnalyzers.Shared.SymbolNames.FullMetadataName(current.ContainingType))
        {
            return false;
        }

        editor.Title = $"Release with '{NativeApis.Display(replacement)}'";
        editor.Replace(name, name.WithIdentifier(SyntaxFactory.Identifier(replacementName).WithTriviaFrom(name.Identifier)));
        return true;
    }
}
