namespace LeakAnalyzers.Events;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>Why a <c>+=</c> runs many times.</summary>
internal enum RepetitionKind
{
    /// <summary>In a lifecycle method such as <c>OnAppearing</c>.</summary>
    Method,

    /// <summary>In a property getter.</summary>
    Getter,

    /// <summary>In a loop, on a publisher that does not change between iterations.</summary>
    Loop,

    /// <summary>In a method that subscribes to a publisher it is given, with no removal anywhere in the type.</summary>
    Registration,

    /// <summary>In a public registration method that the compilation calls more than once with the same argument.</summary>
    RegistrationTwice,
}

/// <summary>Where a repeated <c>+=</c> runs and what could undo it.</summary>
internal sealed class Repetition
{
    internal Repetition(RepetitionKind kind, string name, ImmutableArray<string> counterparts, string? argument = null)
    {
        Kind = kind;
        Name = name;
        Counterparts = counterparts;
        Argument = argument;
    }

    /// <summary>For <see cref="RepetitionKind.RegistrationTwice"/>: the argument the method is called with more than once.</summary>
    internal string? Argument { get; }

    internal RepetitionKind Kind { get; }

    /// <summary>The method or property name.</summary>
    internal string Name { get; }

    internal ImmutableArray<string> Counterparts { get; }
}

/// <summary>
/// Every <c>+=</c> and <c>-=</c> of events in one type's own code (lambdas and local functions included, nested
/// types excluded: they are analyzed on their own), collected by a symbol-start action on the type and judged at
/// its end, so that diagnostics appear while typing. The five event rules share this; each reports its own finding.
/// </summary>
internal sealed class TypeEvents
{
    /// <summary>The names of the diagnostic properties that tell the code fixes what to write.</summary>
    internal static class Fix
    {
        /// <summary>The event, as an expression valid anywhere in the type (<c>Settings.Default.PropertyChanged</c>, <c>this.bus.Published</c>).</summary>
        internal const string EventAccess = "EventAccess";

        /// <summary>An own member that may be null when the removal runs (declared nullable): the removal is wrapped in a null check.</summary>
        internal const string Guard = "Guard";

        /// <summary>The handler, as an expression valid anywhere in the type.</summary>
        internal const string Handler = "Handler";

        /// <summary>LEAK103: the handler that was added, to remove instead.</summary>
        internal const string Replacement = "Replacement";

        /// <summary>LEAK103: a <c>+=</c> in a teardown method that was meant as <c>-=</c>.</summary>
        internal const string AddMeantRemove = "AddMeantRemove";

        /// <summary>LEAK105: the counterpart method where the removal belongs.</summary>
        internal const string Counterpart = "Counterpart";

        /// <summary>A whole statement that undoes a subscription made by a call (<c>bus.Unsubscribe(OnSaved);</c>), valid anywhere in the type.</summary>
        internal const string Removal = "Removal";
    }

    private readonly object gate = new();
    private readonly List<(IOperation Operation, ISymbol Member, SubscriptionApi? Api, bool IsAdd)> collected = new();
    private readonly List<(ImmutableArray<IOperation> Blocks, ISymbol Owner)> blocks = new();
    private readonly ConcurrentDictionary<Subscription, LifetimeInfo> publishers = new();
    private readonly LifetimeModel model;
    private AnalyzerOptions? options;

    private readonly string ruleId;
    private readonly Compilation compilation;

    private TypeEvents(INamedTypeSymbol type, LifetimeModel model, string ruleId, Compilation compilation)
    {
        Type = type;
        this.model = model;
        this.ruleId = ruleId;
        this.compilation = compilation;
        Facts = new TypeLifetimeFacts(type);
    }

    internal INamedTypeSymbol Type { get; }

    internal TypeLifetimeFacts Facts { get; }

    internal ImmutableArray<Subscription> Adds { get; private set; } = ImmutableArray<Subscription>.Empty;

    internal ImmutableArray<Subscription> Removals { get; private set; } = ImmutableArray<Subscription>.Empty;

    /// <summary>
    /// Registers the per-type collection for one rule and calls <paramref name="analyze"/> at the end of every type
    /// that adds or removes a handler.
    /// </summary>
    internal static void Register(AnalysisContext context, string ruleId, Action<SymbolAnalysisContext, TypeEvents> analyze)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var model = LifetimeModel.Create(start.Compilation, ruleId);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (symbolStart.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type)
                    {
                        return;
                    }

                    var assigns = MayAssignEvents(type, symbolStart.CancellationToken);
                    var calls = MayCallSubscriptionMethods(type, symbolStart.Options, ruleId, symbolStart.CancellationToken);
                    if (!assigns && !calls)
                    {
                        return;
                    }

                    var events = new TypeEvents(type, model, ruleId, start.Compilation);
                    symbolStart.RegisterOperationBlockAction(events.CollectBlocks);
                    if (assigns)
                    {
                        symbolStart.RegisterOperationAction(events.Collect, OperationKind.EventAssignment);
                    }

