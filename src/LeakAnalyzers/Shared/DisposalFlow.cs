namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>How a use of a tracked local affects the duty to release what it holds.</summary>
internal enum UseKind
{
    /// <summary>Read without consequence: a member call, a comparison, an argument that is only borrowed.</summary>
    None,

    /// <summary>Released here: disposed, closed, freed.</summary>
    Release,

    /// <summary>Handed over: returned, stored, given to an owner, or used in a way that lets it escape.</summary>
    HandOver,
}

/// <summary>
/// Decides, for one family of resources, what a use of a tracked local means. The disposables family and the
/// unmanaged-memory family plug their own policy into the same flow analysis.
/// </summary>
internal interface IReleasePolicy
{
    /// <summary>
    /// What <paramref name="reference"/> (a reference to the tracked local, or to a flow capture of it, looked
    /// through conversions) does to the duty, given the operation that consumes it. <paramref name="consumerReturned"/>
    /// says the consumer's value is what the method returns (<c>return local.GetStream();</c>), which the graph shows
    /// as a branch value without a parent.
    /// </summary>
    UseKind Classify(IOperation reference, IOperation? consumer, bool consumerReturned);

    /// <summary>
    /// The operation whose value is the same object as <paramref name="reference"/>'s, when its consumer passes
    /// it through (a fluent call returning its receiver, a call returning its argument): the use is then decided
    /// by what happens to that operation. Null when the consumer does not pass it through.
    /// </summary>
    IOperation? Carrier(IOperation reference, IOperation consumer, out bool keeps);

    /// <summary>
    /// For a bool member of the tracked value tested by a branch: the value the test has when the value holds
    /// nothing to release (its Dispose tests that member first). Null when the member says nothing of that.
    /// </summary>
    bool? ReleasesNothingWhen(IMemberReferenceOperation test);
}

/// <summary>
/// A path-sensitive "is it released on every path" analysis of one variable (a local, or a field or auto-property
/// of <c>this</c>) over the IOperation control-flow graph.
/// Tracks the creation sites that may still be owned and unreleased: a release clears them, a new creation or an
/// overwrite while still owned leaks them, reaching the exit leaks them. Exceptional paths are not followed:
/// paths that end in a throw, and (unless asked to follow catches) paths through a catch handler: reporting every
/// exceptional path is what makes CA2000 noisy. When asked, an explicit catch of a try is entered with what was
/// owned when a call on it (or borrowing it) in the try threw, so a catch that returns or continues without
/// disposing leaks it; a catch that rethrows does not. A finally region that releases the
/// local releases it on every branch that runs the finally. A branch on <c>local == null</c> clears the duty on
/// the null side; so does a branch on <c>local == IntPtr.Zero</c> (or <c>0</c>) and on <c>!handle.IsAllocated</c>,
/// for the unmanaged-memory family, on equality with a static instance of the value's own type (a sentinel,
/// <c>Device.Zero</c>), and on the member the value's Dispose tests first (<c>!entry.IsSet</c>).
/// For a field, the value it held before the method can be tracked too (<c>priorValueOwned</c>), and calls that
/// release the field indirectly (a <c>Stop()</c> of the same type that disposes it) clear the duty.
/// Every variable of a graph shares one <see cref="FlowIndex"/>; the walk starts at the blocks that create a value
/// and stops where nothing is owned any more, so a method's cost grows with what its variables touch.
/// Optionally, alias locals (for example <c>byte* bytes = (byte*)pointer;</c>) stand for the local: their uses are
/// classified as uses of the local, and copying the local into one of them is not a hand-over.
/// </summary>
internal sealed class DisposalFlow
{
    private const int PriorValue = 63;

    private readonly FlowIndex index;
    private readonly ISymbol slot;
    private readonly IReleasePolicy policy;
    private readonly Func<IOperation, bool> isCreation;
    private readonly ImmutableHashSet<ILocalSymbol> aliasLocals;
    private readonly ImmutableHashSet<ILocalSymbol> keepingAliasLocals;

    /// <summary>Members that stand for the tracked member: properties that only wrap its field.</summary>
    private ImmutableHashSet<ISymbol> slotAliases = ImmutableHashSet<ISymbol>.Empty;
    private readonly Func<IInvocationOperation, bool>? releasesByCall;
    private readonly HashSet<CaptureId> aliases = new();
    private readonly HashSet<int> relevantBlocks = new();
    private readonly Dictionary<int, List<int>> nodesOfBlock = new();
    private readonly List<IOperation> creations = new();
    private readonly List<int> creationBlocks = new();
    private bool followCatches;
    private ulong usedWhileOwned;
    private readonly Dictionary<ControlFlowRegion, bool> finallyReleases = new();
    private readonly HashSet<int> leakedByOverwrite = new();
    private readonly Dictionary<IOperation, ulong> overwrites = new();
    private int assignments;

    private DisposalFlow(
        FlowIndex index,
        ISymbol slot,
        IReleasePolicy policy,
        Func<IOperation, bool> isCreation,
        ImmutableHashSet<ILocalSymbol>? aliasLocals,
        Func<IInvocationOperation, bool>? releasesByCall,
        ImmutableHashSet<ILocalSymbol>? keepingAliasLocals = null)
    {
        this.index = index;
        this.slot = slot;
        this.policy = policy;
        this.isCreation = isCreation;
        this.keepingAliasLocals = keepingAliasLocals ?? ImmutableHashSet<ILocalSymbol>.Empty;
        this.aliasLocals = (aliasLocals ?? ImmutableHashSet<ILocalSymbol>.Empty).Union(this.keepingAliasLocals);
        this.releasesByCall = releasesByCall;
    }

    /// <summary>Whether some path releases the variable.</summary>
    internal bool AnyRelease { get; private set; }

    /// <summary>Whether some path hands the variable over (returns, stores, gives it away).</summary>
    internal bool AnyHandOver { get; private set; }

    /// <summary>Whether the variable is assigned more than once.</summary>
    internal bool Reassigned => assignments > 1;

    /// <summary>The creation assignments whose resource can be lost, in graph order.</summary>
    internal ImmutableArray<IOperation> Leaks { get; private set; } = ImmutableArray<IOperation>.Empty;

    /// <summary>
    /// Assignments written by the user (<c>x = new X();</c>, not a declaration re-run by a loop) that overwrite the
    /// variable while it may still own an undisposed resource, with the creations whose resource they lose (empty
    /// when what is lost is the value the field held before the method).
    /// </summary>
    internal ImmutableArray<(IOperation Assignment, ImmutableArray<IOperation> Lost)> Overwrites { get; private set; } =
        ImmutableArray<(IOperation, ImmutableArray<IOperation>)>.Empty;

