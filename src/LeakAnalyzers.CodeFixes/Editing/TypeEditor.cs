namespace LeakAnalyzers.CodeFixes.Editing;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

/// <summary>
/// Collects the edits of one or many fixes in one document, decided on the original tree, and applies them in one
/// pass: node replacements and removals, statements added to a type's Dispose (found, overridden, or created
/// together with the IDisposable interface, as a <see cref="DisposeStyle"/> says), statements added to a named
/// counterpart method (found or overridden), new members, and rewrites of what surrounds a node. Fix All feeds
/// every diagnostic to one editor (<see cref="LeakCodeFix"/>), so that one Dispose receives every statement.
/// </summary>
internal sealed class TypeEditor
{
    private readonly SyntaxNode root;
    private readonly SemanticModel semanticModel;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<SyntaxNode, SyntaxNode?> replacements = new();
    private readonly Dictionary<SyntaxNode, IReadOnlyList<SyntaxNode>> expansions = new();
    private readonly Dictionary<TypeDeclarationSyntax, TypeEdits> types = new();
    private readonly List<(SyntaxNode Node, Func<SyntaxNode, SyntaxNode, SyntaxNode> Rewrite)> rewrites = new();

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

    /// <summary>The title a plan gives its action for this diagnostic, when it names what it does; null for the action's own.</summary>
    internal string? Title { get; set; }

    /// <summary>The node the diagnostic is on (the innermost of several with its span); null when it is not in this document.</summary>
    internal SyntaxNode? NodeAt(Diagnostic diagnostic) => NodeAt(diagnostic.Location);

    /// <summary>The node at <paramref name="location"/> (the innermost of several with its span); null when it is not in this document.</summary>
    internal SyntaxNode? NodeAt(Location location) =>
        location.IsInSource && location.SourceTree == root.SyntaxTree
            ? root.FindNode(location.SourceSpan, getInnermostNodeForTie: true)
            : null;

    /// <summary>The type declaration whose code holds the diagnostic.</summary>
    internal TypeDeclarationSyntax? TypeOf(Diagnostic diagnostic) => NodeAt(diagnostic)?.FirstAncestorOrSelf<TypeDeclarationSyntax>();

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
    /// Rewrites the document around <paramref name="node"/> (of the original tree) after the other edits:
    /// <paramref name="rewrite"/> gets the current root and the node as it is there, and returns the new root. For
    /// fixes that reshape what surrounds the node (wrap the rest of its block, declare a local before its statement)
    /// and must see what the earlier rewrites did (the names they took). Rewrites run in the order they were added,
    /// one per node; a rewrite keeps the nodes it moves (not copies), so that later rewrites still find theirs.
    /// </summary>
    internal void Rewrite<TNode>(TNode node, Func<SyntaxNode, TNode, SyntaxNode> rewrite)
        where TNode : SyntaxNode
    {
        if (!rewrites.Any(r => r.Node == node))
        {
            rewrites.Add((node, (current, at) => at is TNode typed ? rewrite(current, typed) : current));
        }
    }

    /// <summary>
    /// Whether statements can be added to the Dispose of <paramref name="type"/>: it declares one here, a base type
    /// offers one to override, or the type implements nothing disposable yet and can be given IDisposable.
    /// </summary>
    internal bool CanAddToDispose(TypeDeclarationSyntax type, DisposeStyle? style = null) => Edits(type, style).Dispose is not null;

