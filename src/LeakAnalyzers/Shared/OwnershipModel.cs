namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What happens to a disposable handed to a constructor or method as an argument.</summary>
internal enum ArgumentFate
{
    /// <summary>The callee uses it and gives it back: the caller still owns it.</summary>
    Borrowed,

    /// <summary>The callee disposes it, or keeps it in an object that does.</summary>
    OwnershipTaken,

    /// <summary>The callee may keep it (a collection, a task, an unknown method): the caller can no longer be held to dispose it.</summary>
    MayBeStored,

    /// <summary>
    /// What the call produces keeps it without owning it (a source constructor storing it in a field its type only
    /// reads, a helper returning such an object): the caller still owns it and must dispose it, unless that object
    /// leaves the method and takes it along.
    /// </summary>
    Kept,

    /// <summary>The callee returns it as it is: the call's result is the argument, and its fate is the argument's.</summary>
    Returned,
}

/// <summary>
/// The ownership model: who creates a disposable, who lends one, who takes ownership of one, and what needs no
/// disposal. Built once per compilation (symbol lookups) and specialised per .editorconfig section (user tables).
/// </summary>
internal sealed class OwnershipModel
{
    private readonly INamedTypeSymbol disposable;
    private readonly INamedTypeSymbol? asyncDisposable;
    // The compiler hands out an options object per file: tables are built once per distinct configured value and
    // remembered per options object, so that a file's look-up does not build a table (NLog: 526 ms of 950).
    private readonly ConditionalWeakTable<AnalyzerConfigOptions, OwnershipTables> tablesByOptions = new();
    private readonly ConcurrentDictionary<string, OwnershipTables> tablesByValues = new(StringComparer.Ordinal);
    private readonly string? ruleId;
    private readonly SourceOwnership source;
    private readonly SourceDisposal sourceDisposal;
    private OwnershipTables? emptyTables;

    private OwnershipModel(Compilation compilation, INamedTypeSymbol disposable, INamedTypeSymbol? asyncDisposable, string? ruleId, SourceOwnership source)
    {
        this.disposable = disposable;
        this.asyncDisposable = asyncDisposable;
        this.ruleId = ruleId;
        this.source = source;
        sourceDisposal = new SourceDisposal(compilation);
    }

    /// <summary>Null when the compilation has no IDisposable (nothing to analyze).</summary>
    internal static OwnershipModel? Create(Compilation compilation, string ruleId)
    {
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        if (disposable.TypeKind == TypeKind.Error)
        {
            return null;
        }

        return new OwnershipModel(compilation, disposable, compilation.GetTypeByMetadataName("System.IAsyncDisposable"), ruleId, SourceOwnership.For(compilation, disposable));
    }

    /// <summary>The model the source summaries infer with: the general .editorconfig keys only, no rule's own.</summary>
    internal static OwnershipModel CreateGeneral(Compilation compilation, INamedTypeSymbol disposable, SourceOwnership source) =>
        new(compilation, disposable, compilation.GetTypeByMetadataName("System.IAsyncDisposable"), ruleId: null, source);

    /// <summary>What the compilation's source says about disposal (types whose Dispose releases nothing, members a method disposes).</summary>
    internal SourceDisposal SourceDisposal => sourceDisposal;

    /// <summary>What the compilation's source says about ownership across calls (summaries of source members).</summary>
    internal SourceOwnership Source => source;

    internal OwnershipTables TablesFor(AnalyzerOptions options, SyntaxTree tree)
    {
        source.Observe(options);
        var config = LeakOptions.For(options, tree);
        return tablesByOptions.GetValue(config, c => tablesByValues.GetOrAdd(OwnershipTables.KeyOf(c, ruleId), _ => OwnershipTables.Create(c, ruleId)));
    }

    /// <summary>The built-in tables alone, for when no options are known.</summary>
    internal OwnershipTables EmptyTables => emptyTables ??= OwnershipTables.Create(EmptyOptions.Instance, ruleId);

    /// <summary>What a source member returns; unknown for members without a source body.</summary>
    internal ReturnFact Returns(IMethodSymbol method) => source.Of(method)?.Returns ?? ReturnFact.Unknown;

