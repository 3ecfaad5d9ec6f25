namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Timers that keep what their callback captures for good: one root cause, owned by the closure family (LEAK301),
/// which the disposables rules leave to it (one diagnostic, not two). The runtime library files the same path,
/// through the runtime's timer queue to the callback, under closures too.
/// <list type="bullet">
/// <item>A <c>System.Threading.Timer</c> kept in a field or property of an object its callback captures, which the
/// type never stops or disposes: the queue holds the callback, the callback the object, the object the timer. LEAK003
/// would call the same field "not disposed"; LEAK301 says what that costs.</item>
/// <item>An Rx subscription to a periodic timer (<c>Observable.Interval</c>, <c>Observable.Timer</c> with a period,
/// <c>Sample(period)</c>) whose callbacks capture <c>this</c> or a local, dropped or kept in a field nothing reads:
/// the scheduler's periodic timer is rooted by the same queue (Rx keeps it reachable through the timer's state) and
/// runs until the subscription is disposed. LEAK002 and LEAK003 would call the subscription undisposed.</item>
/// </list>
/// One instance per type being judged; <see cref="ClosureFamilyOwnsMember"/> and <see cref="ClosureFamilyOwnsSubscription"/>
/// are the questions the disposables rules ask.
/// </summary>
internal sealed class TimerCycles
{
    private const string ObservableType = "System.Reactive.Linq.Observable";
    private const int MaxChain = 16;

    private readonly INamedTypeSymbol type;
    private readonly LifetimeModel model;
    private readonly LifetimeSettings settings;
    private readonly IReadOnlyList<(IOperation Block, ISymbol Owner)> blocks;
    private readonly DelegateCaptures captures;
    private TypeLifetimeFacts? facts;
    private bool? longLived;

    internal TimerCycles(INamedTypeSymbol type, LifetimeModel model, LifetimeSettings settings, IReadOnlyList<(IOperation Block, ISymbol Owner)> blocks, DelegateCaptures captures)
    {
        this.type = type;
        this.model = model;
        this.settings = settings;
        this.blocks = blocks;
        this.captures = captures;
    }

    /// <summary>The type's lifetime facts, recorded from its blocks the first time they are needed.</summary>
    internal TypeLifetimeFacts Facts()
    {
        if (facts is null)
        {
            facts = new TypeLifetimeFacts(type);
            foreach (var (block, owner) in blocks)
            {
                facts.RecordAll(block, owner);
            }
        }

        return facts;
    }

    /// <summary>Whether the type lives as long as the process anyway (a singleton, a long-lived type): capturing only itself costs nothing.</summary>
    internal bool TypeIsLongLived => longLived ??= model.OutlivesEverything(type, settings);

    /// <summary>
    /// A <c>new System.Threading.Timer(callback, ...)</c> stored in <paramref name="target"/> (a member of this type):
    /// the callback captures <c>this</c>, the type is not long-lived, and the member is an instance member the type
    /// never stops or disposes, not even through a copy (the lifetime model's running timer).
    /// </summary>
    internal bool IsCycle(IObjectCreationOperation creation, IOperation target, IOperation root)
    {
        var callback = creation.Arguments.Length > 0 ? creation.Arguments[0].Value : null;
        var stored = Operations.SkipConversions(target);
        if (callback is null || stored is not (IFieldReferenceOperation or IPropertyReferenceOperation) || Operations.ReferencedStorage(stored)?.IsStatic != false)
        {
            return false;
        }

        var capture = captures.Of(callback, root);
        if (!capture.CapturesThis || (capture.Captured is null && TypeIsLongLived))
        {
            return false;
        }

        if (stored is IFieldReferenceOperation { Field: var field } && StoppedThroughACopy(field))
        {
            return false;
        }

        return model.Classify(target, Facts(), settings).Reason == LifetimeReason.RunningTimer;
    }