                    if (calls)
                    {
                        symbolStart.RegisterOperationAction(events.CollectCall, OperationKind.Invocation);
                    }
                    symbolStart.RegisterSymbolEndAction(end =>
                    {
                        if (events.Complete(end.Options))
                        {
                            analyze(end, events);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// The cheap filter: a type whose source text has no <c>+=</c> or <c>-=</c> cannot subscribe to anything. The
    /// positions of those operators are found once per tree (ordinal searches, shared by the five rules) and looked
    /// up per declaration.
    /// </summary>
    private static bool MayAssignEvents(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken) =>
        SourceNames.MentionedIn(type, _ => AssignmentOperators, cancellationToken);

    private static readonly ImmutableArray<string> AssignmentOperators = ImmutableArray.Create("+=", "-=");

    /// <summary>
    /// The cheap filter for subscription methods that are not events: the type's source text names one of the
    /// table's subscribe or undo methods as a whole identifier. The occurrences are found once per tree and shared
    /// by the five rules (<see cref="SourceNames"/>).
    /// </summary>
    private static bool MayCallSubscriptionMethods(INamedTypeSymbol type, AnalyzerOptions options, string ruleId, System.Threading.CancellationToken cancellationToken) =>
        SourceNames.MentionedIn(type, tree => SubscriptionTable.For(LeakOptions.For(options, tree), ruleId).MethodNames, cancellationToken);

    private void Collect(OperationAnalysisContext context)
    {
        if (context.Operation is IEventAssignmentOperation assignment &&
            Operations.SkipConversions(assignment.EventReference) is IEventReferenceOperation &&
            SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType?.OriginalDefinition, Type.OriginalDefinition))
        {
            lock (gate)
            {
                collected.Add((assignment, context.ContainingSymbol, null, assignment.Adds));
            }
        }
    }

    /// <summary>A call of a subscription method of the table, or of a method that undoes one.</summary>
    private void CollectCall(OperationAnalysisContext context)
    {
        if (context.Operation is not IInvocationOperation invocation ||
            !SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType?.OriginalDefinition, Type.OriginalDefinition))
        {
            return;
        }

        var table = SubscriptionTable.For(LeakOptions.For(context.Options, invocation.Syntax.SyntaxTree), ruleId);
        if (!table.MayMatch(invocation.TargetMethod.Name))
        {
            return;
        }

        if (table.SubscribeEntry(invocation) is { } api)
        {
            lock (gate)
            {
                collected.Add((invocation, context.ContainingSymbol, api, true));
            }

            return;
        }

        if (table.UndoEntry(invocation) is { } undone)
        {
            lock (gate)
            {
                collected.Add((invocation, context.ContainingSymbol, undone, false));
            }
        }
    }

    /// <summary>Keeps the operation blocks of every member: the lifetime facts are read from them only when the type assigns an event.</summary>
    private void CollectBlocks(OperationBlockAnalysisContext context)
    {
        lock (gate)
        {
            blocks.Add((context.OperationBlocks, context.OwningSymbol));
        }
    }

    private bool Complete(AnalyzerOptions analyzerOptions)
    {
        options = analyzerOptions;
        lock (gate)
        {
            if (collected.Count == 0)
            {
                return false;
            }

            foreach (var (roots, owner) in blocks)
            {
                foreach (var root in roots)
                {
                    Facts.RecordAll(root, owner);
                }
            }
        }

        var adds = ImmutableArray.CreateBuilder<Subscription>();
        var removals = ImmutableArray.CreateBuilder<Subscription>();
        lock (gate)
        {
            foreach (var (operation, member, api, isAdd) in collected)
            {
                var subscription = api is null
                    ? new Subscription((IEventAssignmentOperation)operation, member, Facts)
                    : new Subscription((IInvocationOperation)operation, api, isAdd, member, Facts);
                (subscription.IsAdd ? adds : removals).Add(subscription);
            }
        }

        Adds = adds.ToImmutable();
        Removals = removals.ToImmutable();
        return Adds.Length + Removals.Length > 0;
    }

    internal LifetimeSettings SettingsFor(Subscription subscription) =>
        model.SettingsFor(options!, subscription.Operation.Syntax.SyntaxTree);

    /// <summary>How long the publisher of <paramref name="subscription"/> lives relative to this type.</summary>
    /// <summary>The compilation's source summaries (read-only use), to read the bodies of other types' members.</summary>
    private SourceOwnership? Source() =>
        compilation.GetSpecialType(SpecialType.System_IDisposable) is { TypeKind: not TypeKind.Error } disposable
            ? SourceOwnership.For(compilation, disposable)
            : null;

    internal LifetimeInfo PublisherOf(Subscription subscription) =>
        publishers.GetOrAdd(subscription, Classify);

    private LifetimeInfo Classify(Subscription subscription)
    {
        var settings = SettingsFor(subscription);
        if (subscription.Reference is { } reference)
        {
            var publisher = model.ClassifyEventPublisher(reference, Facts, settings);
            return reference.Event.AddMethod is { IsImplicitlyDeclared: false, DeclaringSyntaxReferences.Length: > 0 }
                ? Forwarding.Publisher(subscription, publisher, model, Facts, settings, Source())
                : publisher;
        }

        if (subscription.IsStatic)
        {
            var processWide = subscription.ContainingType is { } type && settings.ProcessWideEventTypes.Contains(SymbolNames.FullMetadataName(type));
            return LifetimeInfo.Of(Lifetime.Static, processWide ? LifetimeReason.ProcessWide : LifetimeReason.StaticMember, subscription.Call!.TargetMethod);
        }

        var receiver = Operations.SkipConversions(subscription.Instance);
        var lifetime = model.Classify(receiver, Facts, settings);
        if (lifetime.Lifetime == Lifetime.Unknown && receiver is IInvocationOperation { Instance: { } owner, Arguments.Length: 0 })
        {
            // aggregator.GetEvent<Saved>(): what a parameterless accessor hands out lives in its owner.
            var ownerLifetime = model.Classify(owner, Facts, settings);
            if (ownerLifetime.Lifetime != Lifetime.Unknown)
            {
                return ownerLifetime.AsReached();
            }
        }

        return lifetime;
    }

    /// <summary>The removals in this type that may undo <paramref name="add"/>.</summary>
    internal IEnumerable<Subscription> RemovalsOf(Subscription add)
    {
        foreach (var removal in Removals)
        {
            if (Subscription.Removes(removal, add))
            {
                yield return removal;
            }
        }
    }

    /// <summary>Whether a <c>-=</c> (or an undo call) of this type may undo <paramref name="add"/>, or a <c>+=</c> in a teardown method that was meant to (<see cref="MistypedRemovalsOf"/>).</summary>
    internal bool IsRemoved(Subscription add) => HasRemoval(add) || MistypedRemovalsOf(add).Any();

    /// <summary>Whether a <c>-=</c> (or an undo call) of this type may undo <paramref name="add"/>.</summary>
    internal bool HasRemoval(Subscription add)
    {
        foreach (var _ in RemovalsOf(add))
        {
            return true;
        }

        return false;
    }

    /// <summary>Methods whose <c>+=</c> can only be a mistyped <c>-=</c>: they end the object's subscriptions.</summary>
    private static readonly ImmutableHashSet<string> TeardownMethods = ImmutableHashSet.Create(
        "Dispose", "DisposeAsync", "DisposeAsyncCore", "DisposeCore", "Unsubscribe", "UnsubscribeEvents", "Unhook", "UnhookEvents",
        "Detach", "DetachEvents", "OnDetaching", "OnDetachedFromVisualTree", "OnDetachedFromLogicalTree", "OnUnloaded");

    private static bool IsTeardown(Subscription subscription) =>
        subscription.Function is null && subscription.Member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method &&
        TeardownMethods.Contains(method.Name);

    /// <summary>
    /// LEAK103's "removal written as an addition": the <c>+=</c> of a teardown method (<c>Dispose</c>,
    /// <c>DisposeAsyncCore</c>, <c>Unsubscribe</c>, ...) that adds, by method group, a handler this type already
    /// adds elsewhere to the same event and never removes. The other rules take it as the removal it was meant to be.
    /// </summary>
    internal IEnumerable<Subscription> MistypedRemovalsOf(Subscription add)
    {
        if (IsTeardown(add) || !add.IsAdd || HasRemoval(add))
        {
            yield break;
        }

        foreach (var teardown in Adds)
        {
            if (!ReferenceEquals(teardown, add) && teardown.Reference is not null &&
                teardown.Handler is { Kind: HandlerKind.MethodGroup, IsWildcard: false } && IsTeardown(teardown) &&
                Subscription.SameChannel(teardown, add) && Subscription.SamePublisher(teardown, add) &&
                Handler.Removes(teardown.Handler, add.Handler))
            {
                yield return teardown;
            }
        }
    }

    /// <summary>The additions elsewhere that <paramref name="teardown"/> was meant to remove, when it is a mistyped removal.</summary>
    internal List<Subscription> MeantToRemove(Subscription teardown)
    {
        var meant = new List<Subscription>();
        if (!IsTeardown(teardown) || !teardown.IsAdd)
        {
            return meant;
        }

        foreach (var add in Adds)
        {
            if (!ReferenceEquals(add, teardown) && MistypedRemovalsOf(add).Contains(teardown))
            {
                meant.Add(add);
            }
        }

        return meant;
    }

    /// <summary>
    /// A <c>+=</c> that keeps this object alive through a publisher that may outlive it: the handler is bound to
    /// <c>this</c>; the publisher is static, process-wide or given from outside; the event is not weak; this type
    /// is not itself as long-lived as the process; and the <c>+=</c> is not a repeated one (LEAK105's).
    /// </summary>
    internal bool IsLeakCandidate(Subscription add, out LifetimeInfo publisher) =>
        IsLeakCandidate(add, ignoreRepetition: false, out publisher);

    /// <summary>As <see cref="IsLeakCandidate(Subscription, out LifetimeInfo)"/>, optionally including repeated subscriptions.</summary>
    internal bool IsLeakCandidate(Subscription add, bool ignoreRepetition, out LifetimeInfo publisher)
    {
        publisher = default;
        if (!add.IsAdd || !add.Handler.BoundToThis || Type.TypeKind != TypeKind.Class || IsWeak(add) || IsTheTokensBusiness(add) ||
            MeantToRemove(add).Count > 0 || EndsWithItsPublisher(add))
        {
            return false;
        }

        var settings = SettingsFor(add);
        publisher = PublisherOf(add);
        if (LifetimeModel.MayHold(add.Instance?.Type, Type))
        {
            // Companions: the publisher holds its subscriber anyway, whether it was given (an editor and its
            // adornment) or reached through a static (the game behind `Client.Game` and the audio manager it keeps).
            return false;
        }

        if (publisher.Lifetime == Lifetime.External && ParentParts.IsSiblingPart(add.Instance, Type, Facts, compilation, Source(), System.Threading.CancellationToken.None))
        {
            return false; // parts of one parent: both die with it.
        }

        if (publisher.Lifetime == Lifetime.External && ParentParts.OnlyAttached(Type, compilation, Source(), System.Threading.CancellationToken.None))
        {
            return false; // attached on purpose: created and let go, kept by what it subscribes to and nothing else.
        }

        if (publisher.Lifetime == Lifetime.External && ParentParts.GivenOnlyNewPublishers(add.Instance, Type, Facts, compilation, Source(), System.Threading.CancellationToken.None))
        {
            return false; // a decorator over an object made for it alone: the publisher dies with its subscriber.
        }

        if (publisher.Lifetime == Lifetime.External && ParentParts.GivenOnlyByItsCreator(add.Instance, Type, Facts, compilation, Source(), System.Threading.CancellationToken.None))
        {
            return false; // a helper its creator builds over itself: both die with the creator.
        }

        return LifetimeModel.MayOutliveSubject(publisher, settings) &&
               !model.OutlivesEverything(Type, settings) &&
               (ignoreRepetition || RepetitionOf(add) is null);
    }

    /// <summary>
    /// <c>host.Disposed += (s, e) =&gt; Dispose();</c>: a companion built for its publisher, that ends itself when the
    /// publisher ends, is meant to live exactly as long as it. None of its subscriptions to that publisher keeps it
    /// longer than intended.
    /// </summary>
    private bool EndsWithItsPublisher(Subscription add)
    {
        if (PublisherSymbol(add.Instance) is not { } publisher)
        {
            return false;
        }

        foreach (var other in Adds)
        {
            if (other.Event is { Name: "Disposed" or "Closed" or "FormClosed" or "HandleDestroyed" or "Unloaded" } &&
                SymbolEqualityComparer.Default.Equals(PublisherSymbol(other.Instance), publisher) &&
                EndsThis(other.Handler.Value))
            {
                return true;
            }
        }

        return false;

        static ISymbol? PublisherSymbol(IOperation? instance) =>
            Operations.SkipConversions(instance) switch
            {
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
                IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Arguments.Length: 0 } property => property.Property,
                IParameterReferenceOperation parameter => parameter.Parameter,
                ILocalReferenceOperation local => local.Local,
                _ => null,
            };

        static bool EndsThis(IOperation handler) =>
            (Operations.SkipConversions(handler) is IDelegateCreationOperation { Target: var target } ? target : Operations.SkipConversions(handler)) switch
            {
                IMethodReferenceOperation { Method.Name: "Dispose" or "Close", Instance: IInstanceReferenceOperation } => true,
                IAnonymousFunctionOperation function => function.Body.Descendants().Any(node =>
                    node is IInvocationOperation { TargetMethod.Name: "Dispose" or "Close", Instance: IInstanceReferenceOperation }),
                _ => false,
            };
    }