    /// <summary>
    /// Adds <paramref name="statement"/> (once) to the Dispose of <paramref name="type"/>, where <paramref name="style"/>
    /// (by default <see cref="DisposeStyle.Undo"/>) puts it; false when there is no way to. <paramref name="unsafeCode"/>:
    /// the statement needs an unsafe context, which the Dispose gets when the type is not unsafe already.
    /// </summary>
    internal bool AddToDispose(TypeDeclarationSyntax type, StatementSyntax statement, DisposeStyle? style = null, bool unsafeCode = false)
    {
        var edits = Edits(type, style);
        if (edits.Dispose is null)
        {
            return false;
        }

        edits.Dispose.Unsafe |= unsafeCode && !type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Any(t => t.Modifiers.Any(SyntaxKind.UnsafeKeyword));
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
        tracked.AddRange(rewrites.Select(r => r.Node));
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

        foreach (var (node, rewrite) in rewrites)
        {
            if (current.GetCurrentNode(node) is { } at)
            {
                current = rewrite(current, at);
            }
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

        if (edits.DisposeStatements.Count > 0 && edits.Dispose is { Method: { } dispose } existing && current.GetCurrentNode(dispose) is { } currentDispose)
        {
            var extended = InsertIntoDispose(currentDispose, edits.DisposeStatements, existing);
            if (existing.Unsafe && !extended.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            {
                extended = extended.AddModifiers(SyntaxFactory.Token(SyntaxKind.UnsafeKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            }

            current = current.ReplaceNode(currentDispose, extended);
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
            newMembers.AddRange(CreateDispose(plan, edits.DisposeStatements, type.SpanStart).Select(member => ((MemberDeclarationSyntax)member, (MemberDeclarationSyntax?)null, true)));
            if (plan.Kind is DisposeKind.Implement or DisposeKind.ImplementPattern && plan.Interface)
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

    /// <summary>The edits of <paramref name="type"/>; its Dispose is planned with the style of the first fix that asks.</summary>
    private TypeEdits Edits(TypeDeclarationSyntax type, DisposeStyle? style = null)
    {
        if (!types.TryGetValue(type, out var edits))
        {
            edits = new TypeEdits { Dispose = FindDispose(type, style ?? DisposeStyle.Undo) };
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

        /// <summary>Add <c>IDisposable</c> (unless a ref struct) and a public <c>Dispose()</c>.</summary>
        Implement,

        /// <summary>Add <c>IDisposable</c>, a public <c>Dispose()</c> and a <c>protected virtual Dispose(bool)</c> it calls.</summary>
        ImplementPattern,
    }

    private sealed class DisposePlan
    {
        internal DisposePlan(DisposeKind kind, DisposeStyle style)
        {
            Kind = kind;
            Style = style;
        }

        internal DisposeKind Kind { get; }

        internal DisposeStyle Style { get; }

        internal MethodDeclarationSyntax? Method { get; set; }

        internal IMethodSymbol? Overridden { get; set; }

        /// <summary>Whether a new implementation declares the interface too (a ref struct's <c>using</c> works by pattern).</summary>
        internal bool Interface { get; set; } = true;

        /// <summary>Whether a statement needs an unsafe context that the type does not give.</summary>
        internal bool Unsafe { get; set; }
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

    /// <summary>
    /// Where the statements go: the type's own Dispose(bool), Dispose() or DisposeAsync() in this document, a base
    /// Dispose to override, or a new IDisposable implementation (for a struct too when the style allows).
    /// </summary>
    private DisposePlan? FindDispose(TypeDeclarationSyntax type, DisposeStyle style)
    {
        if (semanticModel.GetDeclaredSymbol(type, cancellationToken) is not INamedTypeSymbol symbol || symbol.IsStatic ||
            !(symbol.TypeKind == TypeKind.Class || (symbol.TypeKind == TypeKind.Struct && style.Structs)))
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
            return new DisposePlan(DisposeKind.DisposeBool, style) { Method = disposeBool };
        }

        if (dispose is not null || disposeAsync is not null)
        {
            return new DisposePlan(DisposeKind.Dispose, style) { Method = dispose ?? disposeAsync };
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
                        return new DisposePlan(DisposeKind.OverrideDisposeBool, style) { Overridden = method };
                    }

                    if (method.Parameters.Length == 0 && method.ReturnsVoid)
                    {
                        return new DisposePlan(DisposeKind.OverrideDispose, style) { Overridden = method };
                    }
                }
            }
        }

        var implementsDisposable = SymbolEqualityComparer.Default.Equals(symbol, disposable) || symbol.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);
        if (implementsDisposable)
        {
            return null;
        }

        var pattern = style.Pattern && symbol.TypeKind == TypeKind.Class && !symbol.IsSealed;
        return new DisposePlan(pattern ? DisposeKind.ImplementPattern : DisposeKind.Implement, style) { Interface = !symbol.IsRefLikeType };
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

    /// <summary>Inserts into an existing Dispose where the plan's style says: first or last, under <c>if (disposing)</c> or not.</summary>
    private MethodDeclarationSyntax InsertIntoDispose(MethodDeclarationSyntax method, List<StatementSyntax> statements, DisposePlan plan) =>
        InsertStatements(method, statements, plan.Kind == DisposeKind.DisposeBool && plan.Style.Managed, plan.Style.AtEnd);

    /// <summary>
    /// Inserts at the start of the body, or at its end (before a closing <c>base.Dispose(...)</c> call or <c>return</c>)
    /// when <paramref name="atEnd"/>; with <paramref name="inDisposingBlock"/>, inside <c>if (disposing)</c>, which is
    /// added when the method has none. An expression body becomes a block.
    /// </summary>
    private MethodDeclarationSyntax InsertStatements(MethodDeclarationSyntax method, List<StatementSyntax> statements, bool inDisposingBlock, bool atEnd = false)
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
                    var newBlock = block.WithStatements(block.Statements.InsertRange(atEnd ? block.Statements.Count : 0, prepared));
                    return method.ReplaceNode(ifStatement, ifStatement.WithStatement(newBlock));
                }
            }

            var guarded = SyntaxFactory.IfStatement(SyntaxFactory.IdentifierName(parameter), SyntaxFactory.Block(prepared))
                .WithTrailingTrivia(NewLine)
                .WithAdditionalAnnotations(Formatter.Annotation);
            prepared = new List<StatementSyntax> { guarded };
        }

        var index = atEnd ? EndOf(body) : 0;
        return method.WithBody(body.WithStatements(body.Statements.InsertRange(index, prepared)));
    }