    /// <summary>The classes each local of a source method can hold, when every value is a <c>new</c> of a source class (see <see cref="Implementations"/>).</summary>
    private readonly ConcurrentDictionary<ILocalSymbol, ImmutableArray<INamedTypeSymbol>> exactTypes = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The members of your source that a call of <paramref name="member"/> on <paramref name="receiver"/> may run, when
    /// the member is an interface, abstract or virtual one and the receiver is a local whose every value is a
    /// <c>new</c> of a source class, directly or returned by a source method (<c>IRollbar rollbar =
    /// RollbarFactory.CreateNew(config);</c> where <c>CreateNew</c> returns a <c>new RollbarLogger(...)</c> or a
    /// <c>new RollbarSingleThreadedLogger(...)</c>): one implementation per possible class. Otherwise
    /// <paramref name="member"/> itself. A caller asking "does it return <c>this</c>" needs every one to.
    /// </summary>
    internal ImmutableArray<T> Implementations<T>(T member, IOperation? receiver)
        where T : class, ISymbol
    {
        if (member.ContainingType is not { } declaring || (declaring.TypeKind != TypeKind.Interface && !member.IsVirtual && !member.IsAbstract && !member.IsOverride) ||
            Operations.SkipConversions(receiver) is not ILocalReferenceOperation { Local: { RefKind: RefKind.None } local })
        {
            return ImmutableArray.Create(member);
        }

        var classes = exactTypes.GetOrAdd(local, l => ExactTypesOf(l, source));
        if (classes.IsDefaultOrEmpty)
        {
            return ImmutableArray.Create(member);
        }

        var builder = ImmutableArray.CreateBuilder<T>(classes.Length);
        foreach (var exact in classes)
        {
            var implementation = declaring.TypeKind == TypeKind.Interface ? exact.FindImplementationForInterfaceMember(member) : OverrideIn(exact, member);
            if (implementation is not T found || found.IsAbstract || found.DeclaringSyntaxReferences.Length == 0)
            {
                return ImmutableArray.Create(member);
            }

            builder.Add(found);
        }

        return builder.ToImmutable();

        static ISymbol? OverrideIn(INamedTypeSymbol type, ISymbol member)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                foreach (var candidate in current.GetMembers(member.Name))
                {
                    for (var overridden = candidate; overridden is not null; overridden = OverriddenOf(overridden))
                    {
                        if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, member.OriginalDefinition))
                        {
                            return candidate;
                        }
                    }
                }
            }

            return null;
        }

        static ISymbol? OverriddenOf(ISymbol symbol) => symbol switch
        {
            IMethodSymbol method => method.OverriddenMethod,
            IPropertySymbol property => property.OverriddenProperty,
            _ => null,
        };
    }

    /// <summary>
    /// The source classes every value of <paramref name="local"/> is a <c>new</c> of: its initializer and every
    /// assignment of it in its method create one (directly, or through a source method whose every return does).
    /// Empty when a value comes from elsewhere, or the local is passed by reference, deconstructed into or aliased.
    /// </summary>
    private static ImmutableArray<INamedTypeSymbol> ExactTypesOf(ILocalSymbol local, SourceOwnership source)
    {
        if (local.DeclaringSyntaxReferences.Length != 1 ||
            local.DeclaringSyntaxReferences[0].GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator ||
            declarator.Ancestors().FirstOrDefault(a => a is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax or
                                                        Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax) is not { } body)
        {
            return ImmutableArray<INamedTypeSymbol>.Empty;
        }

        var classes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        if (!AddCreated(initializer, classes, depth: 0))
        {
            return ImmutableArray<INamedTypeSymbol>.Empty;
        }

        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax { Left: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax target } assignment
                    when target.Identifier.ValueText == local.Name:
                    if (!assignment.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression) || !AddCreated(assignment.Right, classes, depth: 0))
                    {
                        return ImmutableArray<INamedTypeSymbol>.Empty;
                    }

                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax passed }
                    when passed.Identifier.ValueText == local.Name:
                    return ImmutableArray<INamedTypeSymbol>.Empty;
                case Microsoft.CodeAnalysis.CSharp.Syntax.RefExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax aliased }
                    when aliased.Identifier.ValueText == local.Name:
                    return ImmutableArray<INamedTypeSymbol>.Empty;
                case Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax { Left: Microsoft.CodeAnalysis.CSharp.Syntax.TupleExpressionSyntax targets }
                    when targets.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == local.Name):
                    return ImmutableArray<INamedTypeSymbol>.Empty;
            }
        }

        return classes.ToImmutableArray();

        // `new T(...)` of a source class, or a call of a source method (two calls deep) whose every return is one.
        bool AddCreated(Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax value, HashSet<INamedTypeSymbol> into, int depth)
        {
            var model = source.SemanticModelOf(value.SyntaxTree);
            switch (value)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax creation
                    when model.GetTypeInfo(creation).Type is INamedTypeSymbol { TypeKind: TypeKind.Class } type && type.DeclaringSyntaxReferences.Length > 0:
                    into.Add(type);
                    return true;
                case Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax call
                    when depth < 2 && model.GetSymbolInfo(call).Symbol is IMethodSymbol { DeclaringSyntaxReferences.Length: 1 } maker &&
                         maker.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax declaration:
                    var returned = declaration.ExpressionBody is { } arrow
                        ? new[] { arrow.Expression }
                        : declaration.Body?.DescendantNodes()
                            .Where(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.ReturnStatementSyntax && !n.Ancestors().TakeWhile(a => a != declaration.Body).Any(a => a is Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax))
                            .Select(n => ((Microsoft.CodeAnalysis.CSharp.Syntax.ReturnStatementSyntax)n).Expression!)
                            .ToArray() ?? new Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax[0];
                    return returned.Length > 0 && returned.All(r => r is not null && AddCreated(r, into, depth + 1));
                default:
                    return false;
            }
        }
    }

    /// <summary>Dispose(), DisposeAsync() or Close() without parameters.</summary>
    internal static bool IsDisposeMethod(IMethodSymbol method) =>
        method.Parameters.Length == 0 &&
        (string.Equals(method.Name, "Dispose", StringComparison.Ordinal) ||
         string.Equals(method.Name, "DisposeAsync", StringComparison.Ordinal) ||
         string.Equals(method.Name, "Close", StringComparison.Ordinal));

    /// <summary>
    /// A call that ends its receiver's life: Dispose, DisposeAsync, Close or CloseAsync (with any arguments:
    /// <c>Close(async: true)</c>, <c>CloseAsync(cancellationToken)</c>, a public <c>Dispose(bool async)</c> overload), or a source method that disposes its own
    /// object (<see cref="SourceDisposal.DisposesThis"/>: a pooled builder's ToString, a CloseAsync ending in DisposeAsync),
    /// or that moves out everything its Dispose would release (<see cref="SourceDisposal.EmptiesThis"/>).
    /// </summary>
    internal bool ReleasesReceiver(IMethodSymbol method) =>
        IsDisposeMethod(method) || method.Name is "Close" or "CloseAsync" ||
        (method.Name is "Dispose" or "DisposeAsync" && !method.IsStatic) ||
        (method.ContainingType is { } type && KnownApis.ReleasingCalls.Contains(SymbolNames.MemberKey(type, method.Name))) ||
        sourceDisposal.DisposesThis(method) || sourceDisposal.EmptiesThis(method) || EndsAnOpaqueObject(method);

    /// <summary>
    /// <c>observer.Stop()</c> on a type of another project or a third-party library: its Dispose cannot be read (a
    /// reference assembly has no bodies), and a call that ends the object's life by name is the owner's release.
    /// The framework's types are judged by the known-APIs table instead (<c>IHost.StopAsync</c> does not dispose).
    /// </summary>
    private static bool EndsAnOpaqueObject(IMethodSymbol method) =>
        !method.IsStatic && method.Name is "Stop" or "StopAsync" or "Shutdown" or "ShutdownAsync" or "Terminate" or "Detach" or "Unsubscribe" &&
        method.Parameters.All(p => p.Type.Name == "CancellationToken") &&
        method.ContainingType is { DeclaringSyntaxReferences.Length: 0 } type && type.TypeKind != TypeKind.Interface &&
        !IsFrameworkAssembly(type.ContainingAssembly) && type.ContainingAssembly?.Name.StartsWith("Microsoft.", StringComparison.Ordinal) != true;

    // Whether `new T()` of a source SafeHandle makes an invalid sentinel: read from the type's syntax once per type.
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> invalidHandleSentinels = new(SymbolEqualityComparer.Default);

    // Asked for the type of nearly every creation, call and property read: answered once per type.
    private readonly ConcurrentDictionary<ITypeSymbol, bool> disposableTypes = new(SymbolEqualityComparer.Default);

    internal bool IsDisposable(ITypeSymbol? type) =>
        type is INamedTypeSymbol or IArrayTypeSymbol ? disposableTypes.GetOrAdd(type, IsDisposableUncached) : IsDisposableUncached(type);

    private bool IsDisposableUncached(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return false;
            case ITypeParameterSymbol parameter:
                foreach (var constraint in parameter.ConstraintTypes)
                {
                    if (IsDisposable(constraint))
                    {
                        return true;
                    }
                }

                return false;
        }

        if (IsDisposableInterface(type))
        {
            return true;
        }

        // A ref struct cannot implement IDisposable; a public Dispose() makes it disposable to `using`.
        if (type.IsRefLikeType && HasPatternDispose(type))
        {
            return true;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (IsDisposableInterface(@interface))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Disposable, and not a type whose disposal releases nothing that matters: one of the no-disposal tables, an
    /// enumerator, a type marked [MustDisposeResource(false)], or a source type whose Dispose releases nothing.
    /// </summary>
    internal bool NeedsDisposal(ITypeSymbol? type, OwnershipTables tables) =>
        type is not null && tables.NeedsDisposalByType.GetOrAdd(type, t =>
            NeedsDisposalByTables(t, tables) &&
            !(t is INamedTypeSymbol named && sourceDisposal.ReleasesNothing(named, u => NeedsDisposalByTables(u, tables))));

    private bool NeedsDisposalByTables(ITypeSymbol? type, OwnershipTables tables)
    {
        if (type is null || type.TypeKind == TypeKind.Error || !IsDisposable(type))
        {
            return false;
        }

        if (tables.NoDisposalTypes.Contains(SymbolNames.FullMetadataName(type)) ||
            (type is INamedTypeSymbol { TypeKind: TypeKind.Class, DeclaringSyntaxReferences.Length: 0 } compiled && InheritsNoDisposalUnchanged(compiled, tables)))
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (KnownApis.NoDisposalInterfaces.Contains(SymbolNames.FullMetadataName(@interface)))
            {
                return false;
            }
        }

        return Attributes.MustDisposeResource(type) != false;
    }

    /// <summary>
    /// A compiled class (another project of the build, a package) that derives from a no-disposal type
    /// (<c>PacketOut : MemoryStream</c>) with no <c>Dispose</c>, <c>Close</c>, <c>DisposeAsync</c> or finalizer of
    /// its own or in between: disposing it runs only the no-disposal type's own, which releases nothing.
    /// </summary>
    private static bool InheritsNoDisposalUnchanged(INamedTypeSymbol type, OwnershipTables tables)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (!ReferenceEquals(current, type) && tables.NoDisposalTypes.Contains(SymbolNames.FullMetadataName(current.OriginalDefinition)))
            {
                return true;
            }

            if (current.DeclaringSyntaxReferences.Length > 0 || SourceDisposal.DeclaresARelease(current))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="value"/> hands the caller a new disposable it owns: a constructor call, a known
    /// factory, a method marked [MustDisposeResource], a source member whose summary says it returns a new object
    /// (a method, a local function, a property getter), a conditional whose every non-null branch is one of those,
    /// or the awaited result of one (<c>await Task.Run(() =&gt; new X())</c>).
    /// </summary>
    internal bool IsOwnedCreation(IOperation? value, OwnershipTables tables)
    {
        // A factory typed object or an interface is judged by what the value is converted to:
        // (IDisposable)Activator.CreateInstance(type).
        var convertedType = value?.Type;
        value = Operations.SkipConversions(value);
        switch (value)
        {
            case IObjectCreationOperation creation:
                return NeedsDisposal(creation.Type, tables) &&
                       !ReleasesNothingHere(creation) &&
                       !WrapsWithoutOwnership(creation) &&
                       !IsEmptyStruct(creation) &&
                       !(creation.Constructor is { Parameters.Length: 0 } && creation.Type is INamedTypeSymbol sentinelType &&
                         invalidHandleSentinels.GetOrAdd(sentinelType.OriginalDefinition, IsInvalidHandleSentinel)) &&
                       !sourceDisposal.GuardedOff(creation, ChainedConstructor) &&
                       !sourceDisposal.RunsOnlyHarmlessUndo(creation) &&
                       !sourceDisposal.EndsItself(creation.Type) &&
                       WrapperOverBorrowed(creation, tables) != WrapperKind.Reader &&
                       !StaysEmpty(creation, tables) &&
                       !InitializerEmptiesReleasedMembers(creation, tables) &&
                       !WrapsOnlyBorrowed(creation, tables) &&
                       !FillsReleasedMembersWithNewMemory(creation) &&
                       !IsSecondOwnerOfALentHandle(creation, tables);
            case IInvocationOperation wrapping when WrapperOverBorrowed(wrapping, tables) == WrapperKind.Reader:
                return false;
            case ITypeParameterObjectCreationOperation generic:
                // new T() where T : IDisposable, new()
                return NeedsDisposal(generic.Type, tables);
            case ICoalesceOperation coalesce:
                return IsOwnedOrNull(coalesce.Value, tables) && IsOwnedOrNull(coalesce.WhenNull, tables) &&
                       (!Operations.IsNullOrDefault(coalesce.Value) || !Operations.IsNullOrDefault(coalesce.WhenNull));
            case IConditionalAccessOperation { WhenNotNull: var whenNotNull }:
                // source?.Subscribe(observer): a new subscription, or null.
                return IsOwnedCreation(whenNotNull, tables);
            case IAwaitOperation { Operation: var awaited }:
                return Operations.AwaitedCall(awaited) is { } awaitedCall && ReturnsOwned(awaitedCall, value.Type, tables, isAwaited: true);
            case IInvocationOperation invocation when Operations.IsGetResult(invocation, out var task):
                // task.GetAwaiter().GetResult() is an await that blocks.
                return Operations.AwaitedCall(task) is { } blockedOn && ReturnsOwned(blockedOn, invocation.Type, tables, isAwaited: true);
            case IInvocationOperation invocation when Operations.IsNullReceiver(invocation):
                return false; // `Image<T> img = default; img.CloneAs<X>()`: throws before it could make anything (an AOT seed).
            case IInvocationOperation invocation:
                return ReturnsOwned(invocation, NeedsDisposal(invocation.Type, tables) ? invocation.Type : convertedType, tables, isAwaited: false);
            case IPropertyReferenceOperation { Property.GetMethod: { } getter } property:
                return NeedsDisposal(property.Type, tables) && IsFactory(getter, tables);
            case IConditionalOperation { WhenFalse: not null } conditional:
                return IsOwnedOrNull(conditional.WhenTrue, tables) && IsOwnedOrNull(conditional.WhenFalse, tables) &&
                       (!Operations.IsNullOrDefault(conditional.WhenTrue) || !Operations.IsNullOrDefault(conditional.WhenFalse));
            case ISwitchExpressionOperation switchExpression when switchExpression.Arms.Length > 0:
                var anyOwned = false;
                foreach (var arm in switchExpression.Arms)
                {
                    if (!IsOwnedOrNull(arm.Value, tables))
                    {
                        return false;
                    }

                    anyOwned |= !Operations.IsNullOrDefault(arm.Value);
                }

                return anyOwned;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>new Settings(null) { LogDevice = new NullDevice(), Memory = default }</c>: the object initializer sets every
    /// member the type's Dispose releases (and the Dispose releases nothing else) to null, default or a new object that
    /// owns nothing, so the object holds nothing its Dispose would release.
    /// </summary>
    private bool InitializerEmptiesReleasedMembers(IObjectCreationOperation creation, OwnershipTables tables)
    {
        if (creation.Initializer is not { Initializers.Length: > 0 } initializer || creation.Type is not INamedTypeSymbol type ||
            sourceDisposal.ReleasedMemberNames(type) is not { Count: > 0 } released)
        {
            return false;
        }

        var emptied = 0;
        foreach (var name in released)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target, Value: var value } &&
                    string.Equals(target.Member.Name, name, StringComparison.Ordinal) &&
                    (Operations.IsNullOrDefault(value) || (Operations.SkipConversions(value) is IObjectCreationOperation made && !IsOwnedCreation(made, tables))))
                {
                    emptied++;
                    break;
                }
            }
        }

        return emptied == released.Count;
    }

    /// <summary>
    /// A call that hands the object to its own close, which disposes it: <c>Show()</c> of a WinForms form (see
    /// <see cref="KnownApis.IsSelfReleasingCall"/>), or <c>ShowDialog()</c> of a source form that disposes itself when its
    /// window goes away.
    /// </summary>
    internal bool HandsItselfToItsClose(IMethodSymbol method, ITypeSymbol? receiverType) =>
        KnownApis.IsSelfReleasingCall(method, receiverType) ||
        (method.Name == "ShowDialog" && KnownApis.ShowReleases(receiverType) && sourceDisposal.DisposesItselfWhenClosed(receiverType));

    private readonly ConcurrentDictionary<(ITypeSymbol Holder, ITypeSymbol Target), bool> reachesBack = new();

    /// <summary>
    /// <c>return module.Assembly;</c> where the assembly keeps its modules (<c>ManifestModule</c>, <c>Modules</c>): a
    /// source type with an instance field or property of the target's type (or a base of it), or a collection of them.
    /// What is handed out through such a member takes its owner along: whoever gets it can reach the owner and
    /// dispose it.
    /// </summary>
    internal bool ReachesBack(ITypeSymbol? holder, ITypeSymbol? target) =>
        holder is INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } && target is INamedTypeSymbol &&
        !SymbolEqualityComparer.Default.Equals(holder, target) &&
        reachesBack.GetOrAdd((holder, target), key => ComputeReachesBack((INamedTypeSymbol)key.Holder, key.Target));

    private static bool ComputeReachesBack(INamedTypeSymbol holder, ITypeSymbol target)
    {
        foreach (var member in holder.GetMembers())
        {
            var type = member switch
            {
                IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field => field.Type,
                IPropertySymbol { IsStatic: false, IsIndexer: false } property => property.Type,
                _ => null,
            };

            if (type is INamedTypeSymbol named && (IsOrBaseOf(named, target) || (named.TypeArguments.Length == 1 && IsOrBaseOf(named.TypeArguments[0], target))))
            {
                return true;
            }
        }

        return false;

        // A member typed as the target or one of its bases (not object, which anything is).
        static bool IsOrBaseOf(ITypeSymbol candidate, ITypeSymbol target) =>
            candidate.SpecialType != SpecialType.System_Object && Hierarchy.IsOrDerivesFrom(target, candidate);
    }

    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableDictionary<string, int>> givenMembers = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The members a source constructor fills straight from one of its parameters, by member name, with the parameter's
    /// ordinal: <c>Api = api;</c>, <c>this.api = api ?? throw ...;</c>, or through a call that returns its argument
    /// (<c>_factory = Ensure.IsNotNull(factory, nameof(factory));</c>, read from the callee's summary). Empty for a
    /// constructor that chains to another one (what it stores is the other one's business).
    /// </summary>
    private ImmutableDictionary<string, int> GivenMembers(IMethodSymbol constructor) => GivenMembers(constructor, 0);

    /// <summary>
    /// The members a source constructor fills straight from its parameters (member name to parameter ordinal), through
    /// its chain of <c>this(...)</c> and <c>base(...)</c> calls to constructors in source as well. A member the chain
    /// fills with a new in-memory object (<c>: base(new MemoryStream(data))</c>) maps to <see cref="NewMemory"/>.
    /// </summary>
    private ImmutableDictionary<string, int> GivenMembers(IMethodSymbol constructor, int depth) =>
        givenMembers.GetOrAdd(constructor.OriginalDefinition, c =>
        {
            var given = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
            if (source.BodyOf(c) is not { } body)
            {
                return given.ToImmutable();
            }

            foreach (var operation in body.Descendants())
            {
                if (operation is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: var member } } assignment &&
                    StoredParameter(assignment.Value) is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, c))
                {
                    given[member.Name] = parameter.Ordinal;
                }
                else if (depth < 4 && AsChainCall(operation) is { TargetMethod: { DeclaringSyntaxReferences.Length: > 0 } chained } chain &&
                         !SymbolEqualityComparer.Default.Equals(chained.OriginalDefinition, c))
                {
                    // `: this(outStr)`, `: base(new MemoryStream(input))`: what the chained constructor fills from its
                    // parameters, this one fills from what it passes there.
                    var theirs = GivenMembers(chained, depth + 1);
                    foreach (var argument in chain.Arguments)
                    {
                        if (argument.Parameter is not { } target)
                        {
                            continue;
                        }

                        foreach (var pair in theirs.Where(p => p.Value == target.Ordinal))
                        {
                            if (StoredParameter(argument.Value) is { } mine && SymbolEqualityComparer.Default.Equals(mine.ContainingSymbol.OriginalDefinition, c))
                            {
                                given[pair.Key] = mine.Ordinal;
                            }
                            else if (Operations.SkipConversions(argument.Value) is IObjectCreationOperation { Type: { } made } &&
                                     KnownApis.NoDisposalTypes.Contains(SymbolNames.FullMetadataName(made.OriginalDefinition)))
                            {
                                given[pair.Key] = NewMemory;
                            }
                        }

                        foreach (var pair in theirs.Where(p => p.Value == NewMemory))
                        {
                            given[pair.Key] = NewMemory;
                        }
                    }
                }
            }

            return given.ToImmutable();
        });

    /// <summary>In <see cref="GivenMembers(IMethodSymbol)"/>: the member is filled with a new in-memory object, which needs no disposal.</summary>
    private const int NewMemory = -1;

    /// <summary>
    /// Whether <paramref name="method"/> (of source) calls <c>Flush()</c> or <c>FlushAsync()</c> on the member that
    /// <paramref name="constructor"/> stores its parameter <paramref name="ordinal"/> in (<c>Flush() =&gt; writer.Flush()</c>).
    /// </summary>
    internal bool FlushesGivenMember(IMethodSymbol method, IMethodSymbol constructor, int ordinal)
    {
        var members = GivenMembers(constructor).Where(pair => pair.Value == ordinal).Select(pair => pair.Key).ToList();
        return members.Count > 0 &&
               method.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax().DescendantNodes()
                   .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
                   .Any(call => call.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax
                   {
                       Name.Identifier.ValueText: "Flush" or "FlushAsync",
                       Expression: var flushed,
                   } && SourceDisposal.NameOf(flushed) is { } name && members.Contains(name)));
    }

    /// <summary>
    /// The parameter a value is, as it is, through a null check (<c>p ?? throw</c>) or a call that returns it; or the
    /// parameter a reader or writer of the known-APIs table is made over (<c>reader = new BinaryReader(s)</c>), whose
    /// disposal releases that parameter and nothing else.
    /// </summary>
    private IParameterSymbol? StoredParameter(IOperation? value)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            switch (Operations.SkipConversions(value))
            {
                case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter }:
                    return parameter;
                case ICoalesceOperation checkedValue when Operations.SkipConversions(checkedValue.WhenNull) is IThrowOperation:
                    value = checkedValue.Value;
                    continue;
                case IInvocationOperation call when source.Of(call.TargetMethod) is { Returns: { Kind: ReturnedValue.Parameter, Parameter: var returned } } &&
                                                    call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == returned) is { } passed:
                    value = passed.Value;
                    continue;
                case IObjectCreationOperation { Type: INamedTypeSymbol wrapperType } wrapper when PureWrapperBase(wrapperType) is not null &&
                                                                                                wrapper.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { Parameter.Type: { } inputType } input &&
                                                                                                IsDisposable(inputType):
                    value = input.Value;
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>Rest = new RestClient(_api)</c>: a source type whose Dispose releases only members its constructor fills
    /// straight from its parameters (and members that need no disposal), built here over values this method does not
    /// own (a member, a parameter, a lent result). Disposing it would release only what its creator already releases
    /// or was lent; it owns nothing of its own. Over a value the method owns, the object takes it and must be disposed.
    /// </summary>
    private bool WrapsOnlyBorrowed(IObjectCreationOperation creation, OwnershipTables tables)
    {
        if (creation.Constructor is not { } constructor || creation.Type is not INamedTypeSymbol type ||
            WrappedParameters(constructor, type, tables) is not { Length: > 0 } wrapped)
        {
            return false;
        }

        foreach (var ordinal in wrapped)
        {
            if (creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal) is not { ArgumentKind: ArgumentKind.Explicit } argument ||
                !(ruleId is null ? IsMemberOfAnotherObject(argument.Value) && !IsOwnedCreation(argument.Value, tables) : IsBorrowedHere(argument.Value, tables)))
            {
                return false;
            }
        }

        return true;

        // For a source summary, where a parameter is whatever the caller hands over (`Wrap(Stream s) => new Reader(s)`
        // gives the caller an owner of s): only a member of this object or of a parameter (`settings.LoggerFactory`),
        // which the caller did not hand over and the result must not close.
        static bool IsMemberOfAnotherObject(IOperation value) =>
            Operations.SkipConversions(value) is IFieldReferenceOperation or
                IPropertyReferenceOperation { Instance: IInstanceReferenceOperation or IParameterReferenceOperation, Property.Parameters.Length: 0 };
    }

    /// <summary>The constructor a source constructor chains to with <c>: base(...)</c> or <c>: this(...)</c>, if any.</summary>
    private IMethodSymbol? ChainedConstructor(IMethodSymbol constructor) =>
        source.BodyOf(constructor.OriginalDefinition)?.Descendants().Select(AsChainCall).FirstOrDefault(call => call is not null)?.TargetMethod;

    /// <summary><c>: base(...)</c>, <c>: this(...)</c>: a constructor's call of another constructor of the object it builds.</summary>
    private static IInvocationOperation? AsChainCall(IOperation operation) =>
        operation is IInvocationOperation { Instance: IInstanceReferenceOperation, TargetMethod.MethodKind: MethodKind.Constructor } call ? call : null;

    /// <summary>
    /// <c>x.Handle</c> (a native handle property) or <c>x.DangerousGetHandle()</c>, read from <paramref name="instance"/>:
    /// the raw handle another object owns.
    /// </summary>
    internal static bool RawHandleOf(IOperation operation, IOperation instance) =>
        operation switch
        {
            IPropertyReferenceOperation { Property: { Name: "Handle", Type.SpecialType: SpecialType.System_IntPtr } } property => ReferenceEquals(property.Instance, instance),
            IInvocationOperation { TargetMethod: { Name: "DangerousGetHandle", Parameters.Length: 0 } } call => ReferenceEquals(call.Instance, instance),
            _ => false,
        };

    /// <summary>
    /// The <c>new</c> of a <c>SafeHandle</c> type the value is given to, when it owns it: its <c>ownsHandle</c> argument,
    /// if any, is not <c>false</c>.
    /// </summary>
    internal static IObjectCreationOperation? NewSafeHandleOwning(IOperation value) =>
        Operations.ParentSkippingConversions(value, out _) is IArgumentOperation { Parent: IObjectCreationOperation { Type: INamedTypeSymbol made } creation } &&
        IsSafeHandle(made) &&
        !creation.Arguments.Any(a => a.Parameter is { Type.SpecialType: SpecialType.System_Boolean } && a.Value.ConstantValue is { HasValue: true, Value: false })
            ? creation
            : null;

    private static bool IsSafeHandle(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            // Names first: no string is built for the types that are not.
            if (current.Name == "SafeHandle" && SymbolNames.FullMetadataName(current.OriginalDefinition) == "System.Runtime.InteropServices.SafeHandle")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>new SafeAccessTokenHandle(GetToken().DangerousGetHandle())</c>: a new safe handle over the raw handle of an
    /// object this method does not own (a member, a lent result). The object still owns it; disposing the copy would
    /// close a handle in use, so nothing is left for this method to release.
    /// </summary>
    private bool IsSecondOwnerOfALentHandle(IObjectCreationOperation creation, OwnershipTables tables) =>
        creation.Type is INamedTypeSymbol type && IsSafeHandle(type) &&
        creation.Arguments.Any(argument =>
            Operations.SkipConversions(argument.Value) switch
            {
                IPropertyReferenceOperation { Instance: { } source } handle => IsLentHandleSource(handle, source, tables),
                IInvocationOperation { Instance: { } source } handle => IsLentHandleSource(handle, source, tables),
                _ => false,
            });

    // A member or a call's result the method does not own; a parameter is the caller's to hand over.
    private bool IsLentHandleSource(IOperation handle, IOperation source, OwnershipTables tables) =>
        RawHandleOf(handle, source) && Operations.SkipConversions(source) is IMemberReferenceOperation or IInvocationOperation && !IsOwnedCreation(source, tables);

    /// <summary>
    /// <c>new AsnReader(bytes)</c> whose constructor chain fills every member its type's Dispose releases with a new
    /// in-memory object (<c>: base(new MemoryStream(input))</c>): disposing it would release nothing but managed memory.
    /// </summary>
    private bool FillsReleasedMembersWithNewMemory(IObjectCreationOperation creation) =>
        creation.Constructor is { DeclaringSyntaxReferences.Length: > 0 } constructor && creation.Type is INamedTypeSymbol type &&
        sourceDisposal.ReleasedMemberNames(type) is { Count: > 0 } released &&
        GivenMembers(constructor) is var given &&
        released.All(name => given.TryGetValue(name, out var ordinal) && ordinal == NewMemory);

    /// <summary>
    /// The parameters of a source constructor whose values are all its type's Dispose releases: stored as they are in
    /// the members it releases, every other member it releases needing no disposal. Empty when it releases anything
    /// the object makes or gets otherwise.
    /// </summary>
    internal ImmutableArray<int> WrappedParameters(IMethodSymbol constructor, INamedTypeSymbol type, OwnershipTables tables)
    {
        if (constructor.DeclaringSyntaxReferences.Length == 0 || sourceDisposal.ReleasedMemberNames(type) is not { Count: > 0 } released)
        {
            return ImmutableArray<int>.Empty;
        }

        var given = GivenMembers(constructor);
        var wrapped = ImmutableArray.CreateBuilder<int>();
        foreach (var name in released)
        {
            // A pointer or handle given to the constructor may be acquired there (`Native.IncRef(p); pointer = p;`):
            // only a disposable object stored as it is counts as given.
            if (given.TryGetValue(name, out var ordinal) && ordinal == NewMemory)
            {
                continue;
            }

            if (given.TryGetValue(name, out ordinal) && SourceDisposal.FindFieldType(type, name) is { } givenType && IsDisposable(givenType))
            {
                // `reader = r; db = r as DbDataReader;`: two members over one parameter wrap it once.
                if (!wrapped.Contains(ordinal))
                {
                    wrapped.Add(ordinal);
                }
            }
            else if (SourceDisposal.FindFieldType(type, name) is not { } memberType ||
                     (NeedsDisposal(memberType, tables) && !ReleasesNothingWhateverItsArguments(memberType, type, name)))
            {
                return ImmutableArray<int>.Empty;
            }
        }

        return wrapped.ToImmutable();

        // A SemaphoreSlim member the type never asks for its wait handle; not a token source, whose creation (not
        // seen here) may start a timer.
        static bool ReleasesNothingWhateverItsArguments(ITypeSymbol memberType, INamedTypeSymbol type, string name) =>
            KnownApis.NoDisposalUnlessUsed.Any(entry => entry.Parameters.IsEmpty && entry.Type == SymbolNames.FullMetadataName(memberType)) &&
            KnownApis.ReleasesNothingIn(memberType, type, ImmutableArray<IArgumentOperation>.Empty, name);
    }

    /// <summary>
    /// <see cref="IsOwnedCreation"/>, or a parameter of a private member that every call in its type gives a new
    /// owned value (the private constructor of a static factory): what a member stores from it, the type created.
    /// </summary>
    internal bool IsOwnedValue(IOperation? value, OwnershipTables tables) =>
        IsOwnedCreation(value, tables) ||
        (Operations.SkipConversions(value) is IParameterReferenceOperation parameter && NeedsDisposal(parameter.Type, tables) && source.AlwaysGivenOwned(parameter.Parameter));

    /// <summary>
    /// Whether the result of a call, of type <paramref name="resultType"/> (what it is awaited to, for an await),
    /// is a new disposable the caller owns.
    /// </summary>
    private bool ReturnsOwned(IInvocationOperation invocation, ITypeSymbol? resultType, OwnershipTables tables, bool isAwaited)
    {
        var method = invocation.TargetMethod;
        if (IsMarkedFactory(method, resultType))
        {
            return true;
        }

        if (IsBufferedResponse(invocation))
        {
            return false;
        }

        // await Task.Run(() => new X()), await Task.FromResult(x): the result is what the delegate returns, or the
        // value. The task itself, not awaited, holds nothing that needs disposal.
        if (KnownApis.IsResultCarrier(method) is { } carried)
        {
            if (!isAwaited)
            {
                return false;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == carried)
                {
                    return Operations.SkipConversions(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation function }
                        ? LambdaReturnsOwned(function, tables)
                        : IsOwnedCreation(argument.Value, tables);
                }
            }

            return false;
        }

        // `connection.GetStream()` returning `new NetworkStream(socket, ownsSocket: true)` over the connection's own
        // socket, on a connection the method was given: the stream is a view of what the connection's owner closes.
        if (invocation.Instance is { } receiver && source.Of(method) is { ReturnsReceiverResources: true } &&
            Operations.SkipConversions(receiver) is IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)
        {
            return false;
        }

        // `EndianIO.CreateReader(new MemoryStream(data), ...)`, or over the caller's stream: a source method that returns
        // a pure reader or writer over its parameter gives an owner of what it was given, and here that is nothing.
        if (source.Of(method) is { Returns: { Kind: ReturnedValue.Owned, Parameter: >= 0 and var wrapped } } &&
            invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == wrapped) is { ArgumentKind: ArgumentKind.Explicit } wrappedArgument &&
            IsBorrowedHere(wrappedArgument.Value, tables))
        {
            return false;
        }

        return NeedsDisposal(resultType, tables) && IsFactory(method, tables);
    }

    private bool LambdaReturnsOwned(IAnonymousFunctionOperation function, OwnershipTables tables)
    {
        var any = false;
        foreach (var node in function.Body.DescendantsAndSelf())
        {
            if (node is IReturnOperation { ReturnedValue: { } returned } && ReferenceEquals(FunctionScopes.EnclosingFunction(node), function))
            {
                if (!IsOwnedOrNull(returned, tables))
                {
                    return false;
                }

                any |= !Operations.IsNullOrDefault(returned);
            }
        }

        return any;
    }

    /// <summary>
    /// A reader or writer whose only resource is an input or output this method does not own (a parameter, a
    /// member, a lent value, or one it is told to leave open; XmlReader.Create(stream), which never closes its input):
    /// a reader then needs nothing, a writer only a Flush, and disposing either would close someone else's stream.
    /// </summary>
    /// <summary>
    /// An HTTP response whose content the client has already read into memory: <c>GetAsync</c>, <c>PostAsync</c>,
    /// <c>SendAsync</c> and the other calls of <c>HttpClient</c> (not of a bare <c>HttpMessageInvoker</c>), unless they are told
    /// <c>HttpCompletionOption.ResponseHeadersRead</c>. Its connection is back in the pool when the call returns;
    /// disposing it frees only memory the collector frees anyway.
    /// </summary>
    internal static bool IsBufferedResponse(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.ContainingType is not { ContainingNamespace: { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace.Name: "System" } } } type ||
            type.Name != "HttpClient" ||
            invocation.TargetMethod.Name is not ("GetAsync" or "PostAsync" or "PutAsync" or "PatchAsync" or "DeleteAsync" or "SendAsync" or "Send"))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name == "HttpCompletionOption" &&
                !(argument.Value.ConstantValue is { HasValue: true, Value: int option } && option == 0))
            {
                return false; // ResponseHeadersRead (1), or a value not known here: the response holds its connection
            }
        }

        return true;
    }

    /// <summary>
    /// <c>new S()</c> of a struct with no constructor of its own, no field initializers and no object initializer:
    /// every field is zero or null, so there is nothing its Dispose could release. What is written into the variable
    /// afterwards (<c>s.Handle = Marshal.AllocHGlobal(n)</c>) is not followed from here.
    /// </summary>
    private static bool IsEmptyStruct(IObjectCreationOperation creation) =>
        creation.Type is INamedTypeSymbol { TypeKind: TypeKind.Struct } type &&
        creation.Arguments.Length == 0 &&
        creation.Initializer is null or { Initializers.Length: 0 } &&
        creation.Constructor is null or { IsImplicitlyDeclared: true } &&
        type.GetMembers().All(member => member is not IFieldSymbol { IsStatic: false } field || !HasInitializer(field));

    /// <summary>
    /// <c>new CFTypeRef()</c> (a constructor without parameters) where the source subclass of <c>SafeHandle</c> passes <c>IntPtr.Zero</c> (or only the
    /// ownership flag) to its base and no code of the type ever sets a handle (no <c>SetHandle</c>, no write to
    /// <c>handle</c> outside <c>ReleaseHandle</c>): only the marshaller fills one, so a handle made with <c>new</c> is
    /// invalid for good (a "none" sentinel passed to native calls) and owns nothing.
    /// </summary>
    private static bool IsInvalidHandleSentinel(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class || type.DeclaringSyntaxReferences.Length == 0 || !DerivesFromSafeHandle(type))
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                switch (node)
                {
                    case Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax call when
                        call.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: "SetHandle" } or
                            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "SetHandle" or "InitHandle" }:
                        return false;
                    case Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax { Left: var target } when
                        target is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: "handle" } or
                            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "handle" } && !InReleaseHandle(node):
                        return false;
                    case Microsoft.CodeAnalysis.CSharp.Syntax.ConstructorInitializerSyntax { ArgumentList.Arguments: var arguments } when
                        arguments.Any(a => a.Expression is not (Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.DefaultExpressionSyntax) &&
                                           !(a.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero" })):
                        return false;
                }
            }
        }

        return true;

        static bool InReleaseHandle(SyntaxNode node) =>
            node.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>() is { Identifier.ValueText: "ReleaseHandle" };
    }

    /// <summary>
    /// <c>new SafeFileHandle(new IntPtr(-1), ownsHandle: false)</c>: a handle object told it does not own the handle it
    /// wraps releases nothing.
    /// </summary>
    private static bool WrapsWithoutOwnership(IObjectCreationOperation creation) =>
        creation.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit && a.Parameter is { Name: "ownsHandle", Type.SpecialType: SpecialType.System_Boolean } &&
                                    a.Value.ConstantValue is { HasValue: true, Value: false }) &&
        creation.Type is INamedTypeSymbol type && IsOrDerivesFromSafeHandle(type);

    /// <summary>A SafeHandle or CriticalHandle, or a type derived from one.</summary>
    internal static bool IsOrDerivesFromSafeHandle(INamedTypeSymbol type) => IsSafeOrCriticalHandle(type) || DerivesFromSafeHandle(type);

    private static bool IsSafeOrCriticalHandle(INamedTypeSymbol type) =>
        type.Name is "SafeHandle" or "CriticalHandle" &&
        SymbolNames.FullMetadataName(type) is "System.Runtime.InteropServices.SafeHandle" or "System.Runtime.InteropServices.CriticalHandle";

    private static bool DerivesFromSafeHandle(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (IsSafeOrCriticalHandle(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A field or auto-property (or its backing field) declared with an initializer.</summary>
    internal static bool HasInitializer(ISymbol member) =>
        (member is IFieldSymbol { AssociatedSymbol: { } property } ? property : member).DeclaringSyntaxReferences.Any(reference => reference.GetSyntax() is
            Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: not null } or
            Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: not null });

    /// <summary>
    /// A container (<see cref="KnownApis.Containers"/>) made empty into a local that the method never fills with
    /// something it would own: <c>new HttpRequestMessage(HttpMethod.Get, uri)</c> without content, or with a
    /// <c>StreamContent</c> over the caller's stream (disposing the request would close that stream).
    /// </summary>
    private bool StaysEmpty(IObjectCreationOperation creation, OwnershipTables tables) =>
        ContainerFills(creation, tables, endsDuty: false) is { Length: 0 };

    /// <summary>
    /// For a container (<see cref="KnownApis.Containers"/>) made empty into a local: the references to the local that
    /// fill it (<c>d.Add(x)</c>), when every other use of the local is one that cannot fill it (a member access, a
    /// reassignment, an argument only borrowed). Null when it is not such a container or some use may fill it
    /// elsewhere (passed on, stored, captured). Until the first fill the container holds nothing: a path that
    /// leaves before it loses nothing. With <paramref name="endsDuty"/>, uses that end the method's duty (returned,
    /// stored, disposed by a using) are allowed too: whoever fills it after them owns it; for whether the container
    /// stays empty for good, they are not.
    /// </summary>
    internal ImmutableArray<IOperation>? ContainerFills(IObjectCreationOperation creation, OwnershipTables tables, bool endsDuty)
    {
        if (EmptyContainerFill(creation, tables) is not { } fill || Operations.AssignedLocal(creation) is not { } local)
        {
            return null;
        }

        var fills = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var reference in Operations.ReferencesTo(Operations.RootOf(creation), local))
        {
            if (IsContainerFill(reference, fill, tables))
            {
                fills.Add(reference);
            }
            else if (reference.Parent is not IMemberReferenceOperation and not IInvocationOperation { Instance: not null } &&
                     !(reference.Parent is ISimpleAssignmentOperation store && ReferenceEquals(store.Target, reference)) &&
                     !(reference.Parent is IArgumentOperation argument && FateOf(argument, tables) == ArgumentFate.Borrowed) &&
                     !(endsDuty && EndsDuty(reference)))
            {
                // Passed, returned, stored, captured: it may be filled elsewhere.
                return null;
            }
        }

        return fills.ToImmutable();
    }

    /// <summary>Returned, disposed by a using, or stored in a field or property: the method's duty ends there.</summary>
    private static bool EndsDuty(IOperation reference) =>
        Operations.ParentSkippingConversions(reference, out var child) switch
        {
            IReturnOperation or IUsingOperation => true,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => Operations.IsUsingDeclarator(declarator),
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } store => ReferenceEquals(store.Value, child),
            _ => false,
        };

    /// <summary>
    /// For <c>new C(...)</c> of a container (<see cref="KnownApis.Containers"/>) made empty (no disposable argument, no
    /// object initializer that fills it with something owned): the member that fills it (<c>Add</c>, <c>Content</c>).
    /// Null for anything else.
    /// </summary>
    internal string? EmptyContainerFill(IObjectCreationOperation creation, OwnershipTables tables)
    {
        if (creation.Type is not INamedTypeSymbol type)
        {
            return null;
        }

        var name = SymbolNames.FullMetadataName(type.OriginalDefinition);
        foreach (var (container, member) in KnownApis.Containers)
        {
            if (container != name || creation.Arguments.Any(argument => IsDisposable(argument.Value.Type)))
            {
                continue;
            }

            // `new HttpRequestMessage(...) { Headers = { ... }, Content = new StringContent(json) }`: filled with nothing
            // it owns. `new CompositeDisposable { a, b }` is filled by its collection initializer.
            if (creation.Initializer is { } initializer &&
                initializer.Initializers.Any(set => set switch
                {
                    ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property, Value: var value } =>
                        property.Property.Name == member && IsOwnedOrNull(value, tables) && !Operations.IsNullOrDefault(value),
                    IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation nested } => nested.Property.Name == member,
                    IInvocationOperation call => call.TargetMethod.Name == member,
                    _ => true,
                }))
            {
                return null;
            }

            return member;
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="reference"/> (a reference to a local holding a container) is the receiver of a call or
    /// a property write that fills it with <paramref name="fill"/>: <c>d.Add(x)</c>, <c>request.Content = new StringContent(s)</c>
    /// (a null, or a content the method does not own, fills nothing).
    /// </summary>
    internal bool IsContainerFill(IOperation reference, string fill, OwnershipTables tables) =>
        reference.Parent switch
        {
            IInvocationOperation call => ReferenceEquals(call.Instance, reference) && call.TargetMethod.Name == fill,
            IPropertyReferenceOperation { Parent: ISimpleAssignmentOperation { Value: var value } assignment } property =>
                ReferenceEquals(property.Instance, reference) && property.Property.Name == fill && ReferenceEquals(assignment.Target, property) &&
                IsOwnedOrNull(value, tables) && !Operations.IsNullOrDefault(value),
            _ => false,
        };

    /// <summary><c>IBufferWriter&lt;T&gt;</c>, a type implementing it, or a type parameter constrained to it.</summary>
    private static bool IsBufferWriter(ITypeSymbol? type) =>
        type is not null &&
        (IsBufferWriterInterface(type) || type.AllInterfaces.Any(IsBufferWriterInterface) ||
         (type is ITypeParameterSymbol parameter && parameter.ConstraintTypes.Any(c => IsBufferWriterInterface(c) || c.AllInterfaces.Any(IsBufferWriterInterface))));

    private static bool IsBufferWriterInterface(ITypeSymbol type) =>
        SymbolNames.FullMetadataName(type.OriginalDefinition) == "System.Buffers.IBufferWriter`1";

    internal WrapperKind WrapperOverBorrowed(IOperation creation, OwnershipTables tables)
    {
        switch (Operations.SkipConversions(creation))
        {
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                // `encoding != null ? new StreamWriter(s, encoding) : new StreamWriter(s)`: both sides must agree.
                var whenTrueKind = WrapperOverBorrowed(conditional.WhenTrue, tables);
                return whenTrueKind == WrapperOverBorrowed(whenFalse, tables) ? whenTrueKind : WrapperKind.None;
            case IObjectCreationOperation { Arguments.Length: 0 } bare:
                // `new MemoryWriter()` whose constructor calls `base(new MemoryStream())`.
                return SourceSubclassWrapper(bare, tables);
            case IObjectCreationOperation { Type: { } type, Arguments.Length: > 0 } construction:
                var name = SymbolNames.FullMetadataName(type);
                foreach (var (wrapper, isWriter) in KnownApis.PureWrappers)
                {
                    if (wrapper != name)
                    {
                        continue;
                    }

                    // new StreamReader(path) opens a file of its own: only a wrapped stream counts.
                    var input = construction.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
                    if (input?.Parameter?.Type is not { } inputType || SymbolNames.FullMetadataName(inputType) is not ("System.IO.Stream" or "System.Net.Sockets.Socket" or "System.IO.TextReader" or "System.IO.TextWriter" or "System.Buffers.IBufferWriter`1" or "System.Net.Http.HttpMessageHandler"))
                    {
                        return WrapperKind.None;
                    }

                    var leftOpen = FindTransfer(construction.Constructor!, tables) is { } transfer && TransferApplies(transfer, input) == false;
                    return leftOpen || IsBorrowedHere(input.Value, tables)
                        ? (isWriter && !KnownApis.WriterNeedsNoFlush(name, inputType, construction) ? WrapperKind.Writer : WrapperKind.Reader)
                        : WrapperKind.None;
                }

                // A ref struct writer over a buffer writer it is given (an interpolated-string encoder): it lives on
                // the stack, and all it can keep besides its output is pooled memory. Over an output the method does
                // not own it needs only a Flush, as a Utf8JsonWriter does.
                if (type is INamedTypeSymbol { IsRefLikeType: true } refStruct &&
                    refStruct.GetMembers("Flush").Any(m => m is IMethodSymbol { Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public }) &&
                    construction.Arguments.FirstOrDefault(a => IsBufferWriter(a.Parameter?.Type)) is { } output)
                {
                    return IsBorrowedHere(output.Value, tables) ? WrapperKind.Writer : WrapperKind.None;
                }

                return LeavesItsInputOpen(construction) ? WrapperKind.Reader : SourceSubclassWrapper(construction, tables);
            case IInvocationOperation { Arguments.Length: > 0 } invocation when invocation.TargetMethod.ContainingType is { } factoryType:
                var key = SymbolNames.MemberKey(factoryType, invocation.TargetMethod.Name);
                foreach (var (member, isWriter) in KnownApis.NonOwningWrapperFactories)
                {
                    // Settings that close the input still leave nothing of the method's own to dispose when the
                    // input is borrowed (`XmlReader.Create(new StreamReader(_stream), closeInput)` over a member):
                    // disposing the reader would close what the method does not own.
                    if (member == key &&
                        invocation.TargetMethod.Parameters.Length > 0 &&
                        invocation.TargetMethod.Parameters[0].Type.SpecialType != SpecialType.System_String &&
                        (invocation.Arguments.All(a => a.Parameter?.Type.Name.EndsWith("Settings", StringComparison.Ordinal) != true || SettingsLeaveInputOpen(a.Value)) ||
                         (ruleId is not null && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } input && IsBorrowedHere(input.Value, tables))))
                    {
                        return isWriter ? WrapperKind.Writer : WrapperKind.Reader;
                    }
                }

                return WrapperKind.None;
            default:
                return WrapperKind.None;
        }
    }

    /// <summary>
    /// The settings given to <c>XmlReader.Create(stream, settings)</c> (or a writer's) leave the stream open: none, a
    /// new settings object, a local the method fills with one, or what a source method of yours makes, where nothing
    /// in that code sets <c>CloseInput</c> or <c>CloseOutput</c> to anything but <c>false</c>. Settings from a
    /// parameter, field or property may say anything.
    /// </summary>
    private bool SettingsLeaveInputOpen(IOperation value)
    {
        switch (Operations.SkipConversions(value))
        {
            case var none when Operations.IsNullOrDefault(none):
                return true;
            case IObjectCreationOperation creation:
                return !SetsClose(creation.Syntax);
            case ILocalReferenceOperation { Local: var local } when local.DeclaringSyntaxReferences.Length == 1 &&
                                                                   local.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator &&
                                                                   declarator.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>().FirstOrDefault() is { } body:
                // Every value is made where it is assigned, the method never sets a Close member, and never gives the
                // settings to a call (`Configure(settings)` may set CloseInput).
                return !SetsClose(body) && MadeHere(initial) && !PassedOn(body, local.Name) &&
                       body.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax>().All(assignment =>
                           assignment.Left is not Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: var name } || name != local.Name || MadeHere(assignment.Right));
            case IInvocationOperation { TargetMethod: { DeclaringSyntaxReferences.Length: > 0 } maker }:
                return MakerLeavesOpen(maker);
            default:
                return false;
        }

        bool MadeHere(Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax made) =>
            made switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax creation => !SetsClose(creation),
                Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax call =>
                    source.SemanticModelOf(call.SyntaxTree).GetSymbolInfo(call).Symbol is IMethodSymbol { DeclaringSyntaxReferences.Length: > 0 } maker && MakerLeavesOpen(maker),
                _ => false,
            };

        // A method of yours that makes settings: it makes a new one, never sets a Close member, and gives none of its
        // locals to a call.
        static bool MakerLeavesOpen(IMethodSymbol maker) =>
            maker.DeclaringSyntaxReferences.All(reference =>
                reference.GetSyntax() is var declaration &&
                declaration.DescendantNodes().Any(node => node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax) &&
                !SetsClose(declaration) &&
                !declaration.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>().Any(made => PassedOn(declaration, made.Identifier.ValueText)));

        static bool PassedOn(SyntaxNode scope, string name) =>
            scope.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax>().Any(argument =>
                argument.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: var passed } && passed == name &&
                argument.Parent?.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax call &&
                call.Expression is not Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Create" });

        static bool SetsClose(SyntaxNode scope) =>
            scope.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax>().Any(assignment =>
                assignment.Left switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax name => name.Identifier.ValueText,
                    Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    _ => null,
                } is "CloseInput" or "CloseOutput" &&
                !assignment.Right.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.FalseLiteralExpression));
    }

    /// <summary>
    /// <c>new ImageReader(stream)</c>, where <c>ImageReader</c> is a source subclass of a reader or writer of the
    /// known-APIs table with no Dispose of its own: it is that wrapper. Its input is the argument its constructors
    /// pass on, parameter to parameter, to the input of the base's constructor; a base told to leave it open holds
    /// nothing.
    /// </summary>
    private WrapperKind SourceSubclassWrapper(IObjectCreationOperation construction, OwnershipTables tables)
    {
        if (construction.Type is not INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } type || PureWrapperBase(type) is not { } isWriter ||
            construction.Constructor is not { } constructor)
        {
            return WrapperKind.None;
        }

        var kind = isWriter ? WrapperKind.Writer : WrapperKind.Reader;

        // The ordinal, in the constructor the creation calls, of the parameter that ends up as the base's input; and
        // at each further constructor of the chain, the ordinal of the parameter that received it.
        var ordinal = -1;
        int? received = null;
        for (var depth = 0; ; depth++)
        {
            var chained = depth < 6 && source.BodyOf(constructor) is IConstructorBodyOperation { Initializer: { } initializer }
                ? (initializer as IExpressionStatementOperation)?.Operation ?? initializer
                : null;
            if (chained is not IInvocationOperation { TargetMethod: { MethodKind: MethodKind.Constructor } next } call ||
                call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is not { Parameter: { } input } passed)
            {
                return WrapperKind.None;
            }

            if (next.DeclaringSyntaxReferences.Length == 0 && FindTransfer(next, tables) is { } transfer && TransferApplies(transfer, passed) == false)
            {
                return kind;
            }

            // `: base(new MemoryStream())`: over a new stream that needs no disposal, it holds nothing.
            var value = Operations.SkipConversions(passed.Value);
            if (value is IObjectCreationOperation { Type: var made } && !NeedsDisposal(made, tables))
            {
                return kind;
            }

            // `: base(stream)`, or `: base(stream.value)` over what a parameter carries.
            if ((value is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: { } carrier } ? Operations.SkipConversions(carrier) : value)
                    is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } ||
                (received is { } expected && parameter.Ordinal != expected))
            {
                return WrapperKind.None;
            }

            ordinal = received is null ? parameter.Ordinal : ordinal;
            if (next.DeclaringSyntaxReferences.Length == 0)
            {
                break;
            }

            received = input.Ordinal;
            constructor = next;
        }

        return construction.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal) is { ArgumentKind: ArgumentKind.Explicit } wrapped &&
               IsBorrowedHere(wrapped.Value, tables)
            ? kind
            : WrapperKind.None;
    }

    /// <summary>
    /// The reader or writer of the known-APIs table <paramref name="type"/> is, or derives from through source
    /// subclasses with no Dispose, Close or finalizer of their own: whether it is a writer. Null when it is none.
    /// Disposing such a subclass runs the base's Dispose alone, which releases the input and nothing else; what the
    /// subclass keeps in its own fields is its own members' matter (LEAK003), not its creator's.
    /// </summary>
    internal static bool? PureWrapperBase(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var name = SymbolNames.FullMetadataName(current.OriginalDefinition);
            foreach (var (wrapper, isWriter) in KnownApis.PureWrappers)
            {
                if (wrapper == name)
                {
                    return isWriter;
                }
            }

            if (current.DeclaringSyntaxReferences.Length == 0 || SourceDisposal.DeclaresARelease(current))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>new OffsetStream(stream, offset, length)</c>: a stream, reader or writer of another project or a third-party
    /// library (its Dispose cannot be read), built over a stream, reader or writer, whose constructor says by a flag,
    /// given or defaulted, that it leaves that input open (<c>ownsStream = false</c>, <c>leaveOpen: true</c>). It holds
    /// nothing the method must release: disposing it would not even close its input.
    /// </summary>
    private static bool LeavesItsInputOpen(IObjectCreationOperation construction)
    {
        if (construction.Type is not INamedTypeSymbol type || type.DeclaringSyntaxReferences.Length > 0 || IsFrameworkAssembly(type.ContainingAssembly) ||
            !IsStreamLike(type) || construction.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is not { Parameter.Type: INamedTypeSymbol inputType } ||
            !IsStreamLike(inputType))
        {
            return false;
        }

        foreach (var argument in construction.Arguments)
        {
            if (argument.Parameter is not { Type.SpecialType: SpecialType.System_Boolean } flag || argument.Value.ConstantValue is not { HasValue: true, Value: bool value })
            {
                continue;
            }

            var name = flag.Name.ToLowerInvariant();
            if ((value && name.Contains("leaveopen")) || (value && name.Contains("keepopen")) ||
                (!value && (name.StartsWith("owns", StringComparison.Ordinal) || name.StartsWith("dispose", StringComparison.Ordinal) || name.StartsWith("close", StringComparison.Ordinal))))
            {
                return true;
            }
        }

        return false;

        static bool IsStreamLike(INamedTypeSymbol candidate)
        {
            for (var current = candidate; current is not null; current = current.BaseType)
            {
                if (SymbolNames.FullMetadataName(current) is "System.IO.Stream" or "System.IO.TextReader" or "System.IO.TextWriter")
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// How a writer over an output this method does not own (<see cref="WrapperKind.Writer"/>) can be disposed without
    /// closing that output: as it is, when the call already leaves the output open (<c>leaveOpen: true</c>,
    /// <c>XmlWriter.Create(stream)</c>); by adding the flag (<see cref="WriterDisposal.Flag"/>, with the value that
    /// leaves the output open) when a constructor of the type takes the same arguments and that flag; otherwise not at all.
    /// </summary>
    internal WriterDisposal HowToDisposeWriter(IOperation creation, OwnershipTables tables)
    {
        switch (creation)
        {
            case IInvocationOperation:
                return WriterDisposal.AsItIs;
            case IObjectCreationOperation { Constructor: { } constructor, Type: INamedTypeSymbol type } construction:
                if (FindTransfer(constructor, tables) is not { FlagParameter: { } flag } transfer ||
                    construction.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is not { } input)
                {
                    return WriterDisposal.None;
                }

                if (TransferApplies(transfer, input) == false)
                {
                    return WriterDisposal.AsItIs;
                }

                // The caller chose the flag's value: a fix does not overrule it.
                if (construction.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit && a.Parameter?.Name == flag))
                {
                    return WriterDisposal.None;
                }

                foreach (var candidate in type.InstanceConstructors)
                {
                    if (candidate.DeclaredAccessibility == Accessibility.Public && AcceptsWithFlag(candidate, construction, flag))
                    {
                        return WriterDisposal.WithFlag(flag, transfer.FlagValueThatKeepsOwnership);
                    }
                }

                return WriterDisposal.None;
            default:
                return WriterDisposal.None;
        }

        // The same explicit arguments at the same places, the flag, and defaults for everything else.
        static bool AcceptsWithFlag(IMethodSymbol candidate, IObjectCreationOperation construction, string flag)
        {
            var given = new HashSet<int>();
            foreach (var argument in construction.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is not { } parameter)
                {
                    continue;
                }

                if (parameter.Ordinal >= candidate.Parameters.Length ||
                    candidate.Parameters[parameter.Ordinal] is not { } same ||
                    same.Name != parameter.Name ||
                    !SymbolEqualityComparer.Default.Equals(same.Type, parameter.Type))
                {
                    return false;
                }

                given.Add(parameter.Ordinal);
            }

            var hasFlag = false;
            foreach (var parameter in candidate.Parameters)
            {
                if (parameter.Name == flag && parameter.Type.SpecialType == SpecialType.System_Boolean)
                {
                    hasFlag = true;
                }
                else if (!given.Contains(parameter.Ordinal) && !parameter.IsOptional)
                {
                    return false;
                }
            }

            return hasFlag;
        }
    }

    /// <summary>
    /// A value this method does not own (a parameter, a member, a lent call result) or that needs no disposal (a
    /// MemoryStream), so a reader or writer over it holds nothing of its own. Not for the source summaries'
    /// model: there a parameter is whatever the caller passes, often a stream the wrapper is meant to take.
    /// </summary>
    private bool IsBorrowedHere(IOperation value, OwnershipTables tables) =>
        Operations.SkipConversions(value) switch
        {
            // `new BinaryReader(new MemoryStream(bytes))`: over a new object that needs no disposal the wrapper holds
            // nothing, whoever asks (a source summary too: the method made that stream itself).
            IObjectCreationOperation created when !IsDisposable(created.Type) || !NeedsDisposal(created.Type, tables) => true,
            _ when ruleId is null => false,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None } => true,
            IFieldReferenceOperation => true,
            IPropertyReferenceOperation property => !IsOwnedCreation(property, tables),
            IInvocationOperation invocation => !IsOwnedCreation(invocation, tables) && IsDisposable(invocation.Type),

            // A MemoryStream needs no disposal: a reader or writer over one holds nothing else, and disposing it would
            // close the stream the method still reads (ms.ToArray() after the writer is flushed).
            ILocalReferenceOperation local => !IsDisposable(local.Local.Type) || !NeedsDisposal(local.Local.Type, tables) || IsUsingLocal(local.Local) ||
                                              HoldsOnlyLentValues(local, tables) || HoldsOnlyGivenValues(local) || IsReleasedInAFinallyAround(local) ||
                                              IsReturnedLocal(local) || HoldsOnlyWrappersOverBorrowed(local, tables),
            // `new JsonTextReader(new StreamReader(stream))`: a wrapper over what the method borrows borrows it too.
            IObjectCreationOperation created => WrapperOverBorrowed(created, tables) != WrapperKind.None,

            // `new BinaryWriter(this.ssl as Stream ?? this.ns)`: either way a value the method borrows.
            ICoalesceOperation coalesce => IsBorrowedHere(coalesce.Value, tables) && IsBorrowedHere(coalesce.WhenNull, tables),
            IConditionalOperation { WhenFalse: { } whenFalse } conditional => IsBorrowedHere(conditional.WhenTrue, tables) && IsBorrowedHere(whenFalse, tables),
            _ => false,
        };

    /// <summary>
    /// <c>var textReader = new StreamReader(_stream);</c>: every value of the local is a reader or writer over what the
    /// method borrows, which holds nothing of its own.
    /// </summary>
    private bool HoldsOnlyWrappersOverBorrowed(ILocalReferenceOperation local, OwnershipTables tables)
    {
        // `stream = new BufferedStream(stream)` asks about the local again: a cycle says no.
        var visiting = wrapperLocalsBeingRead ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (!visiting.Add(local.Local))
        {
            return false;
        }

        try
        {
            var values = Operations.ValuesOfLocal(Operations.RootOf(local), local.Local);
            return values.Count is > 0 and <= 4 &&
                   values.All(value => Operations.SkipConversions(value) is IObjectCreationOperation created && WrapperOverBorrowed(created, tables) != WrapperKind.None);
        }
        finally
        {
            visiting.Remove(local.Local);
        }
    }

    [ThreadStatic]
    private static HashSet<ILocalSymbol>? wrapperLocalsBeingRead;

    /// <summary>
    /// <c>var target = new FileStream(...); var cipher = new CryptoStream(target, ...); ...; return target;</c>: the
    /// method returns the local, so a wrapper over it must leave it open for the caller; the wrapper holds nothing of
    /// its own to dispose.
    /// </summary>
    private static bool IsReturnedLocal(ILocalReferenceOperation local) =>
        Operations.OfKinds(Operations.RootOf(local), ReturnKinds).Any(operation =>
            operation is IReturnOperation { ReturnedValue: { } returned } &&
            Operations.SkipConversions(returned) is ILocalReferenceOperation other && SymbolEqualityComparer.Default.Equals(other.Local, local.Local));

    private static readonly ImmutableArray<OperationKind> ReturnKinds = ImmutableArray.Create(OperationKind.Return, OperationKind.YieldReturn);

    /// <summary>
    /// <c>var stream = content as Stream;</c>, <c>if (content is Stream stream)</c>: every value of the local is a
    /// parameter or a member, seen through a cast or a type test. The method did not make it.
    /// </summary>
    private static bool HoldsOnlyGivenValues(ILocalReferenceOperation local)
    {
        var values = Operations.ValuesOfLocal(Operations.RootOf(local), local.Local);
        return values.Count is > 0 and <= 4 &&
               values.All(value => Operations.SkipConversions(value) is IParameterReferenceOperation { Parameter.RefKind: RefKind.None } or IFieldReferenceOperation);
    }

    /// <summary>
    /// <c>var handler = factory.CreateHandler(name);</c>, <c>Stream data = DataReader.BaseStream;</c>: every value of
    /// the local is the result of a call or a property that lends what it returns (not a factory of the tables or of
    /// source).
    /// </summary>
    private bool HoldsOnlyLentValues(ILocalReferenceOperation local, OwnershipTables tables)
    {
        var values = Operations.ValuesOfLocal(Operations.RootOf(local), local.Local);
        return values.Count is > 0 and <= 4 &&
               values.All(value => Operations.SkipConversions(value) switch
               {
                   IInvocationOperation call => IsDisposable(call.Type) && !IsOwnedCreation(call, tables),
                   IPropertyReferenceOperation property => !IsOwnedCreation(property, tables),
                   _ => false,
               });
    }

    /// <summary>
    /// A local a <c>using</c> declaration or statement disposes: a reader over it holds nothing the using does not
    /// release (<c>using var stream = File.OpenRead(p); return new StreamReader(stream).ReadToEnd();</c>).
    /// </summary>
    /// <summary>
    /// <c>try { var reader = new StreamReader(stream); ... } finally { await stream.DisposeAsync(); }</c>: the method
    /// releases the wrapped local itself in a finally around the wrapper, on every path.
    /// </summary>
    private bool IsReleasedInAFinallyAround(ILocalReferenceOperation local)
    {
        for (var current = local.Parent; current is not null; current = current.Parent)
        {
            if (current is not ITryOperation { Finally: { } release } attempt || !attempt.Body.Syntax.Span.Contains(local.Syntax.Span))
            {
                continue;
            }

            foreach (var operation in release.Descendants())
            {
                if (operation is IInvocationOperation call && ReleasesReceiver(call.TargetMethod) &&
                    TimerCycles.Receiver(call) is ILocalReferenceOperation receiver &&
                    SymbolEqualityComparer.Default.Equals(receiver.Local, local.Local))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsUsingLocal(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Length == 1 &&
        local.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Parent.Parent: var holder } &&
        holder is Microsoft.CodeAnalysis.CSharp.Syntax.LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } or Microsoft.CodeAnalysis.CSharp.Syntax.UsingStatementSyntax;

    /// <summary>
    /// A creation of a type in <see cref="KnownApis.NoDisposalUnlessUsed"/> in a type whose source never names the
    /// member that makes Dispose matter, with none of the arguments that do (a <c>SemaphoreSlim</c> whose
    /// <c>AvailableWaitHandle</c> is never read, a <c>BlockingCollection</c> without a bound).
    /// </summary>
    private static bool ReleasesNothingHere(IObjectCreationOperation creation)
    {
        if (creation.Type is not { } created)
        {
            return false;
        }

        var owner = creation.SemanticModel?.GetEnclosingSymbol(creation.Syntax.SpanStart);
        var containingType = owner as INamedTypeSymbol ?? owner?.ContainingType;
        return containingType is not null && KnownApis.ReleasesNothingIn(created, containingType, creation.Arguments, HolderName(creation));
    }

    /// <summary>The name of the local, field or property the creation is stored in, when it is stored at once.</summary>
    private static string? HolderName(IOperation creation)
    {
        var parent = Operations.ParentSkippingConversions(creation, out var child);
        return parent switch
        {
            ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, child) => Operations.ReferencedStorage(assignment.Target)?.Name,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol.Name,
            IFieldInitializerOperation { InitializedFields.Length: 1 } field => field.InitializedFields[0].Name,
            IPropertyInitializerOperation { InitializedProperties.Length: 1 } property => property.InitializedProperties[0].Name,
            _ => null,
        };
    }

    /// <summary>[MustDisposeResource] on the method is the author's word: it beats every inference.</summary>
    private bool IsMarkedFactory(IMethodSymbol method, ITypeSymbol? result) =>
        Attributes.MustDisposeResource(method) == true && IsDisposable(result);

    private bool IsOwnedOrNull(IOperation value, OwnershipTables tables) =>
        Operations.IsNullOrDefault(value) || IsOwnedCreation(value, tables);

    /// <summary>Whether the caller owns what <paramref name="method"/> returns.</summary>
    internal bool IsFactory(IMethodSymbol method, OwnershipTables tables) =>
        IsFactoryByTablesOrAttributes(method, tables) ?? (ReturnsMarshalledHandle(method) || Returns(method).Kind == ReturnedValue.Owned || source.EveryImplementationCreates(method));

    /// <summary>
    /// A native import (<c>extern</c> with <c>[DllImport]</c>, or a <c>[LibraryImport]</c> method) declared to return a
    /// SafeHandle: the marshaller makes a new handle object for every call, and it owns the native handle it wraps.
    /// A handle type of your own whose constructor without parameters passes <c>ownsHandle: false</c> owns nothing.
    /// </summary>
    private static bool ReturnsMarshalledHandle(IMethodSymbol method) =>
        method.ReturnType is INamedTypeSymbol { TypeKind: TypeKind.Class } returned &&
        IsOrDerivesFromSafeHandle(returned) && IsNativeImport(method) && !MarshalledWithoutOwnership(returned);

    internal static bool IsNativeImport(IMethodSymbol method) =>
        method.IsExtern || (method.IsStatic && method.GetAttributes().Any(a => a.AttributeClass is { Name: "LibraryImportAttribute" or "DllImportAttribute" }));

    private static bool MarshalledWithoutOwnership(INamedTypeSymbol type) =>
        type.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0) is { } constructor &&
        constructor.DeclaringSyntaxReferences.Any(reference =>
            reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.ConstructorDeclarationSyntax { Initializer.ArgumentList.Arguments: var arguments } &&
            arguments.Any(a => a.Expression.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.FalseLiteralExpression)));

    /// <summary>
    /// What the attributes and tables say about a method's result: true (a factory), false (lent), or null when
    /// they say nothing and the source summary decides.
    /// </summary>
    internal bool? IsFactoryByTablesOrAttributes(IMethodSymbol method, OwnershipTables tables)
    {
        if (Attributes.MustDisposeResource(method) is { } marked)
        {
            return marked;
        }

        if (tables.LendingMethods.Count > 0 && MatchesAny(method, tables.LendingMethods))
        {
            return false;
        }

        return MatchesAny(method, tables.FactoryMethods) ? true : null;
    }

    /// <summary>What the callee does with a disposable passed as <paramref name="argument"/>.</summary>
    internal ArgumentFate FateOf(IArgumentOperation argument, OwnershipTables tables)
    {
        var parameter = argument.Parameter;
        if (parameter is null || parameter.RefKind is RefKind.Ref or RefKind.Out || parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return ArgumentFate.MayBeStored;
        }

        // What the author wrote and what the tables say beat what the source summary infers.
        if (Attributes.HandlesResourceDisposal(parameter))
        {
            return ArgumentFate.OwnershipTaken;
        }

        if (FindTransfer(method, tables) is { } transfer)
        {
            return TransferApplies(transfer, argument) switch
            {
                true => ArgumentFate.OwnershipTaken,
                false => ArgumentFate.Borrowed,
                null => ArgumentFate.MayBeStored,
            };
        }

        if (MatchesAny(method, tables.BorrowingMethods) || IsNativeImport(method))
        {
            // A native import marshals a handle for the call's duration (AddRef before, Release after).
            return ArgumentFate.Borrowed;
        }

        if (source.Of(method) is { } summary)
        {
            var fact = summary.Parameter(parameter.Ordinal);
            switch (fact.Use)
            {
                case ParameterUse.Borrowed:
                    return ArgumentFate.Borrowed;
                case ParameterUse.Kept:
                    return ArgumentFate.Kept;
                case ParameterUse.Disposed:
                case ParameterUse.OwnedByResult:
                case ParameterUse.WrittenToOutput:
                    // Moved into the caller's out variable, which is followed (or reported when discarded) from there.
                    return ArgumentFate.OwnershipTaken;
                case ParameterUse.Returned:
                    return ArgumentFate.Returned;
                case ParameterUse.Owned when fact.Flag is null:
                    return ArgumentFate.OwnershipTaken;
                case ParameterUse.Owned:
                    return TransferApplies(OwnershipTransfer.UnlessFlag(string.Empty, fact.Flag, fact.FlagValueThatKeepsOwnership), argument) switch
                    {
                        true => ArgumentFate.OwnershipTaken,
                        false => ArgumentFate.Borrowed,
                        null => ArgumentFate.MayBeStored,
                    };
                default:
                    return ArgumentFate.MayBeStored;
            }
        }

        // `Unsafe.As<IWriter<T>>(new Converter(...))`: a reinterpreting cast gives back the object it is given.
        if (parameter.Ordinal == 0 && method.ContainingType is { } identityType && KnownApis.ReturnsItsArgument.Contains(SymbolNames.MemberKey(identityType, method.Name)))
        {
            return ArgumentFate.Returned;
        }

        // The receiver of an extension method is used the way an instance method uses `this`.
        if (method.IsExtensionMethod && parameter.Ordinal == 0)
        {
            return ArgumentFate.Borrowed;
        }

        if (!IsFrameworkAssembly(method.ContainingAssembly))
        {
            return ArgumentFate.MayBeStored;
        }

        // `: base(new Cell())` to a framework constructor: the object being built keeps what its base is given (a column
        // its cell template, a resource set its stream), and what the base then does with it is the base's business.
        if (method.MethodKind == MethodKind.Constructor && argument.Parent is IInvocationOperation { Instance: IInstanceReferenceOperation } initializer &&
            initializer.Parent is IExpressionStatementOperation { Parent: null or IConstructorBodyOperation } or IConstructorBodyOperation)
        {
            return ArgumentFate.MayBeStored;
        }

        // Framework APIs keep what they are given when the parameter is generic (collections, tasks, tuples,
        // Interlocked) or is a state object handed back later (timers, thread pool, token registrations).
        if (parameter.OriginalDefinition.Type.TypeKind == TypeKind.TypeParameter ||
            MatchesAny(method, StoringMethods) ||
            string.Equals(parameter.Name, "state", StringComparison.Ordinal) ||
            StoresByName(method.Name))
        {
            return ArgumentFate.MayBeStored;
        }

        // `new X509Certificate2Collection(certificate)`: a collection of the framework (an ICollection, not a string)
        // built from an object holds it; the argument leaves with the collection, whose owner disposes the elements.
        if (method.MethodKind == MethodKind.Constructor && method.ContainingType is { SpecialType: SpecialType.None } collection && !IsDisposable(collection) &&
            parameter.Type is { IsReferenceType: true, SpecialType: not SpecialType.System_String } &&
            collection.AllInterfaces.Any(i => i.Name == "ICollection" && i.ContainingNamespace?.ToDisplayString() is "System.Collections" or "System.Collections.Generic"))
        {
            return ArgumentFate.Kept;
        }

        // A static factory of the framework (SslStreamCertificateContext.Create(cert), Image.FromStream(stream)) builds
        // an object that may keep what it is given: the argument leaves with the result, the caller still owns it.
        if (method.IsStatic && (method.Name.StartsWith("Create", StringComparison.Ordinal) || method.Name.StartsWith("From", StringComparison.Ordinal)) &&
            method.ReturnType is { IsReferenceType: true, SpecialType: not SpecialType.System_String, TypeKind: TypeKind.Class or TypeKind.Interface } result &&
            result.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
        {
            return ArgumentFate.Kept;
        }

        return ArgumentFate.Borrowed;
    }

    /// <summary>
    /// The callee keeps the argument in a private member that nothing outside its object can read: a value created
    /// for it and given to it is beyond anyone's reach to dispose, wherever the keeping object goes.
    /// </summary>
    internal bool KeepsOutOfReach(IArgumentOperation argument) =>
        argument.Parameter is { } parameter && parameter.ContainingSymbol is IMethodSymbol method &&
        source.Of(method) is { } summary && summary.Parameter(parameter.Ordinal) is { Use: ParameterUse.Kept, Hidden: true } &&

        // A private constructor every caller gives a new value: the type owns what it keeps, and LEAK003 says so.
        !source.AlwaysGivenOwned(parameter);

    /// <summary>
    /// Whether a call fills the out or ref parameter behind <paramref name="argument"/> with a new owned value: a
    /// source member whose summary says so, or an exchange (<c>Interlocked.Exchange(ref x, new X())</c>).
    /// </summary>
    internal bool WritesOwned(IArgumentOperation argument, OwnershipTables tables)
    {
        if (argument.Parameter is not { RefKind: RefKind.Out or RefKind.Ref } parameter || argument.Parent is not IInvocationOperation invocation)
        {
            return false;
        }

        if (KnownApis.ExchangedValue(argument) is { } exchanged)
        {
            return IsOwnedCreation(exchanged.Value, tables);
        }

        if (!NeedsDisposal(parameter.Type, tables) && !NeedsDisposal(argument.Value.Type, tables))
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (Attributes.MustDisposeResource(parameter) is { } marked)
        {
            return marked;
        }

        if (source.Of(method) is not { } summary)
        {
            return false;
        }

        if (summary.Writes(parameter.Ordinal))
        {
            return true;
        }

        // TryGet(File.OpenRead(p), out var stream) where TryGet does `result = arg`: the out variable gets the argument.
        foreach (var other in invocation.Arguments)
        {
            if (other.Parameter is { } input && summary.Parameter(input.Ordinal) is { Use: ParameterUse.WrittenToOutput } fact &&
                fact.Output == parameter.Ordinal && IsOwnedCreation(other.Value, tables))
            {
                return true;
            }
        }

        return false;
    }

    internal static string ConsequenceFor(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            var name = SymbolNames.FullMetadataName(current);
            foreach (var (typeName, consequence) in KnownApis.Consequences)
            {
                if (string.Equals(typeName, name, StringComparison.Ordinal))
                {
                    return consequence;
                }
            }
        }

        return type is { IsValueType: true } ? KnownApis.DefaultValueTypeConsequence : KnownApis.DefaultConsequence;
    }

    /// <summary>True, false, or null when a flag argument is not a constant and the outcome cannot be told.</summary>
    private static bool? TransferApplies(OwnershipTransfer transfer, IArgumentOperation argument)
    {
        if (transfer.FlagParameter is null)
        {
            return true;
        }

        var arguments = argument.Parent switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };

        foreach (var other in arguments)
        {
            if (other.Parameter is { } flag && string.Equals(flag.Name, transfer.FlagParameter, StringComparison.Ordinal))
            {
                if (other.Value.ConstantValue is { HasValue: true, Value: bool value })
                {
                    return value != transfer.FlagValueThatKeepsOwnership;
                }

                return other.ArgumentKind == ArgumentKind.DefaultValue && flag.HasExplicitDefaultValue && flag.ExplicitDefaultValue is bool defaultValue
                    ? defaultValue != transfer.FlagValueThatKeepsOwnership
                    : null;
            }
        }

        return transfer.TakesByDefault;
    }

    /// <summary>The known or configured ownership transfer of a constructor or method, if any.</summary>
    internal OwnershipTransfer? TransferOf(IMethodSymbol method, OwnershipTables tables) => FindTransfer(method, tables);

    private static OwnershipTransfer? FindTransfer(IMethodSymbol method, OwnershipTables tables)
    {
        foreach (var key in MemberKeys(method))
        {
            if (tables.Transfers.TryGetValue(key, out var transfer))
            {
                return transfer;
            }
        }

        return null;
    }

    private static bool MatchesAny(IMethodSymbol method, ImmutableHashSet<string> names)
    {
        if (names.Count == 0)
        {
            return false;
        }

        foreach (var key in MemberKeys(method))
        {
            if (names.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Type.Method</c> for the declaring type, its base types and its interfaces.</summary>
    private static IEnumerable<string> MemberKeys(IMethodSymbol method)
    {
        var name = method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name;
        var type = method.ContainingType;
        if (type is null)
        {
            yield break;
        }

        yield return SymbolNames.MemberKey(type, name);
        if (method.MethodKind == MethodKind.Constructor || method.IsStatic)
        {
            yield break;
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            yield return SymbolNames.MemberKey(baseType, name);
        }

        foreach (var @interface in type.AllInterfaces)
        {
            yield return SymbolNames.MemberKey(@interface, name);
        }
    }

    private static readonly ImmutableHashSet<string> StoringMethods =
        ImmutableHashSet.CreateRange(StringComparer.Ordinal, KnownApis.StoringMethods);

    private static bool StoresByName(string name)
    {
        foreach (var prefix in StoringPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] StoringPrefixes =
    {
        "Add", "TryAdd", "Insert", "Push", "Enqueue", "Set", "TrySet", "Register", "Attach", "Append", "Prepend",
        "Post", "Exchange", "CompareExchange", "GetOrAdd",
    };

    internal static bool IsFrameworkAssembly(IAssemblySymbol? assembly)
    {
        var name = assembly?.Name;
        return name is not null &&
               (name == "mscorlib" || name == "netstandard" || name == "System" ||
                name.StartsWith("System.", StringComparison.Ordinal) ||
                name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal));
    }

    private static bool HasPatternDispose(ITypeSymbol type)
    {
        foreach (var member in type.GetMembers("Dispose"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>IDisposable</c> or <c>IAsyncDisposable</c> itself.</summary>
    internal bool IsDisposableInterface(ITypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, disposable) ||
        (asyncDisposable is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, asyncDisposable));
}

/// <summary>The known-APIs tables merged with one .editorconfig section's additions.</summary>
internal sealed class OwnershipTables
{
    private OwnershipTables(
        ImmutableHashSet<string> noDisposalTypes,
        ImmutableHashSet<string> factoryMethods,
        ImmutableHashSet<string> lendingMethods,
        ImmutableHashSet<string> borrowingMethods,
        ImmutableDictionary<string, OwnershipTransfer> transfers)
    {
        NoDisposalTypes = noDisposalTypes;
        FactoryMethods = factoryMethods;
        LendingMethods = lendingMethods;
        BorrowingMethods = borrowingMethods;
        Transfers = transfers;
    }

    internal ImmutableHashSet<string> NoDisposalTypes { get; }

    internal ImmutableHashSet<string> FactoryMethods { get; }

    internal ImmutableHashSet<string> LendingMethods { get; }

    internal ImmutableHashSet<string> BorrowingMethods { get; }

    internal ImmutableDictionary<string, OwnershipTransfer> Transfers { get; }

    /// <summary>
    /// <see cref="OwnershipModel.NeedsDisposal"/> per type, for the compilation these tables belong to (every
    /// ownership model builds its own tables, so no symbol outlives its compilation here).
    /// </summary>
    internal ConcurrentDictionary<ITypeSymbol, bool> NeedsDisposalByType { get; } = new(SymbolEqualityComparer.Default);

    private static readonly string[] ConfiguredKeys =
    {
        LeakOptions.NoDisposalTypes, LeakOptions.FactoryMethods, LeakOptions.LendingMethods, LeakOptions.BorrowingMethods,
        LeakOptions.OwnershipTransferMethods,
    };

    internal static string KeyOf(AnalyzerConfigOptions options, string? ruleId) => LeakOptions.ValueKey(options, ruleId, ConfiguredKeys);

    internal static OwnershipTables Create(AnalyzerConfigOptions options, string? ruleId)
    {
        var transfers = ImmutableDictionary.CreateBuilder<string, OwnershipTransfer>(StringComparer.Ordinal);
        foreach (var transfer in KnownApis.OwnershipTransfers)
        {
            transfers[transfer.Member] = transfer;
        }

        foreach (var member in LeakOptions.GetList(options, ruleId, LeakOptions.OwnershipTransferMethods))
        {
            transfers[member] = OwnershipTransfer.Always(member);
        }

        var borrowing = LeakOptions.GetList(options, ruleId, LeakOptions.BorrowingMethods);
        foreach (var member in borrowing)
        {
            transfers.Remove(member);
        }

        return new OwnershipTables(
            Merge(KnownApis.NoDisposalTypes, LeakOptions.GetList(options, ruleId, LeakOptions.NoDisposalTypes)),
            Merge(KnownApis.FactoryMethods, LeakOptions.GetList(options, ruleId, LeakOptions.FactoryMethods)),
            Merge(KnownApis.LendingMethods, LeakOptions.GetList(options, ruleId, LeakOptions.LendingMethods)),
            ImmutableHashSet.CreateRange(StringComparer.Ordinal, borrowing),
            transfers.ToImmutable());
    }

    private static ImmutableHashSet<string> Merge(ImmutableArray<string> builtIn, ImmutableArray<string> user)
    {
        var builder = ImmutableHashSet.CreateBuilder(StringComparer.Ordinal);
        builder.UnionWith(builtIn);
        builder.UnionWith(user);
        return builder.ToImmutable();
    }
}

/// <summary>What <see cref="OwnershipModel.WrapperOverBorrowed"/> found.</summary>
/// <summary>How a code fix may dispose a writer over an output the method does not own.</summary>
internal readonly struct WriterDisposal
{
    private WriterDisposal(bool possible, string? flag, bool leaveOpenValue)
    {
        Possible = possible;
        Flag = flag;
        LeaveOpenValue = leaveOpenValue;
    }

    internal static WriterDisposal None => default;

    internal static WriterDisposal AsItIs => new(true, null, false);

    /// <summary>Disposing is safe once the call passes <paramref name="flag"/> with <paramref name="leaveOpenValue"/>.</summary>
    internal static WriterDisposal WithFlag(string flag, bool leaveOpenValue) => new(true, flag, leaveOpenValue);

    internal bool Possible { get; }

    internal string? Flag { get; }

    internal bool LeaveOpenValue { get; }
}

internal enum WrapperKind
{
    None,
    Reader,
    Writer,
}

/// <summary>No .editorconfig keys at all.</summary>
internal sealed class EmptyOptions : AnalyzerConfigOptions
{
    internal static readonly EmptyOptions Instance = new();

    // netstandard2.0 has no NotNullWhen to repeat the base's annotation with.
#pragma warning disable CS8765
    public override bool TryGetValue(string key, out string? value)
#pragma warning restore CS8765
    {
        value = null;
        return false;
    }
}
