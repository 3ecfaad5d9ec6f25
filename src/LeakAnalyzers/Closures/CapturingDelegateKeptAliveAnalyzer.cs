namespace LeakAnalyzers.Closures;

using System.Collections.Generic;
using System.Collections.Immutable;
using LeakAnalyzers.Events;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK301: a delegate that captures <c>this</c> or a local, kept by a place that outlives the code that made it:
/// a static field, property or collection; a <c>System.Threading.Timer</c> that is never disposed; a registration
/// on a cancellation token the type does not own that is never disposed; a <c>RegisterWaitForSingleObject</c> wait
/// that is never unregistered. Points at the delegate. Event subscriptions are the LEAK1xx family's.
/// <para>
/// Collected per type (a symbol-start action keeps the operation blocks) and judged at the type's end, so that the
/// lifetime facts of the type's own fields (a token field assigned from a parameter, a timer field never disposed)
/// are known. Types whose blocks hold none of the shapes never build facts.
/// </para>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CapturingDelegateKeptAliveAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the code fix may keep the dropped registration in a <c>using</c> local.</summary>
    internal const string UsingFixProperty = "UsingRegistration";

    /// <summary>
    /// Diagnostic property: the code fix may keep the dropped registration in a field disposed in Dispose. Set for a
    /// statement of its own in an instance constructor of a class, outside loops, lambdas and local functions: code
    /// that runs once per object, so one field holds exactly the one registration it makes.
    /// </summary>
    internal const string FieldFixProperty = "FieldRegistration";

    /// <summary>
    /// Diagnostic property: the name of the instance member (a timer, an Rx subscription) the code fix may dispose in
    /// the type's Dispose, for the timer cycles this rule owns.
    /// </summary>
    internal const string DisposeMemberProperty = "DisposeMember";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK301CapturingDelegateKeptAlive);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownTypes(start.Compilation);
            var model = LifetimeModel.Create(start.Compilation, Descriptors.LEAK301CapturingDelegateKeptAlive.Id);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (symbolStart.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type)
                    {
                        return;
                    }

                    var blocks = new List<(IOperation Block, ISymbol Owner)>();
                    var gate = new object();
                    symbolStart.RegisterOperationBlockAction(block =>
                    {
                        if (!SymbolEqualityComparer.Default.Equals(block.OwningSymbol.ContainingType?.OriginalDefinition, type.OriginalDefinition))
                        {
                            return;
                        }

                        lock (gate)
                        {
                            foreach (var operation in block.OperationBlocks)
                            {
                                blocks.Add((operation, block.OwningSymbol));
                            }
                        }
                    });
                    var candidates = new List<(IOperation Operation, ISymbol Owner)>();
                    symbolStart.RegisterOperationAction(
                        operation =>
                        {
                            if (IsCandidate(operation.Operation, known) &&
                                SymbolEqualityComparer.Default.Equals(operation.ContainingSymbol.ContainingType?.OriginalDefinition, type.OriginalDefinition))
                            {
                                lock (gate)
                                {
                                    candidates.Add((operation.Operation, operation.ContainingSymbol));
                                }
                            }
                        },
                        OperationKind.SimpleAssignment,
                        OperationKind.CompoundAssignment,
                        OperationKind.EventAssignment,
                        OperationKind.ObjectCreation,
                        OperationKind.Invocation);
                    symbolStart.RegisterSymbolEndAction(end =>
                    {
                        List<(IOperation Block, ISymbol Owner)> snapshot;
                        List<(IOperation Operation, ISymbol Owner)> found;
                        lock (gate)
                        {
                            if (candidates.Count == 0)
                            {
                                return;
                            }

                            snapshot = new List<(IOperation Block, ISymbol Owner)>(blocks);
                            found = new List<(IOperation Operation, ISymbol Owner)>(candidates);
                        }

                        new TypeAnalysis(type, model, known, snapshot, end).Run(found);
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>The cheap filter, run on every assignment, creation and call: could this keep a delegate somewhere?</summary>
    private static bool IsCandidate(IOperation operation, KnownTypes known)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                return assignment.Value.Type?.TypeKind == TypeKind.Delegate && assignment.Target is not ILocalReferenceOperation;
            case ICompoundAssignmentOperation compound:
                return compound.OperatorKind == BinaryOperatorKind.Add && compound.Target.Type?.TypeKind == TypeKind.Delegate;
            case IEventAssignmentOperation { Adds: true } subscription:
                return Operations.SkipConversions(subscription.HandlerValue) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation };
            case IObjectCreationOperation creation:
                return known.ThreadingTimer is not null && SymbolEqualityComparer.Default.Equals(creation.Type, known.ThreadingTimer);
            case IInvocationOperation invocation:
                var name = invocation.TargetMethod.Name;
                if (name is "Register" or "UnsafeRegister" && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, known.CancellationToken))
                {
                    return true;
                }

                if (name is "RegisterWaitForSingleObject" or "UnsafeRegisterWaitForSingleObject" && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, known.ThreadPool))
                {
                    return true;
                }

                if (name == "Subscribe" && known.Observable is not null)
                {
                    return true;
                }

                // A call that may keep a delegate argument: a source method (its summary says), or a framework
                // collection's Add, GetOrAdd, ... on some receiver.
                var inSource = SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingAssembly, known.Assembly);
                if (!inSource && (invocation.Instance is null || !DelegateFates.StoringCollectionMethods.Contains(name)))
                {
                    return false;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (Operations.SkipConversions(argument.Value)?.Type?.TypeKind == TypeKind.Delegate)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The framework types the rule looks for; any may be missing.</summary>
    private sealed class KnownTypes
    {
        internal KnownTypes(Compilation compilation)
        {
            Assembly = compilation.Assembly;
            CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
            ThreadingTimer = compilation.GetTypeByMetadataName("System.Threading.Timer");
            ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
            Observable = compilation.GetTypeByMetadataName("System.Reactive.Linq.Observable");
        }

        /// <summary>Rx's operators; null when the compilation does not reference Rx.</summary>
        internal INamedTypeSymbol? Observable { get; }

        internal IAssemblySymbol Assembly { get; }

        internal INamedTypeSymbol? CancellationToken { get; }

        internal INamedTypeSymbol? ThreadingTimer { get; }

        internal INamedTypeSymbol? ThreadPool { get; }
    }

    private sealed class TypeAnalysis
    {
        private readonly INamedTypeSymbol type;
        private readonly LifetimeModel model;
        private readonly KnownTypes known;
        private readonly List<(IOperation Block, ISymbol Owner)> blocks;
        private readonly SymbolAnalysisContext context;
        private readonly DelegateCaptures captures = new();
        private readonly Dictionary<ISymbol, bool> clearedMembers = new(SymbolEqualityComparer.Default);
        private TimerCycles? cycles;
        private LifetimeSettings? settings;
        private SubscriptionTable? subscriptions;

        internal TypeAnalysis(INamedTypeSymbol type, LifetimeModel model, KnownTypes known, List<(IOperation Block, ISymbol Owner)> blocks, SymbolAnalysisContext context)
        {
            this.type = type;
            this.model = model;
            this.known = known;
            this.blocks = blocks;
            this.context = context;
        }

        internal void Run(List<(IOperation Operation, ISymbol Owner)> candidates)
        {
            foreach (var (operation, owner) in candidates)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                Cycles(operation);
                var block = operation;
                while (block.Parent is not null)
                {
                    block = block.Parent;
                }

                switch (operation)
                {
                    case ISimpleAssignmentOperation assignment:
                        StaticStorage(assignment.Target, assignment.Value, owner, block, collection: false);
                        break;
                    case ICompoundAssignmentOperation compound:
                        StaticStorage(compound.Target, compound.Value, owner, block, collection: false);
                        break;
                    case IEventAssignmentOperation subscription:
                        ProcessWideSubscription(subscription, owner, block);
                        break;
                    case IObjectCreationOperation creation:
                        TimerCreation(creation, block);
                        break;
                    case IInvocationOperation invocation:
                        Invocation(invocation, owner, block);
                        break;
                }
            }
        }

        private LifetimeSettings Settings(IOperation operation) =>
            settings ??= model.SettingsFor(context.Options, operation.Syntax.SyntaxTree);

        /// <summary>The type's timers and their cycles, with its lifetime facts (recorded from its blocks the first time a rule needs them).</summary>
        private TimerCycles Cycles(ISymbol symbol) => cycles ??= new TimerCycles(type, model, Settings(symbol), blocks, captures);

        private TimerCycles Cycles(IOperation operation) => cycles ??= new TimerCycles(type, model, Settings(operation), blocks, captures);

        private TypeLifetimeFacts Facts() => cycles!.Facts();

        private bool TypeIsLongLived(IOperation operation) => Cycles(operation).TypeIsLongLived;

        private LifetimeSettings Settings(ISymbol symbol) =>
            settings ??= model.SettingsFor(context.Options, symbol.Locations[0].SourceTree!);

        private void Invocation(IInvocationOperation invocation, ISymbol owner, IOperation block)
        {
            var method = invocation.TargetMethod;
            if (known.CancellationToken is not null &&
                method.Name is "Register" or "UnsafeRegister" &&
                SymbolEqualityComparer.Default.Equals(method.ContainingType, known.CancellationToken))
            {
                TokenRegistration(invocation, owner, block);
                return;
            }

            if (known.ThreadPool is not null &&
                method.Name is "RegisterWaitForSingleObject" or "UnsafeRegisterWaitForSingleObject" &&
                SymbolEqualityComparer.Default.Equals(method.ContainingType, known.ThreadPool))
            {
                WaitRegistration(invocation, block);
                return;
            }

            if (method.Name == "Subscribe" && known.Observable is not null)
            {
                RxTimerSubscription(invocation, block);
                return;
            }

            var fates = DelegateFates.For(context.Compilation);
            foreach (var argument in invocation.Arguments)
            {
                if (!IsDelegate(argument.Value))
                {
                    continue;
                }

                var fate = fates.OfArgument(argument, context.Options);
                var instance = invocation.Instance;
                switch (fate.Kind)
                {
                    case DelegateFateKind.KeptLongLived:
                        Passed(argument.Value, fate, invocation, owner, block, factory: null);
                        break;
                    case DelegateFateKind.ResultKeptLongLived:
                        foreach (var (returned, factory) in ReturnedDelegates(argument.Value))
                        {
                            Passed(returned, fate, invocation, owner, block, factory);
                        }

                        break;
                    case DelegateFateKind.KeptByReceiver when instance is not null:
                        KeptByReceiver(instance, argument.Value, fate, invocation, owner, block, factory: null);
                        break;
                    case DelegateFateKind.ResultKeptByReceiver when instance is not null:
                        foreach (var (returned, factory) in ReturnedDelegates(argument.Value))
                        {
                            KeptByReceiver(instance, returned, fate, invocation, owner, block, factory);
                        }

                        break;
                }
            }
        }

        private static bool IsDelegate(IOperation value) => Operations.SkipConversions(value)?.Type?.TypeKind == TypeKind.Delegate;

        /// <summary>
        /// The delegates a value factory returns (<c>_ =&gt; v =&gt; v.Length &lt;= max</c>): they are what the holder keeps,
        /// not the factory, which runs once and is dropped. Each with the factory's syntax, inside which nothing counts
        /// as captured (the key a factory is given is kept with its value on purpose).
        /// </summary>
        private static IEnumerable<(IOperation Returned, SyntaxNode Factory)> ReturnedDelegates(IOperation factory)
        {
            var inner = Operations.SkipConversions(factory);
            if (inner is IDelegateCreationOperation creation)
            {
                inner = Operations.SkipConversions(creation.Target);
            }

            if (inner is not IAnonymousFunctionOperation function)
            {
                yield break;
            }

            foreach (var node in function.Body.Descendants())
            {
                if (node is IReturnOperation { ReturnedValue: { } returned } && ReferenceEquals(FunctionScopes.EnclosingFunction(node), function) && IsDelegate(returned))
                {
                    yield return (returned, function.Syntax);
                }
            }
        }

        /// <summary>
        /// A capturing delegate given to a source method that keeps it (or, for a value factory, what it returns) in a
        /// static place, directly or through further calls: <c>Hooks.Register(() =&gt; Save())</c>.
        /// </summary>
        private void Passed(IOperation value, DelegateFate fate, IInvocationOperation invocation, ISymbol owner, IOperation block, SyntaxNode? factory)
        {
            if (!MayReportPassed(invocation, value, owner, block, factory, out var capture))
            {
                return;
            }

            var holder = fate.Holder is { } member ? Qualified(member, null) : null;
            var place = LifetimeModel.DescribePlace(holder, fate.Lifetime);
            Report(value, capture, "until the process ends", "held by " + place + Via(invocation, factory is not null), null, fate.Evidence);
        }

        /// <summary>
        /// A capturing delegate given to a method that keeps it (or what it returns) in its receiver, called on a static
        /// receiver: <c>GameEvents.OnPause.Add(() =&gt; Pause())</c>, <c>Rules.GetOrAdd(key, _ =&gt; v =&gt; ...)</c>.
        /// </summary>
        private void KeptByReceiver(IOperation instance, IOperation value, DelegateFate fate, IInvocationOperation invocation, ISymbol owner, IOperation block, SyntaxNode? factory)
        {
            if (fate.Holder is null)
            {
                // A framework collection: the receiver is the holder.
                StaticStorage(instance, value, owner, block, collection: true, factory is null ? null : ", returned by its value factory", factory);
                return;
            }

            if (!MayReportPassed(invocation, value, owner, block, factory, out var capture))
            {
                return;
            }

            var lifetime = model.Classify(instance, Facts(), Settings(value));
            if (lifetime.Lifetime != Lifetime.Static ||
                (DelegateFates.HolderOf(instance) is { } member && IsClearedByType(member)))
            {
                return;
            }

            Report(value, capture, "until the process ends", "held by " + LifetimeModel.DescribePlace(Name(instance), lifetime) + Via(invocation, factory is not null), null, fate.Evidence);
        }

        /// <summary>", through 'Register'" or ", returned by a factory given to 'Get'" (the holder already names the type).</summary>
        private static string Via(IInvocationOperation invocation, bool factory)
        {
            var name = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).Name;
            return factory ? ", returned by a factory given to '" + name + "'" : ", through '" + name + "'";
        }

        /// <summary>
        /// What every delegate handed to a method that keeps it must be, to be reported: it captures; a static member
        /// does not only pass on what it was given; a long-lived type does not only capture itself; the method hands
        /// back no undo (a disposable token, judged by the disposables family); and the call is not a subscription
        /// method of the events family's table (LEAK1xx).
        /// </summary>
        private bool MayReportPassed(IInvocationOperation invocation, IOperation value, ISymbol owner, IOperation block, SyntaxNode? factory, out Capture capture)
        {
            capture = default;
            if (type.IsStatic || DelegateFates.ReturnsAnUndo(invocation.TargetMethod))
            {
                return false;
            }

            capture = captures.Of(value, block, factory);
            if (!capture.Any || (!capture.CapturesThis && owner.IsStatic) ||
                (capture.CapturesThis && capture.Captured is null && TypeIsLongLived(value)))
            {
                return false;
            }

            return Subscriptions(invocation).SubscribeEntry(invocation) is null;
        }

        private SubscriptionTable Subscriptions(IOperation operation) =>
            subscriptions ??= SubscriptionTable.For(LeakOptions.For(context.Options, operation.Syntax.SyntaxTree), Descriptors.LEAK101HandlerNeverRemoved.Id);

        /// <summary><c>Static = delegate</c>, <c>Static += delegate</c>, <c>Static[key] = delegate</c>, <c>Static.Add(delegate)</c>.</summary>
        private void StaticStorage(IOperation target, IOperation value, ISymbol owner, IOperation block, bool collection, string? how = null, SyntaxNode? factory = null)
        {
            if (type.IsStatic || !IsDelegate(value) || Operations.SkipConversions(target) is IEventReferenceOperation)
            {
                return;
            }

            var capture = captures.Of(value, block, factory);
            if (!capture.Any)
            {
                return;
            }

            // A static member capturing its parameters stores what it was given on purpose: only 'this' or the locals of an instance member count.
            if (!capture.CapturesThis && owner.IsStatic)
            {
                return;
            }

            if (capture.CapturesThis && capture.Captured is null && TypeIsLongLived(value))
            {
                return;
            }

            var settings = Settings(value);
            var lifetime = model.Classify(target, Facts(), settings);
            if (lifetime.Lifetime != Lifetime.Static)
            {
                return;
            }

            if (DelegateFates.HolderOf(target) is { } member && IsClearedByType(member))
            {
                return;
            }

            Report(value, capture, "until the process ends", "held by " + LifetimeModel.DescribePlace(Name(target), lifetime, collection) + how, null);
        }

        /// <summary>
        /// <c>AppDomain.CurrentDomain.ProcessExit += (s, e) =&gt; subscription.Dispose();</c> in an instance member: a
        /// lambda that captures locals (not <c>this</c>: LEAK102 reports that one), added to an event of a static or
        /// process-wide publisher, can never be removed, and every call adds one more that keeps what it captured
        /// until the process ends. Not judged in static members (a start-up hook), nor in types that live as long as
        /// the process (their members run once).
        /// </summary>
        private void ProcessWideSubscription(IEventAssignmentOperation subscription, ISymbol owner, IOperation block)
        {
            if (type.IsStatic || owner.IsStatic || subscription.EventReference is not IEventReferenceOperation reference)
            {
                return;
            }

            var handler = subscription.HandlerValue;
            var capture = captures.Of(handler, block, null);
            if (!capture.Any || capture.CapturesThis || TypeIsLongLived(handler))
            {
                return;
            }

            var settings = Settings(handler);
            var lifetime = model.ClassifyEventPublisher(reference, Facts(), settings);
            if (lifetime.Lifetime != Lifetime.Static || model.OutlivesEverything(type, settings))
            {
                return;
            }

            var publisher = reference.Instance is null ? Qualified(reference.Event, null) : Name(reference.Instance) is { } instance ? instance + "." + reference.Event.Name : reference.Event.Name;
            var every = owner is IMethodSymbol { MethodKind: MethodKind.Constructor } ? $"by every '{type.Name}' created" : "on every call";
            Report(handler, capture, "until the process ends", $"added to '{publisher}' {every}, never removable", null);
        }

        /// <summary>
        /// Whether the type also takes delegates out of <paramref name="member"/>: assigns it null, removes with
        /// <c>-=</c>, or calls Remove, TryRemove, Clear (and the like) on it. Then it has a counterpart, which the rule
        /// trusts. Asked once per member (many delegates stored in one member cost one walk of the type).
        /// </summary>
        private bool IsClearedByType(ISymbol member)
        {
            member = member.OriginalDefinition;
            if (clearedMembers.TryGetValue(member, out var known))
            {
                return known;
            }

            var cleared = false;
            foreach (var (block, _) in blocks)
            {
                if (DelegateFates.TakesOut(block, member))
                {
                    cleared = true;
                    break;
                }
            }

            clearedMembers.Add(member, cleared);
            return cleared;
        }

        /// <summary>
        /// <c>new System.Threading.Timer(callback, ...)</c> kept in a static member, or in a field of the type that never
        /// stops or disposes it while the callback captures <c>this</c>.
        /// <para>
        /// The runtime's timer queue holds the callback, not the <c>Timer</c> object: a timer nothing references is
        /// collected and its finalizer stops it. So a dropped timer (or one in a local never used again) keeps its
        /// captures only until the next collection; it is a bug, the timer stops at a random moment, and LEAK002
        /// reports the dropped disposable. The leak is the cycle: the queue holds the callback, the callback holds this
        /// object, this object holds the timer, so nothing is ever collected.
        /// </para>
        /// </summary>
        private void TimerCreation(IObjectCreationOperation creation, IOperation block)
        {
            var callback = creation.Arguments.Length > 0 ? creation.Arguments[0].Value : null;
            var target = Operations.ParentSkippingConversions(creation, out _) switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                ICoalesceAssignmentOperation lazy => lazy.Target, // timer ??= new Timer(...)
                _ => null,
            };
            if (callback is null || target is null || Operations.SkipConversions(target) is not (IFieldReferenceOperation or IPropertyReferenceOperation))
            {
                return;
            }

            var capture = captures.Of(callback, block);
            if (Cycles(creation).IsCycle(creation, target, block))
            {
                // The rule page tells the cycle: the timer queue holds the callback, which holds this object, which holds
                // the timer. LEAK003 leaves this field to this rule (one root cause, one diagnostic).
                Report(callback, capture, "for good", "held by the timer in '" + Name(target) + "', which is never disposed", DisposeMemberFix(target));
                return;
            }

            if (!capture.Any || (capture.CapturesThis && capture.Captured is null && TypeIsLongLived(creation)) ||
                (Operations.SkipConversions(target) is IFieldReferenceOperation { Field: var timerField } && Cycles(creation).StoppedThroughACopy(timerField)))
            {
                return;
            }

            var lifetime = model.Classify(target, Facts(), Settings(creation));
            var isStaticMember = Operations.ReferencedStorage(Operations.SkipConversions(target))?.IsStatic == true;
            if (lifetime.Lifetime == Lifetime.Static && lifetime.Reason != LifetimeReason.Created && (isStaticMember || lifetime.Reason != LifetimeReason.RunningTimer))
            {
                Report(callback, capture, "until the timer is disposed", "held by the timer in " + LifetimeModel.DescribePlace(Name(target), lifetime), null);
            }
        }

        /// <summary>
        /// The property that lets the code fix dispose the member (a timer, an Rx subscription) in the type's Dispose:
        /// its name, for an instance member of this type declared in source.
        /// </summary>
        private ImmutableDictionary<string, string?>? DisposeMemberFix(IOperation target) =>
            Operations.ReferencedStorage(Operations.SkipConversions(target)) is { IsStatic: false } member &&
            SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, type.OriginalDefinition) &&
            type.TypeKind == TypeKind.Class
                ? ImmutableDictionary<string, string?>.Empty.Add(DisposeMemberProperty, member.Name)
                : null;

        /// <summary>
        /// <c>Observable.Interval(...).Subscribe(...)</c> (or another Rx periodic timer) whose callbacks capture
        /// <c>this</c> or a local and whose subscription is dropped or kept in a field nothing reads: the scheduler's
        /// timer holds the observer chain for good. Kept in a local never disposed, it is LEAK001's undisposed local.
        /// </summary>
        private void RxTimerSubscription(IInvocationOperation subscribe, IOperation block)
        {
            if (Cycles(subscribe).CapturingRxCallback(subscribe, block, out var capture) is not { } callback)
            {
                return;
            }

            // Subscribe(onNext, onError, token) returns nothing: the subscription ends when the token is cancelled, so it
            // is judged like a registration on that token (a source the method or the type creates is theirs to cancel).
            if (TokenArgument(subscribe, known.CancellationToken) is { } token)
            {
                var lifetime = model.Classify(token, Facts(), Settings(subscribe));
                if (!LifetimeModel.TokenRegistrationsMayOutliveSubject(lifetime, Settings(subscribe)) || IsOwnSourcesToken(token) || IsLocalSourcesToken(token))
                {
                    return;
                }

                Report(callback, capture, "until the token's source is cancelled or disposed", "its Rx timer subscription ends only with that token", null);
                return;
            }

            var result = ResultUse(subscribe, block, out var holder, out _);
            if (result is null || holder is IVariableInitializerOperation)
            {
                return;
            }

            var properties = holder is ISimpleAssignmentOperation { Target: var target } ? DisposeMemberFix(target) : null;
            Report(callback, capture, "for good", "its Rx timer subscription " + result, properties);
        }

        /// <summary><c>token.Register(callback)</c> on a token the type does not own, whose registration is never disposed.</summary>
        private void TokenRegistration(IInvocationOperation invocation, ISymbol owner, IOperation block)
        {
            var callback = FirstDelegateArgument(invocation);
            if (callback is null)
            {
                return;
            }

            var capture = captures.Of(callback, block);
            if (!capture.Any && StateKept(invocation) is { } state)
            {
                // `token.Register(s => ((TaskCompletionSource<bool>)s).SetResult(true), tcs)`: the callback captures
                // nothing, but the registration keeps the state it is given as long as it keeps the callback.
                capture = new Capture(string.IsNullOrEmpty(capture.Kind) ? KindOf(callback) : capture.Kind, state.Name, state.IsThis);
            }

            if (!capture.Any)
            {
                return;
            }

            var token = invocation.Instance;
            if (token is IConditionalAccessInstanceOperation)
            {
                for (var current = invocation.Parent; current is not null; current = current.Parent)
                {
                    if (current is IConditionalAccessOperation access)
                    {
                        token = access.Operation;
                        break;
                    }
                }
            }

            var lifetime = model.Classify(token, Facts(), Settings(invocation));
            if (!LifetimeModel.TokenRegistrationsMayOutliveSubject(lifetime, Settings(invocation)) || IsOwnSourcesToken(token) ||
                (!capture.CapturesThis && Operations.SkipConversions(token) is IParameterReferenceOperation &&
                 (CompletesTheReturnedTask(callback, block) || ReturnsTheStatesTask(invocation, block))))
            {
                return;
            }

            var result = ResultUse(invocation, block, out var holder, out var dropped);
            if (result is null)
            {
                return;
            }

            var cause = "its token registration " + result;
            ImmutableDictionary<string, string?>? properties = null;
            if (dropped && holder is IExpressionStatementOperation { IsImplicit: false } statement)
            {
                properties = ImmutableDictionary<string, string?>.Empty;
                if (statement.Operation == invocation &&
                    invocation.Syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 } &&
                    AwaitsLater(statement) &&
                    !EndsALifetime(callback))
                {
                    properties = properties.Add(UsingFixProperty, "true");
                }

                if (RunsOncePerObject(statement, owner))
                {
                    properties = properties.Add(FieldFixProperty, "true");
                }
            }

            Report(callback, capture, "until the token's source is cancelled or disposed", cause, properties);
        }

        /// <summary>
        /// <c>token.Register(s => ((TaskCompletionSource&lt;bool&gt;)s).TrySetCanceled(), tcs); return tcs.Task;</c>: the
        /// allocation-free form of the token-to-task adapter (<see cref="CompletesTheReturnedTask"/>).
        /// </summary>
        private static bool ReturnsTheStatesTask(IInvocationOperation registration, IOperation block)
        {
            ILocalSymbol? source = null;
            foreach (var argument in registration.Arguments)
            {
                if (argument.Parameter?.Name == "state" && Operations.SkipConversions(argument.Value) is ILocalReferenceOperation { Local: var local } &&
                    local.Type is { Name: "TaskCompletionSource", ContainingNamespace.Name: "Tasks" })
                {
                    source = local;
                }
            }

            return source is not null && ReturnsTheTaskOf(source, block);
        }

        private static string KindOf(IOperation callback) =>
            (Operations.SkipConversions(callback) is IDelegateCreationOperation creation ? Operations.SkipConversions(creation.Target) : Operations.SkipConversions(callback)) switch
            {
                IAnonymousFunctionOperation { Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousMethodExpressionSyntax } => "An anonymous method",
                IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } local } => "The local function '" + local.Name + "'",
                IMethodReferenceOperation { Method: var method } => "The method group '" + method.Name + "'",
                _ => "A lambda",
            };

        /// <summary>The local, parameter or <c>this</c> given as a registration's <c>state</c>; null for none (or a constant).</summary>
        private static (string? Name, bool IsThis)? StateKept(IInvocationOperation registration)
        {
            foreach (var argument in registration.Arguments)
            {
                if (argument.Parameter?.Name != "state" || argument.ArgumentKind != ArgumentKind.Explicit)
                {
                    continue;
                }

                return Operations.SkipConversions(argument.Value) switch
                {
                    ILocalReferenceOperation local => (local.Local.Name, false),
                    IParameterReferenceOperation parameter => (parameter.Parameter.Name, false),
                    IInstanceReferenceOperation => (null, true),
                    _ => null,
                };
            }

            return null;
        }

        private static IOperation? TokenArgument(IInvocationOperation call, INamedTypeSymbol? cancellationToken)
        {
            foreach (var argument in call.Arguments)
            {
                if (cancellationToken is not null && SymbolEqualityComparer.Default.Equals(argument.Value.Type, cancellationToken))
                {
                    return argument.Value;
                }
            }

            return null;
        }

        /// <summary>
        /// <c>token.Register(() => tcs.TrySetCanceled())</c> on the caller's token, in a method that returns <c>tcs.Task</c>:
        /// the registration is how the returned task completes (a token-to-task adapter); it holds only that completion
        /// source, which the caller awaits anyway. On a token the type keeps, every call would add one more.
        /// </summary>
        private static bool CompletesTheReturnedTask(IOperation callback, IOperation block)
        {
            if (Operations.SkipConversions(callback) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                ILocalSymbol? source = null;
                foreach (var operation in lambda.Body.Descendants())
                {
                    switch (operation)
                    {
                        case IInvocationOperation { Instance: ILocalReferenceOperation local, TargetMethod.Name: var name }
                            when local.Local.Type.Name == "TaskCompletionSource" &&
                                 (name.StartsWith("TrySet", System.StringComparison.Ordinal) || name.StartsWith("Set", System.StringComparison.Ordinal)):
                            if (source is not null && !SymbolEqualityComparer.Default.Equals(source, local.Local))
                            {
                                return false;
                            }

                            source = local.Local;
                            break;
                        case ILocalReferenceOperation or IReturnOperation or IBlockOperation or IExpressionStatementOperation or IArgumentOperation or ILiteralOperation or IConversionOperation:
                            break;
                        default:
                            return false;
                    }
                }

                return source is not null && ReturnsTheTaskOf(source, block);
            }

            return false;
        }

        /// <summary><c>return tcs.Task;</c> somewhere in the block, for the completion source in <paramref name="source"/>.</summary>
        private static bool ReturnsTheTaskOf(ILocalSymbol source, IOperation block)
        {
            foreach (var operation in block.Descendants())
            {
                if (operation is IReturnOperation { ReturnedValue: var returned } &&
                    Operations.SkipConversions(returned) is IPropertyReferenceOperation { Property.Name: "Task", Instance: ILocalReferenceOperation task } &&
                    SymbolEqualityComparer.Default.Equals(task.Local, source))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>cts.Token</c> of a source the method creates in a local: the method decides when it ends.</summary>
        private static bool IsLocalSourcesToken(IOperation? token) =>
            Operations.SkipConversions(token) is IPropertyReferenceOperation { Property.Name: "Token", Instance: var instance } &&
            Operations.SkipConversions(instance) is ILocalReferenceOperation;

        /// <summary>
        /// <c>source.Token</c> where <c>source</c> is a field of this type (static too) that the type only ever fills
        /// with a new <c>CancellationTokenSource</c>: the type's own source, whose registrations are its own design
        /// (a static shutdown source set up once), not a token it was given.
        /// </summary>
        private bool IsOwnSourcesToken(IOperation? token)
        {
            if (Operations.SkipConversions(token) is not IPropertyReferenceOperation { Property.Name: "Token", Instance: var instance } ||
                Operations.SkipConversions(instance) is not IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } ||
                !SymbolEqualityComparer.Default.Equals(field.ContainingType?.OriginalDefinition, type.OriginalDefinition))
            {
                return false;
            }

            var assignments = Facts().AssignmentsOf(field);
            foreach (var assigned in assignments)
            {
                if (!Operations.IsNullOrDefault(assigned.Value) && Operations.SkipConversions(assigned.Value) is not IObjectCreationOperation)
                {
                    return false;
                }
            }

            return !assignments.IsEmpty;
        }

        /// <summary>
        /// Whether the callback stops something (<c>Stop</c>, <c>StopAsync</c>, ...): then the registration ties the token
        /// to the life of what was started, not to the work the method awaits, and a <c>using</c> local would end it when
        /// the method returns (CryptoExchange.Net's <c>ct.Register(async () => await processor.StopAsync())</c> after
        /// <c>processor.StartAsync()</c>). <c>Close</c> and <c>Dispose</c> do not count: closing a socket or a stream is
        /// the usual way to abort the very call the method awaits.
        /// </summary>
        private static bool EndsALifetime(IOperation callback)
        {
            foreach (var operation in callback.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation { TargetMethod.Name: var name } &&
                    name.StartsWith("Stop", System.StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>ThreadPool.RegisterWaitForSingleObject(handle, callback, ...)</c> whose handle is never unregistered.</summary>
        private void WaitRegistration(IInvocationOperation invocation, IOperation block)
        {
            var callback = FirstDelegateArgument(invocation);
            if (callback is null)
            {
                return;
            }

            var capture = captures.Of(callback, block);
            if (!capture.Any || (capture.CapturesThis && capture.Captured is null && TypeIsLongLived(invocation)))
            {
                return;
            }

            if (ResultUse(invocation, block, out _, out _) is null)
            {
                return;
            }

            Report(callback, capture, "until its wait handle is signalled for the last time", "its thread-pool wait is never unregistered", null);
        }

        private static IOperation? FirstDelegateArgument(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.Type?.TypeKind == TypeKind.Delegate)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        /// <summary>
        /// How the result of a registration is used: null when it is kept where it can be disposed (a using, a local or
        /// field that is read again, an argument, a return); else the phrase for the message. <paramref name="dropped"/>:
        /// the result is thrown away by an expression statement or a discard.
        /// </summary>
        private string? ResultUse(IOperation registration, IOperation block, out IOperation? holder, out bool dropped)
        {
            dropped = false;
            IOperation current = registration;
            var parent = Operations.ParentSkippingConversions(current, out _);
            while (parent is IConditionalAccessOperation access && access.WhenNotNull == current)
            {
                current = access;
                parent = Operations.ParentSkippingConversions(current, out _);
            }

            holder = parent;
            switch (parent)
            {
                case IExpressionStatementOperation:
                case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                    dropped = true;
                    return "is dropped";
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when
                    !IsUsingDeclared(declarator) &&
                    !IsReferenced(block, declarator.Symbol):
                    return "is kept in '" + declarator.Symbol.Name + "', which is never disposed";
                case ISimpleAssignmentOperation { Target: var target } when Operations.SkipConversions(target) is IFieldReferenceOperation { Field: var field } &&
                    SymbolEqualityComparer.Default.Equals(field.ContainingType?.OriginalDefinition, type.OriginalDefinition) &&
                    !Cycles(field).FieldIsReadAnywhere(field):
                    return "is kept in '" + field.Name + "', which is never disposed";
                default:
                    return null;
            }
        }

        /// <summary><c>using var x = ...</c> or <c>using (var x = ...)</c>: declarator, declaration, group, using.</summary>
        private static bool IsUsingDeclared(IVariableDeclaratorOperation declarator)
        {
            var current = declarator.Parent;
            for (var i = 0; i < 3 && current is not null; i++, current = current.Parent)
            {
                if (current is IUsingOperation or IUsingDeclarationOperation)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsReferenced(IOperation block, ILocalSymbol local)
        {
            foreach (var operation in block.Descendants())
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether <paramref name="statement"/> runs once per object of a class: in an instance constructor, not in a
        /// loop, lambda or local function. A struct is left out: its copies would share the registration, and the
        /// copy that is disposed need not be the one that holds it.
        /// </summary>
        private bool RunsOncePerObject(IExpressionStatementOperation statement, ISymbol owner)
        {
            if (type.TypeKind != TypeKind.Class || owner is not IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false })
            {
                return false;
            }

            for (var current = statement.Parent; current is not null; current = current.Parent)
            {
                if (current is ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Whether a later statement of the same block awaits: the work the registration guards is in this method.
        /// An await inside a lambda or local function of a later statement does not count: that work runs later.
        /// </summary>
        private static bool AwaitsLater(IExpressionStatementOperation statement)
        {
            if (statement.Parent is not IBlockOperation parentBlock)
            {
                return false;
            }

            var after = false;
            foreach (var sibling in parentBlock.Operations)
            {
                if (sibling == statement)
                {
                    after = true;
                    continue;
                }

                if (!after)
                {
                    continue;
                }

                if (Awaits(sibling))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the operation awaits, not counting lambdas and local functions (walked with a stack: expressions can nest deeply).</summary>
        private static bool Awaits(IOperation operation)
        {
            var pending = new Stack<IOperation>();
            pending.Push(operation);
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case IAwaitOperation:
                    case IUsingOperation { IsAsynchronous: true }:
                    case IUsingDeclarationOperation { IsAsynchronous: true }:
                    case IForEachLoopOperation { IsAsynchronous: true }:
                        return true;
                    case IAnonymousFunctionOperation:
                    case ILocalFunctionOperation:
                        break;
                    case var other:
                        foreach (var child in other.ChildOperations)
                        {
                            pending.Push(child);
                        }

                        break;
                }
            }

            return false;
        }

        /// <summary>"A lambda keeps this 'Poller' alive until the process ends: held by the static 'Hooks.OnTick'".</summary>
        private void Report(IOperation @delegate, Capture capture, string until, string cause, ImmutableDictionary<string, string?>? properties, IOperation? evidence = null)
        {
            var additional = evidence?.Syntax.GetLocation() is { IsInSource: true } location ? new[] { location } : null;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK301CapturingDelegateKeptAlive,
                DelegateSyntax(@delegate).GetLocation(),
                additional,
                properties,
                capture.Kind,
                capture.What(type),
                until,
                cause));
        }

        private static SyntaxNode DelegateSyntax(IOperation @delegate)
        {
            var inner = Operations.SkipConversions(@delegate);
            if (inner is IDelegateCreationOperation { Target: { } target } creation && creation.IsImplicit)
            {
                return target.Syntax;
            }

            return inner?.Syntax ?? @delegate.Syntax;
        }

        private static string? Name(IOperation? operation) =>
            Operations.SkipConversions(operation) switch
            {
                IFieldReferenceOperation field => Qualified(field.Field, field.Instance),
                IPropertyReferenceOperation { Arguments.Length: 0 } property => Qualified(property.Property, property.Instance),
                IPropertyReferenceOperation indexer => Name(indexer.Instance),
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                ILocalReferenceOperation local => local.Local.Name,
                _ => null,
            };

        private static string Qualified(ISymbol member, IOperation? instance)
        {
            if (member.IsStatic)
            {
                return member.ContainingType is { } containing ? containing.Name + "." + member.Name : member.Name;
            }

            return instance is null or IInstanceReferenceOperation ? member.Name : (Name(instance) is { } owner ? owner + "." + member.Name : member.Name);
        }
    }
}