    /// <summary>
    /// For an Rx subscription to a periodic timer: the first of its callbacks (the subscribe call's, then the operators')
    /// that captures something, when the closure family owns it (not a long-lived type capturing only itself).
    /// </summary>
    internal IOperation? CapturingRxCallback(IInvocationOperation subscribe, IOperation root, out Capture capture)
    {
        capture = default;
        var callbacks = new List<IOperation>();
        if (!IsPeriodicRxSubscription(subscribe, callbacks))
        {
            return null;
        }

        foreach (var callback in callbacks)
        {
            var found = captures.Of(callback, root);
            if (found.Any && !(found.CapturesThis && found.Captured is null && TypeIsLongLived))
            {
                capture = found;
                return callback;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>source.Subscribe(...)</c> where the source is an Rx periodic timer, through operators (<c>Select</c>,
    /// <c>ObserveOn</c>, ...) and one local: <c>Observable.Interval</c>, <c>Observable.Timer</c> with a period, or a
    /// <c>Sample</c> by time. Fills <paramref name="callbacks"/> with the delegates of the subscribe call and of the
    /// operators on the way, which the timer's observer chain holds.
    /// </summary>
    internal static bool IsPeriodicRxSubscription(IInvocationOperation subscribe, List<IOperation> callbacks)
    {
        if (subscribe.TargetMethod.Name != "Subscribe")
        {
            return false;
        }

        var source = AddCallbacks(subscribe, callbacks);
        for (var i = 0; i < MaxChain && source is not null; i++)
        {
            switch (Operations.SkipConversions(source))
            {
                case ILocalReferenceOperation local:
                    var values = Operations.ValuesOfLocal(Root(local), local.Local);
                    source = values.Count == 1 ? values[0] : null;
                    break;
                case IInvocationOperation call when IsObservableMethod(call.TargetMethod):
                    var method = call.TargetMethod.ReducedFrom ?? call.TargetMethod;
                    if (method.Name == "Interval" || (method.Name is "Timer" or "Sample" && HasPeriod(method)))
                    {
                        return true;
                    }

                    if (method.Name == "Timer" || !method.IsExtensionMethod)
                    {
                        return false; // a one-shot timer, or another source that is not a timer
                    }

                    source = AddCallbacks(call, callbacks);
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// An Rx source that completes by itself, so that Rx disposes the subscription when it ends and a dropped
    /// subscription keeps nothing: a one-shot <c>Observable.Timer(dueTime)</c>, <c>Return</c>, <c>Start</c>,
    /// <c>FromAsync</c>, <c>Empty</c>, <c>Throw</c>, a task's <c>ToObservable()</c>, or any source cut by
    /// <c>Take</c>, <c>FirstAsync</c> and the like; through operators that complete when their source does
    /// (<c>Select</c>, <c>Where</c>, <c>Do</c>, <c>ObserveOn</c>, ...) and one local.
    /// </summary>
    internal static bool CompletesOnItsOwn(IOperation? source)
    {
        for (var i = 0; i < MaxChain && source is not null; i++)
        {
            switch (Operations.SkipConversions(source))
            {
                case ILocalReferenceOperation local:
                    var values = Operations.ValuesOfLocal(Root(local), local.Local);
                    source = values.Count == 1 ? values[0] : null;
                    break;
                case IInvocationOperation { TargetMethod.Name: "ToObservable" } toObservable
                    when (toObservable.Instance ?? (toObservable.Arguments.Length > 0 ? toObservable.Arguments[0].Value : null))?.Type is { Name: "Task" } task &&
                         task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks":
                    return true;
                case IInvocationOperation call when IsObservableMethod(call.TargetMethod):
                    var method = call.TargetMethod.ReducedFrom ?? call.TargetMethod;
                    switch (method.Name)
                    {
                        case "Timer":
                            return !HasPeriod(method);
                        case "Return" or "Start" or "StartAsync" or "FromAsync" or "Empty" or "Throw" or "ToAsync":
                        case "Take" or "FirstAsync" or "FirstOrDefaultAsync" or "SingleAsync" or "SingleOrDefaultAsync" or "ElementAt" or "Timeout":
                            return true;
                        case "Select" or "Where" or "Do" or "ObserveOn" or "SubscribeOn" or "Cast" or "OfType" or "Finally" or "Delay" or
                            "DistinctUntilChanged" when method.IsExtensionMethod:
                            source = call.Arguments.Length > 0 ? call.Arguments[0].Value : null;
                            break;
                        default:
                            return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The source an Rx chain starts from, through operators that subscribe to nothing but their source: an
    /// <c>Observable</c> extension whose other parameters are no observable, scheduler, time, task, or function that
    /// returns one (<c>Where</c>, <c>Select</c>, <c>DistinctUntilChanged</c>, <c>Buffer(count)</c>; not <c>Merge</c>,
    /// <c>SelectMany</c>, <c>Throttle</c>). What roots that source roots the whole chain, and nothing else does.
    /// </summary>
    internal static IOperation? SourceThroughOperators(IOperation? source)
    {
        for (var i = 0; i < MaxChain && source is not null; i++)
        {
            if (Operations.SkipConversions(source) is IInvocationOperation { Arguments.Length: > 0 } call &&
                IsObservableMethod(call.TargetMethod) &&
                (call.TargetMethod.ReducedFrom ?? call.TargetMethod).IsExtensionMethod &&
                SubscribesOnlyToItsSource(call.TargetMethod.ReducedFrom ?? call.TargetMethod))
            {
                source = call.Arguments[0].Value;
                continue;
            }

            return Operations.SkipConversions(source);
        }

        return null;
    }

    /// <summary>
    /// An extension method whose parameters after the source are plain values or delegates that return plain
    /// values: it adds no source, timer or scheduler of its own to the chain.
    /// </summary>
    internal static bool SubscribesOnlyToItsSource(IMethodSymbol extension)
    {
        for (var i = 1; i < extension.Parameters.Length; i++)
        {
            var type = extension.Parameters[i].Type;
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke })
            {
                type = invoke.ReturnType;
            }

            if (AddsASource(type))
            {
                return false;
            }
        }

        return true;

        static bool AddsASource(ITypeSymbol type) =>
            type.Name is "IObservable" or "IScheduler" or "TimeSpan" or "DateTimeOffset" or "Task" or "ValueTask" or "IEnumerable" or "IAsyncEnumerable" ||
            type.AllInterfaces.Any(i => i.Name is "IObservable" or "IEnumerable");
    }

    private static bool IsObservableMethod(IMethodSymbol method) =>
        (method.ReducedFrom ?? method).ContainingType is { Name: "Observable" } containing &&
        SymbolNames.FullMetadataName(containing) == ObservableType;

    /// <summary>A TimeSpan parameter that repeats (<c>period</c>, or Sample's <c>interval</c>).</summary>
    private static bool HasPeriod(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name is "period" or "interval" && parameter.Type.Name == "TimeSpan")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds the delegate arguments of a call; returns its source (the receiver, or an extension method's first argument).</summary>
    private static IOperation? AddCallbacks(IInvocationOperation call, List<IOperation> callbacks)
    {
        IOperation? source = call.Instance;
        foreach (var argument in call.Arguments)
        {
            if (call.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0 && call.Instance is null)
            {
                source = argument.Value;
                continue;
            }

            if (Operations.SkipConversions(argument.Value)?.Type?.TypeKind == TypeKind.Delegate)
            {
                callbacks.Add(argument.Value);
            }
        }

        return source;
    }

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>
    /// Whether the type stops or disposes the timer in <paramref name="field"/> through a local copy:
    /// <c>var timer = _timer; _timer = null; timer?.Dispose();</c>, <c>if (_timer is { } timer) timer.Dispose();</c> or
    /// <c>Interlocked.Exchange(ref _timer, null)?.Dispose()</c>.
    /// </summary>
    internal bool StoppedThroughACopy(IFieldSymbol field)
    {
        var copies = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var (block, _) in blocks)
        {
            foreach (var operation in block.Descendants())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { } initializer && ReadsField(initializer.Value, field):
                        copies.Add(declarator.Symbol);
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when ReadsField(assignment.Value, field):
                        copies.Add(local.Local);
                        break;
                    case IIsPatternOperation pattern when ReadsField(pattern.Value, field):
                        // `if (_timer is { } timer)`, `if (_timer is Timer timer)`: the pattern's variable is a copy.
                        foreach (var designation in pattern.Pattern.DescendantsAndSelf())
                        {
                            if (designation is IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared })
                            {
                                copies.Add(declared);
                            }
                            else if (designation is IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol recursive })
                            {
                                copies.Add(recursive);
                            }
                        }

                        break;
                }
            }
        }

        foreach (var (block, _) in blocks)
        {
            foreach (var operation in block.Descendants())
            {
                if (operation is IInvocationOperation invocation &&
                    invocation.TargetMethod.Name is "Dispose" or "DisposeAsync" or "Stop" or "Close" &&
                    Receiver(invocation) is { } receiver &&
                    ((receiver is ILocalReferenceOperation copy && copies.Contains(copy.Local)) || ReadsField(receiver, field)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether any member of the type reads the field (not only assigns it): disposing, unregistering or handing it over needs a read.</summary>
    internal bool FieldIsReadAnywhere(IFieldSymbol field)
    {
        foreach (var (block, _) in blocks)
        {
            foreach (var operation in block.Descendants())
            {
                if (operation is IFieldReferenceOperation reference &&
                    SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field.OriginalDefinition) &&
                    !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The field itself, or <c>Interlocked.Exchange(ref field, ...)</c>, which returns what it held.</summary>
    private static bool ReadsField(IOperation? value, IFieldSymbol field) =>
        Operations.SkipConversions(value) switch
        {
            IFieldReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field.OriginalDefinition),
            IInvocationOperation { TargetMethod.Name: "Exchange", Arguments: { Length: > 0 } arguments } => ReadsField(arguments[0].Value, field),
            _ => false,
        };

    /// <summary>The object a call is made on, through <c>?.</c>.</summary>
    internal static IOperation? Receiver(IInvocationOperation invocation)
    {
        var instance = Operations.SkipConversions(invocation.Instance);
        if (instance is IConditionalAccessInstanceOperation)
        {
            for (var current = invocation.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalAccessOperation access)
                {
                    return Operations.SkipConversions(access.Operation);
                }
            }

            return null;
        }

        return instance;
    }

    // ---- What the disposables rules ask -------------------------------------------------------------------------

    /// <summary>The lifetime facts of <paramref name="type"/>'s own bodies, read through the shared semantic models.</summary>
    private static TimerCycles For(INamedTypeSymbol type, Compilation compilation, AnalyzerOptions options, INamedTypeSymbol disposable, SyntaxTree tree)
    {
        var source = SourceOwnership.For(compilation, disposable);
        var blocks = new List<(IOperation Block, ISymbol Owner)>();
        foreach (var candidate in type.GetMembers())
        {
            if (candidate is IMethodSymbol method && source.BodyOf(method) is { } body)
            {
                blocks.Add((body, method));
            }
        }

        var model = LifetimeModel.Create(compilation, "LEAK301");
        return new TimerCycles(type, model, model.SettingsFor(options, tree), blocks, new DelegateCaptures());
    }

    /// <summary>
    /// For LEAK003: whether LEAK301 reports <paramref name="member"/> of <paramref name="type"/> as a timer cycle (a
    /// <c>System.Threading.Timer</c> whose callback captures the object, never stopped), or as an Rx timer
    /// subscription kept in a field nothing reads; or whether the member holds only one-shot timers that fire once
    /// and let go, which neither family reports. Cheap filter first: only members that may hold one, in types with an
    /// instance method body.
    /// </summary>
    internal static bool ClosureFamilyOwnsMember(INamedTypeSymbol type, ISymbol member, Compilation compilation, AnalyzerOptions options)
    {
        var declared = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        var timer = compilation.GetTypeByMetadataName("System.Threading.Timer");
        var isTimer = timer is not null && SymbolEqualityComparer.Default.Equals(declared, timer);
        var mayBeSubscription = declared?.SpecialType == SpecialType.System_IDisposable && compilation.GetTypeByMetadataName(ObservableType) is not null;
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        if ((!isTimer && !mayBeSubscription) || member.IsStatic || disposable.TypeKind == TypeKind.Error ||
            type.Locations.Length == 0 || type.Locations[0].SourceTree is not { } tree)
        {
            return false;
        }

        var cycles = For(type, compilation, options, disposable, tree);

        // `new Timer(OnTick, null, due, Timeout.Infinite)` never changed: it fires once and lets go; nothing to report.
        if (isTimer && !cycles.Facts().IsStopped(member) && cycles.Facts().OnlyOneShotTimers(member))
        {
            return true;
        }

        foreach (var assigned in cycles.Facts().AssignmentsOf(member))
        {
            var value = Operations.SkipConversions(assigned.Value);
            var root = Root(assigned.Operation);
            switch (value)
            {
                case IObjectCreationOperation creation when isTimer && assigned.Operation is IAssignmentOperation assignment &&
                                                             cycles.IsCycle(creation, assignment.Target, root):
                    return true;
                case IInvocationOperation subscribe when mayBeSubscription && member is IFieldSymbol field &&
                                                         cycles.CapturingRxCallback(subscribe, root, out _) is not null &&
                                                         !cycles.FieldIsReadAnywhere(field):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For LEAK002: whether LEAK301 reports this dropped subscription as an Rx timer subscription whose callbacks
    /// capture something (written in <paramref name="type"/>).
    /// </summary>
    internal static bool ClosureFamilyOwnsSubscription(IInvocationOperation subscribe, INamedTypeSymbol? type, Compilation compilation, AnalyzerOptions options)
    {
        if (type is null || type.IsStatic || !IsPeriodicRxSubscription(subscribe, new List<IOperation>()))
        {
            return false;
        }

        var model = LifetimeModel.Create(compilation, "LEAK301");
        var cycles = new TimerCycles(type, model, model.SettingsFor(options, subscribe.Syntax.SyntaxTree), new List<(IOperation, ISymbol)>(), new DelegateCaptures());
        return cycles.CapturingRxCallback(subscribe, Root(subscribe), out _) is not null;
    }
}
