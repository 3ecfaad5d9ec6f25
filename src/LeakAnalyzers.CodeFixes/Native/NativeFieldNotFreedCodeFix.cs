namespace LeakAnalyzers.CodeFixes.Native;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Native;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK403: frees the field in Dispose, guarded and reset so that a second Dispose does nothing
/// (<c>if (memory != IntPtr.Zero) { Marshal.FreeHGlobal(memory); memory = IntPtr.Zero; }</c>). Adds to
/// <c>Dispose(bool)</c> (outside <c>if (disposing)</c>: unmanaged memory is freed on both paths) or <c>Dispose()</c> when
/// the type declares one; overrides the base's <c>Dispose(bool)</c>; otherwise implements IDisposable: <c>Dispose()</c>
/// on a sealed class or a struct, the <c>Dispose(bool)</c> pattern on an unsealed class. A readonly field loses
/// <c>readonly</c> so that it can be reset.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NativeFieldNotFreedCodeFix))]
[Shared]
public sealed class NativeFieldNotFreedCodeFix : CodeFixProvider
{
    private const string Title = "Free in Dispose";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.LEAK403NativeFieldNotFreed.Id);

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private enum Addition
    {
        /// <summary>The type declares Dispose(bool) or Dispose(): only add to it.</summary>
        None,

        /// <summary>public void Dispose() and IDisposable.</summary>
        Dispose,

        /// <summary>public void Dispose() calling protected virtual void Dispose(bool), and IDisposable.</summary>
        DisposePattern,

        /// <summary>public void Dispose() without the interface (a ref struct: using works by pattern).</summary>
        PatternDispose,

        /// <summary>An override of the base's Dispose(bool) that calls it.</summary>
        OverrideDisposeBool,

        /// <summary>An override of the base's Dispose() that calls it.</summary>
        OverrideDispose,
    }

    private sealed class Plan
    {
        internal Plan(VariableDeclaratorSyntax field, StatementSyntax release, bool removeReadonly, bool needsUnsafe, Addition addition, string modifiers, TypeSyntax disposable, TypeSyntax gc)
        {
            Field = field;
            NeedsUnsafe = needsUnsafe;
            Release = release;
            RemoveReadonly = removeReadonly;
            Addition = addition;
            Modifiers = modifiers;
            Disposable = disposable;
            GC = gc;
        }

        internal VariableDeclaratorSyntax Field { get; }

        internal StatementSyntax Release { get; }

        internal bool RemoveReadonly { get; }

        /// <summary>A pointer field outside an unsafe type: the method that frees it must be unsafe.</summary>
        internal bool NeedsUnsafe { get; }

        internal Addition Addition { get; }

        /// <summary>The access modifiers of an override (those of the overridden method).</summary>
        internal string Modifiers { get; }

        internal TypeSyntax Disposable { get; }

        internal TypeSyntax GC { get; }
    }

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CreatePlan(root, semanticModel, diagnostic, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        Title,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, plan.Field, plan))),
                        equivalenceKey: nameof(NativeFieldNotFreedCodeFix)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return null;
        }

        // Plan on the original tree; apply one field at a time, finding each field again by its annotation. The
        // first fix in a type adds Dispose; the next ones find it and add to it.
        var plans = new Dictionary<VariableDeclaratorSyntax, (Plan Plan, SyntaxAnnotation Annotation)>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (CreatePlan(root, semanticModel, diagnostic, context.CancellationToken) is { } plan && !plans.ContainsKey(plan.Field))
            {
                plans[plan.Field] = (plan, new SyntaxAnnotation(nameof(NativeFieldNotFreedCodeFix)));
            }
        }

        var current = root.ReplaceNodes(plans.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(plans[original].Annotation));
        foreach (var (plan, annotation) in plans.Values)
        {
            if (current.GetAnnotatedNodes(annotation).OfType<VariableDeclaratorSyntax>().FirstOrDefault() is { } field)
            {
                current = Apply(current, field, plan);
            }
        }

        return document.WithSyntaxRoot(current);
    }

    private static Plan? CreatePlan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(NativeFieldNotFreedAnalyzer.ReleaseKey, out var release) || release is null)
        {
            return null;
        }

        var declarator = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<VariableDeclaratorSyntax>();
        if (declarator?.Parent?.Parent is not FieldDeclarationSyntax fieldDeclaration ||
            fieldDeclaration.Parent is not TypeDeclarationSyntax typeDeclaration ||
            semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol field ||
            field.ContainingType is not { } type)
        {
            return null;
        }

        var position = typeDeclaration.CloseBraceToken.SpanStart;
        var throughIntPtr = diagnostic.Properties.TryGetValue(NativeFieldNotFreedAnalyzer.ThroughIntPtrKey, out var through) && through == "true";
        var name = SyntaxFactory.IdentifierName(field.Name);
        var call = NativeReleaseSyntax.Build(release, throughIntPtr, name, field.Type, semanticModel, position);
        if (call is null)
        {
            return null;
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
        if (removeReadonly && type.IsReadOnly)
        {
            return null; // a readonly struct cannot have a field that is reset
        }

        // The Dispose this type declares must be in this declaration (a partial type may declare it elsewhere).
        var declaresDispose = type.GetMembers("Dispose").OfType<IMethodSymbol>().Any(m => !m.IsStatic && m.Parameters.Length <= 1);
        var declaresHere = FindDisposeBool(typeDeclaration) is not null || FindDispose(typeDeclaration) is not null;
        if (declaresDispose && !declaresHere)
        {
            return null;
        }

        var addition = Addition.None;
        var modifiers = string.Empty;
        if (!declaresHere)
        {
            var disposable = semanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable);
            var inherited = type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);
            if (inherited)
            {
                if (Overridable(type.BaseType, parameters: 1) is { } disposeBool)
                {
                    addition = Addition.OverrideDisposeBool;
                    modifiers = AccessOf(disposeBool);
                }
                else if (Overridable(type.BaseType, parameters: 0) is { } dispose)
                {
                    addition = Addition.OverrideDispose;
                    modifiers = AccessOf(dispose);
                }
                else
                {
                    return null;
                }
            }
            else if (type.IsRefLikeType)
            {
                addition = Addition.PatternDispose;
            }
            else if (type.IsValueType || type.IsSealed)
            {
                addition = Addition.Dispose;
            }
            else
            {
                addition = Addition.DisposePattern;
            }
        }

        var needsUnsafe = field.Type.TypeKind == TypeKind.Pointer &&
            !typeDeclaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Any(t => t.Modifiers.Any(SyntaxKind.UnsafeKeyword));
        return new Plan(
            declarator,
            guarded,
            removeReadonly,
            needsUnsafe,
            addition,
            modifiers,
            NativeReleaseSyntax.TypeExpression(semanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable), semanticModel, position),
            NativeReleaseSyntax.TypeExpression(semanticModel.Compilation.GetTypeByMetadataName("System.GC")!, semanticModel, position));
    }

    private static IMethodSymbol? Overridable(INamedTypeSymbol? type, int parameters)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var method in current.GetMembers("Dispose").OfType<IMethodSymbol>())
            {
                if (method.Parameters.Length == parameters &&
                    (parameters == 0 || method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean) &&
                    (method.IsVirtual || method.IsOverride || method.IsAbstract) && !method.IsSealed && !method.IsAbstract &&
                    method.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal)
                {
                    return method;
                }
            }
        }

        return null;
    }

    private static string AccessOf(IMethodSymbol method) =>
        method.DeclaredAccessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.ProtectedOrInternal => "protected internal",
            _ => "protected",
        };

    private static MethodDeclarationSyntax? FindDisposeBool(TypeDeclarationSyntax type) =>
        type.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m =>
            m.Identifier.ValueText == "Dispose" && !m.Modifiers.Any(SyntaxKind.StaticKeyword) && (m.Body is not null || m.ExpressionBody is not null) &&
            m.ParameterList.Parameters.Count == 1 && m.ParameterList.Parameters[0].Type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.BoolKeyword });

    private static MethodDeclarationSyntax? FindDispose(TypeDeclarationSyntax type) =>
        type.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(m =>
            m.Identifier.ValueText == "Dispose" && !m.Modifiers.Any(SyntaxKind.StaticKeyword) && (m.Body is not null || m.ExpressionBody is not null) &&
            m.ParameterList.Parameters.Count == 0 && m.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword });

    private static SyntaxNode Apply(SyntaxNode root, VariableDeclaratorSyntax field, Plan plan)
    {
        if (field.Parent?.Parent is not FieldDeclarationSyntax fieldDeclaration || fieldDeclaration.Parent is not TypeDeclarationSyntax type)
        {
            return root;
        }

        var release = plan.Release.WithAdditionalAnnotations(Formatter.Annotation);
        var updated = type;
        if (plan.RemoveReadonly)
        {
            var modifiers = fieldDeclaration.Modifiers;
            var readonlyToken = modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.ReadOnlyKeyword));
            if (!readonlyToken.IsKind(SyntaxKind.None))
            {
                var withoutReadonly = fieldDeclaration.WithModifiers(modifiers.Remove(readonlyToken));
                if (readonlyToken == modifiers[0])
                {
                    withoutReadonly = withoutReadonly.WithLeadingTrivia(fieldDeclaration.GetLeadingTrivia());
                }

                updated = updated.ReplaceNode(updated.Members.OfType<FieldDeclarationSyntax>().First(f => f.IsEquivalentTo(fieldDeclaration)), withoutReadonly);
            }
        }

        if ((FindDisposeBool(updated) ?? FindDispose(updated)) is { } existing)
        {
            var extended = AddTo(existing, release);
            if (plan.NeedsUnsafe && !extended.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            {
                extended = extended.AddModifiers(SyntaxFactory.Token(SyntaxKind.UnsafeKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            }

            updated = updated.ReplaceNode(existing, extended);
        }
        else
        {
            updated = AddMembers(updated, plan, release);
        }

        return root.ReplaceNode(type, updated);
    }

    /// <summary>Appends the release to the method body, before a closing <c>base.Dispose(...)</c>.</summary>
    private static MethodDeclarationSyntax AddTo(MethodDeclarationSyntax method, StatementSyntax release)
    {
        var body = method.Body;
        if (body is null)
        {
            var expression = SyntaxFactory.ExpressionStatement(method.ExpressionBody!.Expression);
            return method
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(SyntaxFactory.Block(expression, release))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        var statements = body.Statements;
        var index = statements.Count;
        if (index > 0 && statements[index - 1] is ExpressionStatementSyntax
            {
                Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax, Name.Identifier.ValueText: "Dispose" } },
            })
        {
            index--;
        }

        return method.WithBody(body.WithStatements(statements.Insert(index, release)));
    }

    private static TypeDeclarationSyntax AddMembers(TypeDeclarationSyntax type, Plan plan, StatementSyntax release)
    {
        var members = new List<MemberDeclarationSyntax>();
        var unsafeModifier = plan.NeedsUnsafe ? " unsafe" : string.Empty;
        var voidType = SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.VoidKeyword));
        var disposing = SyntaxFactory.IdentifierName("disposing");
        var disposingParameter = SyntaxFactory.ParameterList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Parameter(SyntaxFactory.Identifier("disposing")).WithType(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.BoolKeyword)))));
        switch (plan.Addition)
        {
            case Addition.Dispose:
            case Addition.PatternDispose:
                members.Add(Method("public" + unsafeModifier, voidType, SyntaxFactory.ParameterList(), release));
                break;
            case Addition.DisposePattern:
                members.Add(Method(
                    "public",
                    voidType,
                    SyntaxFactory.ParameterList(),
                    SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                        SyntaxFactory.IdentifierName("Dispose"),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression)))))),
                    SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, plan.GC, SyntaxFactory.IdentifierName("SuppressFinalize")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.ThisExpression())))))));
                members.Add(Method("protected virtual" + unsafeModifier, voidType, disposingParameter, release));
                break;
            case Addition.OverrideDisposeBool:
                members.Add(Method(plan.Modifiers + " override" + unsafeModifier, voidType, disposingParameter, release, BaseDispose(disposing)));
                break;
            case Addition.OverrideDispose:
                members.Add(Method(plan.Modifiers + " override" + unsafeModifier, voidType, SyntaxFactory.ParameterList(), release, BaseDispose(null)));
                break;
        }

        // A blank line between the last member and the first new one, in the file's own line ending.
        if (members.Count > 0 && type.Members.Count > 0)
        {
            var endOfLine = type.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            members[0] = members[0].WithLeadingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.CarriageReturnLineFeed);
        }

        var updated = type.AddMembers(members.ToArray());
        if (plan.Addition is Addition.Dispose or Addition.DisposePattern)
        {
            updated = AddDisposableBase(updated, plan.Disposable);
        }

        return updated;
    }

    private static StatementSyntax BaseDispose(ExpressionSyntax? argument) =>
        SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.BaseExpression(), SyntaxFactory.IdentifierName("Dispose")),
            argument is null
                ? SyntaxFactory.ArgumentList()
                : SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument)))));

    private static MethodDeclarationSyntax Method(string modifiers, TypeSyntax returnType, ParameterListSyntax parameters, params StatementSyntax[] statements)
    {
        var tokens = modifiers.Split(' ').Select(m => SyntaxFactory.ParseToken(m)).ToArray();
        return SyntaxFactory.MethodDeclaration(returnType, "Dispose")
            .WithModifiers(SyntaxFactory.TokenList(tokens))
            .WithParameterList(parameters)
            .WithBody(SyntaxFactory.Block(statements))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>Adds IDisposable to the base list, keeping the line break that followed the name.</summary>
    private static TypeDeclarationSyntax AddDisposableBase(TypeDeclarationSyntax type, TypeSyntax disposable)
    {
        var baseType = SyntaxFactory.SimpleBaseType(disposable);
        if (type.BaseList is { } existing)
        {
            return type.WithBaseList(existing.AddTypes(baseType).WithAdditionalAnnotations(Formatter.Annotation));
        }

        var before = (type as RecordDeclarationSyntax)?.ParameterList?.CloseParenToken ?? type.TypeParameterList?.GreaterThanToken ?? type.Identifier;
        var trailing = before.TrailingTrivia;
        var updated = type.ReplaceToken(before, before.WithTrailingTrivia(SyntaxFactory.Space));
        var baseList = SyntaxFactory.BaseList(
                SyntaxFactory.Token(SyntaxKind.ColonToken).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(baseType.WithTrailingTrivia(trailing)));
        return updated.WithBaseList(baseList);
    }
}