    /// <summary>
    /// Runs the analysis of a local. <paramref name="isCreation"/> says whether an assignment operation of the graph
    /// (an <see cref="ISimpleAssignmentOperation"/> to the local, or an out or ref argument naming it) gives it a new
    /// owned resource, or whether a reference to the local makes the object it holds owned (the first fill of a
    /// container made empty).
    /// <paramref name="aliasLocals"/> (none by default) are other locals that only ever receive the local's value.
    /// </summary>
    internal static DisposalFlow Analyze(
        ControlFlowGraph graph,
        ILocalSymbol local,
        IReleasePolicy policy,
        Func<IOperation, bool> isCreation,
        ImmutableHashSet<ILocalSymbol>? aliasLocals = null) =>
        Analyze(new FlowIndex(graph), local, policy, isCreation, aliasLocals);

    /// <summary>Runs the analysis of a local over a graph index shared with the method's other locals.</summary>
    internal static DisposalFlow Analyze(
        FlowIndex index,
        ILocalSymbol local,
        IReleasePolicy policy,
        Func<IOperation, bool> isCreation,
        ImmutableHashSet<ILocalSymbol>? aliasLocals = null,
        ImmutableHashSet<ILocalSymbol>? keepingAliasLocals = null,
        bool followCatches = false)
    {
        var flow = new DisposalFlow(index, local, policy, isCreation, aliasLocals, releasesByCall: null, keepingAliasLocals) { followCatches = followCatches };
        flow.Leaks = flow.Run(priorValueOwned: false);
        flow.Overwrites = flow.CollectOverwrites();
        return flow;
    }

    /// <summary>
    /// Runs the analysis of a field or auto-property of <c>this</c> (or a static one) in one method.
    /// <paramref name="priorValueOwned"/>: the value it holds when the method starts is owned and undisposed.
    /// <paramref name="releasesByCall"/>: calls that release it indirectly.
    /// </summary>
    internal static DisposalFlow AnalyzeMember(
        FlowIndex index,
        ISymbol member,
        IReleasePolicy policy,
        Func<IOperation, bool> isCreation,
        bool priorValueOwned,
        Func<IInvocationOperation, bool>? releasesByCall,
        ImmutableHashSet<ISymbol>? slotAliases = null)
    {
        // A catch entered while the member holds its value, that empties it without a release (`catch { _socket = null;
        // throw; }` after a failed Connect), overwrites it: the same explicit exception paths as for locals.
        var flow = new DisposalFlow(index, member, policy, isCreation, aliasLocals: null, releasesByCall)
        {
            slotAliases = slotAliases ?? ImmutableHashSet<ISymbol>.Empty,
            followCatches = true,
        };
        flow.Leaks = flow.Run(priorValueOwned);
        flow.Overwrites = flow.CollectOverwrites();
        return flow;
    }

    private ImmutableArray<IOperation> Run(bool priorValueOwned)
    {
        CollectAliasesAndCreations();
        if ((creations.Count == 0 && !priorValueOwned) || creations.Count >= PriorValue)
        {
            return ImmutableArray<IOperation>.Empty;
        }

        var leaks = Walk(priorValueOwned, pins: null);
        if ((leaks.Length == 0 && overwrites.Count == 0) || CorrelatedConditions() is not { Count: > 0 } conditions)
        {
            return leaks;
        }

        // The same stable condition tested twice (`if (compress) s = new GZipStream(..); ... if (compress) s.Dispose();`):
        // every run of the method takes both tests the same way. Walk once per combination of their values and keep
        // what some combination loses; a leak seen only on a path that mixes them cannot happen.
        var feasible = new HashSet<IOperation>();
        var lostByOverwrite = new HashSet<int>();
        var overwritten = new Dictionary<IOperation, ulong>();
        for (var combination = 0; combination < 1 << conditions.Count; combination++)
        {
            leakedByOverwrite.Clear();
            overwrites.Clear();
            var pins = new Dictionary<ConditionKey, bool>();
            for (var i = 0; i < conditions.Count; i++)
            {
                pins[conditions[i]] = (combination & (1 << i)) != 0;
            }

            feasible.UnionWith(Walk(priorValueOwned, pins));
            lostByOverwrite.UnionWith(leakedByOverwrite);
            foreach (var pair in overwrites)
            {
                overwritten[pair.Key] = (overwritten.TryGetValue(pair.Key, out var lost) ? lost : 0) | pair.Value;
            }
        }

        leakedByOverwrite.Clear();
        leakedByOverwrite.UnionWith(lostByOverwrite);
        overwrites.Clear();
        foreach (var pair in overwritten)
        {
            overwrites[pair.Key] = pair.Value;
        }

        return leaks.Where(feasible.Contains).ToImmutableArray();
    }

    /// <summary>
    /// What a branch tests, when it is a stable fact of the method: a <c>bool</c> parameter, local or field of
    /// <c>this</c> that the method never writes after its declaration, whether such a parameter or local is null, or
    /// whether such a variable (of any type) equals a constant (<c>_mode == Mode.Active</c>). Two tests of one
    /// variable against different constants are separate keys: pinning both true is a combination that cannot happen,
    /// which only adds paths.
    /// </summary>
    private readonly struct ConditionKey : IEquatable<ConditionKey>
    {
        internal ConditionKey(ISymbol symbol, bool isNullTest, Optional<object?> constant = default)
        {
            Symbol = symbol;
            IsNullTest = isNullTest;
            Constant = constant;
        }

        internal ISymbol Symbol { get; }

        internal bool IsNullTest { get; }

        /// <summary>The constant the variable is compared with, for an equality test.</summary>
        internal Optional<object?> Constant { get; }

        public bool Equals(ConditionKey other) =>
            IsNullTest == other.IsNullTest && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol) &&
            Constant.HasValue == other.Constant.HasValue && Equals(Constant.Value, other.Constant.Value);

        public override bool Equals(object? obj) => obj is ConditionKey other && Equals(other);

