namespace LeakAnalyzers.Native;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK403: an instance field that receives unmanaged memory or a GC handle (directly, or through a local that
/// received it) while no method of the type frees it or hands it over. Dispose, DisposeAsync, a finalizer,
/// ReleaseHandle and what they call count whatever they do with the field beyond reading it; other methods count
/// when they free it (not when they free it only to allocate it again, as a Resize does) or give it to a known
/// owner. Scoped to the named type (symbol start/end), so that it shows while typing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NativeFieldNotFreedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the releasing member (<c>System.Runtime.InteropServices.Marshal.FreeHGlobal</c>).</summary>
    internal const string ReleaseKey = "LEAK403.Release";

    /// <summary>Diagnostic property: "true" when a GC handle is carried as an IntPtr (freed by <c>GCHandle.FromIntPtr(p).Free()</c>).</summary>
    internal const string ThroughIntPtrKey = "LEAK403.ThroughIntPtr";

    private static readonly ImmutableHashSet<string> ReleaseMethodNames = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Dispose", "DisposeAsync", "DisposeAsyncCore", "DisposeCore", "ReleaseHandle", "Finalize");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK403NativeFieldNotFreed);

    /// <summary>
    /// A struct laid out for native code (<c>[StructLayout(LayoutKind.Sequential)]</c>) that is not disposable: a
    /// record of a native protocol (SSPI's <c>SecBuffer</c>), whose blocks the code that fills and passes it frees by
    /// that protocol; the struct has no way to free them itself.
    /// </summary>
    private static bool IsInteropRecord(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Struct &&
        !type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable) &&
        HasNativeLayout(type);

    private static bool HasNativeLayout(INamedTypeSymbol type) =>
        type.GetAttributes().Any(attribute => attribute.AttributeClass is { Name: "StructLayoutAttribute" } layout &&
                                              SymbolNames.FullMetadataName(layout) == "System.Runtime.InteropServices.StructLayoutAttribute");

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!NativeModel.MayAllocate(start.Compilation, start.Options, Descriptors.LEAK403NativeFieldNotFreed.Id, start.CancellationToken))
            {
                return;
            }

            var model = NativeModel.Create(start.Compilation, Descriptors.LEAK403NativeFieldNotFreed.Id);
            if (model is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (symbolStart.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type || !HasCandidateField(type) ||
                        IsInteropRecord(type) || !model.MayAllocateIn(symbolStart.Options, type, symbolStart.CancellationToken))
                    {
                        return;
                    }

                    var facts = new TypeFacts(type);
                    symbolStart.RegisterOperationBlockAction(block => Collect(block, model, facts));
                    symbolStart.RegisterSymbolEndAction(end =>
                    {
                        lock (facts)
                        {
                            facts.Report(end.ReportDiagnostic);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>Cheap: an instance field whose type can hold a pointer or a handle.</summary>
    private static bool HasCandidateField(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false } field && NativeModel.CanHoldPointer(field.Type))
            {
                return true;
            }
        }

        return false;
    }

    private static void Collect(OperationBlockAnalysisContext context, NativeModel model, TypeFacts facts)
    {
        if (context.OperationBlocks.IsEmpty)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);
        var method = context.OwningSymbol;
        var found = new List<Action>();
        foreach (var root in context.OperationBlocks)
        {
            Dictionary<ILocalSymbol, NativeAllocation>? localAllocations = null;
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IFieldInitializerOperation initializer when model.AllocationIn(initializer.Value, tables) is { } initial:
                        foreach (var field in initializer.InitializedFields)
                        {
                            if (facts.Owns(field))
                            {
                                found.Add(() => facts.Allocated(field, initial, method, initializer.Syntax.Span.End));
                            }
                        }

                        break;
                    case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator when model.AllocationIn(value, tables) is { } allocation:
                        (localAllocations ??= new(SymbolEqualityComparer.Default))[declarator.Symbol] = allocation;
                        break;
                    case ISimpleAssignmentOperation assignment:
                        if (assignment.Target is ILocalReferenceOperation local && model.AllocationIn(assignment.Value, tables) is { } toLocal)
                        {
                            (localAllocations ??= new(SymbolEqualityComparer.Default))[local.Local] = toLocal;
                        }

                        break;
                }
            }

            foreach (var operation in root.DescendantsAndSelf())
            {
                // `Handle.Free()` where `GCHandle Handle => _gcHandle;`: a getter of this type that returns the field
                // reads the field itself.
                if (operation is IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Property: { IsStatic: false } property } viaGetter &&
                    viaGetter.Parent is not IAssignmentOperation &&
                    SymbolEqualityComparer.Default.Equals(property.ContainingType?.OriginalDefinition, facts.Type) &&
                    model.Ownership.Source.WrappedField(property) is IFieldSymbol wrapped && facts.Owns(wrapped))
                {
                    var getterUse = ClassifyUse(viaGetter, Operations.ParentSkippingConversions(viaGetter, out _), root, model, tables);
                    if (getterUse.Kind != UseKind.None)
                    {
                        var position = viaGetter.Syntax.SpanStart;
                        found.Add(() => facts.Used(wrapped, method, position, getterUse.Kind, getterUse.Presumed));
                    }

                    continue;
                }

                if (operation is not IFieldReferenceOperation { Field: { IsStatic: false } field } reference || !facts.Owns(field))
                {
                    continue;
                }

                var consumer = Operations.ParentSkippingConversions(reference, out var outer);
                if (consumer is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
                {
                    var allocation = model.AllocationIn(assignment.Value, tables);
                    if (allocation is null && Operations.SkipConversions(assignment.Value) is ILocalReferenceOperation source &&
                        localAllocations is not null && localAllocations.TryGetValue(source.Local, out var viaLocal))
                    {
                        allocation = viaLocal;
                    }

                    if (allocation is { } stored)
                    {
                        found.Add(() => facts.Allocated(field, stored, method, assignment.Syntax.Span.End));
                    }

                    continue;
                }

                if (consumer is IAssignmentOperation compound && ReferenceEquals(compound.Target, reference))
                {
                    continue;
                }

                var use = ClassifyUse(outer, consumer, root, model, tables);
                if (use.Kind != UseKind.None)
                {
                    var position = reference.Syntax.SpanStart;
                    found.Add(() => facts.Used(field, method, position, use.Kind, use.Presumed));
                }
            }

            foreach (var operation in root.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation { TargetMethod: { } callee } invocation &&
                    SymbolEqualityComparer.Default.Equals(callee.ContainingType?.OriginalDefinition, facts.Type))
                {
                    found.Add(() => facts.Calls(method, callee.OriginalDefinition));
                }

                // `PropVariantClear(this)`: a type laid out for native code given whole to a native import; the
                // native side sees every field, and frees what its protocol says (a PROPVARIANT's string).
                if (operation is IArgumentOperation { Value: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } whole &&
                    whole.Parent is IInvocationOperation { TargetMethod: { } import } && OwnershipModel.IsNativeImport(import) && HasNativeLayout(facts.Type))
                {
                    var position = whole.Syntax.SpanStart;
                    foreach (var field in facts.Type.GetMembers().OfType<IFieldSymbol>())
                    {
                        if (facts.Owns(field))
                        {
                            found.Add(() => facts.Used(field, method, position, UseKind.HandOver, presumed: false));
                        }
                    }
                }
            }
        }

        if (found.Count > 0)
        {
            lock (facts)
            {
                foreach (var record in found)
                {
                    record();
                }
            }
        }
    }

    /// <summary>
    /// What a read of the field does: freed, handed over (to a known owner, or only presumed, to an unknown method
    /// or by being returned), or only used. A copy into a local counts as what is done with the local.
    /// </summary>
    private static (UseKind Kind, bool Presumed) ClassifyUse(IOperation outer, IOperation? consumer, IOperation root, NativeModel model, NativeTables tables)
    {
        var policy = new NativeReleasePolicy(model, tables, nativeCodeMayKeep: true);
        switch (consumer)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return ClassifyLocal(declarator.Symbol, root, policy);
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } copy when ReferenceEquals(copy.Value, outer):
                return ClassifyLocal(local.Local, root, policy);
            case IReturnOperation:
                return (UseKind.HandOver, true);
            case IArgumentOperation argument:
                var kind = policy.ClassifyArgument(argument, out var unknownCallee);
                return (kind, unknownCallee);
            default:
                return (policy.Classify(outer, consumer, consumerReturned: false), false);
        }
    }

    /// <summary><c>var p = this.pointer; ... Marshal.FreeHGlobal(p);</c>: the strongest thing done with the copy.</summary>
    private static (UseKind Kind, bool Presumed) ClassifyLocal(ILocalSymbol local, IOperation root, NativeReleasePolicy policy)
    {
        var result = (Kind: UseKind.None, Presumed: false);
        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            var consumer = Operations.ParentSkippingConversions(reference, out var outer);
            if (consumer is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
            {
                continue;
            }

            var presumed = false;
            var kind = consumer is IArgumentOperation argument ? policy.ClassifyArgument(argument, out presumed) : policy.Classify(outer, consumer, consumerReturned: false);
            if (kind == UseKind.Release)
            {
                return (UseKind.Release, false);
            }

            if (kind == UseKind.HandOver && (result.Kind == UseKind.None || (result.Presumed && !presumed)))
            {
                result = (UseKind.HandOver, presumed || consumer is IReturnOperation);
            }
        }

        return result;
    }

    /// <summary>What the operation blocks of one type say about its fields; guarded by a lock on itself.</summary>
    private sealed class TypeFacts
    {
        private readonly Dictionary<IFieldSymbol, List<(NativeAllocation Allocation, ISymbol Method, int Position)>> allocations = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IFieldSymbol, List<(ISymbol Method, int Position, UseKind Kind, bool Presumed)>> uses = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, HashSet<ISymbol>> calls = new(SymbolEqualityComparer.Default);

        internal TypeFacts(INamedTypeSymbol type) => Type = type;

        internal INamedTypeSymbol Type { get; }

        internal bool Owns(IFieldSymbol field) =>
            !field.IsStatic && SymbolEqualityComparer.Default.Equals(field.ContainingType?.OriginalDefinition, Type);

        internal void Allocated(IFieldSymbol field, NativeAllocation allocation, ISymbol method, int position) =>
            Get(allocations, field.OriginalDefinition).Add((allocation, method, position));

        internal void Used(IFieldSymbol field, ISymbol method, int position, UseKind kind, bool presumed) =>
            Get(uses, field.OriginalDefinition).Add((method, position, kind, presumed));

        internal void Calls(ISymbol caller, ISymbol callee)
        {
            if (!calls.TryGetValue(caller, out var callees))
            {
                callees = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                calls[caller] = callees;
            }

            callees.Add(callee);
        }

        internal void Report(Action<Diagnostic> report)
        {
            if (allocations.Count == 0)
            {
                return;
            }

            var releaseMethods = ReleaseMethods();
            foreach (var pair in allocations.OrderBy(p => p.Value[0].Position))
            {
                var field = pair.Key;
                var sites = pair.Value;
                if (IsReleased(field, sites, releaseMethods) || field.Locations.IsEmpty || !field.Locations[0].IsInSource)
                {
                    continue;
                }

                var first = sites.OrderBy(s => s.Position).First().Allocation;
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(ReleaseKey, first.Allocator.Releasers[0])
                    .Add(ThroughIntPtrKey, first.ThroughIntPtr ? "true" : "false");
                report(Diagnostic.Create(
                    Descriptors.LEAK403NativeFieldNotFreed,
                    field.Locations[0],
                    sites.OrderBy(s => s.Position).Select(s => s.Allocation.Value.Syntax.GetLocation()).Take(4),
                    properties,
                    field.Name,
                    What(first.Allocator.Kind),
                    NativeApis.Display(first.Allocator.Member),
                    Type.Name,
                    NativeModel.ConsequenceOf(first)));
            }
        }

        private bool IsReleased(IFieldSymbol field, List<(NativeAllocation Allocation, ISymbol Method, int Position)> sites, HashSet<ISymbol> releaseMethods)
        {
            if (!uses.TryGetValue(field, out var fieldUses))
            {
                return false;
            }

            foreach (var (method, position, kind, presumed) in fieldUses)
            {
                if (releaseMethods.Contains(method))
                {
                    return true;
                }

                if (presumed)
                {
                    continue;
                }

                // Freed only to be allocated again further down the same method (a Resize): not a release.
                var reallocatedAfter = false;
                foreach (var site in sites)
                {
                    if (SymbolEqualityComparer.Default.Equals(site.Method, method) && site.Position > position)
                    {
                        reallocatedAfter = true;
                        break;
                    }
                }

                if (!reallocatedAfter)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Dispose, DisposeAsync, finalizers, ReleaseHandle, and the methods of the type they call.</summary>
        private HashSet<ISymbol> ReleaseMethods()
        {
            var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<ISymbol>();
            foreach (var member in Type.GetMembers())
            {
                if (member is IMethodSymbol method &&
                    (method.MethodKind == MethodKind.Destructor || ReleaseMethodNames.Contains(method.Name) ||
                     (method.MethodKind == MethodKind.ExplicitInterfaceImplementation && (method.Name.EndsWith(".Dispose", StringComparison.Ordinal) || method.Name.EndsWith(".DisposeAsync", StringComparison.Ordinal)))))
                {
                    result.Add(method);
                    pending.Push(method);
                }
            }

            while (pending.Count > 0)
            {
                if (calls.TryGetValue(pending.Pop(), out var callees))
                {
                    foreach (var callee in callees)
                    {
                        if (result.Add(callee))
                        {
                            pending.Push(callee);
                        }
                    }
                }
            }

            return result;
        }

        private static string What(NativeKind kind) =>
            kind switch
            {
                NativeKind.GCHandle => "a GC handle",
                NativeKind.ComReference => "a COM reference",
                NativeKind.SecretMemory => "a secret in unmanaged memory",
                _ => "memory",
            };

        private static List<T> Get<T>(Dictionary<IFieldSymbol, List<T>> map, IFieldSymbol field)
        {
            if (!map.TryGetValue(field, out var list))
            {
                list = new List<T>();
                map[field] = list;
            }

            return list;
        }
    }
}
