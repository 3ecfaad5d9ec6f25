namespace LeakAnalyzers.CodeFixes.Native;

using System.Linq;

/// <summary>
/// Builds the call that releases a pointer or handle, from the releasing member the analyzer named
/// (<c>System.Runtime.InteropServices.Marshal.FreeHGlobal</c>): a static call with the value as its argument (cast
/// when the parameter type needs it: <c>Marshal.FreeHGlobal((IntPtr)bytes)</c>), an instance call on the value
/// (<c>handle.Free()</c>), or <c>GCHandle.FromIntPtr(context).Free()</c> for a handle carried as an IntPtr.
/// </summary>
internal static class NativeReleaseSyntax
{
    internal static ExpressionSyntax? Build(
        string releaseMember,
        bool throughIntPtr,
        ExpressionSyntax target,
        ITypeSymbol targetType,
        SemanticModel semanticModel,
        int position)
    {
        var compilation = semanticModel.Compilation;
        if (throughIntPtr)
        {
            var gcHandle = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.GCHandle");
            if (gcHandle is null)
            {
                return null;
            }

            var fromIntPtr = SyntaxFactory.InvocationExpression(
                MemberAccess(TypeExpression(gcHandle, semanticModel, position), "FromIntPtr"),
                Arguments(target));
            return SyntaxFactory.InvocationExpression(MemberAccess(fromIntPtr, "Free"));
        }

        var dot = releaseMember.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var type = compilation.GetTypeByMetadataName(releaseMember.Substring(0, dot));
        var name = releaseMember.Substring(dot + 1);
        if (type is null)
        {
            return null;
        }

        var methods = type.GetMembers(name).OfType<IMethodSymbol>().ToList();
        if (methods.FirstOrDefault(m => !m.IsStatic && m.Parameters.Length == 0) is { } instance &&
            SymbolEqualityComparer.Default.Equals(targetType.OriginalDefinition, type.OriginalDefinition))
        {
            return SyntaxFactory.InvocationExpression(MemberAccess(target, instance.Name));
        }

        foreach (var method in methods.Where(m => m.IsStatic && m.Parameters.Length == 1 && m.Parameters[0].RefKind == RefKind.None))
        {
            var parameterType = method.Parameters[0].Type;
            var conversion = compilation.ClassifyConversion(targetType, parameterType);
            ExpressionSyntax argument;
            if (conversion.IsImplicit)
            {
                argument = target;
            }
            else if (conversion.IsExplicit)
            {
                argument = SyntaxFactory.CastExpression(TypeExpression(parameterType, semanticModel, position, preferTypeName: true), target);
            }
            else
            {
                continue;
            }

            return SyntaxFactory.InvocationExpression(MemberAccess(TypeExpression(type, semanticModel, position), method.Name), Arguments(argument));
        }

        return null;
    }

    /// <summary>The value that means "holds nothing" for a field of this type: <c>IntPtr.Zero</c>, <c>null</c>, <c>0</c>; null for a GCHandle.</summary>
    internal static ExpressionSyntax? EmptyValue(ITypeSymbol type, SemanticModel semanticModel, int position) =>
        type switch
        {
            IPointerTypeSymbol => SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression),
            { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } =>
                MemberAccess(TypeExpression(type, semanticModel, position, preferTypeName: true), "Zero"),
            { SpecialType: SpecialType.System_Int64 or SpecialType.System_UInt64 } =>
                SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)),
            _ => null,
        };

    internal static TypeSyntax TypeExpression(ITypeSymbol type, SemanticModel semanticModel, int position, bool preferTypeName = false)
    {
        // IntPtr.Zero reads better than nint.Zero; the display of IntPtr may be `nint` on new compilers.
        if (preferTypeName && type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            var simple = type.SpecialType == SpecialType.System_IntPtr ? "IntPtr" : "UIntPtr";
            var lookup = semanticModel.LookupNamespacesAndTypes(position, name: simple);
            return SyntaxFactory.ParseTypeName(lookup.Any(s => SymbolEqualityComparer.Default.Equals(s, type)) ? simple : "System." + simple);
        }

        return SyntaxFactory.ParseTypeName(type.ToMinimalDisplayString(semanticModel, position));
    }

    private static MemberAccessExpressionSyntax MemberAccess(ExpressionSyntax expression, string name) =>
        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, expression, SyntaxFactory.IdentifierName(name));

    private static ArgumentListSyntax Arguments(ExpressionSyntax argument) =>
        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument)));
}
