namespace LeakAnalyzers.Shared;

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>Where a delegate goes once a call has received it, as far as keeping it alive goes.</summary>
internal enum DelegateFateKind
{
    /// <summary>Not kept anywhere the model can tell, or kept where the holder's type also takes delegates out.</summary>
    None,

    /// <summary>Kept by a static member, or by an object reached through one (<c>OnShutdown.Add(callback)</c>).</summary>
    KeptLongLived,

    /// <summary>Kept by a member of the object the call is made on (<c>this.listeners.Add(listener)</c>): as long as that object lives.</summary>
    KeptByReceiver,

    /// <summary>Run, and what it returns kept by a static member (a value factory: <c>Cache[key] = create(key)</c>).</summary>
    ResultKeptLongLived,

    /// <summary>Run, and what it returns kept by a member of the receiver (<c>ConcurrentDictionary.GetOrAdd(key, factory)</c>).</summary>
    ResultKeptByReceiver,
}

/// <summary>The fate of a delegate given to one parameter, with the member that ends up holding it.</summary>
internal readonly struct DelegateFate
{
    internal DelegateFate(DelegateFateKind kind, ISymbol? holder, IOperation? evidence, LifetimeInfo lifetime)
    {
        Kind = kind;
        Holder = holder;
        Evidence = evidence;
        Lifetime = lifetime;
    }

    internal static DelegateFate None => default;

    internal DelegateFateKind Kind { get; }

    /// <summary>The static member (or the receiver's member) that keeps the delegate or its result.</summary>
    internal ISymbol? Holder { get; }

    /// <summary>Where the callee stores it (in the callee's body): an additional location worth showing. May be null.</summary>
    internal IOperation? Evidence { get; }

    /// <summary>For the long-lived kinds: why the holder lives long (a static member, a singleton, ...).</summary>
    internal LifetimeInfo Lifetime { get; }

    internal bool IsResult => Kind is DelegateFateKind.ResultKeptLongLived or DelegateFateKind.ResultKeptByReceiver;

    internal bool IsLongLived => Kind is DelegateFateKind.KeptLongLived or DelegateFateKind.ResultKeptLongLived;

    public override string ToString() => Holder is null ? Kind.ToString() : Kind + "(" + Holder.Name + ")";
}

/// <summary>
/// Where a delegate goes after the call that receives it, for the closure rules: the delegate-specific facts of the
/// compilation's source members, read from their IOperation bodies through <see cref="SourceOwnership"/> (one shared
/// semantic model per tree), and of the framework's collections. For each parameter of a source member: whether it
/// stores what it is given in a static or long-lived place (directly, or through further source calls), in a member
/// of its own object, or runs it and stores what it returns (a value factory).
/// </summary>
/// <remarks>
/// One instance per compilation, shared by the closure rules; answers are computed the first time they are asked for
/// and cached, thread-safe. Chains of source calls are followed <see cref="MaxDepth"/> deep and cycles are cut
/// (a cut chain is <see cref="DelegateFateKind.None"/>: a miss, never a false alarm). A holder whose own type also
/// takes delegates out of it (<c>Remove</c>, <c>Clear</c>, <c>-=</c>, assigning null) has a counterpart the rules
/// trust: the fate is then <see cref="DelegateFateKind.None"/>. Overridable members are not judged (an override may
/// do otherwise).
/// </remarks>
internal sealed class DelegateFates
{
    /// <summary>How many source calls deep a delegate is followed.</summary>
    internal const int MaxDepth = 4;

    /// <summary>Collection methods that keep the element they are given (an argument whose parameter is a type parameter).</summary>
    internal static readonly ImmutableHashSet<string> StoringCollectionMethods = ImmutableHashSet.Create(
        "Add", "TryAdd", "AddOrUpdate", "GetOrAdd", "Push", "Enqueue", "Insert", "AddFirst", "AddLast", "Set", "TryUpdate");

    /// <summary>Collection methods that run a value factory and keep what it returns (ConcurrentDictionary's).</summary>
    private static readonly ImmutableHashSet<string> ValueFactoryMethods = ImmutableHashSet.Create("GetOrAdd", "AddOrUpdate");

    /// <summary>Methods that take delegates (or everything) out of a member.</summary>
    private static readonly ImmutableHashSet<string> RemovingMethods = ImmutableHashSet.Create(
        "Remove", "TryRemove", "Clear", "RemoveAll", "RemoveAt", "RemoveWhere", "Pop", "TryPop", "Dequeue", "TryDequeue", "TryTake", "RemoveFirst", "RemoveLast");

