namespace LeakAnalyzers.CodeFixes.Closures;

using LeakAnalyzers.Closures;

/// <summary>
/// LEAK301: a dropped cancellation-token registration is kept where it can be disposed. Two fixes, offered where the
/// analyzer said each is correct (diagnostic properties), the <c>using</c> one first:
/// <list type="bullet">
/// <item>in a method that goes on to await (C# 8 or later, the registration is a statement of its own in a block,
/// and a later statement of that block awaits outside lambdas and local functions), a <c>using</c> local disposes it when the awaited work is done:
/// <c>token.Register(() => Cancel());</c> becomes <c>using var registration = token.Register(() => Cancel());</c>;</item>
/// <item>in an instance constructor of a class (not in a loop, lambda or local function), a readonly field keeps it
/// for the object's lifetime and the type's Dispose disposes it (found, overridden, or created with IDisposable by
/// <see cref="TypeEditor"/>). Only constructors: they run once per object, so the field holds exactly the one
/// registration the statement made and nothing but the disposal changes. A method can run many times: assigning
/// the field there would either overwrite (and leak) the previous registration, or, disposing it first, silently
/// unregister a callback the code still relies on (a second concurrent call, a method that links several tokens).</item>
/// </list>
/// Today the two never meet on one diagnostic (a constructor cannot await, and awaits inside lambdas do not count);
/// each has its own title and equivalence key, and Fix All applies the one whose key was chosen.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeRegistrationCodeFix)), Shared]
public sealed class DisposeRegistrationCodeFix() : LeakCodeFix(
    Descriptors.LEAK301CapturingDelegateKeptAlive.Id,
    new FixAction("Dispose the registration when the awaited work is done ('using' local)", UsingEquivalenceKey, PlanUsing),
    new FixAction("Keep the registration in a field disposed in Dispose", FieldEquivalenceKey, PlanField))
{
    /// <summary>The equivalence key of the <c>using</c> fix.</summary>
    public const string UsingEquivalenceKey = nameof(DisposeRegistrationCodeFix);

    /// <summary>The equivalence key of the field fix.</summary>
    public const string FieldEquivalenceKey = nameof(DisposeRegistrationCodeFix) + ".Field";

    /// <summary>The registration becomes a <c>using</c> local, named when it is written so that each gets a name of its own.</summary>
    private static bool PlanUsing(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Statement(editor, diagnostic, CapturingDelegateKeptAliveAnalyzer.UsingFixProperty) is not { Parent: BlockSyntax, Expression: InvocationExpressionSyntax } statement)
        {
            return false;
        }

        editor.Rewrite(statement, ApplyUsing);
        return true;
    }

    /// <summary>The expression statement that drops the registration (made with <c>.</c> or <c>?.</c>), when the analyzer set <paramref name="property"/>.</summary>
    private static ExpressionStatementSyntax? Statement(TypeEditor editor, Diagnostic diagnostic, string property) =>
        diagnostic.Properties.ContainsKey(property) &&
        editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<ExpressionStatementSyntax>() is { Expression: InvocationExpressionSyntax or ConditionalAccessExpressionSyntax } statement
            ? statement
            : null;

    /// <summary>
    /// <c>registration = token.Register(...);</c>, a <c>private readonly</c> field of the registration's type
    /// (nullable for <c>?.</c>), and <c>registration.Dispose();</c> in the type's Dispose.
    /// </summary>
    private static bool PlanField(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Statement(editor, diagnostic, CapturingDelegateKeptAliveAnalyzer.FieldFixProperty) is not { } statement ||
            statement.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type ||
            !editor.CanAddToDispose(type) ||
            editor.SemanticModel.GetTypeInfo(statement.Expression, editor.CancellationToken).Type is not { TypeKind: TypeKind.Struct } registrationType)
        {
            return false;
        }

        var used = LocalNames.IdentifiersIn(type);
        var name = editor.UniqueName(type, "registration");
        while (used.Contains(name))
        {
            name = editor.UniqueName(type, "registration");
        }

        var typeName = registrationType.ToMinimalDisplayString(editor.SemanticModel, statement.SpanStart);
        if (SyntaxFactory.ParseMemberDeclaration($"private readonly {typeName} {name};") is not FieldDeclarationSyntax field)
        {
            return false;
        }

        var nullable = registrationType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
        var expression = statement.Expression;
        var assignment = SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(expression.GetLeadingTrivia(), name, SyntaxFactory.TriviaList(SyntaxFactory.Space))),
            SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
            expression.WithoutLeadingTrivia());
        editor.AddField(type, field);
        editor.Replace(statement, statement.WithExpression(assignment));
        return editor.AddToDispose(type, SyntaxFactory.ParseStatement(nullable ? $"{name}?.Dispose();" : $"{name}.Dispose();"));
    }

    private static SyntaxNode ApplyUsing(SyntaxNode root, ExpressionStatementSyntax statement)
    {
        var name = LocalNames.UniqueInType(statement, "registration");
        var declaration = LocalNames.UsingLocal(name, statement.Expression.WithoutTrivia())
            .WithSemicolonToken(statement.SemicolonToken)
            .WithTriviaFrom(statement);
        return root.ReplaceNode(statement, declaration);
    }
}