        public override int GetHashCode() => (SymbolEqualityComparer.Default.GetHashCode(Symbol) * 2) + (IsNullTest ? 1 : 0);
    }

    /// <summary>
    /// The stable conditions that at least two branches of the graph test (at most three, the most tested first).
    /// Null when there are none.
    /// </summary>
    private List<ConditionKey>? CorrelatedConditions()
    {
        Dictionary<ConditionKey, int>? counts = null;
        foreach (var block in index.Graph.Blocks)
        {
            if (block.ConditionalSuccessor is not null && block.BranchValue is { } value && TestOf(value, out _) is { } key)
            {
                counts ??= new Dictionary<ConditionKey, int>();
                counts[key] = counts.TryGetValue(key, out var count) ? count + 1 : 1;
            }
        }

        if (counts is null)
        {
            return null;
        }

        var tested = counts.Where(pair => pair.Value >= 2 && !SymbolEqualityComparer.Default.Equals(pair.Key.Symbol, slot)).ToList();
        if (tested.Count == 0)
        {
            return null;
        }

        var written = WrittenSymbols(out var writtenByNestedFunctions);
        return tested
            .Where(pair => !written.Contains(pair.Key.Symbol) && !writtenByNestedFunctions.Contains(pair.Key.Symbol.Name) &&
                           (pair.Key.Symbol is not IFieldSymbol field || StableFields.StableDuring(field, index.Graph.OriginalOperation.Syntax)))
            .OrderByDescending(pair => pair.Value)
            .Take(3)
            .Select(pair => pair.Key)
            .ToList();
    }

    /// <summary>
    /// The stable condition <paramref name="branchValue"/> tests, and the value of that condition (the bool's value,
    /// or "is null") when the branch value is true.
    /// </summary>
    private static ConditionKey? TestOf(IOperation branchValue, out bool factWhenTrue)
    {
        var value = Operations.SkipConversions(branchValue);
        factWhenTrue = true;
        while (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            factWhenTrue = !factWhenTrue;
            value = Operations.SkipConversions(not.Operand);
        }

        switch (value)
        {
            case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Boolean } parameter }:
                return new ConditionKey(parameter, isNullTest: false);
            case ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Boolean } local }:
                return new ConditionKey(local, isNullTest: false);
            case IFieldReferenceOperation { Field: { Type.SpecialType: SpecialType.System_Boolean } field } when StableField(value) is not null:
                return new ConditionKey(field, isNullTest: false);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when (NullTested(binary.LeftOperand, binary.RightOperand) ?? NullTested(binary.RightOperand, binary.LeftOperand)) is { } tested:
                factWhenTrue ^= binary.OperatorKind == BinaryOperatorKind.NotEquals;
                return new ConditionKey(tested, isNullTest: true);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                when (ComparedWithConstant(binary.LeftOperand, binary.RightOperand) ?? ComparedWithConstant(binary.RightOperand, binary.LeftOperand)) is var (compared, constant):
                factWhenTrue ^= binary.OperatorKind == BinaryOperatorKind.NotEquals;
                return new ConditionKey(compared, isNullTest: false, new Optional<object?>(constant));
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: not null } } constant } pattern
                when StableScalar(pattern.Value) is { } compared:
                return new ConditionKey(compared, isNullTest: false, new Optional<object?>(constant.Value.ConstantValue.Value));
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern
                when Operations.IsNullOrZero(constant.Value) && StableVariable(pattern.Value) is { } tested:
                return new ConditionKey(tested, isNullTest: true);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern
                when Operations.IsNullOrZero(constant.Value) && StableVariable(pattern.Value) is { } tested:
                factWhenTrue = !factWhenTrue;
                return new ConditionKey(tested, isNullTest: true);
            default:
                return null;
        }

        static ISymbol? NullTested(IOperation candidate, IOperation other) =>
            Operations.IsNullOrZero(other) && Operations.SkipConversions(other) is ILiteralOperation or IDefaultValueOperation ? StableVariable(candidate) : null;

        // `_mode == Mode.Active`: a variable, of any type, and a constant that is not null.
        static (ISymbol, object)? ComparedWithConstant(IOperation candidate, IOperation other) =>
            other.ConstantValue is { HasValue: true, Value: { } constant } && !candidate.ConstantValue.HasValue && StableScalar(candidate) is { } compared
                ? (compared, constant)
                : null;

        static ISymbol? StableScalar(IOperation operation) =>
            Operations.SkipConversions(operation) switch
            {
                IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
                ILocalReferenceOperation { Local.RefKind: RefKind.None } local => local.Local,
                { } other => StableField(other),
                _ => null,
            };

        // A readonly field, or a private field of `this` whose stability CorrelatedConditions checks.
        static IFieldSymbol? StableField(IOperation operation) =>
            operation is IFieldReferenceOperation { Field: var field, Instance: var instance } &&
            (field.IsReadOnly ? instance is null or IInstanceReferenceOperation : instance is IInstanceReferenceOperation && field.DeclaredAccessibility == Accessibility.Private)
                ? field
                : null;

        static ISymbol? StableVariable(IOperation operation) =>
            Operations.SkipConversions(operation) switch
            {
                IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type.IsReferenceType: true } parameter } => parameter,
                ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type.IsReferenceType: true } local } => local,
                _ => null,
            };
    }

    /// <summary>
    /// Parameters, locals and fields the graph writes after they start: assigned (beyond a local's one declaration),
    /// incremented or passed by reference. Lambdas and local functions are not in the graph: every name they assign
    /// goes in <paramref name="writtenByNestedFunctions"/>, so a flag a callback sets is never taken for stable.
    /// </summary>
    private HashSet<ISymbol> WrittenSymbols(out HashSet<string> writtenByNestedFunctions)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var declared = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in index.Graph.Blocks)
        {
            var roots = block.BranchValue is { } branch ? block.Operations.Add(branch) : block.Operations;
            foreach (var root in roots)
            {
                foreach (var operation in PostOrder(root))
                {
                    switch (operation)
                    {
                        case IFlowAnonymousFunctionOperation function:
                            AddNamesAssignedIn(function.Syntax, names);
                            break;
                        case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } }:
                            // The first write is the local's start; any later one changes it.
                            if (!declared.Add(local))
                            {
                                written.Add(local);
                            }

                            break;
                        case IAssignmentOperation assignment when WrittenSymbol(assignment.Target) is { } target:
                            written.Add(target);
                            break;
                        case IIncrementOrDecrementOperation increment when WrittenSymbol(increment.Target) is { } target:
                            written.Add(target);
                            break;
                        case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when WrittenSymbol(argument.Value) is { } target:
                            written.Add(target);
                            break;
                    }
                }
            }
        }

        foreach (var localFunction in index.Graph.LocalFunctions)
        {
            foreach (var reference in localFunction.DeclaringSyntaxReferences)
            {
                AddNamesAssignedIn(reference.GetSyntax(), names);
            }
        }

        writtenByNestedFunctions = names;
        return written;

        static ISymbol? WrittenSymbol(IOperation operation) =>
            Operations.SkipConversions(operation) switch
            {
                IParameterReferenceOperation parameter => parameter.Parameter,
                var other => Operations.ReferencedStorage(other),
            };

        static void AddNamesAssignedIn(SyntaxNode function, HashSet<string> names)
        {
            foreach (var node in function.DescendantNodes())
            {
                var target = node switch
                {
                    AssignmentExpressionSyntax assignment => assignment.Left,
                    PrefixUnaryExpressionSyntax prefix => prefix.Operand,
                    PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                    ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument => argument.Expression,
                    _ => null,
                };
                switch (target)
                {
                    case IdentifierNameSyntax identifier:
                        names.Add(identifier.Identifier.ValueText);
                        break;
                    case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member:
                        names.Add(member.Name.Identifier.ValueText);
                        break;
                }
            }
        }
    }

    /// <summary>Whether the block is in a catch, filter or finally region: entered by exceptions, not by the branches pins cut.</summary>
    private static bool InHandler(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The blocks a normal path from the entry reaches when every pinned condition has its pinned value.</summary>
    private HashSet<int> ReachableUnder(Dictionary<ConditionKey, bool> pins)
    {
        var blocks = index.Graph.Blocks;
        var reached = new HashSet<int> { 0 };
        var pending = new Stack<int>();
        pending.Push(0);
        while (pending.Count > 0)
        {
            var block = blocks[pending.Pop()];
            bool? branchValueIsTrue = null;
            if (block.ConditionalSuccessor is not null && block.BranchValue is { } tested && TestOf(tested, out var factWhenTrue) is { } key && pins.TryGetValue(key, out var fact))
            {
                branchValueIsTrue = fact == factWhenTrue;
            }

            var conditionalTaken = branchValueIsTrue is not { } value || (block.ConditionKind == ControlFlowConditionKind.WhenTrue) == value;
            if (conditionalTaken && block.ConditionalSuccessor?.Destination is { } jump && reached.Add(jump.Ordinal))
            {
                pending.Push(jump.Ordinal);
            }

            var fallThroughTaken = branchValueIsTrue is null || !conditionalTaken;
            if (fallThroughTaken && block.FallThroughSuccessor?.Destination is { } next && reached.Add(next.Ordinal))
            {
                pending.Push(next.Ordinal);
            }
        }

        return reached;
    }

    private ImmutableArray<IOperation> Walk(bool priorValueOwned, Dictionary<ConditionKey, bool>? pins)
    {
        var graph = index.Graph;
        var blocks = graph.Blocks;
        // Sparse: a variable's walk touches the blocks between its creations and its releases, and a method with
        // thousands of variables and blocks must not pay blocks x variables for arrays.
        var entry = new Dictionary<int, ulong>();
        var work = new Queue<int>();

        // Nothing is owned before the first creation: start where values are created (and, for a field whose
        // prior value is owned, at the entry), and follow only while something is owned.
        if (priorValueOwned)
        {
            Propagate(0, 1UL << PriorValue);
        }

        // With pinned conditions, a creation counts only where a path that agrees with the pins reaches it.
        var reachable = pins is null ? null : ReachableUnder(pins);
        for (var creation = 0; creation < creations.Count; creation++)
        {
            var ordinal = BlockOf(creation);
            if (ordinal >= 0 && !entry.ContainsKey(ordinal) && (reachable is null || reachable.Contains(ordinal) || InHandler(blocks[ordinal])))
            {
                entry[ordinal] = 0;
                work.Enqueue(ordinal);
            }
        }

        var iterations = 0;
        var maxIterations = blocks.Length * 64;
        ulong atExit = 0;

        while (work.Count > 0)
        {
            if (++iterations > maxIterations)
            {
                return ImmutableArray<IOperation>.Empty;
            }

            var ordinal = work.Dequeue();
            var block = blocks[ordinal];
            if (block.Kind == BasicBlockKind.Exit)
            {
                atExit |= entry[ordinal];
                continue;
            }

            if (IsInFinally(block))
            {
                continue;
            }

            var state = entry[ordinal];
            bool? nullWhen = null;
            usedWhileOwned = 0;
            if (relevantBlocks.Contains(ordinal))
            {
                state = Transfer(ordinal, state, block.FallThroughSuccessor?.Semantics);
                if (block.BranchValue is { } branchValue)
                {
                    nullWhen = NullWhen(branchValue);
                }
            }

            bool? pinnedWhenTrue = null;
            if (pins is not null && block.BranchValue is { } tested && TestOf(tested, out var factWhenTrue) is { } key && pins.TryGetValue(key, out var fact))
            {
                // The branch value is true exactly when the pinned fact has the value it has when true.
                pinnedWhenTrue = fact == factWhenTrue;
            }

            if (followCatches && usedWhileOwned != 0 && CatchesAround(block, out var finallies) is { } handlers &&
                !finallies.Any(ReleasesIn))
            {
                // A call on the value (or that borrows it) can fail while the value is owned: the catch is entered
                // with it (ssl.AuthenticateAsClientAsync() throwing into a catch that returns false). Other
                // statements of the try (a lock, a log line) are not taken to throw.
                foreach (var handler in handlers)
                {
                    Propagate(handler.FirstBlockOrdinal, usedWhileOwned);
                }
            }

            if (block.ConditionalSuccessor is { } conditional)
            {
                var taken = state;
                var notTaken = state;
                if (nullWhen is { } nullWhenTrue)
                {
                    var conditionValueWhenTaken = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    if (conditionValueWhenTaken == nullWhenTrue)
                    {
                        taken = 0;
                    }
                    else
                    {
                        notTaken = 0;
                    }
                }
                else if (state != 0 && HandsOverUnlessReceiverIsNull(block, conditional) is { } receiverNullWhenTaken)
                {
                    // `owner?.Add(view)`: the value is handed over unless the receiver is null. The code means the
                    // hand-over; a null receiver is another bug, not this value's leak.
                    if (receiverNullWhenTaken)
                    {
                        taken = 0;
                    }
                    else
                    {
                        notTaken = 0;
                    }
                }

                // `do { ... } while (false)`: a constant condition takes one side only; the loop runs once.
                pinnedWhenTrue ??= block.BranchValue?.ConstantValue is { HasValue: true, Value: bool constant } ? constant : null;
                if (pinnedWhenTrue is { } branchValueIsTrue)
                {
                    // Only the side the pinned condition takes exists in this walk.
                    if ((block.ConditionKind == ControlFlowConditionKind.WhenTrue) == branchValueIsTrue)
                    {
                        notTaken = 0;
                    }
                    else
                    {
                        taken = 0;
                    }
                }

                Follow(conditional, taken);
                if (block.FallThroughSuccessor is { } fallThrough)
                {
                    Follow(fallThrough, notTaken);
                }
            }
            else if (block.FallThroughSuccessor is { } fallThrough)
            {
                Follow(fallThrough, state);
            }
        }

        var leaks = ImmutableArray.CreateBuilder<IOperation>();
        for (var i = 0; i < creations.Count; i++)
        {
            if ((atExit & (1UL << i)) != 0 || leakedByOverwrite.Contains(i))
            {
                leaks.Add(creations[i]);
            }
        }

        return leaks.ToImmutable();

        void Follow(ControlFlowBranch branch, ulong state)
        {
            if (branch.Destination is null)
            {
                // `throw;` in a catch entered with the value owned: the exception goes on to the catches around that
                // try (a handshake's catch that logs and rethrows, then an outer catch that returns false).
                if (followCatches && state != 0 && branch.Semantics == ControlFlowBranchSemantics.Rethrow &&
                    CatchesAroundHandler(branch.Source, out var outerFinallies) is { } outer && !outerFinallies.Any(ReleasesIn))
                {
                    foreach (var handler in outer)
                    {
                        Propagate(handler.FirstBlockOrdinal, state);
                    }
                }

                return; // throw, rethrow, end of a finally or a filter: not a normal path.
            }

            foreach (var region in branch.FinallyRegions)
            {
                if (state != 0 && ReleasesIn(region))
                {
                    state = 0;
                }
            }

            Propagate(branch.Destination.Ordinal, state);
        }

        void Propagate(int ordinal, ulong state)
        {
            var reached = entry.TryGetValue(ordinal, out var known);
            var merged = known | state;
            if (merged != known || (!reached && state != 0))
            {
                entry[ordinal] = merged;
                work.Enqueue(ordinal);
            }
        }
    }

    /// <summary>
    /// For the null test of a conditional access (<c>receiver?.Call(value)</c>) whose not-null part hands the variable
    /// over: whether the receiver is null on the conditional branch (true) or on the fall-through (false). Null for
    /// any other block.
    /// </summary>
    private bool? HandsOverUnlessReceiverIsNull(BasicBlock block, ControlFlowBranch conditional)
    {
        if (block.BranchValue is not IIsNullOperation { IsImplicit: true } isNull ||
            isNull.Syntax.Parent is not ConditionalAccessExpressionSyntax access ||
            access.Expression != isNull.Syntax ||
            block.FallThroughSuccessor?.Destination is not { } fallThrough ||
            conditional.Destination is not { } jump)
        {
            return null;
        }

        var nullWhenTaken = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        var notNull = nullWhenTaken ? fallThrough : jump;
        if (!relevantBlocks.Contains(notNull.Ordinal))
        {
            return null;
        }

        foreach (var node in NodesIn(notNull.Ordinal))
        {
            if (RefersToSlot(node.Operation) && !IsAssignmentTarget(node.Operation) &&
                access.WhenNotNull.Span.Contains(node.Operation.Syntax.Span) &&
                UseOf(node.Operation, node.Root, node.InBranchValue ? notNull.FallThroughSuccessor?.Semantics : null) == UseKind.HandOver)
            {
                return nullWhenTaken;
            }
        }

        return null;
    }

    /// <summary>For a block of a catch handler: the catches of the try statements around that try-catch (see <see cref="CatchesAround(BasicBlock, out List{ControlFlowRegion})"/>).</summary>
    private static IEnumerable<ControlFlowRegion>? CatchesAroundHandler(BasicBlock block, out List<ControlFlowRegion> finallies)
    {
        finallies = new List<ControlFlowRegion>();
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Catch && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
            {
                return CatchesAround(tryAndCatch.EnclosingRegion, finallies);
            }

            if (region.Kind is ControlFlowRegionKind.Try or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler or ControlFlowRegionKind.Finally)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The catch (and filter) regions of the innermost try/catch whose try part holds <paramref name="block"/>.</summary>
    /// <remarks>
    /// <paramref name="finallies"/>: the finally regions of inner try/finally statements the exception leaves on
    /// its way to the catch (<c>try { try { ... } finally { view.Dispose(); } } catch { return null; }</c>): they
    /// run before the catch does.
    /// </remarks>
    private static IEnumerable<ControlFlowRegion>? CatchesAround(BasicBlock block, out List<ControlFlowRegion> finallies)
    {
        finallies = new List<ControlFlowRegion>();
        return CatchesAround(block.EnclosingRegion, finallies);
    }

    private static IEnumerable<ControlFlowRegion>? CatchesAround(ControlFlowRegion? start, List<ControlFlowRegion> finallies)
    {
        for (var region = start; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
            {
                return tryAndCatch.NestedRegions.Where(r => r.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler);
            }

            if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndFinally } tryAndFinally &&
                tryAndFinally.NestedRegions.FirstOrDefault(r => r.Kind == ControlFlowRegionKind.Finally) is { } @finally)
            {
                finallies.Add(@finally);
                continue;
            }

            if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler or ControlFlowRegionKind.Finally)
            {
                return null;
            }
        }

        return null;
    }

    private ulong Transfer(int ordinal, ulong state, ControlFlowBranchSemantics? fallThroughSemantics)
    {
        foreach (var node in NodesIn(ordinal))
        {
            var operation = node.Operation;
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when IsSlot(assignment.Target):
                    var creation = creations.IndexOf(assignment);
                    if (state != 0)
                    {
                        // A declaration that a loop runs again starts a new variable: what the previous iteration
                        // left is a leak of that variable. An assignment the user wrote overwrites a live value.
                        if (assignment.IsImplicit)
                        {
                            MarkLeaked(state);
                        }
                        else
                        {
                            overwrites[assignment] = (overwrites.TryGetValue(assignment, out var lost) ? lost : 0) | state;
                        }
                    }

                    state = creation >= 0 ? 1UL << creation : 0;
                    break;
                case IInvocationOperation invocation when releasesByCall is not null && state != 0 && releasesByCall(invocation):
                    AnyRelease = true;
                    state = 0;
                    break;
                case IFlowCaptureReferenceOperation captureReference when aliases.Contains(captureReference.Id):
                    if (UseOf(operation, node.Root, node.InBranchValue ? fallThroughSemantics : null) != UseKind.None)
                    {
                        state = 0;
                    }

                    break;
                case ILocalReferenceOperation when creations.Count > 0 && creations.IndexOf(operation) is var filled and >= 0:
                    // The same object, now owning something: whatever was owned stays owned.
                    state |= 1UL << filled;
                    break;
                default:
                    if (ByReferenceArgument(operation) is { } argument && creations.IndexOf(argument) is var written and >= 0)
                    {
                        // Written by the call: like an assignment, it loses what the variable still owned, unless
                        // the call hands the old value back (Interlocked.Exchange whose result is used) or releases it
                        // first (a source method that disposes its ref parameter before writing it).
                        if (state != 0 && !KnownApis.ReturnsOldValue(argument) && policy.Classify(operation, argument, consumerReturned: false) != UseKind.Release)
                        {
                            if (operation is ILocalReferenceOperation { IsDeclaration: true })
                            {
                                MarkLeaked(state);
                            }
                            else
                            {
                                overwrites[argument] = (overwrites.TryGetValue(argument, out var lostByCall) ? lostByCall : 0) | state;
                            }
                        }

                        state = 1UL << written;
                        break;
                    }

                    if (RefersToSlot(operation) && !IsAssignmentTarget(operation))
                    {
                        if (UseOf(operation, node.Root, node.InBranchValue ? fallThroughSemantics : null) != UseKind.None)
                        {
                            state = 0;
                        }
                        else if (operation.Parent is IInvocationOperation or IArgumentOperation)
                        {
                            // A call on it or given it may throw into a catch. Reading a property is not taken to
                            // (getters should not throw: `cts.Token`, `client.Connected`), and neither is setting one:
                            // `handler.Proxy = proxy;` after `new` is what an object initializer does, and a setter
                            // that throws inside an initializer is not reported either.
                            usedWhileOwned |= state;
                        }
                    }

                    break;
            }
        }

        return state;
    }

    /// <summary>The out or ref argument <paramref name="operation"/> is, when it is a reference to the variable itself.</summary>
    private IArgumentOperation? ByReferenceArgument(IOperation operation)
    {
        var parent = operation.Parent is IDeclarationExpressionOperation declaration ? declaration.Parent : operation.Parent;
        return parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument &&
               (operation is ILocalReferenceOperation local ? IsTracked(local.Local) : IsSlot(operation))
            ? argument
            : null;
    }

    /// <summary>
    /// <c>if (TryOpen(p, out s))</c>: a bool call that writes the variable through an out argument. By the Try
    /// pattern's contract the variable holds nothing on the false branch.
    /// </summary>
    private bool WritesThroughTryCall(IOperation value) =>
        value is IInvocationOperation { TargetMethod.ReturnType.SpecialType: SpecialType.System_Boolean } call &&
        call.Arguments.Any(argument => argument.Parameter?.RefKind == RefKind.Out && creations.Contains(argument));

    private UseKind UseOf(IOperation reference, IOperation root, ControlFlowBranchSemantics? branchSemantics)
    {
        var current = reference;
        var kept = reference is ILocalReferenceOperation local && keepingAliasLocals.Contains(local.Local);
        UseKind use;
        while (true)
        {
            var consumer = Operations.ParentSkippingConversions(current, out var outer);
            if (consumer is not null && !ReferenceEquals(current, root) && policy.Carrier(outer, consumer, out var keeps) is { } carrier && !ReferenceEquals(carrier, current))
            {
                current = carrier;
                kept |= keeps;
                continue;
            }

            var carried = !ReferenceEquals(current, reference);
            use = consumer switch
            {
                // The reference is the block's branch value itself: `return local;` in the graph.
                null => ReferenceEquals(outer, root) && branchSemantics == ControlFlowBranchSemantics.Return ? UseKind.HandOver : UseKind.None,

                // An alias: its uses are classified where they happen. A value passed through a call and captured
                // is not followed: it may go anywhere.
                IFlowCaptureOperation => carried ? UseKind.HandOver : UseKind.None,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when ReferenceEquals(assignment.Value, outer) && aliasLocals.Contains(target.Local) => UseKind.None,
                _ => policy.Classify(
                    outer,
                    consumer,
                    consumerReturned: branchSemantics == ControlFlowBranchSemantics.Return && Operations.ParentSkippingConversions(consumer, out var consumerOuter) is null && ReferenceEquals(consumerOuter, root)),
            };
            break;
        }

        // Disposing something that only keeps the value does not dispose the value.
        if (kept && use == UseKind.Release)
        {
            use = UseKind.None;
        }

        AnyRelease |= use == UseKind.Release;
        AnyHandOver |= use == UseKind.HandOver;
        return use;
    }

    private ImmutableArray<(IOperation, ImmutableArray<IOperation>)> CollectOverwrites()
    {
        if (overwrites.Count == 0)
        {
            return ImmutableArray<(IOperation, ImmutableArray<IOperation>)>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<(IOperation, ImmutableArray<IOperation>)>();
        foreach (var pair in overwrites)
        {
            var lost = ImmutableArray.CreateBuilder<IOperation>();
            for (var i = 0; i < creations.Count; i++)
            {
                if ((pair.Value & (1UL << i)) != 0)
                {
                    lost.Add(creations[i]);
                }
            }

            result.Add((pair.Key, lost.ToImmutable()));
        }

        return result.ToImmutable();
    }

    private void MarkLeaked(ulong state)
    {
        for (var i = 0; i < creations.Count; i++)
        {
            if ((state & (1UL << i)) != 0)
            {
                leakedByOverwrite.Add(i);
            }
        }
    }

    /// <summary>Finds the variable's captures (transitively), the nodes and blocks that matter to it, and its creations.</summary>
    private void CollectAliasesAndCreations()
    {
        var pending = new Stack<IFlowCaptureOperation>();
        foreach (var capture in index.CapturesOf(slot))
        {
            pending.Push(capture);
        }

        foreach (var alias in aliasLocals)
        {
            foreach (var capture in index.CapturesOf(alias))
            {
                pending.Push(capture);
            }
        }

        while (pending.Count > 0)
        {
            var capture = pending.Pop();
            if (!aliases.Add(capture.Id))
            {
                continue;
            }

            foreach (var chained in index.CapturesOf(capture.Id))
            {
                pending.Push(chained);
            }
        }

        if (releasesByCall is not null)
        {
            // Indirect releases can happen in any block: every node is looked at (calls are cheap to test, and only
            // looked at while owned). Members are few per method; locals, which can be thousands, take the path below.
            for (var ordinal = 0; ordinal < index.Nodes.Length; ordinal++)
            {
                relevantBlocks.Add(ordinal);
                var all = new List<int>(index.Nodes[ordinal].Count);
                for (var i = 0; i < index.Nodes[ordinal].Count; i++)
                {
                    all.Add(i);
                }

                nodesOfBlock[ordinal] = all;
            }
        }
        else
        {
            AddNodes(index.NodesNaming(slot));
            foreach (var alias in aliasLocals)
            {
                AddNodes(index.NodesNaming(alias));
            }

            foreach (var capture in aliases)
            {
                AddNodes(index.NodesNaming(capture));
            }

            foreach (var list in nodesOfBlock.Values)
            {
                list.Sort();
            }
        }

        foreach (var ordinal in relevantBlocks)
        {
            var block = index.Graph.Blocks[ordinal];
            foreach (var node in NodesIn(ordinal))
            {
                if (node.Operation is ISimpleAssignmentOperation assignment && IsSlot(assignment.Target))
                {
                    assignments++;
                    if (isCreation(assignment) && !IsInFinally(block))
                    {
                        creations.Add(assignment);
                        creationBlocks.Add(ordinal);
                    }
                }
                else if (ByReferenceArgument(node.Operation) is { } argument)
                {
                    // M(out s), M(ref s): the call writes the variable; a call known to write a new owned value creates.
                    assignments++;
                    if (isCreation(argument) && !IsInFinally(block))
                    {
                        creations.Add(argument);
                        creationBlocks.Add(ordinal);
                    }
                }
                else if (node.Operation is ILocalReferenceOperation && !IsAssignmentTarget(node.Operation) && isCreation(node.Operation) && !IsInFinally(block))
                {
                    // A use that makes the value owned: the first fill of a container made empty (d.Add(x)).
                    creations.Add(node.Operation);
                    creationBlocks.Add(ordinal);
                }
            }
        }

        // Graph order, so that reports come out in source order whatever the set's order was.
        var order = new List<int>(creations.Count);
        for (var i = 0; i < creations.Count; i++)
        {
            order.Add(i);
        }

        order.Sort((a, b) => creations[a].Syntax.SpanStart.CompareTo(creations[b].Syntax.SpanStart));
        var sortedCreations = new List<IOperation>(creations.Count);
        var sortedBlocks = new List<int>(creations.Count);
        foreach (var i in order)
        {
            sortedCreations.Add(creations[i]);
            sortedBlocks.Add(creationBlocks[i]);
        }

        creations.Clear();
        creations.AddRange(sortedCreations);
        creationBlocks.Clear();
        creationBlocks.AddRange(sortedBlocks);


        void AddNodes(IReadOnlyList<FlowIndex.NodeAt> nodes)
        {
            foreach (var at in nodes)
            {
                relevantBlocks.Add(at.Block);
                if (!nodesOfBlock.TryGetValue(at.Block, out var list))
                {
                    nodesOfBlock[at.Block] = list = new List<int>();
                }

                list.Add(at.Index);
            }
        }
    }

    /// <summary>The nodes of a block that matter to the variable, in evaluation order.</summary>
    private IEnumerable<FlowIndex.Node> NodesIn(int ordinal)
    {
        if (!nodesOfBlock.TryGetValue(ordinal, out var indices))
        {
            yield break;
        }

        var nodes = index.Nodes[ordinal];
        var previous = -1;
        foreach (var i in indices)
        {
            if (i != previous)
            {
                yield return nodes[i];
            }

            previous = i;
        }
    }

    private int BlockOf(int creation) => creationBlocks[creation];

    private bool RefersToSlot(IOperation? operation) =>
        operation is IFlowCaptureReferenceOperation captureReference
            ? aliases.Contains(captureReference.Id)
            : operation is ILocalReferenceOperation local ? IsTracked(local.Local) : IsSlot(operation);

    private bool IsTracked(ILocalSymbol candidate) =>
        SymbolEqualityComparer.Default.Equals(candidate, slot) || (aliasLocals.Count > 0 && aliasLocals.Contains(candidate));

    /// <summary>A reference to the tracked variable itself: the local, or the field or property of this (or static).</summary>
    private bool IsSlot(IOperation? target) =>
        (SymbolEqualityComparer.Default.Equals(Operations.ReferencedStorage(target), slot) ||
         (slotAliases.Count > 0 && Operations.ReferencedStorage(target) is { } storage && slotAliases.Contains(storage))) &&
        target switch
        {
            IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation,
            IPropertyReferenceOperation property => property.Instance is null or IInstanceReferenceOperation,
            _ => true,
        };

    private static bool IsAssignmentTarget(IOperation reference) =>
        reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference);

    /// <summary>True/false: the variable is null when the branch value is true/false; null when the branch does not test it.</summary>
    private bool? NullWhen(IOperation branchValue)
    {
        var value = Operations.SkipConversions(branchValue);
        var negated = false;
        while (true)
        {
            if (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                negated = !negated;
                value = Operations.SkipConversions(not.Operand);
            }
            else if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison &&
                     (comparison.RightOperand.ConstantValue is { HasValue: true, Value: bool constant } ? (comparison.LeftOperand, constant) :
                      comparison.LeftOperand.ConstantValue is { HasValue: true, Value: bool other } ? (comparison.RightOperand, other) : default) is ({ } tested, var compared))
            {
                // `x.IsDisposed == false`, `handle.IsAllocated != true`
                negated ^= compared != (comparison.OperatorKind == BinaryOperatorKind.Equals);
                value = Operations.SkipConversions(tested);
            }
            else
            {
                break;
            }
        }

        bool? result = value switch
        {
            IIsNullOperation isNull when RefersToSlot(Operations.SkipConversions(isNull.Operand)) => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals when ComparesToNull(equals) => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } notEquals when ComparesToNull(notEquals) => false,

            // `if (parent == Device.Zero) return null;`: equal to a shared instance of its own type, a sentinel, the
            // value is that sentinel's empty state (or the shared instance itself, which is not this method's).
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals when ComparesToSentinel(equals) => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } notEquals when ComparesToSentinel(notEquals) => false,
            IIsPatternOperation pattern when RefersToSlot(Operations.SkipConversions(pattern.Value)) => PatternMeansNull(pattern.Pattern),
            IInvocationOperation call when WritesThroughTryCall(call) => false,

            // ReferenceEquals(x, null), Equals(x, null), object.Equals(null, x)
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "ReferenceEquals" or "Equals", ContainingType.SpecialType: SpecialType.System_Object }, Arguments.Length: 2 } equalsCall
                when ComparesToNull(equalsCall.Arguments[0].Value, equalsCall.Arguments[1].Value) => true,

            // GCHandle: `if (handle.IsAllocated) handle.Free();`
            IPropertyReferenceOperation { Property: { Name: "IsAllocated", ContainingType.Name: "GCHandle" } } allocated
                when RefersToSlot(Operations.SkipConversions(allocated.Instance)) => false,

            // Its disposed state: `if (!x.IsDisposed) x.Dispose();`, `if (!x.Handle.IsClosed) x.Dispose();`. When
            // true, the object was released already and holds nothing more to release.
            IPropertyReferenceOperation state when IsReleasedStateOfSlot(state) => true,

            // `if (!handle.IsSet) return null;` where the type's Dispose starts with `if (IsSet)`.
            IMemberReferenceOperation flag when RefersToSlot(Operations.SkipConversions(flag.Instance)) && policy.ReleasesNothingWhen(flag) is { } nothingWhen => nothingWhen,
            _ => null,
        };

        return result is { } r && negated ? !r : result;
    }

    /// <summary>
    /// A bool property that says whether the value was already released: <c>IsDisposed</c>, <c>Disposed</c> or
    /// <c>IsClosed</c> of the value, <c>IsInvalid</c> of a SafeHandle value, or <c>IsClosed</c>/<c>IsInvalid</c> of a
    /// SafeHandle the value exposes.
    /// </summary>
    private bool IsReleasedStateOfSlot(IPropertyReferenceOperation state)
    {
        if (state.Property.Type.SpecialType != SpecialType.System_Boolean || state.Arguments.Length != 0 ||
            Operations.SkipConversions(state.Instance) is not { } instance)
        {
            return false;
        }

        if (state.Property.Name is "IsDisposed" or "Disposed" or "IsClosed" && RefersToSlot(instance))
        {
            return true;
        }

        // `if (snapshot.IsInvalid) yield break;`: an invalid SafeHandle holds nothing its release would free.
        if (state.Property.Name == "IsInvalid" && OwnershipModel.IsOrDerivesFromSafeHandle(state.Property.ContainingType) && RefersToSlot(instance))
        {
            return true;
        }

        return state.Property.Name is "IsClosed" or "IsInvalid" && OwnershipModel.IsOrDerivesFromSafeHandle(state.Property.ContainingType) &&
               instance is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } handle &&
               handle.Instance is { } owner && RefersToSlot(Operations.SkipConversions(owner));
    }

    private bool ComparesToNull(IBinaryOperation binary) => ComparesToNull(binary.LeftOperand, binary.RightOperand);

    private bool ComparesToSentinel(IBinaryOperation binary) =>
        (RefersToSlot(Operations.SkipConversions(binary.LeftOperand)) && IsSentinelOf(binary.RightOperand, binary.LeftOperand)) ||
        (RefersToSlot(Operations.SkipConversions(binary.RightOperand)) && IsSentinelOf(binary.LeftOperand, binary.RightOperand));

    /// <summary>A static field or property of the slot's type (or a base of it) typed as that type: <c>Device.Zero</c>.</summary>
    private static bool IsSentinelOf(IOperation candidate, IOperation slot) =>
        Operations.SkipConversions(candidate) is IMemberReferenceOperation { Member: IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true, Parameters.Length: 0 } } sentinel &&
        Operations.SkipConversions(slot)?.Type is INamedTypeSymbol slotType && sentinel.Type is INamedTypeSymbol sentinelType &&
        SymbolEqualityComparer.Default.Equals(sentinelType.OriginalDefinition, sentinel.Member.ContainingType.OriginalDefinition) &&
        Hierarchy.IsOrDerivesFrom(slotType, sentinelType);

    private bool ComparesToNull(IOperation left, IOperation right) =>
        (RefersToSlot(Operations.SkipConversions(left)) && Operations.IsNullOrZero(right)) ||
        (RefersToSlot(Operations.SkipConversions(right)) && Operations.IsNullOrZero(left));

    private static bool? PatternMeansNull(IPatternOperation pattern) =>
        pattern switch
        {
            IConstantPatternOperation constant when Operations.IsNullOrZero(constant.Value) => true,
            INegatedPatternOperation { Pattern: IConstantPatternOperation constant } when Operations.IsNullOrZero(constant.Value) => false,
            IDeclarationPatternOperation or ITypePatternOperation or IRecursivePatternOperation => false,
            _ => null,
        };

    private bool ReleasesIn(ControlFlowRegion region)
    {
        if (finallyReleases.TryGetValue(region, out var known))
        {
            return known;
        }

        // A release the finally reaches from its start, other than through the side of a null test of the variable
        // where it is null: `finally { if (gcHandle == IntPtr.Zero) GCHandle.FromIntPtr(gcHandle).Free(); }` frees
        // only what was never allocated. Other conditions are not judged: any release they lead to counts.
        var releases = false;
        var seen = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(region.FirstBlockOrdinal);

        // Nothing branches into a handler: the regions nested in the finally (a try/finally, a catch inside it) are
        // entered from their own first block.
        var nested = new Stack<ControlFlowRegion>(region.NestedRegions);
        while (nested.Count > 0)
        {
            var inner = nested.Pop();
            if (inner.Kind is ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
            {
                pending.Push(inner.FirstBlockOrdinal);
            }

            foreach (var deeper in inner.NestedRegions)
            {
                nested.Push(deeper);
            }
        }
        while (pending.Count > 0 && !releases)
        {
            var ordinal = pending.Pop();
            if (ordinal < region.FirstBlockOrdinal || ordinal > region.LastBlockOrdinal || !seen.Add(ordinal))
            {
                continue;
            }

            var block = index.Graph.Blocks[ordinal];
            bool? nullWhenTrue = null;
            if (relevantBlocks.Contains(ordinal))
            {
                foreach (var node in NodesIn(ordinal))
                {
                    if ((RefersToSlot(node.Operation) && !IsAssignmentTarget(node.Operation) && UseOf(node.Operation, node.Root, null) != UseKind.None) ||
                        (node.Operation is IInvocationOperation invocation && releasesByCall?.Invoke(invocation) == true))
                    {
                        releases = true;
                        break;
                    }
                }

                if (block.BranchValue is { } branchValue)
                {
                    nullWhenTrue = NullWhen(branchValue);
                }
            }

            if (block.ConditionalSuccessor?.Destination is { } conditional &&
                !(nullWhenTrue is { } whenTrue && (block.ConditionKind == ControlFlowConditionKind.WhenTrue) == whenTrue))
            {
                pending.Push(conditional.Ordinal);
            }

            if (block.FallThroughSuccessor?.Destination is { } fallThrough &&
                !(nullWhenTrue is { } whenTrueFalls && block.ConditionalSuccessor is not null && (block.ConditionKind == ControlFlowConditionKind.WhenTrue) != whenTrueFalls))
            {
                pending.Push(fallThrough.Ordinal);
            }
        }

        finallyReleases[region] = releases;
        return releases;
    }

    private static bool IsInFinally(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Finally)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Children before parents, in evaluation order; does not enter nested functions.</summary>
    internal static IEnumerable<IOperation> PostOrder(IOperation root)
    {
        var stack = new Stack<(IOperation Operation, bool ChildrenDone)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (operation, childrenDone) = stack.Pop();
            if (childrenDone)
            {
                yield return operation;
                continue;
            }

            stack.Push((operation, true));
            if (operation is IFlowAnonymousFunctionOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            var children = new List<IOperation>();
            foreach (var child in operation.ChildOperations)
            {
                children.Add(child);
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push((children[i], false));
            }
        }
    }
}