    /// <summary>Where statements go at the end of a Dispose body: before a closing base call or <c>return</c>.</summary>
    private static int EndOf(BlockSyntax body)
    {
        var count = body.Statements.Count;
        var last = count > 0 ? body.Statements[count - 1] : null;
        var closing = last switch
        {
            ReturnStatementSyntax => true,
            ExpressionStatementSyntax { Expression: var expression } =>
                (expression is AwaitExpressionSyntax awaited ? awaited.Expression : expression) is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } },
            _ => false,
        };
        return closing ? count - 1 : count;
    }

    /// <summary>A statement on a line of its own, to be indented by the formatter.</summary>
    private StatementSyntax Prepare(StatementSyntax statement) =>
        statement
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(NewLine)
            .WithAdditionalAnnotations(Formatter.Annotation);

    private static bool IsVoidLike(MethodDeclarationSyntax method) =>
        method.ReturnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword);

    /// <summary>The Dispose members a type without its own gets: an override, a plain <c>Dispose()</c>, or the Dispose(bool) pattern.</summary>
    private IEnumerable<MethodDeclarationSyntax> CreateDispose(DisposePlan plan, List<StatementSyntax> statements, int position)
    {
        var modifiers = plan.Unsafe ? "unsafe " : string.Empty;
        switch (plan.Kind)
        {
            case DisposeKind.OverrideDisposeBool:
                yield return Method(plan.Overridden!, "Dispose", "void", "bool disposing", DisposeBoolBody(plan, statements, baseCall: !plan.Overridden!.IsAbstract), "override " + modifiers, position);
                break;
            case DisposeKind.OverrideDispose:
                var body = new List<StatementSyntax>(statements);
                if (!plan.Overridden!.IsAbstract)
                {
                    body.Add(SyntaxFactory.ParseStatement("base.Dispose();"));
                }

                yield return Method(plan.Overridden, "Dispose", "void", string.Empty, body, "override " + modifiers, position);
                break;
            case DisposeKind.ImplementPattern:
                var gc = SyntaxFactory.ParseExpression("System.GC").WithAdditionalAnnotations(Simplifier.Annotation);
                var suppress = SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, gc, SyntaxFactory.IdentifierName("SuppressFinalize")),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.ThisExpression())))));
                yield return Method(null, "Dispose", "void", string.Empty, new List<StatementSyntax> { SyntaxFactory.ParseStatement("Dispose(true);"), suppress }, string.Empty, position);
                yield return Method(null, "Dispose", "void", "bool disposing", DisposeBoolBody(plan, statements, baseCall: false), "virtual " + modifiers, position, accessibility: "protected");
                break;
            default:
                yield return Method(null, "Dispose", "void", string.Empty, new List<StatementSyntax>(statements), modifiers, position);
                break;
        }
    }

    /// <summary>A new Dispose(bool)'s body: the statements (under <c>if (disposing)</c> for managed ones), then the base call.</summary>
    private List<StatementSyntax> DisposeBoolBody(DisposePlan plan, List<StatementSyntax> statements, bool baseCall)
    {
        var body = new List<StatementSyntax>();
        if (plan.Style.Managed)
        {
            body.Add(SyntaxFactory.IfStatement(SyntaxFactory.IdentifierName("disposing"), SyntaxFactory.Block(statements.Select(Prepare))));
        }
        else
        {
            body.AddRange(statements);
        }

        if (baseCall)
        {
            body.Add(SyntaxFactory.ParseStatement("base.Dispose(disposing);"));
        }

        return body;
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
        return Method(overridden, overridden.Name, "void", parameters, body, "override ", position);
    }

    private static string Modifier(RefKind kind) =>
        kind switch
        {
            RefKind.Ref => "ref ",
            RefKind.Out => "out ",
            RefKind.In => "in ",
            _ => string.Empty,
        };

    /// <summary>A method with the overridden method's accessibility (public for a new one, unless given), <paramref name="modifiers"/> (each followed by a space) and <paramref name="body"/>.</summary>
    private MethodDeclarationSyntax Method(IMethodSymbol? overridden, string name, string returnType, string parameters, List<StatementSyntax> body, string modifiers, int position, string? accessibility = null)
    {
        accessibility ??= overridden?.DeclaredAccessibility switch
        {
            null or Accessibility.Public => "public",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => SymbolEqualityComparer.Default.Equals(overridden.ContainingAssembly, semanticModel.Compilation.Assembly) ? "protected internal" : "protected",
            Accessibility.Internal => "internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "protected",
        };

        var header = $"{accessibility} {modifiers}{returnType} {name}({parameters})";
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

/// <summary>
/// How a fix's statements go into a type's Dispose, and what a type without one gets. The fixes differ in what
/// they release, and so in where it belongs; how the Dispose is found, overridden or created is the same for all.
/// </summary>
internal sealed class DisposeStyle
{
    private DisposeStyle(bool atEnd, bool managed, bool pattern, bool structs)
    {
        AtEnd = atEnd;
        Managed = managed;
        Pattern = pattern;
        Structs = structs;
    }

    /// <summary>
    /// Undoing what the object did to longer-lived ones (a handler added, a registration made): first in Dispose,
    /// under <c>if (disposing)</c>; a class without a Dispose gets a plain <c>Dispose()</c>. Classes only.
    /// </summary>
    internal static DisposeStyle Undo { get; } = new(atEnd: false, managed: true, pattern: false, structs: false);

    /// <summary>
    /// Disposing a member the object owns: last in Dispose (before a closing base call), under <c>if (disposing)</c>;
    /// an unsealed class gets the Dispose(bool) pattern, a sealed class or a struct a plain <c>Dispose()</c>.
    /// </summary>
    internal static DisposeStyle OwnedMember { get; } = new(atEnd: true, managed: true, pattern: true, structs: true);

    /// <summary>
    /// Freeing unmanaged memory or a handle: as <see cref="OwnedMember"/>, but outside <c>if (disposing)</c>, since it
    /// must be freed on the finalizer's path too.
    /// </summary>
    internal static DisposeStyle Unmanaged { get; } = new(atEnd: true, managed: false, pattern: true, structs: true);

    /// <summary>Last in the method (else first).</summary>
    internal bool AtEnd { get; }

    /// <summary>Under <c>if (disposing)</c> in a Dispose(bool): it releases managed objects.</summary>
    internal bool Managed { get; }

    /// <summary>An unsealed class without a Dispose gets the Dispose(bool) pattern (else a plain <c>Dispose()</c>).</summary>
    internal bool Pattern { get; }

    /// <summary>Structs can be given a Dispose too.</summary>
    internal bool Structs { get; }
}