    private static readonly ConditionalWeakTable<Compilation, DelegateFates> ByCompilation = new();

    private readonly Compilation compilation;
    private readonly SourceOwnership? source;
    private readonly LifetimeModel lifetimes;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), DelegateFate> parameters = new();
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), DelegateFate> escapes = new();
    private readonly ConcurrentDictionary<ISymbol, bool> cleared = new(SymbolEqualityComparer.Default);

    private DelegateFates(Compilation compilation)
    {
        this.compilation = compilation;
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        source = disposable.TypeKind == TypeKind.Error ? null : SourceOwnership.For(compilation, disposable);
        lifetimes = LifetimeModel.Create(compilation, null);
    }

    internal static DelegateFates For(Compilation compilation) => ByCompilation.GetValue(compilation, c => new DelegateFates(c));

    /// <summary>
    /// The fate of the delegate passed as <paramref name="argument"/>: from the summary of a source callee, or for the
    /// framework's collections (an element added, a value factory run). The receiver-relative kinds are the caller's
    /// to judge with the receiver's lifetime. <paramref name="options"/> gives the callee's .editorconfig tables.
    /// </summary>
    internal DelegateFate OfArgument(IArgumentOperation argument, AnalyzerOptions options) => OfArgument(argument, options, evenIfTakenOut: false);

    /// <summary>
    /// Whether the delegate passed as <paramref name="argument"/> outlives the call: kept anywhere the model sees,
    /// even in a holder its type later empties (a callback replaced by the next one set). What the delegate captures
    /// then belongs to it, not to the calling method.
    /// </summary>
    internal bool OutlivesCall(IArgumentOperation argument, AnalyzerOptions options) =>
        OfArgument(argument, options, evenIfTakenOut: true).Kind != DelegateFateKind.None;

    private DelegateFate OfArgument(IArgumentOperation argument, AnalyzerOptions options, bool evenIfTakenOut)
    {
        if (argument.Parent is not IInvocationOperation invocation || argument.Parameter is not { } parameter)
        {
            return DelegateFate.None;
        }

        var method = invocation.TargetMethod;
        if (IsInSource(method))
        {
            return OfParameter(method, parameter.Ordinal, options, evenIfTakenOut);
        }

        return OfFrameworkArgument(invocation, argument) switch
        {
            DelegateFateKind.KeptByReceiver => new DelegateFate(DelegateFateKind.KeptByReceiver, null, null, LifetimeInfo.Unknown),
            DelegateFateKind.ResultKeptByReceiver => new DelegateFate(DelegateFateKind.ResultKeptByReceiver, null, null, LifetimeInfo.Unknown),
            _ => DelegateFate.None,
        };
    }

    /// <summary>What a source member does with a delegate given to its parameter <paramref name="ordinal"/>.</summary>
    internal DelegateFate OfParameter(IMethodSymbol method, int ordinal, AnalyzerOptions options) => OfParameter(method, ordinal, options, evenIfTakenOut: false);

    private DelegateFate OfParameter(IMethodSymbol method, int ordinal, AnalyzerOptions options, bool evenIfTakenOut)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        var cache = evenIfTakenOut ? escapes : parameters;
        if (cache.TryGetValue((method, ordinal), out var known))
        {
            return known;
        }

        var fate = Compute(method, ordinal, options, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), depth: 0, evenIfTakenOut, out var complete);
        return complete ? cache.GetOrAdd((method, ordinal), fate) : fate;
    }

    /// <summary>
    /// A framework collection call: an element kept by the receiver (<c>list.Add(callback)</c>: the argument's
    /// parameter is a type parameter of the collection), or a value factory whose result the receiver keeps
    /// (<c>dictionary.GetOrAdd(key, factory)</c>).
    /// </summary>
    internal static DelegateFateKind OfFrameworkArgument(IInvocationOperation invocation, IArgumentOperation argument)
    {
        var method = invocation.TargetMethod;
        if (invocation.Instance is null || argument.Parameter is not { } parameter || !StoringCollectionMethods.Contains(method.Name))
        {
            return DelegateFateKind.None;
        }

        var original = method.OriginalDefinition;
        if (parameter.Ordinal >= original.Parameters.Length)
        {
            return DelegateFateKind.None;
        }

        var declared = original.Parameters[parameter.Ordinal].Type;
        if (declared is ITypeParameterSymbol)
        {
            return DelegateFateKind.KeptByReceiver;
        }

        // GetOrAdd(key, Func<TKey, TValue> valueFactory): the factory runs once and what it returns stays.
        return ValueFactoryMethods.Contains(method.Name) && declared.TypeKind == TypeKind.Delegate &&
               declared is INamedTypeSymbol { DelegateInvokeMethod.ReturnType: ITypeParameterSymbol }
            ? DelegateFateKind.ResultKeptByReceiver
            : DelegateFateKind.None;
    }

    private bool IsInSource(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly) && !method.IsImplicitlyDeclared;

    private DelegateFate Compute(IMethodSymbol method, int ordinal, AnalyzerOptions options, HashSet<IMethodSymbol> visiting, int depth, bool evenIfTakenOut, out bool complete)
    {
        complete = true;
        if (source is null || ordinal < 0 || ordinal >= method.Parameters.Length || method.Parameters[ordinal].RefKind != RefKind.None ||
            IsOverridable(method))
        {
            return DelegateFate.None;
        }

        if (depth > MaxDepth || !visiting.Add(method))
        {
            complete = false;
            return DelegateFate.None;
        }

        try
        {
            if (source.BodyOf(method) is not { } body)
            {
                return DelegateFate.None;
            }

            var parameter = method.Parameters[ordinal];
            var settings = lifetimes.SettingsFor(options, body.Syntax.SyntaxTree);
            foreach (var operation in body.Descendants())
            {
                if (operation is not IParameterReferenceOperation reference ||
                    !SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                {
                    continue;
                }

                if (FunctionScopes.EnclosingFunction(reference) is not null)
                {
                    continue; // captured by a lambda or local function of the callee: not followed.
                }

                var fate = FateOfReference(reference, body, options, settings, visiting, depth, evenIfTakenOut, ref complete);
                if (fate.Kind != DelegateFateKind.None && (evenIfTakenOut || !IsCleared(fate.Holder)))
                {
                    return fate;
                }
            }

            return DelegateFate.None;
        }
        finally
        {
            visiting.Remove(method);
        }
    }

    private DelegateFate FateOfReference(
        IParameterReferenceOperation reference, IOperation body, AnalyzerOptions options, LifetimeSettings settings,
        HashSet<IMethodSymbol> visiting, int depth, bool evenIfTakenOut, ref bool complete)
    {
        var consumer = Operations.ParentSkippingConversions(reference, out var outer);
        switch (consumer)
        {
            // Static = p; Static += p; Static[key] = p; this.field = p
            case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, outer):
                return Stored(assignment.Target, assignment, settings, result: false);
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound when ReferenceEquals(compound.Value, outer):
                return Stored(compound.Target, compound, settings, result: false);
            case ICoalesceAssignmentOperation coalesce when ReferenceEquals(coalesce.Value, outer):
                return Stored(coalesce.Target, coalesce, settings, result: false);

            // p(...) or p.Invoke(...): a value factory, when what it returns is stored.
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke } run when ReferenceEquals(run.Instance, outer):
                return ResultStored(run, body, settings);

            case IArgumentOperation { Parent: IInvocationOperation call } argument:
                if (!IsInSource(call.TargetMethod))
                {
                    if (RootsUntilFreed(call, argument))
                    {
                        // GCHandle.Alloc(callback): the delegate lives as long as the handle, kept where the handle is.
                        return Operations.ParentSkippingConversions(call, out var handle) is ISimpleAssignmentOperation store && ReferenceEquals(store.Value, handle)
                            ? Stored(store.Target, store, settings, result: false)
                            : DelegateFate.None;
                    }

                    return OfFrameworkArgument(call, argument) switch
                    {
                        DelegateFateKind.KeptByReceiver => Stored(call.Instance, call, settings, result: false),
                        DelegateFateKind.ResultKeptByReceiver => Stored(call.Instance, call, settings, result: true),
                        _ => DelegateFate.None,
                    };
                }

                if (argument.Parameter is not { } next)
                {
                    return DelegateFate.None;
                }

                // One more source call: what the callee does with it, seen from here.
                var callee = (call.TargetMethod.ReducedFrom ?? call.TargetMethod).OriginalDefinition;
                if (!(evenIfTakenOut ? escapes : parameters).TryGetValue((callee, next.Ordinal), out var inner))
                {
                    inner = Compute(callee, next.Ordinal, options, visiting, depth + 1, evenIfTakenOut, out var innerComplete);
                    complete &= innerComplete;
                }

                return Through(inner, call, settings);
            default:
                return DelegateFate.None;
        }
    }

    /// <summary>A fate of the callee seen from its caller: what the callee keeps in its receiver is kept by whatever the receiver is here.</summary>
    private DelegateFate Through(DelegateFate inner, IInvocationOperation call, LifetimeSettings settings)
    {
        switch (inner.Kind)
        {
            case DelegateFateKind.KeptLongLived or DelegateFateKind.ResultKeptLongLived:
                return inner;
            case DelegateFateKind.KeptByReceiver or DelegateFateKind.ResultKeptByReceiver:
                var held = Stored(call.Instance, call, settings, result: inner.IsResult);
                return held.Kind == DelegateFateKind.None ? held : new DelegateFate(held.Kind, held.Holder, inner.Evidence ?? held.Evidence, held.Lifetime);
            default:
                return DelegateFate.None;
        }
    }

    /// <summary>
    /// A delegate invocation whose result is stored: <c>cache[key] = factory(key)</c>, <c>list.Add(factory())</c>,
    /// through chained assignments (<c>cache[key] = found = create()</c>) or one local (<c>var made = create(); cache[key] = made;</c>).
    /// </summary>
    private DelegateFate ResultStored(IInvocationOperation run, IOperation body, LifetimeSettings settings)
    {
        IOperation current = run;
        var consumer = Operations.ParentSkippingConversions(current, out var outer);
        while (consumer is ISimpleAssignmentOperation { Target: ILocalReferenceOperation } chained && ReferenceEquals(chained.Value, outer) &&
               chained.Parent is ISimpleAssignmentOperation)
        {
            current = chained;
            consumer = Operations.ParentSkippingConversions(current, out outer);
        }

        var stored = StoredValue(consumer, outer, settings);
        if (stored.Kind != DelegateFateKind.None)
        {
            return stored;
        }

        if (Operations.AssignedLocal(outer) is not { } local)
        {
            return DelegateFate.None;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                var use = Operations.ParentSkippingConversions(reference, out var used);
                if (StoredValue(use, used, settings) is { Kind: not DelegateFateKind.None } fate)
                {
                    return fate;
                }
            }
        }

        return DelegateFate.None;
    }

    /// <summary>A value (<paramref name="outer"/>) that <paramref name="consumer"/> stores: the value of an assignment, or an element a framework collection keeps.</summary>
    private DelegateFate StoredValue(IOperation? consumer, IOperation outer, LifetimeSettings settings) =>
        consumer switch
        {
            ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, outer) => Stored(assignment.Target, assignment, settings, result: true),
            IArgumentOperation { Parent: IInvocationOperation call } argument when !IsInSource(call.TargetMethod) &&
                                                                             OfFrameworkArgument(call, argument) == DelegateFateKind.KeptByReceiver
                => Stored(call.Instance, call, settings, result: true),
            _ => DelegateFate.None,
        };

    /// <summary>
    /// The fate of a value stored in <paramref name="target"/> (an assignment's target, or the receiver of a
    /// collection call): long-lived when the target is static or reached through a static; kept by the receiver when
    /// it is a member of <c>this</c> (or an element of one). Events are the LEAK1xx family's.
    /// </summary>
    private DelegateFate Stored(IOperation? target, IOperation evidence, LifetimeSettings settings, bool result)
    {
        target = Operations.SkipConversions(target);
        if (target is null or IEventReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation)
        {
            return DelegateFate.None;
        }

        var holder = HolderOf(target);
        if (holder is null)
        {
            return DelegateFate.None;
        }

        // A static holder is described as itself, not as an object reached through it (an indexer or Add on it).
        var lifetime = holder.IsStatic ? lifetimes.ClassifySymbol(holder, null, settings) : lifetimes.Classify(target, null, settings);
        if (lifetime.Lifetime == Lifetime.Static)
        {
            return new DelegateFate(result ? DelegateFateKind.ResultKeptLongLived : DelegateFateKind.KeptLongLived, holder, evidence, lifetime);
        }

        return IsOwnMember(target)
            ? new DelegateFate(result ? DelegateFateKind.ResultKeptByReceiver : DelegateFateKind.KeptByReceiver, holder, evidence, LifetimeInfo.Unknown)
            : DelegateFate.None;
    }

    /// <summary>
    /// <c>GCHandle.Alloc(value)</c> or with a normal or pinned handle type: the handle roots the value until it is
    /// freed (a weak handle does not).
    /// </summary>
    private static bool RootsUntilFreed(IInvocationOperation call, IArgumentOperation argument) =>
        call.TargetMethod is { Name: "Alloc", IsStatic: true, ContainingType.Name: "GCHandle" } &&
        SymbolNames.MemberKey(call.TargetMethod.ContainingType, "Alloc") == KnownApis.GCHandleAlloc &&
        argument.Parameter?.Ordinal == 0 &&
        !call.Arguments.Any(other => other.Parameter?.Ordinal == 1 &&
                                     other.Value.ConstantValue is { HasValue: true, Value: int type } && type is 0 or 1);

    /// <summary>
    /// The field or property that holds what is stored in <paramref name="target"/>. Through indexers, and through a
    /// member of an element (<c>Actions[id].Write = callback</c>), the collection's: taking the element out of the
    /// collection takes out what the element holds.
    /// </summary>
    internal static ISymbol? HolderOf(IOperation? target) =>
        Operations.SkipConversions(target) switch
        {
            IMemberReferenceOperation { Instance: { } instance } and (IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 })
                when Operations.SkipConversions(instance) is IArrayElementReferenceOperation or IPropertyReferenceOperation { Arguments.Length: > 0 } => HolderOf(instance),
            IFieldReferenceOperation field => field.Field.OriginalDefinition,
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property.OriginalDefinition,
            IPropertyReferenceOperation indexer => HolderOf(indexer.Instance),
            IArrayElementReferenceOperation element => HolderOf(element.ArrayReference),
            _ => null,
        };

    /// <summary>A member of <c>this</c>, or an element of one (<c>handlers[key]</c>).</summary>
    private static bool IsOwnMember(IOperation target) =>
        target switch
        {
            IFieldReferenceOperation { Field.IsStatic: false, Instance: IInstanceReferenceOperation } => true,
            IPropertyReferenceOperation { Property.IsStatic: false, Arguments.Length: 0, Instance: IInstanceReferenceOperation } => true,
            IPropertyReferenceOperation { Arguments.Length: > 0 } indexer => IsOwnMember(Operations.SkipConversions(indexer.Instance)!),
            IArrayElementReferenceOperation element => IsOwnMember(Operations.SkipConversions(element.ArrayReference)!),
            _ => false,
        };

    /// <summary>
    /// Whether the type that declares <paramref name="holder"/> also takes delegates out of it: assigns it null,
    /// removes with <c>-=</c>, or calls <c>Remove</c>, <c>Clear</c> (and the like) on it. Then there is a counterpart.
    /// </summary>
    internal bool IsCleared(ISymbol? holder)
    {
        if (holder is null)
        {
            return false;
        }

        holder = holder.OriginalDefinition;
        return cleared.GetOrAdd(holder, ComputeCleared);
    }

    private bool ComputeCleared(ISymbol holder)
    {
        if (source is null || holder.ContainingType is not { } type)
        {
            return false;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || source.BodyOf(method) is not { } body)
            {
                continue;
            }

            if (TakesOut(body, holder))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="root"/> takes delegates out of <paramref name="holder"/>.</summary>
    internal static bool TakesOut(IOperation root, ISymbol holder)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation assignment when Operations.IsNullOrDefault(assignment.Value) && Same(HolderOf(assignment.Target), holder):
                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract } compound when Same(HolderOf(compound.Target), holder):
                    return true;
                case IInvocationOperation { Instance: { } instance } invocation when RemovingMethods.Contains(invocation.TargetMethod.Name) && Same(HolderOf(instance), holder):
                    return true;
            }
        }

        return false;
    }

    private static bool Same(ISymbol? candidate, ISymbol member) =>
        candidate is not null && SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, member.OriginalDefinition);

    /// <summary>
    /// A method that hands back a disposable (a token that undoes the registration): whoever keeps the delegate, the
    /// caller can end that; the disposables family judges the token.
    /// </summary>
    internal static bool ReturnsAnUndo(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return false;
        }

        var returned = method.ReturnType;
        if (returned.SpecialType == SpecialType.System_IDisposable)
        {
            return true;
        }

        foreach (var @interface in returned.AllInterfaces)
        {
            if (@interface.SpecialType == SpecialType.System_IDisposable)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOverridable(IMethodSymbol method) =>
        (method.IsVirtual || method.IsOverride || method.IsAbstract) && !method.IsSealed && method.ContainingType is { IsSealed: false };
}
