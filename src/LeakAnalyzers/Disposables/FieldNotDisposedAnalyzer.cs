namespace LeakAnalyzers.Disposables;

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK003: a private instance field or auto-property that the type fills only with disposables it creates
/// itself, and that nothing in the type ever disposes or hands over. And LEAK004 for fields: an assignment that
/// overwrites such an owned field while it may still hold an undisposed value, found by the same flow analysis
/// as for locals, run only on methods that assign a creation to an owned field. Both need the type's facts about
/// its members, so they share this symbol-scoped analyzer. Decided per type with a symbol-start action,
/// so the warning shows while typing. Members handed in from outside (constructor parameters, injected services)
/// are not owned and are not reported; nor are members that anything else may dispose (non-private ones).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FieldNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the fix should dispose the member ("." or "?.").</summary>
    internal const string AccessKey = "LEAK003.Access";

    /// <summary>Diagnostic property: the type already has a Dispose method to add to.</summary>
    internal const string HasDisposeKey = "LEAK003.HasDispose";

    /// <summary>Diagnostic property: the member's declared type is not disposable, so the fix cannot call Dispose on it.</summary>
    internal const string NoFixKey = "LEAK003.NoFix";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK003FieldNotDisposed, Descriptors.LEAK004OverwrittenWhileOwned);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = OwnershipModel.Create(start.Compilation, Descriptors.LEAK003FieldNotDisposed.Id);
            if (model is null)
            {
                return;
            }

            var lifetimes = LifetimeModel.Create(start.Compilation, Descriptors.LEAK003FieldNotDisposed.Id);
            start.RegisterSymbolStartAction(symbolStart => OnType(symbolStart, model, lifetimes), SymbolKind.NamedType);
        });
    }

    private static void OnType(SymbolStartAnalysisContext context, OwnershipModel model, LifetimeModel lifetimes)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsStatic || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !HasCandidateMember(type, model))
        {
            return;
        }

        var members = new ConcurrentDictionary<ISymbol, MemberFacts>(SymbolEqualityComparer.Default);
        var overwrites = new ConcurrentBag<FieldOverwrite>();
        context.RegisterOperationBlockAction(block => FindOverwrites(block, type, model, overwrites));
        context.RegisterOperationAction(
            operation => OnReference(operation, type, model, members),
            OperationKind.FieldReference,
            OperationKind.PropertyReference);
        context.RegisterOperationAction(
            operation => OnInitializer(operation, type, model, members),
            OperationKind.FieldInitializer,
            OperationKind.PropertyInitializer);
        // Methods of the type added to an event or given to Subscribe run every time their source fires.
        var handlers = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            operation =>
            {
                if (operation.Operation is IMethodReferenceOperation { Method: var handler } reference &&
                    SymbolEqualityComparer.Default.Equals(handler.ContainingType, type) &&
                    reference.Parent is IDelegateCreationOperation creation &&
                    IsRepeatingCallbackValue(creation))
                {
                    handlers.TryAdd(handler.OriginalDefinition, true);
                }
            },
            OperationKind.MethodReference);
        context.RegisterSymbolEndAction(end =>
        {
            Report(end, type, model, lifetimes, members);
            ReportOverwrites(end, model, members, overwrites, handlers);
        });
    }

    /// <summary>
    /// Cheap filter: the type declares a field or auto-property only it can set, of a disposable type, or typed
    /// <c>object</c> or an interface (which may hold a disposable it creates).
    /// </summary>
    private static bool HasCandidateMember(INamedTypeSymbol type, OwnershipModel model)
    {
        foreach (var member in type.GetMembers())
        {
            if (IsPrivateStorage(member, type) && MayHoldDisposable(MemberType(member), model))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayHoldDisposable(ITypeSymbol? type, OwnershipModel model) =>
        type is not null &&
        (model.IsDisposable(type) || type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Interface);

    private static bool IsCandidate(ISymbol member, INamedTypeSymbol type) =>
        !member.IsStatic && IsPrivateStorage(member, type);

    /// <summary>
    /// A field or auto-property of the type, instance or static, that only the type can set: private, or an
    /// auto-property of any accessibility with no setter or a private one. What LEAK003 and LEAK004 follow.
    /// </summary>
    private static bool IsPrivateStorage(ISymbol member, INamedTypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(member.ContainingType, type) &&
        !member.IsImplicitlyDeclared &&
        member switch
        {
            IFieldSymbol field => !field.IsConst && field.DeclaredAccessibility == Accessibility.Private,
            IPropertySymbol property => Operations.IsAutoProperty(property) &&
                                        (property.DeclaredAccessibility == Accessibility.Private ||
                                         property.SetMethod is null ||
                                         (property.SetMethod.DeclaredAccessibility == Accessibility.Private && !property.SetMethod.IsInitOnly)),
            _ => false,
        };

    /// <summary>An override of a property that a source base type disposes (or hands on) through the virtual property.</summary>
    private static bool ReleasedByABase(ISymbol member, OwnershipModel model)
    {
        for (var overridden = (member as IPropertySymbol)?.OverriddenProperty; overridden is not null; overridden = overridden.OverriddenProperty)
        {
            if (overridden.DeclaringSyntaxReferences.Length > 0 &&
                model.Source.TreatmentOf(overridden.ContainingType, overridden).Kind is MemberTreatmentKind.Disposed or MemberTreatmentKind.HandedOn)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A property with a setter others can call wraps the field: code outside the type may put a value there.</summary>
    private static bool SetFromOutside(ISymbol field, INamedTypeSymbol type, OwnershipModel model) =>
        WrappersOf(field, type, model) is { } wrappers &&
        wrappers.Any(w => w is IPropertySymbol { SetMethod: { DeclaredAccessibility: not Accessibility.Private } });

    /// <summary>The properties of the type that only wrap <paramref name="field"/>.</summary>
    private static ImmutableHashSet<ISymbol>? WrappersOf(ISymbol field, INamedTypeSymbol type, OwnershipModel model)
    {
        ImmutableHashSet<ISymbol>.Builder? wrappers = null;
        foreach (var member in type.GetMembers())
        {
            if (member is IPropertySymbol property && !property.IsStatic && property.DeclaringSyntaxReferences.Length == 1 &&
                SymbolEqualityComparer.Default.Equals(model.Source.WrappedField(property), field))
            {
                (wrappers ??= ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default)).Add(property);
            }
        }

        return wrappers?.ToImmutable();
    }

    /// <summary>The storage a member reference stands for: the member itself, or the field a wrapping property stores into.</summary>
    private static ISymbol? StorageOf(ISymbol member, OwnershipModel model) =>
        member is IPropertySymbol property && model.Source.WrappedField(property) is { } field ? field : member;

    private static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static void OnInitializer(OperationAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        var (targets, value) = context.Operation switch
        {
            IFieldInitializerOperation field => (ImmutableArray<ISymbol>.CastUp(field.InitializedFields), field.Value),
            IPropertyInitializerOperation property => (ImmutableArray<ISymbol>.CastUp(property.InitializedProperties), property.Value),
            _ => (ImmutableArray<ISymbol>.Empty, null),
        };

        foreach (var target in targets)
        {
            if (IsPrivateStorage(target, type))
            {
                var tables = model.TablesFor(context.Options, context.Operation.Syntax.SyntaxTree);
                members.GetOrAdd(target, _ => new MemberFacts()).Assigned(value, model, tables, initializer: true, atConstruction: true);
            }
        }
    }

    private static void OnReference(OperationAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        var reference = (IMemberReferenceOperation)context.Operation;
        var member = StorageOf(reference.Member, model);
        if (member is null || !IsPrivateStorage(member, type) || !MayHoldDisposable(MemberType(member), model))
        {
            return;
        }

        if (reference.Instance is not (IInstanceReferenceOperation or null))
        {
            // `var reader = new ImageReader(stream); reader.Read(); return reader.image;`: an object the method made
            // to build something, and drops, hands what it built to the caller.
            if (reference.Instance is ILocalReferenceOperation builder && Operations.ParentSkippingConversions(reference, out _) is IReturnOperation &&
                Operations.ValuesOfLocal(Operations.RootOf(reference), builder.Local) is { Count: > 0 } values &&
                values.All(value => Operations.SkipConversions(value) is IObjectCreationOperation))
            {
                members.GetOrAdd(member, _ => new MemberFacts()).Released();
            }

            return;
        }

        // Inside a property that only wraps the field, the field's uses are the property's uses, seen where it is used.
        if (context.ContainingSymbol is IMethodSymbol { AssociatedSymbol: IPropertySymbol accessed } &&
            SymbolEqualityComparer.Default.Equals(model.Source.WrappedField(accessed), member))
        {
            // `WaitHandle IAsyncResult.AsyncWaitHandle => wait;`: by the interface's contract, its caller closes it.
            if (MemberUses.HandsOverItsValue(accessed))
            {
                members.GetOrAdd(member, _ => new MemberFacts()).Released();
            }

            return;
        }

        var facts = members.GetOrAdd(member, _ => new MemberFacts());
        var tables = model.TablesFor(context.Options, reference.Syntax.SyntaxTree);
        var consumer = Operations.ParentSkippingConversions(reference, out var outer);
        var inConstructor = context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor };
        switch (consumer)
        {
            case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Target, reference):
                facts.Assigned(assignment.Value, model, tables, initializer: false, atConstruction: inConstructor);

                // `using (field = new X())`, `(field = new X()).Dispose()`, `Use(field = new X())`: the value flows on
                // from the assignment, and whatever receives it may dispose it. Returned as it is (a lazy getter,
                // `field ?? (field = new X())`), it is lent.
                if (assignment.Parent is not (IExpressionStatementOperation or null) &&
                    MemberUses.ClassifyValue(assignment, model, tables) is MemberUse.Disposed or MemberUse.HandedOn)
                {
                    facts.Released();
                }

                return;
            case ICoalesceAssignmentOperation coalesce when ReferenceEquals(coalesce.Target, reference):
                facts.Assigned(coalesce.Value, model, tables, initializer: false, atConstruction: false);
                return;
            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } byReference when model.WritesOwned(byReference, tables):
                // Open(out field), Interlocked.Exchange(ref field, new X()): the call puts a new owned value in it.
                facts.CreatedBy(byReference.Syntax.GetLocation(), byReference.Parameter?.Type, atConstruction: inConstructor);
                return;
            default:
                // Disposed, returned, copied to a local or another member, put in an array, captured as a value,
                // given to a callee that may keep it: the type does something with it we do not follow further.
                // Judged at the end, and only for members the type owns: most members are not, and judging a use
                // may ask for the summaries of the callees it reaches.
                facts.Used(reference, tables);
                return;
        }
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, LifetimeModel lifetimes, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        // An object that lives as long as the process (a singleton, one the container builds once, a hosted service,
        // an event source) holds its
        // members that long anyway: nothing is lost by not disposing them.
        if (members.IsEmpty || model.Source.IsProcessSingleton(type) || lifetimes.IsContainerSingleton(type) ||
            (type.Locations.Length > 0 && type.Locations[0].SourceTree is { } tree && lifetimes.IsOfLongLivedType(type, lifetimes.SettingsFor(context.Options, tree))))
        {
            return;
        }

        var dispose = FindDispose(type);
        foreach (var pair in members)
        {
            var member = pair.Key;
            var facts = pair.Value;
            if (member.IsStatic || !facts.IsOwned || member.Locations.Length == 0 || SetFromOutside(member, type, model))
            {
                continue;
            }

            var declaredType = MemberType(member);
            var memberType = model.IsDisposable(declaredType) ? declaredType : facts.CreatedType;
            var tables = model.TablesFor(context.Options, member.Locations[0].SourceTree!);
            if (!model.NeedsDisposal(memberType, tables) || !facts.IsKept(model) || ReleasedByABase(member, model) || AsksWhetherDisposed(type, member.Name))
            {
                continue;
            }

            // One root cause, one diagnostic: a timer whose callback holds this object and that nothing stops (or an Rx
            // timer subscription nothing reads) is the closure family's timer cycle, which LEAK301 reports (Shared/TimerCycles).
            if (TimerCycles.ClosureFamilyOwnsMember(type, member, context.Compilation, context.Options))
            {
                continue;
            }

            var why = dispose is null
                ? model.IsDisposable(type) ? "which has no Dispose method that disposes it" : "which is not disposable"
                : $"whose '{dispose.Name}' does not dispose it";
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(AccessKey, facts.NeverNull(member) ? "." : "?.")
                .Add(HasDisposeKey, dispose is null ? "false" : "true");
            if (!model.IsDisposable(declaredType))
            {
                // Typed object or an interface: `member.Dispose()` would not compile; no fix is offered.
                properties = properties.Add(NoFixKey, "true");
            }
            var additional = new List<Location>();
            if (facts.FirstCreation is { } creation)
            {
                additional.Add(creation);
            }

            if (dispose?.Locations.Length > 0)
            {
                additional.Add(dispose.Locations[0]);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK003FieldNotDisposed,
                member.Locations[0],
                additional,
                properties,
                member.Name,
                type.Name,
                why,
                OwnershipModel.ConsequenceFor(memberType)));
        }
    }

    /// <summary>
    /// The type asks whether the member's object was disposed (<c>last.IsDisposed</c>, <c>last is { IsDisposed: true }</c>):
    /// it hands the object to someone else who disposes it, and keeps it only to recycle it.
    /// </summary>
    private static bool AsksWhetherDisposed(INamedTypeSymbol type, string member)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                switch (node)
                {
                    case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsDisposed" or "Disposed", Expression: var receiver } when NameOf(receiver) == member:
                        return true;
                    case IsPatternExpressionSyntax { Expression: var tested, Pattern: var pattern } when NameOf(tested) == member &&
                        pattern.DescendantNodesAndSelf().OfType<SubpatternSyntax>().Any(sub => sub.NameColon?.Name.Identifier.ValueText is "IsDisposed" ||
                                                                                               sub.ExpressionColon?.Expression is IdentifierNameSyntax { Identifier.ValueText: "IsDisposed" }):
                        return true;
                }
            }
        }

        return false;

        static string? NameOf(ExpressionSyntax expression) => SourceDisposal.NameOf(expression);
    }

    /// <summary>
    /// For one member body of the type: the flow of every private field it assigns a creation to. Cheap filter
    /// first (no creation assigned to a private field, no graph). Results wait for the symbol end, where the
    /// type's facts say which fields are owned.
    /// </summary>
    private static void FindOverwrites(OperationBlockAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentBag<FieldOverwrite> overwrites)
    {
        if (context.OwningSymbol is not IMethodSymbol method || context.OperationBlocks.Length == 0)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);
        foreach (var root in context.OperationBlocks)
        {
            // The member body itself, and the callbacks in it that run every time something happens (handlers added
            // to an event, OnNext of an observable): what those store is there the next time they run.
            var assignedBy = new Dictionary<IOperation, HashSet<ISymbol>>();
            var writes = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            var writtenInLoops = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var operations = 0;
            foreach (var operation in root.Descendants())
            {
                operations++;
                if (operation switch
                    {
                        ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } assigned } => assigned.Member,
                        IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } passed } => passed.Member,
                        _ => null,
                    } is { } anyMember)
                {
                    var slot = StorageOf(anyMember, model) ?? anyMember;
                    writes[slot] = writes.TryGetValue(slot, out var count) ? count + 1 : 1;
                    if (InLoop(operation, root))
                    {
                        writtenInLoops.Add(slot);
                    }
                }

                var written = operation switch
                {
                    ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } target } assignment
                        when StorageOf(target.Member, model) is { } storage && IsPrivateStorage(storage, type) && model.IsOwnedValue(assignment.Value, tables) &&

                             // `current = field = Open()`: the local is a second name the overwrite flow does not follow.
                             Operations.ParentSkippingConversions(assignment, out _) is not ISimpleAssignmentOperation { Target: ILocalReferenceOperation } &&

                             // `using (Member = Open()) { ...; Member = null; }`: the using disposes the value.
                             !Operations.IsUsingResource(assignment) => storage,
                    IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } byReference } argument
                        when IsPrivateStorage(byReference.Member, type) && model.WritesOwned(argument, tables) => byReference.Member,
                    _ => null,
                };

                if (written is null)
                {
                    continue;
                }

                var function = FunctionScopes.EnclosingFunction(operation);
                if (function is not null && !(function is IAnonymousFunctionOperation lambda && IsRepeatingCallback(lambda)))
                {
                    continue;
                }

                var key = function ?? root;
                if (!assignedBy.TryGetValue(key, out var members))
                {
                    assignedBy[key] = members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                }

                members.Add(written);
            }

            // A constructor that does not chain to another one starts with every field empty, or holding its
            // initializer's value: a member it writes once, outside loops, and that has no initializer, cannot be
            // overwritten there. No graph is built for those.
            if (method.MethodKind == MethodKind.Constructor && !method.IsStatic && !ChainsToThis(method) && assignedBy.TryGetValue(root, out var inBody))
            {
                inBody.RemoveWhere(member => writes.TryGetValue(member, out var count) && count == 1 && !writtenInLoops.Contains(member) && !OwnershipModel.HasInitializer(member));
                if (inBody.Count == 0)
                {
                    assignedBy.Remove(root);
                }
            }

            // Overwrites are a path question: a body too large for a graph (FlowBudget) is not judged.
            if (assignedBy.Count == 0 || operations > FlowBudget.MaxOperations)
            {
                continue;
            }

            var rootGraph = context.GetControlFlowGraph(root);
            var policy = new DisposableReleasePolicy(model, tables);
            foreach (var pair in assignedBy)
            {
                var callback = pair.Key as IAnonymousFunctionOperation;
                var graph = callback is null ? rootGraph : FunctionScopes.GraphOf(rootGraph, callback.Symbol);
                if (graph is null)
                {
                    continue;
                }

                var index = new FlowIndex(graph);
                foreach (var member in pair.Value)
                {
                    var flow = DisposalFlow.AnalyzeMember(
                        index,
                        member,
                        policy,
                        operation => operation switch
                        {
                            ISimpleAssignmentOperation { Value: var value } assignment => !Operations.IsUsingResource(assignment) && model.IsOwnedValue(value, tables),
                            IArgumentOperation byReference => model.WritesOwned(byReference, tables),
                            _ => false,
                        },
                        priorValueOwned: true,
                        releasesByCall: call => call.Instance is IInstanceReferenceOperation or null &&
                                                SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, type) &&
                                                model.SourceDisposal.DisposesMember(call.TargetMethod, member.Name),
                        slotAliases: WrappersOf(member, type, model));
                    foreach (var (assignment, lost) in flow.Overwrites)
                    {
                        overwrites.Add(new FieldOverwrite(member, method, assignment, lost.IsDefaultOrEmpty ? null : lost[0], inCallback: callback is not null, leavesOwned: flow.Leaks.Length > 0));
                    }
                }
            }
        }
    }

    private static bool InLoop(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && !ReferenceEquals(current, root); current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ChainsToThis(IMethodSymbol constructor) =>
        constructor.DeclaringSyntaxReferences.Any(reference =>
            reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.ConstructorDeclarationSyntax { Initializer.ThisOrBaseKeyword.RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.ThisKeyword });

    /// <summary>A lambda added to an event, or given to an observable's Subscribe: it runs every time the source fires.</summary>
    private static bool IsRepeatingCallback(IAnonymousFunctionOperation lambda) => IsRepeatingCallbackValue(lambda);

    private static bool IsRepeatingCallbackValue(IOperation callback)
    {
        var current = callback;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IEventAssignmentOperation { Adds: true } => true,
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Subscribe" } } => true,
            _ => false,
        };
    }

    /// <summary>
    /// LEAK004 for fields. An overwrite that loses a value the same method created is reported; one that loses only
    /// the value held before the method is reported only when the field surely holds one then: it is created at
    /// construction (for a constructor: by its initializer), or the method's name says it runs again
    /// (Restart, Reset, Reconnect, ...). A field that is only ever given, or sometimes given, is not owned.
    /// </summary>
    private static void ReportOverwrites(
        SymbolAnalysisContext context,
        OwnershipModel model,
        ConcurrentDictionary<ISymbol, MemberFacts> members,
        ConcurrentBag<FieldOverwrite> overwrites,
        ConcurrentDictionary<IMethodSymbol, bool> handlers)
    {
        foreach (var overwrite in overwrites.OrderBy(o => o.Assignment.Syntax.SpanStart))
        {
            if (!members.TryGetValue(overwrite.Member, out var facts) || !facts.IsOwned || SetFromOutside(overwrite.Member, overwrite.Member.ContainingType, model))
            {
                continue;
            }

            var isConstructor = overwrite.Method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor;
            // A method or callback that runs again finds what its last run left; one that always hands its creation
            // on before it ends (`placeholder = new Item(); AddChild(placeholder);`) leaves nothing owned to find.
            var priorSurelyOwned = (overwrite.InCallback && overwrite.LeavesOwned) || (isConstructor
                ? facts.InitializedWithCreation
                : facts.CreatedAtConstruction ||
                  (overwrite.LeavesOwned && (handlers.ContainsKey(overwrite.Method) || RunsAgain(overwrite.Method, overwrite.Member, model, context.Options))));
            if (overwrite.LostCreation is null && (!priorSurelyOwned || GuardedBySiblingNullCheck(overwrite.Assignment, overwrite.Member)))
            {
                continue;
            }

            var declaredType = MemberType(overwrite.Member);
            var memberType = model.IsDisposable(declaredType) ? declaredType : facts.CreatedType;
            var tables = model.TablesFor(context.Options, overwrite.Assignment.Syntax.SyntaxTree);
            if (!model.NeedsDisposal(memberType, tables))
            {
                continue;
            }

            var additional = new List<Location>();
            if (overwrite.LostCreation is { } lost)
            {
                additional.Add(lost.Syntax.GetLocation());
            }
            else if (facts.FirstCreation is { } first)
            {
                additional.Add(first);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK004OverwrittenWhileOwned,
                overwrite.Assignment.Syntax.GetLocation(),
                additional,
                overwrite.Member.Name,
                memberType?.Name,
                OwnershipModel.ConsequenceFor(memberType)));
        }
    }

    /// <summary>
    /// <c>if (_socket == null) { _socket = ...; _sender = new Sender(_socket); }</c>: the member is set where
    /// another member of this object is null, the state some constructors leave both in. What it held before is
    /// not known to be a live value there. (Read from syntax: the assignment comes from the flow graph, which has
    /// no if statements.)
    /// </summary>
    private static bool GuardedBySiblingNullCheck(IOperation assignment, ISymbol member)
    {
        SyntaxNode child = assignment.Syntax;
        for (var parent = child.Parent; parent is not null and not MemberDeclarationSyntax; child = parent, parent = parent.Parent)
        {
            if (parent is IfStatementSyntax ifStatement && ifStatement.Statement == child && TestsMemberForNull(ifStatement.Condition, member))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TestsMemberForNull(ExpressionSyntax condition, ISymbol excluded)
    {
        foreach (var node in condition.DescendantNodesAndSelf())
        {
            var tested = node switch
            {
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals when IsNull(equals.Right) => equals.Left,
                BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals when IsNull(equals.Left) => equals.Right,
                IsPatternExpressionSyntax { Pattern: ConstantPatternSyntax constant } pattern when IsNull(constant.Expression) => pattern.Expression,
                _ => null,
            };

            var name = tested switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var accessed } => accessed.Identifier.ValueText,
                _ => null,
            };

            if (name is not null && name != excluded.Name &&
                excluded.ContainingType.GetMembers(name).Any(m => m is IFieldSymbol or IPropertySymbol))
            {
                return true;
            }
        }

        return false;

        static bool IsNull(ExpressionSyntax expression) => expression.IsKind(SyntaxKind.NullLiteralExpression);
    }

    /// <summary>
    /// The method runs again on the same object, so what it stores is there the next time it runs: its name says
    /// so (Restart, Reset, ...), or it is a repeating lifecycle method (the lifetime model's table, with
    /// <c>leak_analyzers.repeating_methods</c>; OnAppearing, a Loaded handler), or an NUnit [SetUp] (run before every
    /// test of the fixture instance). Not when a counterpart of it ([TearDown], OnDisappearing, ...) disposes the member.
    /// </summary>
    private static bool RunsAgain(IMethodSymbol method, ISymbol member, OwnershipModel model, AnalyzerOptions options)
    {
        foreach (var prefix in RunsAgainPrefixes)
        {
            if (method.Name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (HasAttribute(method, "SetUp"))
        {
            return !method.ContainingType.GetMembers().OfType<IMethodSymbol>()
                .Any(other => HasAttribute(other, "TearDown") && model.SourceDisposal.DisposesMember(other, member.Name));
        }

        if (method.Locations.FirstOrDefault()?.SourceTree is not { } tree)
        {
            return false;
        }

        var settings = LifetimeSettings.Create(LeakOptions.For(options, tree), Descriptors.LEAK004OverwrittenWhileOwned.Id);
        var repeating = method.IsOverride
            ? settings.RepeatingOverrides.Concat(settings.RepeatingMethods)
            : settings.RepeatingMethods;
        foreach (var entry in repeating)
        {
            if (entry.Name != method.Name)
            {
                continue;
            }

            return !entry.Counterparts.Any(counterpart => method.ContainingType.GetMembers(counterpart).OfType<IMethodSymbol>()
                .Any(other => model.SourceDisposal.DisposesMember(other, member.Name)));
        }

        return false;
    }

    private static bool HasAttribute(IMethodSymbol method, string name) =>
        method.GetAttributes().Any(a => a.AttributeClass?.Name == name || a.AttributeClass?.Name == name + "Attribute");

    private static readonly string[] RunsAgainPrefixes = { "Restart", "Reset", "Reconnect", "Reload", "Reopen", "Refresh", "Renew", "Recreate", "Reinitialize", "Rebuild" };

    private sealed class FieldOverwrite
    {
        internal FieldOverwrite(ISymbol member, IMethodSymbol method, IOperation assignment, IOperation? lostCreation, bool inCallback, bool leavesOwned)
        {
            LeavesOwned = leavesOwned;
            Member = member;
            Method = method;
            Assignment = assignment;
            LostCreation = lostCreation;
            InCallback = inCallback;
        }

        /// <summary>In a callback that runs every time its source fires (an event handler, an OnNext).</summary>
        internal bool InCallback { get; }

        /// <summary>The method (or callback) can end with the member still holding what it created there.</summary>
        internal bool LeavesOwned { get; }

        internal ISymbol Member { get; }

        internal IMethodSymbol Method { get; }

        internal IOperation Assignment { get; }

        internal IOperation? LostCreation { get; }
    }

    /// <summary>The type's own Dispose(bool), Dispose() or DisposeAsync(), in that order of preference.</summary>
    internal static IMethodSymbol? FindDispose(INamedTypeSymbol type)
    {
        IMethodSymbol? found = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method ||
                method.DeclaringSyntaxReferences.Length == 0)
            {
                continue;
            }

            var name = method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0
                ? method.ExplicitInterfaceImplementations[0].Name
                : method.Name;
            if (name == "Dispose" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean)
            {
                return method;
            }

            if (name == "Dispose" && method.Parameters.Length == 0)
            {
                found = method;
            }
            else if (name == "DisposeAsync" && method.Parameters.Length == 0 && found is null)
            {
                found = method;
            }
        }

        return found;
    }

    /// <summary>What the type does with one member. Updated from concurrent operation callbacks.</summary>
    private sealed class MemberFacts
    {
        private readonly object gate = new();
        private bool created;
        private bool notCreated;
        private bool released;
        private bool initializedWithCreation;
        private bool createdAtConstruction;
        private bool createdOnlyWritersOverBorrowed = true;
        private Location? firstCreation;
        private ITypeSymbol? createdType;
        private readonly List<(IMemberReferenceOperation Reference, OwnershipTables Tables)> uses = new();

        /// <summary>Every value the type assigns is a creation it owns (or null).</summary>
        internal bool IsOwned
        {
            get
            {
                lock (gate)
                {
                    return created && !notCreated;
                }
            }
        }

        /// <summary>An initializer or a constructor creates its value: it holds one when other methods run.</summary>
        internal bool CreatedAtConstruction
        {
            get
            {
                lock (gate)
                {
                    return createdAtConstruction;
                }
            }
        }

        /// <summary>An initializer creates its value: it holds one when a constructor body runs.</summary>
        internal bool InitializedWithCreation
        {
            get
            {
                lock (gate)
                {
                    return initializedWithCreation;
                }
            }
        }

        /// <summary>The type of the first value the type creates for the member (for members typed object or an interface).</summary>
        internal ITypeSymbol? CreatedType
        {
            get
            {
                lock (gate)
                {
                    return createdType;
                }
            }
        }

        internal Location? FirstCreation
        {
            get
            {
                lock (gate)
                {
                    return firstCreation;
                }
            }
        }

        /// <summary>
        /// No use releases it: none disposes it or hands it on. The uses recorded by <see cref="Used"/> are judged
        /// here, the first time it is asked, until one releases it.
        /// </summary>
        internal bool IsKept(OwnershipModel model)
        {
            lock (gate)
            {
                while (!released && uses.Count > 0)
                {
                    var (reference, tables) = uses[uses.Count - 1];
                    uses.RemoveAt(uses.Count - 1);
                    released = MemberUses.Classify(reference, model, tables) is MemberUse.Disposed or MemberUse.HandedOn ||
                               (createdOnlyWritersOverBorrowed &&
                                Operations.ParentSkippingConversions(reference, out var used) is var consumer && DisposableReleasePolicy.Flushes(used, consumer));
                }

                return !released;
            }
        }

        /// <summary>A use of the member that may release it, judged by <see cref="IsKept"/> when it matters.</summary>
        internal void Used(IMemberReferenceOperation reference, OwnershipTables tables)
        {
            lock (gate)
            {
                if (!released)
                {
                    uses.Add((reference, tables));
                }
            }
        }

        internal void Assigned(IOperation? value, OwnershipModel model, OwnershipTables tables, bool initializer, bool atConstruction)
        {
            lock (gate)
            {
                if (Operations.IsNullOrDefault(value))
                {
                    return;
                }

                if (model.IsOwnedValue(value, tables))
                {
                    created = true;

                    // `_writer = new StreamWriter(_buffer)`: a writer over a stream the type holds anyway (or one that
                    // needs no disposal) owes nothing but its buffered text; a Flush in the type pays that.
                    createdOnlyWritersOverBorrowed &= model.WrapperOverBorrowed(value!, tables) == WrapperKind.Writer;
                    initializedWithCreation |= initializer;
                    createdAtConstruction |= atConstruction;
                    if (firstCreation is null || value!.Syntax.SpanStart < firstCreation.SourceSpan.Start)
                    {
                        firstCreation = value!.Syntax.GetLocation();
                        createdType = Operations.SkipConversions(value)?.Type;
                    }
                }
                else
                {
                    notCreated = true;
                }
            }
        }

        /// <summary>A call writes a new owned value into the member (an out or ref argument).</summary>
        internal void CreatedBy(Location location, ITypeSymbol? type, bool atConstruction)
        {
            lock (gate)
            {
                created = true;
                createdOnlyWritersOverBorrowed = false;
                createdType ??= type;
                createdAtConstruction |= atConstruction;
                if (firstCreation is null || location.SourceSpan.Start < firstCreation.SourceSpan.Start)
                {
                    firstCreation = location;
                }
            }
        }

        internal void Released()
        {
            lock (gate)
            {
                released = true;
            }
        }

        /// <summary>Readonly and created by its initializer: it cannot be null when Dispose runs.</summary>
        internal bool NeverNull(ISymbol member)
        {
            lock (gate)
            {
                return initializedWithCreation && member is IFieldSymbol { IsReadOnly: true } or IPropertySymbol { SetMethod: null };
            }
        }
    }
}
