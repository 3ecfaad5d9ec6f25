namespace LeakAnalyzers.Disposables;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK001: a local that the method creates, that owns a resource, and that is neither disposed on every path
/// nor handed over; and LEAK004 for locals: an assignment that overwrites a local still owning an undisposed
/// resource. Both come out of one flow analysis, so they share one analyzer. The cheap pass looks for locals
/// initialised from an owned creation; only methods that have one pay for the control-flow graph.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LocalNotDisposedAnalyzer : DiagnosticAnalyzer
{
    private const string Never = "never disposed";
    private const string NotOnEveryPath = "not disposed on every path";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK001LocalNotDisposed, Descriptors.LEAK004OverwrittenWhileOwned);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = OwnershipModel.Create(start.Compilation, Descriptors.LEAK001LocalNotDisposed.Id);
            if (model is null)
            {
                return;
            }

            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, model));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, OwnershipModel model)
    {
        var tree = context.OwningSymbol.Locations.Length > 0 ? context.OperationBlocks[0].Syntax.SyntaxTree : null;
        if (tree is null)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, tree);
        foreach (var root in context.OperationBlocks)
        {
            var candidates = Candidates.Find(root, model, tables, argument => DelegateFates.For(context.Compilation).OutlivesCall(argument, context.Options));
            if (candidates.Count == 0)
            {
                continue;
            }

            var policy = new DisposableReleasePolicy(model, tables);
            var flushPolicy = new DisposableReleasePolicy(model, tables, flushReleases: true);
            if (candidates.OperationCount > FlowBudget.MaxOperations)
            {
                ReportNeverReleased(context, root, candidates, policy);
                continue;
            }

            var reported = new HashSet<SyntaxNode>();
            foreach (var graph in FunctionScopes.Graphs(context.GetControlFlowGraph(root), candidates.HasNested))
            {
                var index = new FlowIndex(graph);
                foreach (var local in candidates.Locals)
                {
                    var writerOverBorrowed = candidates.IsWriterOverBorrowed(local, model, tables);
                    var flow = DisposalFlow.Analyze(
                        index,
                        local,
                        writerOverBorrowed ? flushPolicy : policy,
                        operation => candidates.CreationSiteOf(operation) is not null,
                        keepingAliasLocals: candidates.KeepersOf(local, model, tables),
                        followCatches: true);
                    foreach (var leak in flow.Leaks)
                    {
                        if (candidates.CreationSiteOf(leak) is { } site && candidates.CreationsBySyntax.TryGetValue(site, out var creation) && reported.Add(creation.Syntax))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(
                                Descriptors.LEAK001LocalNotDisposed,
                                LocationOf(creation),
                                writerOverBorrowed ? WriterFixProperties(flow, leak, creation, model, tables) : FixProperties(flow, leak),
                                local.Name,
                                flow.AnyRelease || flow.AnyHandOver ? NotOnEveryPath : Never,
                                OwnershipModel.ConsequenceFor(CreatedType(creation))));
                        }
                    }

                    foreach (var (assignment, lost) in flow.Overwrites)
                    {
                        if (lost.Length > 0 && candidates.CreationSiteOf(lost[0]) is { } lostSite && candidates.CreationsBySyntax.TryGetValue(lostSite, out var old) &&
                            reported.Add(assignment.Syntax))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(
                                Descriptors.LEAK004OverwrittenWhileOwned,
                                assignment.Syntax.GetLocation(),
                                new[] { LocationOf(old) },
                                local.Name,
                                CreatedType(old)?.Name,
                                OwnershipModel.ConsequenceFor(CreatedType(old))));
                        }
                    }
                }
            }
        }
    }

    /// <summary>Where a creation is shown: the expression, or the variable of a foreach that owns its items.</summary>
    private static Location LocationOf(IOperation creation) =>
        creation.Parent is IForEachLoopOperation { Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax loop }
            ? loop.Identifier.GetLocation()
            : creation.Syntax.GetLocation();

    /// <summary>The type of what a creation site gives the local: an out or ref argument gives its variable's type.</summary>
    private static ITypeSymbol? CreatedType(IOperation creation) =>
        creation switch
        {
            IArgumentOperation argument => Operations.SkipConversions(argument.Value)?.Type ?? argument.Parameter?.Type,
            IVariableDeclaratorOperation declarator => declarator.Symbol.Type,
            _ => creation.Type,
        };

    /// <summary>
    /// For a body too large for the control-flow graph (see <see cref="FlowBudget"/>): the locals that no use
    /// anywhere disposes or hands over are reported as never disposed; nothing is said about single paths.
    /// </summary>
    private static void ReportNeverReleased(OperationBlockAnalysisContext context, IOperation root, Candidates candidates, DisposableReleasePolicy policy)
    {
        var released = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var wanted = new HashSet<ILocalSymbol>(candidates.Locals, SymbolEqualityComparer.Default);
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && wanted.Contains(reference.Local) && !released.Contains(reference.Local))
            {
                var consumer = Operations.ParentSkippingConversions(reference, out var outer);
                var isTarget = consumer is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, outer);
                if (!isTarget && policy.Classify(outer, consumer, consumerReturned: false) != UseKind.None)
                {
                    released.Add(reference.Local);
                }
            }
        }

        foreach (var pair in candidates.CreationsBySyntax)
        {
            var local = candidates.LocalOf(pair.Key);
            if (local is not null && !released.Contains(local))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.LEAK001LocalNotDisposed,
                    LocationOf(pair.Value),
                    local.Name,
                    Never,
                    OwnershipModel.ConsequenceFor(CreatedType(pair.Value))));
            }
        }
    }

    /// <summary>
    /// Tells the code fix whether a using declaration is safe: the local is declared here, never handed over
    /// (a using would dispose what a caller or a field still holds) and never assigned again (using locals are read-only).
    /// </summary>
    private static ImmutableDictionary<string, string?> FixProperties(DisposalFlow flow, IOperation leak) =>
        !flow.AnyHandOver && !flow.Reassigned && leak.Syntax.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.VariableDeclarator)
            ? UsingIsSafe
            : ImmutableDictionary<string, string?>.Empty;

    /// <summary>
    /// A writer over an output the method does not own: a <c>using</c> must not close that output, so the fix is
    /// offered only where disposing leaves it open, or can be told to (<c>leaveOpen: true</c>, added by the fix).
    /// </summary>
    private static ImmutableDictionary<string, string?> WriterFixProperties(DisposalFlow flow, IOperation leak, IOperation creation, OwnershipModel model, OwnershipTables tables)
    {
        var properties = FixProperties(flow, leak);
        if (properties.IsEmpty || model.HowToDisposeWriter(Operations.SkipConversions(creation)!, tables) is not { Possible: true } disposal)
        {
            return ImmutableDictionary<string, string?>.Empty;
        }

        return disposal.Flag is { } flag
            ? properties.Add(FlagKey, flag).Add(FlagValueKey, disposal.LeaveOpenValue ? "true" : "false")
            : properties;
    }

    private static readonly ImmutableDictionary<string, string?> UsingIsSafe =
        ImmutableDictionary<string, string?>.Empty.Add(FixKey, "using");

    /// <summary>The diagnostic property that offers the using fix.</summary>
    internal const string FixKey = "LEAK001.Fix";

    /// <summary>With the using fix: the bool argument the creation must be given so disposing leaves its output open.</summary>
    internal const string FlagKey = "LEAK001.Flag";

    /// <summary>The value of <see cref="FlagKey"/> that leaves the output open.</summary>
    internal const string FlagValueKey = "LEAK001.FlagValue";

    /// <summary>Locals of one operation block that receive an owned disposable and are worth a flow analysis.</summary>
    private sealed class Candidates
    {
        internal List<ILocalSymbol> Locals { get; } = new();

        private readonly HashSet<ILocalSymbol> known = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<SyntaxNode, ILocalSymbol> localsBySyntax = new();

        /// <summary>How many operations the block has: what decides whether it gets a control-flow graph.</summary>
        internal int OperationCount { get; private set; }

        internal ILocalSymbol? LocalOf(SyntaxNode creationSite) => localsBySyntax.TryGetValue(creationSite, out var local) ? local : null;

        /// <summary>By the local an argument names: the locals assigned the call or creation it is an argument of.</summary>
        private readonly Dictionary<ILocalSymbol, List<(ILocalSymbol Keeper, IArgumentOperation Argument)>> possibleKeepers = new(SymbolEqualityComparer.Default);

        private readonly Dictionary<ILocalSymbol, List<SyntaxNode>> sitesByLocal = new(SymbolEqualityComparer.Default);

        private void AddPossibleKeeper(ILocalSymbol keeper, IOperation value)
        {
            var arguments = value switch
            {
                IObjectCreationOperation creation => creation.Arguments,
                IInvocationOperation invocation => invocation.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };

            foreach (var argument in arguments)
            {
                if (Operations.SkipConversions(argument.Value) is ILocalReferenceOperation reference &&
                    !SymbolEqualityComparer.Default.Equals(reference.Local, keeper))
                {
                    if (!possibleKeepers.TryGetValue(reference.Local, out var list))
                    {
                        possibleKeepers[reference.Local] = list = new List<(ILocalSymbol, IArgumentOperation)>();
                    }

                    list.Add((keeper, argument));
                }
            }
        }

        /// <summary>Every creation of the local is a writer over an output the method does not own.</summary>
        internal bool IsWriterOverBorrowed(ILocalSymbol local, OwnershipModel model, OwnershipTables tables)
        {
            if (!sitesByLocal.TryGetValue(local, out var sites))
            {
                return false;
            }

            foreach (var site in sites)
            {
                if (!CreationsBySyntax.TryGetValue(site, out var creation) || model.WrapperOverBorrowed(creation, tables) != WrapperKind.Writer)
                {
                    return false;
                }
            }

            return sites.Count > 0;
        }

        /// <summary>
        /// Locals that receive an object keeping <paramref name="local"/> without owning it (<c>var parser = new
        /// Parser(stream)</c> where Parser never disposes it): where they go, the local goes; disposing them does not
        /// dispose it.
        /// </summary>
        internal ImmutableHashSet<ILocalSymbol>? KeepersOf(ILocalSymbol local, OwnershipModel model, OwnershipTables tables)
        {
            if (!possibleKeepers.TryGetValue(local, out var candidates))
            {
                return null;
            }

            ImmutableHashSet<ILocalSymbol>.Builder? keepers = null;
            foreach (var (keeper, argument) in candidates)
            {
                if (model.FateOf(argument, tables) == ArgumentFate.Kept)
                {
                    (keepers ??= ImmutableHashSet.CreateBuilder<ILocalSymbol>(SymbolEqualityComparer.Default)).Add(keeper);
                }
            }

            return keepers?.ToImmutable();
        }

        private static bool IsPossibleKeeper(IOperation value) =>
            Operations.SkipConversions(value) is IObjectCreationOperation { Arguments.Length: > 0 } or IInvocationOperation { Arguments.Length: > 0 };

        /// <summary>The declarator or assignment that gives the local its value, mapped to the creating expression.</summary>
        internal Dictionary<SyntaxNode, IOperation> CreationsBySyntax { get; } = new();

        internal bool HasNested { get; private set; }

        internal int Count => Locals.Count;

        internal static Candidates Find(IOperation root, OwnershipModel model, OwnershipTables tables, Func<IArgumentOperation, bool> keptForGood)
        {
            var result = new Candidates();
            var captured = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            List<(ILocalSymbol View, ILocalSymbol Source, IVariableDeclaratorOperation Declarator, IOperation Value)>? views = null;
            HashSet<ILocalSymbol>? releasedDirectly = null;
            foreach (var operation in root.Descendants())
            {
                result.OperationCount++;
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator
                        when !Operations.IsUsingDeclarator(declarator) && IsTrackable(declarator.Symbol) && model.IsOwnedCreation(value, tables):
                        result.Add(declarator.Symbol, declarator.Syntax, Operations.SkipConversions(value)!, operation);
                        break;
                    case IVariableDeclaratorOperation { Initializer.Value: { } view } viewDeclarator
                        when !Operations.IsUsingDeclarator(viewDeclarator) && IsTrackable(viewDeclarator.Symbol) && model.IsDisposable(viewDeclarator.Symbol.Type) &&
                             ViewOfALocal(view) is { } source:
                        // `Stream body = response.GetResponseStream();`: the view takes the response's duty (see below).
                        (views ??= new()).Add((viewDeclarator.Symbol, source, viewDeclarator, Operations.SkipConversions(view)!));
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                        when IsTrackable(target.Local) && !ValueGoesOn(assignment) && model.IsOwnedCreation(assignment.Value, tables):
                        result.Add(target.Local, assignment.Syntax, Operations.SkipConversions(assignment.Value)!, operation);
                        break;
                    case IForEachLoopOperation loop when OwnsItems(loop.Collection) &&
                                                         loop.LoopControlVariable is IVariableDeclaratorOperation { Symbol: var item } &&
                                                         IsTrackable(item) && model.IsDisposable(item.Type):
                        // Every item the enumerator hands out is new: the loop variable owns each one.
                        result.itemLocals.Add(item);
                        result.Add(item, loop.Syntax, loop.LoopControlVariable, operation);
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument
                        when WrittenLocal(argument) is { } written && IsTrackable(written) && model.WritesOwned(argument, tables):
                        result.Add(written, argument.Syntax, argument, operation);
                        break;
                    case ILocalReferenceOperation reference when MayHoldADisposable(reference.Local.Type, model) && FunctionScopes.IsCapturedHere(reference) &&
                                                      !IsCaptureThatKeepsNothing(reference, model, keptForGood):
                        captured.Add(reference.Local);
                        break;
                }

                // `response.Close()`, `using (response)`: the local is released by name somewhere in the body.
                switch (operation)
                {
                    case IInvocationOperation { Instance: ILocalReferenceOperation closed } close when model.ReleasesReceiver(close.TargetMethod):
                        (releasedDirectly ??= new(SymbolEqualityComparer.Default)).Add(closed.Local);
                        break;
                    case IUsingOperation { Resources: var resources } when Operations.SkipConversions(resources) is ILocalReferenceOperation usingResource:
                        (releasedDirectly ??= new(SymbolEqualityComparer.Default)).Add(usingResource.Local);
                        break;
                }

                // `var parser = new Parser(stream)`: a local that may keep another one (see KeepersOf).
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer.Value: { } kept } keeper when IsPossibleKeeper(kept):
                        result.AddPossibleKeeper(keeper.Symbol, Operations.SkipConversions(kept)!);
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation keeperTarget } keeperAssignment when IsPossibleKeeper(keeperAssignment.Value):
                        result.AddPossibleKeeper(keeperTarget.Local, Operations.SkipConversions(keeperAssignment.Value)!);
                        break;
                }
            }

            // A view of an owned local that nothing releases by name (`var response = request.GetResponse(); var body =
            // response.GetResponseStream();`): the view carries the response's duty, so the view is judged as if made here.
            if (views is not null)
            {
                foreach (var (view, source, declarator, value) in views)
                {
                    if (result.known.Contains(source) && !result.known.Contains(view) && releasedDirectly?.Contains(source) != true)
                    {
                        result.Add(view, declarator.Syntax, value, declarator);
                    }
                }
            }

            result.FindLatentContainers(model, tables);

            // A local captured by a lambda or local function that may dispose it or pass it on: not ours to judge.
            if (captured.Count > 0)
            {
                result.Locals.RemoveAll(captured.Contains);
                foreach (var site in new List<SyntaxNode>(result.localsBySyntax.Keys))
                {
                    if (captured.Contains(result.localsBySyntax[site]))
                    {
                        result.CreationsBySyntax.Remove(site);
                        result.localsBySyntax.Remove(site);
                    }
                }
            }

            return result;
        }

        /// <summary>The local whose resources a view call or property carries (<c>response.GetResponseStream()</c>).</summary>
        private static ILocalSymbol? ViewOfALocal(IOperation value) =>
            Operations.SkipConversions(value) switch
            {
                IInvocationOperation { Instance: { } instance } call when KnownApis.IsResourceView(call.TargetMethod) && Operations.SkipConversions(instance) is ILocalReferenceOperation local => local.Local,
                IPropertyReferenceOperation { Instance: { } instance } property when KnownApis.IsResourceView(property.Property) && Operations.SkipConversions(instance) is ILocalReferenceOperation local => local.Local,
                _ => null,
            };

        /// <summary>A string, or a value type that is not disposable (a number, a flag, a token): never a candidate.</summary>
        private static bool MayHoldADisposable(ITypeSymbol type, OwnershipModel model) =>
            type.SpecialType != SpecialType.System_String && !(type.IsValueType && !model.IsDisposable(type));

        /// <summary>
        /// A capture that neither releases the value nor passes it on: a lambda that only calls it or reads it
        /// (<c>o => { outcome = o; acked.Set(); }</c>, <c>() => Loop(linked.Token)</c>) and whose delegate the method
        /// does not return or store, or a local function the method only calls. Nobody but the method can dispose such
        /// a value, so the method is judged as if the function were not there. Local functions turned into delegates,
        /// and lambdas kept beyond the method (returned, stored in a member), still take what they capture.
        /// </summary>
        private static bool IsCaptureThatKeepsNothing(ILocalReferenceOperation reference, OwnershipModel model, Func<IArgumentOperation, bool> keptForGood)
        {
            var enclosing = FunctionScopes.EnclosingFunction(reference);
            if (enclosing is null || FunctionScopes.EnclosingFunction(enclosing) is not null ||
                (enclosing is ILocalFunctionOperation localFunction && !OnlyCalled(localFunction)) ||
                enclosing is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
            {
                return false;
            }

            var use = Operations.ParentSkippingConversions(reference, out var child);
            var onlyUsed = use switch
            {
                IInvocationOperation call => ReferenceEquals(call.Instance, child) && !model.ReleasesReceiver(call.TargetMethod),
                IPropertyReferenceOperation or IFieldReferenceOperation or IEventReferenceOperation => ((IMemberReferenceOperation)use).Instance == child &&
                                                                                                    !(use.Parent is IAssignmentOperation assigned && ReferenceEquals(assigned.Target, use)),
                IConditionalAccessOperation access => ReferenceEquals(access.Operation, child) &&
                                                       !(access.WhenNotNull is IInvocationOperation conditional && model.ReleasesReceiver(conditional.TargetMethod)),
                IBinaryOperation or IIsPatternOperation or IIsTypeOperation => true,
                _ => false,
            };

            return onlyUsed && (enclosing is not IAnonymousFunctionOperation function || !DelegateOutlivesMethod(function, keptForGood));
        }

        /// <summary>
        /// <c>void OnValue(int v) { linked.Cancel(); ... } OnValue(1);</c>: a local function the method only calls, never
        /// turns into a delegate, runs inside the method; what it does with a captured value is the method's own use.
        /// </summary>
        private static bool OnlyCalled(ILocalFunctionOperation localFunction)
        {
            foreach (var operation in Operations.RootOf(localFunction).Descendants())
            {
                if (operation is IMethodReferenceOperation { Method: var referenced } &&
                    SymbolEqualityComparer.Default.Equals(referenced.OriginalDefinition, localFunction.Symbol.OriginalDefinition))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Whether the delegate made from <paramref name="function"/> is returned or stored in a member, directly or
        /// through a local, or given to a call that keeps it beyond the call (a static, a member, a GCHandle: a native
        /// log callback rooted until the next one replaces it): what it captures then lives as long as that place, on purpose.
        /// </summary>
        private static bool DelegateOutlivesMethod(IAnonymousFunctionOperation function, Func<IArgumentOperation, bool> keptForGood)
        {
            var value = (IOperation)function;
            while (value.Parent is IDelegateCreationOperation or IConversionOperation)
            {
                value = value.Parent;
            }

            if (Kept(value))
            {
                return true;
            }

            var local = Operations.AssignedLocal(value);
            if (local is null)
            {
                return false;
            }

            foreach (var use in Operations.ReferencesTo(Operations.RootOf(function), local))
            {
                var outer = (IOperation)use;
                while (outer.Parent is IConversionOperation or IDelegateCreationOperation)
                {
                    outer = outer.Parent;
                }

                if (Kept(outer))
                {
                    return true;
                }
            }

            return false;

            bool Kept(IOperation value) =>
                value.Parent is IReturnOperation ||
                (value.Parent is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation } store &&
                 ReferenceEquals(store.Value, value)) ||
                (value.Parent is IArgumentOperation argument && keptForGood(argument));
        }

        private void Add(ILocalSymbol local, SyntaxNode syntax, IOperation creation, IOperation site)
        {
            if (known.Add(local))
            {
                Locals.Add(local);
            }

            CreationsBySyntax[syntax] = creation;
            localsBySyntax[syntax] = local;
            if (!sitesByLocal.TryGetValue(local, out var sites))
            {
                sitesByLocal[local] = sites = new List<SyntaxNode>();
            }

            sites.Add(syntax);
            HasNested |= FunctionScopes.EnclosingFunction(site) is not null;
        }

        /// <summary>The local an out or ref argument writes: <c>out s</c>, <c>out var s</c>, <c>ref s</c>.</summary>
        private static ILocalSymbol? WrittenLocal(IArgumentOperation argument) =>
            Operations.SkipConversions(argument.Value) switch
            {
                ILocalReferenceOperation local => local.Local,
                IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => declared.Local,
                _ => null,
            };

        private static bool OwnsItems(IOperation collection) =>
            Operations.SkipConversions(collection)?.Type is INamedTypeSymbol type &&
            KnownApis.OwnedItemCollections.Contains(SymbolNames.FullMetadataName(type));

        private readonly HashSet<ILocalSymbol> itemLocals = new(SymbolEqualityComparer.Default);

        /// <summary>Creation sites of containers made empty: the value becomes owned at its first fill, not here.</summary>
        private readonly HashSet<SyntaxNode> latent = new();

        /// <summary>The references that fill a latent container, mapped to its creation site.</summary>
        private readonly Dictionary<SyntaxNode, SyntaxNode> fills = new();

        /// <summary>
        /// A container made empty (<c>var d = new CompositeDisposable();</c>) holds nothing until it is filled: its
        /// duty starts at each fill (<c>d.Add(x)</c>), so a path that returns before the first one loses nothing. Only
        /// for a local given a value once, whose other uses cannot fill it elsewhere.
        /// </summary>
        private void FindLatentContainers(OwnershipModel model, OwnershipTables tables)
        {
            foreach (var pair in sitesByLocal)
            {
                if (pair.Value.Count != 1 || !CreationsBySyntax.TryGetValue(pair.Value[0], out var creation) ||
                    creation is not IObjectCreationOperation construction ||
                    model.ContainerFills(construction, tables, endsDuty: true) is not { Length: > 0 } containerFills)
                {
                    continue;
                }

                latent.Add(pair.Value[0]);
                foreach (var fill in containerFills)
                {
                    fills[fill.Syntax] = pair.Value[0];
                }
            }
        }

        /// <summary>
        /// The creation site a flow-graph operation stands for: its syntax, or, for the implicit assignment of a
        /// foreach variable that owns its items, the loop.
        /// </summary>
        internal SyntaxNode? CreationSiteOf(IOperation operation)
        {
            if (operation is ILocalReferenceOperation)
            {
                return fills.TryGetValue(operation.Syntax, out var filled) ? filled : null;
            }

            if (CreationsBySyntax.ContainsKey(operation.Syntax))
            {
                return latent.Contains(operation.Syntax) ? null : operation.Syntax;
            }

            if (operation is ISimpleAssignmentOperation { IsImplicit: true, Target: ILocalReferenceOperation target } &&
                itemLocals.Contains(target.Local) && operation.Syntax.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.CommonForEachStatementSyntax>() is { } loop)
            {
                return loop;
            }

            return null;
        }

        private static bool IsTrackable(ILocalSymbol local) =>
            local.RefKind == RefKind.None && !local.IsUsing && !local.IsConst && local.Type.TypeKind != TypeKind.Error;

        /// <summary>
        /// <c>handler = counting = new Counting(handler)</c>, <c>return cached = new X()</c>: the assignment's value
        /// also goes elsewhere, under another name the flow of this local does not follow.
        /// </summary>
        private static bool ValueGoesOn(IOperation assignment) =>
            Operations.ParentSkippingConversions(assignment, out _) is IAssignmentOperation or IReturnOperation or IArgumentOperation or
                IVariableInitializerOperation or IConditionalOperation or ICoalesceOperation;

    }
}
