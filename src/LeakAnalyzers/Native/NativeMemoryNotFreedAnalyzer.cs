namespace LeakAnalyzers.Native;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK401: unmanaged memory or a GC handle that a method allocates into a local and does not free on every
/// path, nor hand over; or an allocation whose result is not kept at all (discarded, read once, passed to a
/// call that only borrows it). The cheap pass looks for allocating calls by name; only blocks with one pay for
/// the control-flow graph, which <see cref="DisposalFlow"/> walks with the <see cref="NativeReleasePolicy"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NativeMemoryNotFreedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "tryfinally" when wrapping the rest of the block in try/finally is safe.</summary>
    internal const string FixKey = "LEAK401.Fix";

    /// <summary>Diagnostic property: the local to free.</summary>
    internal const string LocalKey = "LEAK401.Local";

    /// <summary>Diagnostic property: the releasing member (<c>System.Runtime.InteropServices.Marshal.FreeHGlobal</c>).</summary>
    internal const string ReleaseKey = "LEAK401.Release";

    /// <summary>Diagnostic property: "true" when a GC handle is carried as an IntPtr (freed by <c>GCHandle.FromIntPtr(p).Free()</c>).</summary>
    internal const string ThroughIntPtrKey = "LEAK401.ThroughIntPtr";

    private const string Never = "never freed";
    private const string NotOnEveryPath = "not freed on every path";
    private const string NotKept = "dropped, never freed";
    private const string Overwritten = "overwritten before it is freed";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK401NativeMemoryNotFreed);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!NativeModel.MayAllocate(start.Compilation, start.Options, Descriptors.LEAK401NativeMemoryNotFreed.Id, start.CancellationToken))
            {
                return;
            }

            var model = NativeModel.Create(start.Compilation, Descriptors.LEAK401NativeMemoryNotFreed.Id);
            if (model is null)
            {
                return;
            }

            // The cheap pass: an invocation action notes whether the block calls an allocator at all; only
            // blocks that do are walked and pay for the control-flow graph.
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                var tables = model.TablesForTree(blockStart.Options, blockStart.OperationBlocks.IsEmpty ? null : blockStart.OperationBlocks[0].Syntax.SyntaxTree);
                if (tables is null || !model.MayAllocateIn(blockStart.Options, blockStart.OperationBlocks, blockStart.CancellationToken))
                {
                    return;
                }

                var allocates = 0;
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        var method = ((IInvocationOperation)operation.Operation).TargetMethod;
                        if (tables.MayMatch(method) && tables.AllocatorOf(method) is not null)
                        {
                            System.Threading.Interlocked.Exchange(ref allocates, 1);
                        }
                    },
                    OperationKind.Invocation);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (System.Threading.Volatile.Read(ref allocates) != 0)
                    {
                        AnalyzeBlock(block, model);
                    }
                });
            });
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, NativeModel model)
    {
        if (context.OperationBlocks.IsEmpty)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);
        foreach (var root in context.OperationBlocks)
        {
            var candidates = Candidates.Find(root, model, tables, context);
            if (candidates.Locals.Count == 0)
            {
                continue;
            }

            var reported = new HashSet<SyntaxNode>();

            // One walk of the block for what every local needs (its aliases, its references), not one per local:
            // a method with thousands of allocations must stay linear.
            var aliasIndex = new Aliases(root, candidates.Captured);
            var uses = new Lazy<LocalReferences>(() => new LocalReferences(root));
            foreach (var graph in FunctionScopes.Graphs(context.GetControlFlowGraph(root), candidates.HasNested))
            {
                var index = new FlowIndex(graph);
                foreach (var local in candidates.Locals)
                {
                    var aliases = aliasIndex.Of(local);
                    var policy = new NativeReleasePolicy(model, tables, candidates.NativeCodeMayKeep(local));
                    var flow = DisposalFlow.Analyze(
                        index,
                        local,
                        policy,
                        operation => candidates.CreationsBySyntax.ContainsKey(operation.Syntax),
                        aliases);
                    var wording = policy.FreedOrHandedOver ? NotOnEveryPath : Never;

                    // An assignment the user wrote over a block still owned loses it (the disposables family calls
                    // that LEAK004); for unmanaged memory it is the same leak as reaching the end, so LEAK401 says so.
                    foreach (var (_, lost) in flow.Overwrites)
                    {
                        foreach (var creation in lost)
                        {
                            if (candidates.CreationsBySyntax.TryGetValue(creation.Syntax, out var overwritten) && reported.Add(overwritten.Value.Syntax))
                            {
                                context.ReportDiagnostic(Diagnostic.Create(
                                    Descriptors.LEAK401NativeMemoryNotFreed,
                                    overwritten.Value.Syntax.GetLocation(),
                                    "'" + local.Name + "'",
                                    NativeApis.Display(overwritten.Allocator.Member),
                                    Overwritten,
                                    NativeModel.ConsequenceOf(overwritten)));
                            }
                        }
                    }

                    foreach (var leak in flow.Leaks)
                    {
                        if (candidates.CreationsBySyntax.TryGetValue(leak.Syntax, out var allocation) && reported.Add(allocation.Value.Syntax))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(
                                Descriptors.LEAK401NativeMemoryNotFreed,
                                allocation.Value.Syntax.GetLocation(),
                                FixProperties(local, allocation, candidates, uses.Value, policy, aliases, leak.Syntax),
                                "'" + local.Name + "'",
                                NativeApis.Display(allocation.Allocator.Member),
                                wording,
                                NativeModel.ConsequenceOf(allocation)));
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Offers the try/finally fix only when it cannot free what someone else still holds, nor free twice: the local
    /// is declared in the block of the allocating statement, receives this one allocation (and reallocations of
    /// itself), is never handed over and never freed anywhere.
    /// </summary>
    private static ImmutableDictionary<string, string?> FixProperties(
        ILocalSymbol local,
        NativeAllocation allocation,
        Candidates candidates,
        LocalReferences uses,
        NativeReleasePolicy policy,
        ImmutableHashSet<ILocalSymbol> aliases,
        SyntaxNode creationSyntax)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(LocalKey, local.Name)
            .Add(ReleaseKey, allocation.Allocator.Releasers[0])
            .Add(ThroughIntPtrKey, allocation.ThroughIntPtr ? "true" : "false");

        if (candidates.CreationCount(local) != 1 || !IsFixableStatement(creationSyntax, local) || !OnlyUsedLocally(local, uses, policy, aliases, candidates))
        {
            return properties;
        }

        return properties.Add(FixKey, "tryfinally");
    }

    private static bool IsFixableStatement(SyntaxNode creationSyntax, ILocalSymbol local)
    {
        var statement = creationSyntax.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax>();
        if (statement?.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax block)
        {
            return false;
        }

        if (statement is Microsoft.CodeAnalysis.CSharp.Syntax.LocalDeclarationStatementSyntax declaration)
        {
            return declaration.Declaration.Variables.Count == 1 && !declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword);
        }

        if (statement is Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignment } &&
            assignment == creationSyntax && local.DeclaringSyntaxReferences.Length == 1)
        {
            var declarator = local.DeclaringSyntaxReferences[0].GetSyntax();
            return declarator.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax>()?.Parent == block;
        }

        return false;
    }

    private static bool OnlyUsedLocally(ILocalSymbol local, LocalReferences uses, NativeReleasePolicy policy, ImmutableHashSet<ILocalSymbol> aliases, Candidates candidates)
    {
        foreach (var reference in uses.Of(local, aliases))
        {
            var consumer = Operations.ParentSkippingConversions(reference, out var outer);
            if (consumer is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
            {
                // Assigned: only by its creation or a reallocation of itself.
                if (assignment is not ISimpleAssignmentOperation || (SymbolEqualityComparer.Default.Equals(reference.Local, local) && !candidates.CreationsBySyntax.ContainsKey(assignment.Syntax)))
                {
                    return false;
                }

                continue;
            }

            if (consumer is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } copy && ReferenceEquals(copy.Value, outer) && aliases.Contains(target.Local))
            {
                continue;
            }

            if (consumer is IIncrementOrDecrementOperation)
            {
                return false;
            }

            switch (policy.Classify(outer, consumer, consumerReturned: false))
            {
                case UseKind.HandOver:
                    return false;
                case UseKind.Release when !IsReallocationOfItself(consumer, local, candidates):
                    return false;
            }
        }

        return true;
    }

    /// <summary><c>p = Marshal.ReAllocHGlobal(p, n)</c>: the old block is given to the reallocation, which returns the new one to the same local.</summary>
    private static bool IsReallocationOfItself(IOperation? consumer, ILocalSymbol local, Candidates candidates) =>
        consumer is IArgumentOperation { Parent: IInvocationOperation call } &&
        Operations.ParentSkippingConversions(call, out var outer) is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment &&
        ReferenceEquals(assignment.Value, outer) &&
        SymbolEqualityComparer.Default.Equals(target.Local, local) &&
        candidates.CreationsBySyntax.ContainsKey(assignment.Syntax);

    /// <summary>Locals of one operation block that receive an allocation and are worth a flow analysis.</summary>
    private sealed class Candidates
    {
        private readonly Dictionary<ILocalSymbol, int> creationCounts = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ILocalSymbol> nativeCodeMayKeep = new(SymbolEqualityComparer.Default);

        internal List<ILocalSymbol> Locals { get; } = new();

        /// <summary>The declarator or assignment that gives the local its value, mapped to the allocation.</summary>
        internal Dictionary<SyntaxNode, NativeAllocation> CreationsBySyntax { get; } = new();

        internal HashSet<ILocalSymbol> Captured { get; } = new(SymbolEqualityComparer.Default);

        internal bool HasNested { get; private set; }

        internal int CreationCount(ILocalSymbol local) => creationCounts.TryGetValue(local, out var count) ? count : 0;

        internal bool NativeCodeMayKeep(ILocalSymbol local) => nativeCodeMayKeep.Contains(local);

        internal static Candidates Find(IOperation root, NativeModel model, NativeTables tables, OperationBlockAnalysisContext context)
        {
            var result = new Candidates();
            List<IInvocationOperation>? calls = null;
            var hasFunctions = false;
            foreach (var operation in root.Descendants())
            {
                switch (operation)
                {
                    case IInvocationOperation invocation when tables.MayMatch(invocation.TargetMethod) && tables.AllocatorOf(invocation.TargetMethod) is not null:
                        (calls ??= new List<IInvocationOperation>()).Add(invocation);
                        break;
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        hasFunctions = true;
                        break;
                }
            }

            if (calls is null)
            {
                return result;
            }

            // Only a block that allocates pays for finding the locals its lambdas and local functions capture.
            if (hasFunctions)
            {
                foreach (var operation in root.Descendants())
                {
                    if (operation is ILocalReferenceOperation reference && FunctionScopes.IsCapturedHere(reference))
                    {
                        result.Captured.Add(reference.Local);
                    }
                }
            }

            foreach (var call in calls)
            {
                result.Classify(call, model, tables, context);
            }

            // A local captured by a lambda or local function can be freed by it at any time: not ours to judge.
            if (result.Captured.Count > 0)
            {
                result.Locals.RemoveAll(result.Captured.Contains);
            }

            return result;
        }

        private void Classify(IInvocationOperation call, NativeModel model, NativeTables tables, OperationBlockAnalysisContext context)
        {
            // GCHandle.ToIntPtr(GCHandle.Alloc(x)) kept in a local: the IntPtr carries the handle.
            IOperation value = call;
            if (Operations.ParentSkippingConversions(call, out _) is IArgumentOperation { Parent: IInvocationOperation toIntPtr } &&
                model.AllocationIn(toIntPtr, tables) is { ThroughIntPtr: true })
            {
                value = toIntPtr;
            }

            var allocation = model.AllocationIn(value, tables);
            if (allocation is not { } found)
            {
                return;
            }

            var allocated = value;
            var consumer = Operations.ParentSkippingConversions(value, out var outer);
            if (consumer is IInvocationOperation { TargetMethod: { Name: "ToPointer", ContainingType.SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } } pointer &&
                ReferenceEquals(pointer.Instance, outer))
            {
                // `var p = (byte*)Marshal.AllocHGlobal(n).ToPointer();`: the typed pointer is the same block.
                value = pointer;
                consumer = Operations.ParentSkippingConversions(value, out outer);
            }

            switch (consumer)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when IsTrackable(declarator.Symbol) && !Operations.IsUsingDeclarator(declarator):
                    Add(declarator.Symbol, declarator.Syntax, found, declarator, isNew: true);
                    return;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when ReferenceEquals(assignment.Value, outer) && IsTrackable(target.Local):
                    Add(target.Local, assignment.Syntax, found, assignment, isNew: !Reallocates(found.Call, target.Local, tables));
                    return;
            }

            if (IsNotKept(outer, consumer, new NativeReleasePolicy(model, tables, found.Allocator.NativeCodeMayKeep)))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.LEAK401NativeMemoryNotFreed,
                    allocated.Syntax.GetLocation(),
                    "The result",
                    NativeApis.Display(found.Allocator.Member),
                    NotKept,
                    NativeModel.ConsequenceOf(found)));
            }
        }

        /// <summary>
        /// An allocation whose pointer nobody keeps: discarded, read through once (<c>GCHandle.Alloc(a, Pinned).AddrOfPinnedObject()</c>),
        /// or passed to a call that only borrows it (<c>Marshal.PtrToStringUni(Marshal.StringToHGlobalUni(s))</c>, a P/Invoke).
        /// Arithmetic, conditionals and other shapes are left alone.
        /// </summary>
        private static bool IsNotKept(IOperation value, IOperation? consumer, NativeReleasePolicy policy) =>
            consumer switch
            {
                IExpressionStatementOperation => true,
                ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
                IArgumentOperation argument => policy.ClassifyArgument(argument) == UseKind.None,

                IInvocationOperation invocation when ReferenceEquals(invocation.Instance, value) => policy.Classify(value, consumer, consumerReturned: false) == UseKind.None,
                IPropertyReferenceOperation property when ReferenceEquals(property.Instance, value) => true,
                _ => false,
            };

        /// <summary><c>p = Marshal.ReAllocHGlobal(p, n)</c>: the same allocation, moved.</summary>
        private static bool Reallocates(IInvocationOperation call, ILocalSymbol local, NativeTables tables)
        {
            if (tables.ReleaserOf(call.TargetMethod) is not { Reallocates: true })
            {
                return false;
            }

            foreach (var argument in call.Arguments)
            {
                if (Operations.SkipConversions(argument.Value) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(ILocalSymbol local, SyntaxNode syntax, NativeAllocation allocation, IOperation site, bool isNew)
        {
            if (!creationCounts.ContainsKey(local))
            {
                Locals.Add(local);
                creationCounts[local] = 0;
            }

            if (isNew)
            {
                creationCounts[local]++;
            }

            CreationsBySyntax[syntax] = allocation;
            if (allocation.Allocator.NativeCodeMayKeep)
            {
                nativeCodeMayKeep.Add(local);
            }

            HasNested |= FunctionScopes.EnclosingFunction(site) is not null;
        }

        private static bool IsTrackable(ILocalSymbol local) =>
            local.RefKind == RefKind.None && !local.IsUsing && !local.IsConst && !local.IsFixed && local.Type.TypeKind != TypeKind.Error;

    }

    /// <summary>Every reference to a local in one operation block, by local, in the order of the block.</summary>
    private sealed class LocalReferences
    {
        private readonly Dictionary<ILocalSymbol, List<ILocalReferenceOperation>> byLocal = new(SymbolEqualityComparer.Default);

        internal LocalReferences(IOperation root)
        {
            foreach (var operation in root.Descendants())
            {
                if (operation is ILocalReferenceOperation reference)
                {
                    if (!byLocal.TryGetValue(reference.Local, out var list))
                    {
                        byLocal[reference.Local] = list = new List<ILocalReferenceOperation>();
                    }

                    list.Add(reference);
                }
            }
        }

        /// <summary>The references to <paramref name="local"/> and to its aliases.</summary>
        internal IEnumerable<ILocalReferenceOperation> Of(ILocalSymbol local, ImmutableHashSet<ILocalSymbol> aliases)
        {
            foreach (var symbol in aliases.Add(local))
            {
                if (byLocal.TryGetValue(symbol, out var references))
                {
                    foreach (var reference in references)
                    {
                        yield return reference;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Other locals that receive the tracked local's value, directly or through casts (<c>byte* bytes = (byte*)pointer;</c>),
    /// a GC handle's value as a number (<c>gcHandle = GCHandle.ToIntPtr(handle);</c>), or a view of it (<c>var span = new Span&lt;byte&gt;(pointer, n);</c>), or an alias's value: freeing or handing over
    /// one of them frees or hands over the allocation. The copies are read once per block; each local's aliases are
    /// then what its copies reach.
    /// </summary>
    private sealed class Aliases
    {
        /// <summary>For each local, the locals that receive a copy or a view of its value.</summary>
        private readonly Dictionary<ILocalSymbol, List<ILocalSymbol>> copies = new(SymbolEqualityComparer.Default);

        internal Aliases(IOperation root, HashSet<ILocalSymbol> captured)
        {
            foreach (var operation in root.Descendants())
            {
                var (target, value) = operation switch
                {
                    IVariableDeclaratorOperation { Initializer.Value: { } initializer } declarator => (declarator.Symbol, initializer),
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation reference } assignment => (reference.Local, assignment.Value),
                    _ => (null, null),
                };

                if (target is null || target.RefKind != RefKind.None || captured.Contains(target))
                {
                    continue;
                }

                var source = Operations.SkipConversions(value);
                if (source is ILocalReferenceOperation copied)
                {
                    Add(copied.Local, target);
                }
                else if (source is IInvocationOperation { TargetMethod: { Name: "ToIntPtr", ContainingType: { Name: "GCHandle", ContainingNamespace.Name: "InteropServices" } }, Arguments.Length: 1 } toIntPtr &&
                         Operations.SkipConversions(toIntPtr.Arguments[0].Value) is ILocalReferenceOperation converted)
                {
                    // `gcHandle = GCHandle.ToIntPtr(handle)`: the same handle as a number.
                    Add(converted.Local, target);
                }
                else if (NativeModel.IsPointerView(source))
                {
                    foreach (var argument in ((IObjectCreationOperation)source!).Arguments)
                    {
                        if (Operations.SkipConversions(argument.Value) is ILocalReferenceOperation viewed)
                        {
                            Add(viewed.Local, target);
                        }
                    }
                }
            }
        }

        internal ImmutableHashSet<ILocalSymbol> Of(ILocalSymbol local)
        {
            var result = ImmutableHashSet<ILocalSymbol>.Empty.WithComparer(SymbolEqualityComparer.Default);
            if (!copies.ContainsKey(local))
            {
                return result;
            }

            var pending = new Stack<ILocalSymbol>();
            pending.Push(local);
            while (pending.Count > 0)
            {
                if (!copies.TryGetValue(pending.Pop(), out var targets))
                {
                    continue;
                }

                foreach (var target in targets)
                {
                    if (!SymbolEqualityComparer.Default.Equals(target, local) && !result.Contains(target))
                    {
                        result = result.Add(target);
                        pending.Push(target);
                    }
                }
            }

            return result;
        }

        private void Add(ILocalSymbol source, ILocalSymbol target)
        {
            if (!copies.TryGetValue(source, out var targets))
            {
                copies[source] = targets = new List<ILocalSymbol>();
            }

            targets.Add(target);
        }
    }
}