    /// <summary>
    /// Weak-event patterns keep nothing alive: events known to hold handlers weakly, code inside a weak-event
    /// helper (a method named like <c>AddWeak*</c> or <c>WeakSubscribe</c>), types that are weak-event listeners or managers.
    /// </summary>
    internal bool IsWeak(Subscription subscription)
    {
        if (subscription.Call is { } call && subscription.Api is { } api && !api.HoldsStrongly(call))
        {
            return true;
        }

        if ((subscription.Event is { } @event && KnownLifetimes.WeakEvents.Contains(SymbolNames.MemberKey(@event.ContainingType, @event.Name))) ||
            subscription.Member.Name.IndexOf("Weak", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        for (var type = Type; type is not null; type = type.BaseType)
        {
            if (KnownLifetimes.WeakEventTypes.Contains(SymbolNames.FullMetadataName(type)))
            {
                return true;
            }
        }

        foreach (var @interface in Type.AllInterfaces)
        {
            if (KnownLifetimes.WeakEventTypes.Contains(SymbolNames.FullMetadataName(@interface)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call that returns a token undoing it (<c>IObservable&lt;T&gt;.Subscribe</c>) is the disposables family's when the
    /// token is the only undo (LEAK002 reports a dropped token, LEAK003 and LEAK004 one that is kept and never
    /// disposed), and when the call keeps the token (whoever has it can end the subscription).
    /// </summary>
    internal static bool IsTheTokensBusiness(Subscription add) =>
        add.Api is { } api && api.Undo.Contains(SubscriptionApi.DisposeToken) && (api.IsUndoneByTokenOnly || add.KeepsToken);

    /// <summary>
    /// Where <paramref name="add"/> runs many times on the same publisher with nothing to undo it, or null: a loop
    /// over a publisher that does not change, a property getter, a lifecycle method whose counterpart (and the own
    /// methods it calls) does not remove it. Silent when the <c>+=</c> is guarded (by a flag, a condition, an early
    /// return), when the same method removes it first, or when the method gives the publisher a new value.
    /// </summary>
    internal Repetition? RepetitionOf(Subscription add)
    {
        if (!add.IsAdd || !add.Handler.BoundToThis || IsWeak(add) || IsTheTokensBusiness(add))
        {
            return null;
        }

        var publisher = PublisherOf(add);
        if (publisher.Lifetime is Lifetime.Self or Lifetime.Local)
        {
            return null;
        }

        if (EnclosingLoop(add) is { } loop && IsStableIn(add, loop.Body, allowParameters: true) && !IsGuarded(add, loop))
        {
            return IsRemovedIn(add, add.Member) ? null : new Repetition(RepetitionKind.Loop, add.Member.Name, ImmutableArray<string>.Empty);
        }

        if (Registration(add, publisher) is { } registration)
        {
            return registration;
        }

        if (add.Function is not null || add.Member is not IMethodSymbol method || !IsStableIn(add, add.Root, allowParameters: false) || IsGuarded(add, null))
        {
            return null;
        }

        Repetition? repetition = null;
        if (method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is IPropertySymbol property)
        {
            repetition = new Repetition(RepetitionKind.Getter, property.Name, ImmutableArray<string>.Empty);
        }
        else if (method.MethodKind == MethodKind.Ordinary)
        {
            var settings = SettingsFor(add);
            if (method.IsOverride)
            {
                repetition = Find(settings.RepeatingOverrides, method.Name);
            }

            repetition ??= Find(settings.RepeatingMethods, method.Name);
            if (repetition is null && method.Name.EndsWith(KnownLifetimes.LoadedHandlerSuffix, StringComparison.Ordinal) && method.Parameters.Length == 2)
            {
                var prefix = method.Name.Substring(0, method.Name.Length - KnownLifetimes.LoadedHandlerSuffix.Length);
                repetition = new Repetition(RepetitionKind.Method, method.Name, ImmutableArray.Create(prefix + KnownLifetimes.UnloadedHandlerSuffix));
            }
        }

        if (repetition is null || IsRemovedIn(add, method))
        {
            return null;
        }

        foreach (var counterpart in repetition.Counterparts)
        {
            foreach (var member in Type.GetMembers(counterpart))
            {
                if (member is IMethodSymbol counterpartMethod && IsRemovedIn(add, counterpartMethod))
                {
                    return null;
                }
            }
        }

        return repetition;

        static Repetition? Find(ImmutableArray<RepeatingMethod> table, string name)
        {
            foreach (var entry in table)
            {
                if (string.Equals(entry.Name, name, StringComparison.Ordinal))
                {
                    return new Repetition(RepetitionKind.Method, name, entry.Counterparts);
                }
            }

            return null;
        }
    }

    /// <summary>
    /// A method that subscribes a method of this object (or this object as the subscriber) to a publisher it is
    /// given as a parameter and does not keep (<c>void Attach(Bus bus) =&gt; bus.Published += OnPublished;</c>) runs once per call: without a removal anywhere in the type, every call adds one more
    /// subscription (and keeps this object alive as long as each publisher); with one, a public registration-style
    /// method (<c>Register</c>, <c>Attach</c>, <c>Add...</c>) still piles handlers up when the compilation calls it more
    /// than once with the same argument (<see cref="RegistrationCalls"/>). Constructors, lambdas, guarded
    /// subscriptions and event handlers' parameters do not count.
    /// </summary>
    private Repetition? Registration(Subscription add, LifetimeInfo publisher)
    {
        if (add.Function is not null ||
            add.Member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method ||
            add.Handler.Kind is not (HandlerKind.MethodGroup or HandlerKind.Subscriber) ||
            publisher is not { Lifetime: Lifetime.External, Reason: LifetimeReason.MethodParameter, Source: IParameterSymbol parameter } ||
            !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, method.OriginalDefinition) ||
            RootOfChain(add.Instance) is not IParameterReferenceOperation { Parameter: var written } ||
            !SymbolEqualityComparer.Default.Equals(written, parameter) ||
            Facts.MemberStoring(parameter) is not null ||
            StoredByABaseOrOwnCall(add.Root, parameter) ||
            IsGuarded(add, null))
        {
            return null;
        }

        if (!IsRemoved(add))
        {
            return new Repetition(RepetitionKind.Registration, method.Name, ImmutableArray<string>.Empty);
        }

        if (method.DeclaredAccessibility != Accessibility.Public || !IsRegistrationName(method.Name) || IsRemovedIn(add, method))
        {
            return null;
        }

        return RegistrationCalls.SameArgumentTwice(Source(), compilation, method, parameter) is { } twice
            ? new Repetition(RepetitionKind.RegistrationTwice, method.Name, ImmutableArray<string>.Empty, twice)
            : null;
    }

    /// <summary>
    /// <c>base.Initialize(transmitter)</c> where that method keeps its parameter in a member (<c>Transmitter = transmitter;</c>):
    /// the publisher is kept, not only given, so the method is an initialisation of this object's link to it.
    /// </summary>
    private static bool StoredByABaseOrOwnCall(IOperation root, IParameterSymbol parameter)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is not IInvocationOperation { Instance: IInstanceReferenceOperation } call)
            {
                continue;
            }

            foreach (var argument in call.Arguments)
            {
                if (Operations.SkipConversions(argument.Value) is IParameterReferenceOperation passed &&
                    SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter) &&
                    argument.Parameter is { } received &&
                    KeepsParameter(call.TargetMethod.OriginalDefinition, received.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool KeepsParameter(IMethodSymbol method, string parameterName)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            foreach (var assignment in reference.GetSyntax().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax>())
            {
                var right = assignment.Right is Microsoft.CodeAnalysis.CSharp.Syntax.BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression, Right: Microsoft.CodeAnalysis.CSharp.Syntax.ThrowExpressionSyntax } guarded
                    ? guarded.Left
                    : assignment.Right;
                if (right is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: var name } && name == parameterName &&
                    SourceDisposal.NameOf(assignment.Left) is { } member &&
                    method.ContainingType.GetMembers(member).Any(candidate => candidate is IFieldSymbol or IPropertySymbol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsRegistrationName(string name) =>
        name.StartsWith("Register", StringComparison.Ordinal) || name.StartsWith("Attach", StringComparison.Ordinal) ||
        name.StartsWith("Add", StringComparison.Ordinal) || name.StartsWith("Subscribe", StringComparison.Ordinal);

    /// <summary>Whether a removal of <paramref name="add"/> runs in <paramref name="member"/> or in an own method it calls.</summary>
    private bool IsRemovedIn(Subscription add, ISymbol member)
    {
        var reachable = member is IMethodSymbol method
            ? Facts.Reachable(method)
            : ImmutableHashSet<IMethodSymbol>.Empty;
        foreach (var removal in RemovalsOf(add))
        {
            if (SymbolEqualityComparer.Default.Equals(removal.Member.OriginalDefinition, member.OriginalDefinition) ||
                (removal.Member is IMethodSymbol removalMethod && reachable.Contains(removalMethod.OriginalDefinition)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The innermost loop whose body holds the <c>+=</c>, within the same function.</summary>
    private static ILoopOperation? EnclosingLoop(Subscription add)
    {
        IOperation child = add.Operation;
        for (var parent = child.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case ILoopOperation loop when ReferenceEquals(loop.Body, child):
                    return loop;
            }
        }

        return null;
    }

    /// <summary>
    /// The publisher is the same object every time <paramref name="region"/> runs: an own member or static member
    /// that the region does not assign (or, in a loop, a parameter of the method).
    /// </summary>
    private bool IsStableIn(Subscription add, IOperation region, bool allowParameters)
    {
        if (add.Receiver.IsWildcard)
        {
            return allowParameters && RootOfChain(add.Instance) is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } };
        }

        if (add.Receiver.FromThis && add.Receiver.Path.IsEmpty)
        {
            return false;
        }

        if (add.Receiver.Root is { } root && !root.IsStatic)
        {
            var span = region.Syntax.Span;
            foreach (var stored in Facts.AssignmentsOf(root))
            {
                if (stored.Operation.Syntax.SyntaxTree == region.Syntax.SyntaxTree && span.Contains(stored.Operation.Syntax.Span))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The <c>+=</c> runs only under a condition that is more than a null check of its publisher, or after an early
    /// exit that is (<c>if (subscribed) return;</c>), or in a loop that stops after it.
    /// </summary>
    private static bool IsGuarded(Subscription add, ILoopOperation? loop)
    {
        var publisherSymbols = ChainSymbols(add.Instance);
        IOperation child = add.Operation;
        for (var parent = child.Parent; parent is not null && !ReferenceEquals(parent, loop); child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IConditionalOperation conditional when !ReferenceEquals(conditional.Condition, child) && !OnlyMentions(conditional.Condition, publisherSymbols):
                case ISwitchCaseOperation or ISwitchExpressionArmOperation:
                case ICatchClauseOperation:
                    return true;
                case IBlockOperation block:
                    var index = block.Operations.IndexOf(child);
                    for (var i = 0; i < index; i++)
                    {
                        if (block.Operations[i] is IConditionalOperation earlier && ExitsEarly(earlier.WhenTrue) && !OnlyMentions(earlier.Condition, publisherSymbols))
                        {
                            return true;
                        }
                    }

                    if (loop is not null)
                    {
                        for (var i = index + 1; i < block.Operations.Length; i++)
                        {
                            if (block.Operations[i] is IBranchOperation { BranchKind: BranchKind.Break } or IReturnOperation)
                            {
                                return true;
                            }
                        }
                    }

                    break;
            }
        }

        return false;
    }

    private static bool ExitsEarly(IOperation operation)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            if (node is IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The condition refers to nothing but the publisher's own chain (<c>source != null</c>).</summary>
    private static bool OnlyMentions(IOperation condition, HashSet<ISymbol> symbols)
    {
        foreach (var node in condition.DescendantsAndSelf())
        {
            var symbol = node switch
            {
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => (ISymbol)parameter.Parameter,
                IInvocationOperation invocation => invocation.TargetMethod,
                _ => null,
            };

            if (symbol is not null && !symbols.Contains(symbol.OriginalDefinition))
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<ISymbol> ChainSymbols(IOperation? instance)
    {
        var symbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        for (var current = Operations.SkipConversions(instance); current is not null;)
        {
            switch (current)
            {
                case IFieldReferenceOperation field:
                    symbols.Add(field.Field.OriginalDefinition);
                    current = Operations.SkipConversions(field.Instance);
                    break;
                case IPropertyReferenceOperation property:
                    symbols.Add(property.Property.OriginalDefinition);
                    current = Operations.SkipConversions(property.Instance);
                    break;
                case ILocalReferenceOperation local:
                    symbols.Add(local.Local);
                    current = null;
                    break;
                case IParameterReferenceOperation parameter:
                    symbols.Add(parameter.Parameter);
                    current = null;
                    break;
                default:
                    current = null;
                    break;
            }
        }

        return symbols;
    }

    private static IOperation? RootOfChain(IOperation? instance)
    {
        var current = Operations.SkipConversions(instance);
        while (true)
        {
            switch (current)
            {
                case IFieldReferenceOperation { Instance: { } inner }:
                    current = Operations.SkipConversions(inner);
                    break;
                case IPropertyReferenceOperation { Instance: { } inner }:
                    current = Operations.SkipConversions(inner);
                    break;
                default:
                    return current;
            }
        }
    }

    /// <summary>
    /// "the static event 'Clock.Tick'", or "'settings.Changed'". Why the publisher outlives the subscriber is left to
    /// the additional location (where it was assigned) and the rule page: messages stay short enough for a tooltip.
    /// </summary>
    internal static string PublisherPhrase(Subscription add, LifetimeInfo publisher)
    {
        var kind = publisher.Reason == LifetimeReason.ProcessWide ? "process-wide" : "static";
        if (add.Call is not null)
        {
            return add.IsStatic
                ? $"the {kind} subscriptions of '{add.ContainingType?.Name}.{add.Name}'"
                : $"'{EventText(add)}' (via '{add.Name}')";
        }

        if (add.IsStatic)
        {
            return $"the {kind} event '{add.ContainingType?.Name}.{add.Name}'";
        }

        return $"'{EventText(add)}'";
    }

    /// <summary>
    /// The event as written (<c>settings.Changed</c>), or <c>Type.Event</c> for a static event; the receiver of a
    /// subscription method's call (<c>aggregator.GetEvent&lt;Saved&gt;()</c>), or <c>Type.Method</c> for a static one; shortened for messages.
    /// </summary>
    internal static string EventText(Subscription subscription) =>
        subscription.IsStatic
            ? subscription.ContainingType?.Name + "." + subscription.Name
            : Shorten((subscription.Reference ?? subscription.Instance)!.Syntax.ToString());

    /// <summary>"this 'View' lives until the process ends" (and everything it references: the rule pages say so).</summary>
    internal string Consequence(LifetimeInfo publisher)
    {
        var until = publisher switch
        {
            { Lifetime: Lifetime.Static, Reason: LifetimeReason.RunningTimer } => "as long as the timer runs",
            { Lifetime: Lifetime.Static } => "until the process ends",
            _ => "as long as the publisher",
        };

        return $"this '{Type.Name}' lives {until}";
    }

    /// <summary>Where the publisher's lifetime was decided (<c>this.bus = bus</c>), when that is in this type.</summary>
    internal static IEnumerable<Location> Evidence(LifetimeInfo publisher)
    {
        if (publisher.Evidence is { } evidence)
        {
            yield return evidence.Syntax.GetLocation();
        }
    }

    /// <summary>What a fix needs to write the removal of <paramref name="add"/> elsewhere in the type; empty when it cannot be named there.</summary>
    internal ImmutableDictionary<string, string?> FixProperties(Subscription add)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        if (add.Call is not null)
        {
            if ((add.IsAdd ? Undo.Statement(add, this, out var undoGuard) : Undo.Again(add, this, out undoGuard)) is { } statement)
            {
                builder[Fix.Removal] = statement;
                if (undoGuard is not null)
                {
                    builder[Fix.Guard] = undoGuard;
                }
            }

            return builder.ToImmutable();
        }

        var access = EventAccess(add, out var guard);
        if (access is null)
        {
            return builder.ToImmutable();
        }

        builder[Fix.EventAccess] = access;
        if (guard is not null)
        {
            builder[Fix.Guard] = guard;
        }

        if (add.Handler.Text is { } handler)
        {
            builder[Fix.Handler] = handler;
        }

        return builder.ToImmutable();
    }

    /// <summary>The event as an expression valid in any member of the type, or null (a local, a parameter not kept in a field).</summary>
    private string? EventAccess(Subscription add, out string? guard)
    {
        guard = null;
        if (add.Reference is not { } reference)
        {
            return null;
        }

        if (add.IsStatic)
        {
            return reference.Syntax.ToString();
        }

        var prefix = InstanceText(reference.Instance, 0, ref guard);
        return prefix switch
        {
            null => null,
            "" => add.Name,
            _ => prefix + "." + add.Name,
        };
    }

    /// <summary>An expression for <paramref name="operation"/> valid in any member of the type ("" for an implicit <c>this</c>), or null.</summary>
    internal string? PortableText(IOperation? operation, ref string? guard) => InstanceText(operation, 0, ref guard);

    private string? InstanceText(IOperation? operation, int depth, ref string? guard)
    {
        if (depth > 8)
        {
            return null;
        }

        switch (operation)
        {
            case IConversionOperation { IsImplicit: true } implicitConversion:
                return InstanceText(implicitConversion.Operand, depth + 1, ref guard);
            case IConversionOperation conversion when conversion.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.CastExpressionSyntax cast:
                return InstanceText(conversion.Operand, depth + 1, ref guard) is { } castOperand
                    ? "((" + cast.Type + ")" + (castOperand.Length == 0 ? "this" : castOperand) + ")"
                    : null;
            case IParenthesizedOperation parenthesized:
                return InstanceText(parenthesized.Operand, depth + 1, ref guard);
            case IInstanceReferenceOperation instance:
                return instance.IsImplicit ? string.Empty : instance.Syntax.ToString();
            case IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 }:
                var member = ((IMemberReferenceOperation)operation).Member;
                var instanceOperation = ((IMemberReferenceOperation)operation).Instance;
                if (member.IsStatic || instanceOperation is null)
                {
                    return operation.Syntax.ToString();
                }

                var owner = InstanceText(instanceOperation, depth + 1, ref guard);
                if (owner is null)
                {
                    return null;
                }

                var text = owner.Length == 0 ? member.Name : owner + "." + member.Name;
                if (owner.Length == 0 || owner == "this")
                {
                    guard ??= IsNullable(member) ? text : null;
                }

                return text;
            case IParameterReferenceOperation parameter when Facts.MemberStoring(parameter.Parameter) is { } stored:
                guard ??= IsNullable(stored) ? stored.Name : null;
                return stored.IsStatic ? Type.Name + "." + stored.Name : stored.Name;
            case IInvocationOperation { TargetMethod.IsStatic: true, Arguments.Length: 0 } invocation:
                return invocation.Syntax.ToString();
            case IInvocationOperation { Instance: { } accessorOwner, Arguments.Length: 0, Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access } }:
                // aggregator.GetEvent<Saved>()
                var ownerText = InstanceText(accessorOwner, depth + 1, ref guard);
                return ownerText is null ? null : (ownerText.Length == 0 ? string.Empty : ownerText + ".") + access.Name + "()";
            case ILocalReferenceOperation local:
                IOperation? single = null;
                foreach (var value in Operations.ValuesOfLocal(RootOf(local), local.Local))
                {
                    if (value is null || single is not null)
                    {
                        return null;
                    }

                    single = value;
                }

                return single is null ? null : InstanceText(single, depth + 1, ref guard);
            default:
                return null;
        }
    }

    private static bool IsNullable(ISymbol member)
    {
        var type = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        return type is { IsReferenceType: true, NullableAnnotation: NullableAnnotation.Annotated };
    }

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static string Shorten(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0 && c != '.' && builder[builder.Length - 1] != '.')
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c);
        }

        return builder.Length > 80 ? builder.ToString(0, 77) + "..." : builder.ToString();
    }
}
