namespace LeakAnalyzers.CodeFixes.Editing;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

/// <summary>
/// Collects the edits of one or many fixes in one document, decided on the original tree, and applies them in one
/// pass: node replacements and removals, statements added to a type's Dispose (found, overridden, or created
/// together with the IDisposable interface), statements added to a named counterpart method (found or overridden),
/// and new members. Fix All feeds every diagnostic to one editor, so that one Dispose receives every removal.
/// </summary>
internal sealed class TypeEditor
{
    private readonly SyntaxNode root;
    private readonly SemanticModel semanticModel;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<SyntaxNode, SyntaxNode?> replacements = new();
    private readonly Dictionary<SyntaxNode, IReadOnlyList<SyntaxNode>> expansions = new();
    private readonly Dictionary<TypeDeclarationSyntax, TypeEdits> types = new();

    internal TypeEditor(SyntaxNode root, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        this.root = root;
        this.semanticModel = semanticModel;
        this.cancellationToken = cancellationToken;
    }

    internal SyntaxNode Root => root;

    /// <summary>The document's line break (the first one found), for text the fixes write.</summary>
    internal SyntaxTrivia NewLine => NewLineOf(root);

    /// <summary>
    /// The line break of the document <paramref name="root"/> belongs to (the first one found), so that lines a fix
    /// writes end like the lines around them; CRLF in a document that has none yet.
    /// </summary>
    internal static SyntaxTrivia NewLineOf(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return SyntaxFactory.EndOfLine(trivia.ToString());
            }
        }

        return SyntaxFactory.CarriageReturnLineFeed;
    }

    internal SemanticModel SemanticModel => semanticModel;

    internal CancellationToken CancellationToken => cancellationToken;

    /// <summary>Replaces <paramref name="node"/> of the original tree (null removes it). The first edit of a node wins.</summary>
    internal void Replace(SyntaxNode node, SyntaxNode? replacement)
    {
        if (!replacements.ContainsKey(node))
        {
            replacements.Add(node, replacement);
        }
    }

    /// <summary>Replaces a node in a list (a statement in a block) with several nodes.</summary>
    internal void ReplaceWithMany(SyntaxNode node, IReadOnlyList<SyntaxNode> nodes)
    {
        if (!replacements.ContainsKey(node) && !expansions.ContainsKey(node))
        {
            expansions.Add(node, nodes);
        }
    }

    /// <summary>Whether an edit already removes <paramref name="node"/> or one of its ancestors.</summary>
    internal bool IsRemoved(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (replacements.TryGetValue(current, out var replacement) && replacement is null)
            {
                return true;
            }
        }

        return false;
    }

    internal bool IsReplaced(SyntaxNode node) => replacements.ContainsKey(node) || expansions.ContainsKey(node);

    /// <summary>
    /// Whether statements can be added to the Dispose of <paramref name="type"/>: it declares one here, a base type
    /// offers one to override, or the type implements nothing disposable yet and can be given IDisposable.
    /// </summary>
    internal bool CanAddToDispose(TypeDeclarationSyntax type) => Edits(type).Dispose is not null;

    /// <summary>Adds <paramref name="statement"/> (once) to the Dispose of <paramref name="type"/>; false when there is no way to.</summary>
    internal bool AddToDispose(TypeDeclarationSyntax type, StatementSyntax statement)
    {
        var edits = Edits(type);
        if (edits.Dispose is null)
        {
            return false;
        }

        AddOnce(edits.DisposeStatements, statement);
        return true;
    }

    /// <summary>Adds <paramref name="statement"/> (once) to the method <paramref name="name"/> of the type, overriding the base method when the type does not declare it.</summary>
    internal bool AddToMethod(TypeDeclarationSyntax type, string name, StatementSyntax statement)
    {
        var edits = Edits(type);
        if (!edits.Methods.TryGetValue(name, out var target))
        {
            target = FindMethodTarget(type, name);
            edits.Methods.Add(name, target);
        }

        if (target is null)
        {
            return false;
        }

        AddOnce(target.Statements, statement);
        return true;
    }

    /// <summary>Adds a member to the type, after <paramref name="after"/> when given (a member of the original tree).</summary>
    internal void AddMember(TypeDeclarationSyntax type, MemberDeclarationSyntax member, MemberDeclarationSyntax? after)
    {
        Edits(type).NewMembers.Add((member, after, true));
    }

    /// <summary>Adds a field after the type's last field, or first when it has none.</summary>
    internal void AddField(TypeDeclarationSyntax type, FieldDeclarationSyntax field)
    {
        var lastField = type.Members.OfType<FieldDeclarationSyntax>().LastOrDefault();
        Edits(type).NewMembers.Add((field, lastField, false));
    }

    /// <summary>A member name not used in the type nor already taken by another edit: <paramref name="name"/>, then name2, name3, ...</summary>
    internal string UniqueName(TypeDeclarationSyntax type, string name)
    {
        var edits = Edits(type);
        var symbol = semanticModel.GetDeclaredSymbol(type, cancellationToken);
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? name : name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var taken = edits.ReservedNames.Contains(candidate) ||
                        (symbol is not null && (symbol.GetMembers(candidate).Length > 0 || symbol.Name == candidate || HasInheritedMember(symbol, candidate)));
            if (!taken)
            {
                edits.ReservedNames.Add(candidate);
                return candidate;
            }
        }
    }

    /// <summary>Applies every edit to the original root.</summary>
    internal SyntaxNode Apply()
    {
        var tracked = new List<SyntaxNode>(replacements.Keys);
        tracked.AddRange(expansions.Keys);
        foreach (var pair in types)
        {
            tracked.Add(pair.Key);
            if (pair.Value.Dispose?.Method is { } dispose)
            {
                tracked.Add(dispose);
            }

            foreach (var target in pair.Value.Methods.Values)
            {
                if (target?.Method is { } method)
                {
                    tracked.Add(method);
                }
            }

            foreach (var (_, after, _) in pair.Value.NewMembers)
            {
                if (after is not null)
                {
                    tracked.Add(after);
                }
            }
        }

        var current = root.TrackNodes(tracked);

        // Innermost first, so that a replacement inside another replaced node is not lost.
        foreach (var pair in replacements.OrderByDescending(p => p.Key.SpanStart).ThenBy(p => p.Key.Span.Length))
        {
            var node = current.GetCurrentNode(pair.Key);
            if (node is null)
            {
                continue;
            }

            current = pair.Value is null
                ? current.RemoveNode(node, SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepDirectives) ?? current
                : current.ReplaceNode(node, pair.Value);
        }

        foreach (var pair in expansions)
        {
            if (current.GetCurrentNode(pair.Key) is { } node)
            {
                current = current.ReplaceNode(node, pair.Value);
            }
        }

        foreach (var pair in types.OrderByDescending(p => p.Key.SpanStart))
        {
            current = ApplyTypeEdits(current, pair.Key, pair.Value);
        }

        return current;
    }

    private SyntaxNode ApplyTypeEdits(SyntaxNode current, TypeDeclarationSyntax original, TypeEdits edits)
    {
        // Statements into existing methods first: they are inside the type and tracked on their own.
        foreach (var target in edits.Methods.Values)
        {
            if (target is { Method: { } method } && target.Statements.Count > 0 && current.GetCurrentNode(method) is { } currentMethod)
            {
                current = current.ReplaceNode(currentMethod, InsertStatements(currentMethod, target.Statements, inDisposingBlock: false));
            }
        }

        if (edits.DisposeStatements.Count > 0 && edits.Dispose is { Method: { } dispose } && current.GetCurrentNode(dispose) is { } currentDispose)
        {
            current = current.ReplaceNode(currentDispose, InsertStatements(currentDispose, edits.DisposeStatements, edits.Dispose.Kind == DisposeKind.DisposeBool));
        }

        if (current.GetCurrentNode(original) is not { } type)
        {
            return current;
        }

        var updated = type;
        var newMembers = new List<(MemberDeclarationSyntax Member, MemberDeclarationSyntax? After, bool BlankLine)>(edits.NewMembers);
        foreach (var target in edits.Methods.Values)
        {
            if (target is { Method: null, Override: { } overridden } && target.Statements.Count > 0)
            {
                newMembers.Add((CreateOverride(overridden, target.Statements, type.SpanStart), null, true));
            }
        }

        if (edits.DisposeStatements.Count > 0 && edits.Dispose is { Method: null } plan)
        {
            newMembers.Add((CreateDispose(plan, edits.DisposeStatements, type.SpanStart), null, true));
            if (plan.Kind == DisposeKind.Implement)
            {
                updated = AddDisposableInterface(updated);
            }
        }

        var insertedAfter = new Dictionary<SyntaxNode, int>();
        var insertedFirst = 0;
        foreach (var (member, after, blankLine) in newMembers)
        {
            var anchor = after is null ? null : updated.GetCurrentNode(after);
            var already = after is not null && insertedAfter.TryGetValue(after, out var count) ? count : 0;
            if (after is not null)
            {
                insertedAfter[after] = already + 1;
            }

            var members = updated.Members;
            int index;
            if (anchor is not null)
            {
                index = members.IndexOf(anchor) + 1 + already;
            }
            else if (blankLine)
            {
                index = members.Count;
            }
            else
            {
                // First in the type, after what was put first before it; a blank line then parts them from the first old member unless it is a field.
                index = insertedFirst++;
                if (index == 0 && members.Count > 0 && members[0] is not FieldDeclarationSyntax)
                {
                    members = members.Replace(members[0], members[0].WithLeadingTrivia(members[0].GetLeadingTrivia().Insert(0, NewLine)));
                }
            }

            if (index < 0)
            {
                index = members.Count;
            }

            var formatted = member
                .WithLeadingTrivia(index > 0 && blankLine ? SyntaxFactory.TriviaList(NewLine) : SyntaxFactory.TriviaList())
                .WithTrailingTrivia(NewLine)
                .WithAdditionalAnnotations(Formatter.Annotation);
            updated = updated.WithMembers(members.Insert(index, formatted));
        }

        return ReferenceEquals(updated, type) ? current : current.ReplaceNode(type, updated);
    }

    private static void AddOnce(List<StatementSyntax> statements, StatementSyntax statement)
    {
        var text = Normalize(statement);
        if (!statements.Any(existing => Normalize(existing) == text))
        {
            statements.Add(statement);
        }
    }

    private static string Normalize(SyntaxNode node) => node.NormalizeWhitespace().ToFullString();

    private TypeEdits Edits(TypeDeclarationSyntax type)
    {
        if (!types.TryGetValue(type, out var edits))
        {
            edits = new TypeEdits { Dispose = FindDispose(type) };
            types.Add(type, edits);
        }

        return edits;
    }

    private enum DisposeKind
    {
        /// <summary><c>Dispose(bool disposing)</c>: the statements go under <c>if (disposing)</c>.</summary>
        DisposeBool,

        /// <summary><c>Dispose()</c>, <c>IDisposable.Dispose()</c> or <c>DisposeAsync()</c> declared here.</summary>
        Dispose,

        /// <summary>Override the base's <c>Dispose(bool)</c>.</summary>
        OverrideDisposeBool,

        /// <summary>Override the base's virtual <c>Dispose()</c>.</summary>
        OverrideDispose,

        /// <summary>Add <c>IDisposable</c> and a public <c>Dispose()</c>.</summary>
        Implement,
    }

    private sealed class DisposePlan
    {
        internal DisposeKind Kind { get; set; }

        internal MethodDeclarationSyntax? Method { get; set; }

        internal IMethodSymbol? Overridden { get; set; }
    }

    private sealed class MethodTarget
    {
        internal MethodDeclarationSyntax? Method { get; set; }

        internal IMethodSymbol? Override { get; set; }

        internal List<StatementSyntax> Statements { get; } = new();
    }

    private sealed class TypeEdits
    {
        internal DisposePlan? Dispose { get; set; }

        internal List<StatementSyntax> DisposeStatements { get; } = new();

        internal Dictionary<string, MethodTarget?> Methods { get; } = new(StringComparer.Ordinal);

        internal List<(MemberDeclarationSyntax Member, MemberDeclarationSyntax? After, bool BlankLine)> NewMembers { get; } = new();

        internal HashSet<string> ReservedNames { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Where removals go: the type's own Dispose(bool), Dispose() or DisposeAsync() in this document, a base Dispose to override, or a new IDisposable implementation.</summary>
    private DisposePlan? FindDispose(TypeDeclarationSyntax type)
    {
        if (semanticModel.GetDeclaredSymbol(type, cancellationToken) is not INamedTypeSymbol symbol || symbol.TypeKind != TypeKind.Class || symbol.IsStatic)
        {
            return null;
        }

        var disposable = semanticModel.Compilation.GetSpecialType(SpecialType.System_IDisposable);
        MethodDeclarationSyntax? disposeBool = null, dispose = null, disposeAsync = null;
        var declaredElsewhere = false;
        foreach (var member in symbol.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            var kind = method switch
            {
                { Name: "Dispose", Parameters.Length: 1 } when method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean => 1,
                { Name: "Dispose" or "System.IDisposable.Dispose", Parameters.Length: 0 } => 2,
                { Name: "DisposeAsync" or "System.IAsyncDisposable.DisposeAsync", Parameters.Length: 0 } => 3,
                _ => 0,
            };

            if (kind == 0)
            {
                continue;
            }

            var declaration = method.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax(cancellationToken))
                .OfType<MethodDeclarationSyntax>()
                .FirstOrDefault(syntax => syntax.SyntaxTree == type.SyntaxTree && (syntax.Body is not null || syntax.ExpressionBody is not null));
            if (declaration is null)
            {
                declaredElsewhere = true;
                continue;
            }

            switch (kind)
            {
                case 1:
                    disposeBool ??= declaration;
                    break;
                case 2:
                    dispose ??= declaration;
                    break;
                default:
                    disposeAsync ??= declaration;
                    break;
            }
        }

        if (disposeBool is not null)
        {
            return new DisposePlan { Kind = DisposeKind.DisposeBool, Method = disposeBool };
        }

        if (dispose is not null || disposeAsync is not null)
        {
            return new DisposePlan { Kind = DisposeKind.Dispose, Method = dispose ?? disposeAsync };
        }

        if (declaredElsewhere)
        {
            return null; // in another part of a partial type: a fix here would create a second one.
        }

        for (var baseType = symbol.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            foreach (var member in baseType.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol { IsSealed: false } method && (method.IsVirtual || method.IsAbstract || method.IsOverride) &&
                    semanticModel.Compilation.IsSymbolAccessibleWithin(method, symbol))
                {
                    if (method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean)
                    {
                        return new DisposePlan { Kind = DisposeKind.OverrideDisposeBool, Overridden = method };
                    }

                    if (method.Parameters.Length == 0 && method.ReturnsVoid)
                    {
                        return new DisposePlan { Kind = DisposeKind.OverrideDispose, Overridden = method };
                    }
                }
            }
        }

        var implementsDisposable = SymbolEqualityComparer.Default.Equals(symbol, disposable) || symbol.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);
        return implementsDisposable ? null : new DisposePlan { Kind = DisposeKind.Implement };
    }

    private MethodTarget? FindMethodTarget(TypeDeclarationSyntax type, string name)
    {
        if (semanticModel.GetDeclaredSymbol(type, cancellationToken) is not INamedTypeSymbol symbol)
        {
            return null;
        }

        foreach (var member in symbol.GetMembers(name))
        {
            if (member is IMethodSymbol method)
            {
                var declaration = method.DeclaringSyntaxReferences
                    .Select(reference => reference.GetSyntax(cancellationToken))
                    .OfType<MethodDeclarationSyntax>()
                    .FirstOrDefault(syntax => syntax.SyntaxTree == type.SyntaxTree && (syntax.Body is not null || syntax.ExpressionBody is not null));
                return declaration is null ? null : new MethodTarget { Method = declaration };
            }
        }

        for (var baseType = symbol.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            foreach (var member in baseType.GetMembers(name))
            {
                if (member is IMethodSymbol { IsSealed: false, ReturnsVoid: true, IsGenericMethod: false } method &&
                    (method.IsVirtual || method.IsAbstract || method.IsOverride) &&
                    semanticModel.Compilation.IsSymbolAccessibleWithin(method, symbol))
                {
                    return new MethodTarget { Override = method };
                }
            }
        }

        return null;
    }

    private static bool HasInheritedMember(INamedTypeSymbol type, string name)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.GetMembers(name).Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inserts at the start of the body (inside <c>if (disposing)</c> for Dispose(bool)); an expression body becomes a block.</summary>
    private MethodDeclarationSyntax InsertStatements(MethodDeclarationSyntax method, List<StatementSyntax> statements, bool inDisposingBlock)
    {
        var prepared = statements.Select(Prepare).ToList();
        var body = method.Body;
        if (body is null)
        {
            if (method.ExpressionBody is not { } arrow)
            {
                return method;
            }

            StatementSyntax last = IsVoidLike(method)
                ? SyntaxFactory.ExpressionStatement(arrow.Expression)
                : SyntaxFactory.ReturnStatement(arrow.Expression);
            body = SyntaxFactory.Block(last);
            method = method
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithParameterList(method.ParameterList.WithTrailingTrivia(method.ParameterList.GetTrailingTrivia().Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia))))
                .WithBody(body)
                .WithTrailingTrivia(method.SemicolonToken.TrailingTrivia)
                .WithAdditionalAnnotations(Formatter.Annotation);
            body = method.Body!;
        }

        if (inDisposingBlock)
        {
            var parameter = method.ParameterList.Parameters.FirstOrDefault()?.Identifier.ValueText ?? "disposing";
            foreach (var statement in body.Statements)
            {
                if (statement is IfStatementSyntax { Condition: IdentifierNameSyntax condition, Statement: BlockSyntax block } ifStatement &&
                    condition.Identifier.ValueText == parameter)
                {
                    var newBlock = block.WithStatements(block.Statements.InsertRange(0, prepared));
                    return method.ReplaceNode(ifStatement, ifStatement.WithStatement(newBlock));
                }
            }

            var guarded = SyntaxFactory.IfStatement(SyntaxFactory.IdentifierName(parameter), SyntaxFactory.Block(prepared))
                .WithTrailingTrivia(NewLine)
                .WithAdditionalAnnotations(Formatter.Annotation);
            prepared = new List<StatementSyntax> { guarded };
        }

        return method.WithBody(body.WithStatements(body.Statements.InsertRange(0, prepared)));
    }

    /// <summary>A statement on a line of its own, to be indented by the formatter.</summary>
    private StatementSyntax Prepare(StatementSyntax statement) =>
        statement
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(NewLine)
            .WithAdditionalAnnotations(Formatter.Annotation);

    private static bool IsVoidLike(MethodDeclarationSyntax method) =>
        method.ReturnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword);

    private MethodDeclarationSyntax CreateDispose(DisposePlan plan, List<StatementSyntax> statements, int position)
    {
        var body = new List<StatementSyntax>();
        switch (plan.Kind)
        {
            case DisposeKind.OverrideDisposeBool:
                body.Add(SyntaxFactory.IfStatement(SyntaxFactory.IdentifierName("disposing"), SyntaxFactory.Block(statements.Select(Prepare))));
                body.Add(SyntaxFactory.ParseStatement("base.Dispose(disposing);"));
                return Method(plan.Overridden!, "Dispose", "void", "bool disposing", body, isOverride: true, position);
            case DisposeKind.OverrideDispose:
                body.AddRange(statements);
                body.Add(SyntaxFactory.ParseStatement("base.Dispose();"));
                return Method(plan.Overridden!, "Dispose", "void", string.Empty, body, isOverride: true, position);
            default:
                body.AddRange(statements);
                return Method(null, "Dispose", "void", string.Empty, body, isOverride: false, position);
        }
    }

    private MethodDeclarationSyntax CreateOverride(IMethodSymbol overridden, List<StatementSyntax> statements, int position)
    {
        var parameters = string.Join(", ", overridden.Parameters.Select(p => Modifier(p.RefKind) + p.Type.ToMinimalDisplayString(semanticModel, position) + " " + p.Name));
        var arguments = string.Join(", ", overridden.Parameters.Select(p => Modifier(p.RefKind) + p.Name));
        var body = new List<StatementSyntax>();
        if (!overridden.IsAbstract)
        {
            body.Add(SyntaxFactory.ParseStatement($"base.{overridden.Name}({arguments});"));
        }

        body.AddRange(statements);
        return Method(overridden, overridden.Name, "void", parameters, body, isOverride: true, position);
    }

    private static string Modifier(RefKind kind) =>
        kind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            _ => string.Empty,
        };

    private MethodDeclarationSyntax Method(IMethodSymbol? overridden, string name, string returnType, string parameters, List<StatementSyntax> body, bool isOverride, int position)
    {
        var accessibility = overridden?.DeclaredAccessibility switch
        {
            null or Accessibility.Public => "public",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => SymbolEqualityComparer.Default.Equals(overridden.ContainingAssembly, semanticModel.Compilation.Assembly) ? "protected internal" : "protected",
            Accessibility.Internal => "internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "protected",
        };

        var header = $"{accessibility} {(isOverride ? "override " : string.Empty)}{returnType} {name}({parameters})";
        var method = (MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(header + "\n{\n}\n")!;
        return method.WithBody(SyntaxFactory.Block(body.Select(Prepare)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static TypeDeclarationSyntax AddDisposableInterface(TypeDeclarationSyntax type)
    {
        var disposable = SyntaxFactory.SimpleBaseType(
            SyntaxFactory.ParseTypeName("System.IDisposable").WithAdditionalAnnotations(Simplifier.Annotation));
        if (type.BaseList is { } baseList)
        {
            var types = baseList.Types;
            var last = types.Last();
            var updated = types.Replace(last, last.WithoutTrailingTrivia())
                .Add(disposable.WithTrailingTrivia(last.GetTrailingTrivia()));
            return type.WithBaseList(baseList.WithTypes(updated));
        }

        // The base list goes after the name, its type parameters or its primary constructor (the token before the
        // constraints or the open brace); the line break that followed that token moves after the base list.
        var lastToken = type.ConstraintClauses.Count > 0
            ? type.ConstraintClauses[0].GetFirstToken().GetPreviousToken()
            : type.OpenBraceToken.GetPreviousToken();
        if (lastToken.IsKind(SyntaxKind.None) || type.OpenBraceToken.IsMissing)
        {
            return type;
        }

        var trailing = lastToken.TrailingTrivia;
        var list = SyntaxFactory.BaseList(SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(disposable))
            .WithColonToken(SyntaxFactory.Token(SyntaxKind.ColonToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space))
            .WithTrailingTrivia(trailing);
        return type.ReplaceToken(lastToken, lastToken.WithTrailingTrivia()).WithBaseList(list);
    }
}
