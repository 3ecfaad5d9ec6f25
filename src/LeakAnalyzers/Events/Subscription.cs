namespace LeakAnalyzers.Events;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What kind of delegate a <c>+=</c> or <c>-=</c> passes.</summary>
internal enum HandlerKind
{
    /// <summary>A method group, or <c>new EventHandler(Method)</c>: equal to any other delegate of the same method and target.</summary>
    MethodGroup,

    /// <summary>A lambda or anonymous method: a new delegate every time, equal to no other.</summary>
    Lambda,

    /// <summary>A field, auto-property or local that holds the delegate.</summary>
    Stored,

    /// <summary>Anything else (a parameter, a method's result): cannot tell which delegate it is.</summary>
    Unknown,

    /// <summary>
    /// <c>this</c>, given to a subscription method as the subscriber (<c>Messenger.Register(this, ...)</c>): the API
    /// keeps this object itself, and undoes the subscription by subscriber (<c>Unregister(this)</c>).
    /// </summary>
    Subscriber,
}

/// <summary>The delegate of one subscription or removal.</summary>
internal sealed class Handler
{
    private Handler(HandlerKind kind, IOperation value, IMethodSymbol? method, ISymbol? holder, bool boundToThis, bool isWildcard, ImmutableHashSet<ISymbol> identities, string? text)
    {
        Kind = kind;
        Value = value;
        Method = method;
        Holder = holder;
        BoundToThis = boundToThis;
        IsWildcard = isWildcard;
        Identities = identities;
        Text = text;
    }

    internal HandlerKind Kind { get; }

    /// <summary>The handler expression, without conversions and delegate creation.</summary>
    internal IOperation Value { get; }

    /// <summary>The method of a method group.</summary>
    internal IMethodSymbol? Method { get; }

    /// <summary>The field, property or local of a stored delegate.</summary>
    internal ISymbol? Holder { get; }

    /// <summary>Whether the delegate keeps <c>this</c> alive: an instance method of this object, or a lambda that captures it.</summary>
    internal bool BoundToThis { get; }

    /// <summary>Cannot tell which delegate this is (a parameter, a stored delegate assigned from outside): matches any.</summary>
    internal bool IsWildcard { get; }

    /// <summary>What the delegate may equal: its method, the member or local that holds it and the methods stored there.</summary>
    internal ImmutableHashSet<ISymbol> Identities { get; }

    /// <summary>An expression for the same delegate that is valid anywhere in the type (a method or field name), or null.</summary>
    internal string? Text { get; }

    /// <summary>For messages, in the middle of a sentence: 'OnChanged', 'handler', "a lambda".</summary>
    internal string DisplayInSentence =>
        Kind is HandlerKind.Lambda or HandlerKind.Unknown ? char.ToLowerInvariant(Display[0]) + Display.Substring(1) : Display;

    /// <summary>For messages, at the start of a sentence: 'OnChanged', 'handler', "A lambda".</summary>
    internal string Display =>
        Kind switch
        {
            HandlerKind.MethodGroup when Method is not null => "'" + Method.Name + "'",
            HandlerKind.Stored when Holder is not null => "'" + Holder.Name + "'",
            HandlerKind.Subscriber => "'this'",
            HandlerKind.Lambda => Value is IAnonymousFunctionOperation { Syntax: Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousMethodExpressionSyntax } ? "An anonymous method" : "A lambda",
            _ => "The handler",
        };

    /// <summary>Whether removing <paramref name="removed"/> removes a delegate added as <paramref name="added"/>.</summary>
    internal static bool Removes(Handler removed, Handler added)
    {
        if (removed.Kind == HandlerKind.Lambda)
        {
            return false;
        }

        if (removed.IsWildcard || added.IsWildcard)
        {
            return true;
        }

        foreach (var identity in removed.Identities)
        {
            if (added.Identities.Contains(identity))
            {
                return true;
            }
        }

        return false;
    }

    internal static Handler Of(IOperation handler, TypeLifetimeFacts facts, IOperation root)
    {
        var value = Unwrap(handler) ?? handler;
        switch (value)
        {
            case IMethodReferenceOperation reference:
            {
                var method = reference.Method;

                // A local function's delegate keeps this object only when its body (or a local function it calls) uses it.
                var bound = method.MethodKind == MethodKind.LocalFunction
                    ? !method.IsStatic && LocalFunctionBody(root, method) is { } body && Captures(body, root, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { method.OriginalDefinition })
                    : !method.IsStatic && IsThis(reference.Instance);
                var text = reference.Instance is null || IsThis(reference.Instance) ? reference.Syntax.ToString() : null;
                return new Handler(HandlerKind.MethodGroup, value, method, null, bound, false, Identity(method.OriginalDefinition), text);
            }

            case IAnonymousFunctionOperation lambda:
                return new Handler(HandlerKind.Lambda, value, null, null, CapturesThis(lambda, root), false, ImmutableHashSet<ISymbol>.Empty, null);
            case IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 } when OwnMember(value, facts) is { } member:
                return Stored(value, member, Values(facts.AssignmentsOf(member)), root, facts, value.Syntax.ToString());
            case ILocalReferenceOperation local:
                return Stored(value, local.Local, Operations.ValuesOfLocal(root, local.Local), root, facts, text: null);
            default:
                return new Handler(HandlerKind.Unknown, value, null, null, false, true, ImmutableHashSet<ISymbol>.Empty, null);
        }
    }

    /// <summary>
    /// The handler of a call of a subscription method: the subscriber it is given when that is <c>this</c> (with the
    /// delegate, if any, which may also keep this object), else the delegate; the argument named by the table entry
    /// when it names one; the only argument of a call that has one (<c>Unsubscribe(token)</c>); else unknown.
    /// </summary>
    internal static Handler OfCall(IInvocationOperation call, SubscriptionApi api, TypeLifetimeFacts facts, IOperation root)
    {
        IOperation? @delegate = null;
        IOperation? subscriber = null;
        IOperation? only = null;
        var count = 0;
        var receiver = SubscriptionTable.ReceiverOf(call);
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter || ReferenceEquals(argument.Value, receiver) || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            count++;
            only = argument.Value;
            var isDelegate = parameter.Type.TypeKind == TypeKind.Delegate;
            if (api.Argument is not null)
            {
                if (parameter.Name == api.Argument)
                {
                    if (isDelegate)
                    {
                        @delegate = argument.Value;
                    }
                    else
                    {
                        subscriber = argument.Value;
                    }
                }

                continue;
            }

            if (isDelegate)
            {
                @delegate ??= argument.Value;
            }
            else if (SubscriptionApis.SubscriberParameterNames.Contains(parameter.Name) || IsObserver(parameter.Type))
            {
                subscriber ??= argument.Value;
            }
        }

        var handler = @delegate is not null ? Of(@delegate, facts, root) : null;
        if (subscriber is not null && IsThis(subscriber))
        {
            var identities = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            identities.Add(facts.Type.OriginalDefinition);
            if (handler is not null)
            {
                identities.UnionWith(handler.Identities);
            }

            return new Handler(HandlerKind.Subscriber, Operations.SkipConversions(subscriber)!, handler?.Method, null, true, false, identities.ToImmutable(), "this");
        }

        if (handler is not null)
        {
            return handler;
        }

        if (subscriber is not null)
        {
            return Of(subscriber, facts, root);
        }

        return count == 1 && only is not null ? Of(only, facts, root) : new Handler(HandlerKind.Unknown, call, null, null, false, true, ImmutableHashSet<ISymbol>.Empty, null);
    }

    private static bool IsObserver(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "IObserver", Arity: 1 } named && named.ContainingNamespace?.ToDisplayString() == "System";

    private static Handler Stored(IOperation value, ISymbol holder, IEnumerable<IOperation?> values, IOperation root, TypeLifetimeFacts facts, string? text)
    {
        var identities = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        identities.Add(holder.OriginalDefinition);
        var bound = false;
        var wildcard = false;
        var any = false;
        IMethodSymbol? single = null;
        var methods = 0;
        foreach (var stored in values)
        {
            if (stored is null)
            {
                wildcard = true;
                continue;
            }

            if (Operations.IsNullOrDefault(stored))
            {
                continue;
            }

            any = true;
            switch (Unwrap(stored))
            {
                case IMethodReferenceOperation reference:
                    identities.Add(reference.Method.OriginalDefinition);
                    bound |= !reference.Method.IsStatic && IsThis(reference.Instance);
                    single = reference.Method;
                    methods++;
                    break;
                case IAnonymousFunctionOperation lambda:
                    bound |= CapturesThis(lambda, root);
                    break;
                default:
                    wildcard = true;
                    break;
            }
        }

        // Never assigned here: set from outside, so it could be any delegate.
        wildcard |= !any;
        if (text is null && methods == 1 && !wildcard && single is not null && holder is ILocalSymbol)
        {
            text = single.Name;
        }

        return new Handler(HandlerKind.Stored, value, null, holder, bound, wildcard, identities.ToImmutable(), text);
    }

    private static IEnumerable<IOperation?> Values(ImmutableArray<StoredValue> stored)
    {
        foreach (var value in stored)
        {
            yield return value.Value;
        }
    }

    private static ImmutableHashSet<ISymbol> Identity(ISymbol symbol) =>
        ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, symbol);

    /// <summary>The handler without conversions, parentheses and <c>new EventHandler(...)</c>.</summary>
    internal static IOperation? Unwrap(IOperation? handler)
    {
        var value = Operations.SkipConversions(handler);
        while (value is IDelegateCreationOperation creation)
        {
            value = Operations.SkipConversions(creation.Target);
        }

        return value;
    }

    private static bool IsThis(IOperation? instance) =>
        Operations.SkipConversions(instance) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    private static ISymbol? OwnMember(IOperation reference, TypeLifetimeFacts facts)
    {
        var (member, instance) = reference switch
        {
            IFieldReferenceOperation field => ((ISymbol)field.Field, field.Instance),
            IPropertyReferenceOperation property => (property.Property, property.Instance),
            _ => (null!, null),
        };

        if (member is null || (instance is not null && !IsThis(instance)))
        {
            return null;
        }

        if (member is IPropertySymbol property2 && !facts.IsAutoProperty(property2))
        {
            return null;
        }

        return SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, facts.Type.OriginalDefinition) ? member.OriginalDefinition : null;
    }

    /// <summary>
    /// Whether a lambda keeps <c>this</c> alive: it refers to <c>this</c> or <c>base</c>, an instance member, or a
    /// local function that does.
    /// </summary>
    internal static bool CapturesThis(IAnonymousFunctionOperation lambda, IOperation root) =>
        !lambda.Symbol.IsStatic &&
        CapturesThisCache.GetValue(lambda, l => new StrongBox<bool>(Captures(l.Body, root, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)))).Value;

    /// <summary>Shared by the five rules: a pure function of the lambda's (immutable) operation tree.</summary>
    private static readonly ConditionalWeakTable<IAnonymousFunctionOperation, StrongBox<bool>> CapturesThisCache = new();

    private static bool Captures(IOperation body, IOperation root, HashSet<IMethodSymbol> visited)
    {
        foreach (var node in body.DescendantsAndSelf())
        {
            switch (node)
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return true;
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } invocation when visited.Add(invocation.TargetMethod.OriginalDefinition):
                    if (LocalFunctionBody(root, invocation.TargetMethod) is { } called && Captures(called, root, visited))
                    {
                        return true;
                    }

                    break;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference when visited.Add(reference.Method.OriginalDefinition):
                    if (LocalFunctionBody(root, reference.Method) is { } referenced && Captures(referenced, root, visited))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private static IOperation? LocalFunctionBody(IOperation root, IMethodSymbol localFunction)
    {
        foreach (var node in root.Descendants())
        {
            if (node is ILocalFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol.OriginalDefinition, localFunction.OriginalDefinition))
            {
                return (IOperation?)function.Body ?? function.IgnoredBody;
            }
        }

        return null;
    }
}

/// <summary>
/// Which object an event belongs to, as far as the type can name it: <c>this</c>, a path of members from
/// <c>this</c> or from a static member, or a wildcard when it cannot be named (a parameter not kept in a field,
/// a method's result). Two receivers may be the same object when equal or when either is a wildcard.
/// </summary>
internal sealed class ReceiverKey
{
    internal static readonly ReceiverKey Wildcard = new(true, false, ImmutableArray<ISymbol>.Empty);

    private ReceiverKey(bool isWildcard, bool fromThis, ImmutableArray<ISymbol> path)
    {
        IsWildcard = isWildcard;
        FromThis = fromThis;
        Path = path;
    }

    internal bool IsWildcard { get; }

    /// <summary>The path starts at <c>this</c> (else at a static member).</summary>
    internal bool FromThis { get; }

    internal ImmutableArray<ISymbol> Path { get; }

    /// <summary>The first member of the path: the own field or property, or the static member, that holds the publisher.</summary>
    internal ISymbol? Root => Path.IsEmpty ? null : Path[0];

    internal static bool MayBeSame(ReceiverKey a, ReceiverKey b)
    {
        if (a.IsWildcard || b.IsWildcard)
        {
            return true;
        }

        if (a.FromThis != b.FromThis || a.Path.Length != b.Path.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Path.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(a.Path[i], b.Path[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal static ReceiverKey Of(IEventReferenceOperation reference, TypeLifetimeFacts facts, IOperation root) =>
        reference.Event.IsStatic
            ? Static(reference.Event.ContainingType)
            : Of(reference.Instance, facts, root, 0);

    /// <summary>The publisher of a static event or a static subscription method: the type that declares it.</summary>
    internal static ReceiverKey Static(INamedTypeSymbol type) =>
        new(false, false, ImmutableArray.Create<ISymbol>(type.OriginalDefinition));

    /// <summary>The receiver of a subscription method's call.</summary>
    internal static ReceiverKey OfReceiver(IOperation? receiver, TypeLifetimeFacts facts, IOperation root) =>
        Of(receiver, facts, root, 0);

    private static ReceiverKey Of(IOperation? instance, TypeLifetimeFacts facts, IOperation root, int depth)
    {
        if (depth > 8)
        {
            return Wildcard;
        }

        switch (Operations.SkipConversions(instance))
        {
            case IInstanceReferenceOperation:
                return new ReceiverKey(false, true, ImmutableArray<ISymbol>.Empty);
            case IFieldReferenceOperation field:
                return Member(field.Field, field.Instance, facts, root, depth);
            case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                return Member(property.Property, property.Instance, facts, root, depth);
            case IParameterReferenceOperation parameter:
                return facts.MemberStoring(parameter.Parameter) is { } member
                    ? new ReceiverKey(false, !member.IsStatic, ImmutableArray.Create(member))
                    : Wildcard;
            case ILocalReferenceOperation local:
                ReceiverKey? found = null;
                foreach (var value in Operations.ValuesOfLocal(root, local.Local))
                {
                    if (value is null)
                    {
                        return Wildcard;
                    }

                    if (Operations.IsNullOrDefault(value))
                    {
                        continue;
                    }

                    var key = value is IForEachLoopOperation ? Wildcard : Of(value, facts, root, depth + 1);
                    if (key.IsWildcard || (found is not null && !MayBeSame(found, key)))
                    {
                        return Wildcard;
                    }

                    found = key;
                }

                return found ?? Wildcard;
            case IInvocationOperation { TargetMethod.IsStatic: true, Arguments.Length: 0 } invocation:
                return new ReceiverKey(false, false, ImmutableArray.Create<ISymbol>(invocation.TargetMethod.OriginalDefinition));
            case IInvocationOperation { Instance: { } accessorOwner, Arguments.Length: 0 } accessor:
                // aggregator.GetEvent<Saved>(): an accessor of the owner; its type arguments tell channels apart.
                var ownerKey = Of(accessorOwner, facts, root, depth + 1);
                return ownerKey.IsWildcard ? Wildcard : new ReceiverKey(false, ownerKey.FromThis, ownerKey.Path.Add(accessor.TargetMethod));
            default:
                return Wildcard;
        }
    }

    private static ReceiverKey Member(ISymbol member, IOperation? instance, TypeLifetimeFacts facts, IOperation root, int depth)
    {
        member = BackingField.Of(member) ?? member;
        if (member.IsStatic || instance is null)
        {
            return new ReceiverKey(false, false, ImmutableArray.Create(member.OriginalDefinition));
        }

        var owner = Of(instance, facts, root, depth + 1);
        return owner.IsWildcard ? Wildcard : new ReceiverKey(false, owner.FromThis, owner.Path.Add(member.OriginalDefinition));
    }
}

/// <summary>
/// One <c>+=</c> or <c>-=</c> of an event, or one call of a subscription method of the table
/// (<see cref="SubscriptionApis"/>: <c>bus.Subscribe(OnSaved)</c>, <c>Messenger.Register(this, ...)</c>) or of the method
/// that undoes it, in the code of the analyzed type. The two forms share every rule: the publisher is the event's
/// receiver or the call's receiver (the type, for a static event or a static method), the handler is the delegate
/// or the subscriber the call is given.
/// </summary>
internal sealed class Subscription
{
    internal Subscription(IEventAssignmentOperation operation, ISymbol member, TypeLifetimeFacts facts)
    {
        Operation = operation;
        IsAdd = operation.Adds;
        Member = member;
        Reference = (IEventReferenceOperation)Operations.SkipConversions(operation.EventReference)!;
        Event = Reference.Event;
        Instance = Reference.Instance;
        IsStatic = Event.IsStatic;
        Name = Event.Name;
        ContainingType = Event.ContainingType;
        Root = RootOf(operation);
        Function = EnclosingFunction(operation);
        Handler = Handler.Of(operation.HandlerValue, facts, Root);
        Receiver = ReceiverKey.Of(Reference, facts, Root);
        aliases = new Lazy<ImmutableArray<ReceiverKey>>(() => AliasesOf(Receiver, Root, facts));
    }

    internal Subscription(IInvocationOperation call, SubscriptionApi api, bool isAdd, ISymbol member, TypeLifetimeFacts facts)
    {
        Operation = call;
        Call = call;
        Api = api;
        IsAdd = isAdd;
        Member = member;
        Instance = SubscriptionTable.ReceiverOf(call);
        IsStatic = Instance is null;
        Name = call.TargetMethod.Name;
        ContainingType = call.TargetMethod.ContainingType;
        Root = RootOf(call);
        Function = EnclosingFunction(call);
        Handler = Handler.OfCall(call, api, facts, Root);
        Receiver = IsStatic
            ? ReceiverKey.Static(call.TargetMethod.ContainingType)
            : ReceiverKey.OfReceiver(Instance, facts, Root);
        aliases = new Lazy<ImmutableArray<ReceiverKey>>(() => AliasesOf(Receiver, Root, facts));
    }

    private readonly Lazy<ImmutableArray<ReceiverKey>> aliases;

    /// <summary>
    /// Other names of this subscription's publisher: members of this object the same member body fills with it
    /// (<c>_cachedCommand = Item.Command; Item.Command.Changed += OnChanged;</c>, or <c>_hooked = current;</c> after
    /// <c>current.Paint += OnPaint;</c>). A removal through one of them removes from the same publisher.
    /// </summary>
    internal ImmutableArray<ReceiverKey> Aliases => aliases.Value;

    /// <summary>The same publisher, by its path or by a member that the body of one of them fills with the other's.</summary>
    internal static bool SamePublisher(Subscription a, Subscription b)
    {
        if (ReceiverKey.MayBeSame(a.Receiver, b.Receiver))
        {
            return true;
        }

        foreach (var alias in a.Aliases)
        {
            if (ReceiverKey.MayBeSame(alias, b.Receiver))
            {
                return true;
            }
        }

        foreach (var alias in b.Aliases)
        {
            if (ReceiverKey.MayBeSame(alias, a.Receiver))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<ReceiverKey> AliasesOf(ReceiverKey receiver, IOperation root, TypeLifetimeFacts facts)
    {
        if (receiver.IsWildcard)
        {
            return ImmutableArray<ReceiverKey>.Empty;
        }

        var found = ImmutableArray.CreateBuilder<ReceiverKey>();
        foreach (var operation in root.Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 } } assignment &&
                ((IMemberReferenceOperation)assignment.Target).Instance is IInstanceReferenceOperation &&
                ReceiverKey.OfReceiver(assignment.Value, facts, root) is { IsWildcard: false } stored && ReceiverKey.MayBeSame(stored, receiver) &&
                ReceiverKey.OfReceiver(assignment.Target, facts, root) is { IsWildcard: false } alias && !ReceiverKey.MayBeSame(alias, receiver))
            {
                found.Add(alias);
            }
        }

        return found.ToImmutable();
    }

    /// <summary>The <c>+=</c> or <c>-=</c>, or the call.</summary>
    internal IOperation Operation { get; }

    internal bool IsAdd { get; }

    /// <summary>The event reference of a <c>+=</c> or <c>-=</c>; null for a call.</summary>
    internal IEventReferenceOperation? Reference { get; }

    /// <summary>The event of a <c>+=</c> or <c>-=</c>; null for a call.</summary>
    internal IEventSymbol? Event { get; }

    /// <summary>The call of a subscription method; null for an event.</summary>
    internal IInvocationOperation? Call { get; }

    /// <summary>The table entry of a call; null for an event.</summary>
    internal SubscriptionApi? Api { get; }

    /// <summary>The publisher as written: the event's receiver, the call's receiver; null when static.</summary>
    internal IOperation? Instance { get; }

    /// <summary>A static event, or a static subscription method: the publisher lives as long as the process.</summary>
    internal bool IsStatic { get; }

    /// <summary>The event's name, or the subscription method's.</summary>
    internal string Name { get; }

    /// <summary>The type that declares the event or the method.</summary>
    internal INamedTypeSymbol? ContainingType { get; }

    /// <summary>The member whose code holds the assignment: a method, accessor, constructor, finalizer, or a field or property initializer.</summary>
    internal ISymbol Member { get; }

    /// <summary>The top of the member's operation tree.</summary>
    internal IOperation Root { get; }

    /// <summary>The innermost lambda or local function around the assignment, or null when it runs in the member itself.</summary>
    internal IOperation? Function { get; }

    internal Handler Handler { get; }

    internal ReceiverKey Receiver { get; }

    internal bool InFinalizer => Function is null && Member is IMethodSymbol { MethodKind: MethodKind.Destructor };

    internal Location Location => Operation.Syntax.GetLocation();

    /// <summary>A call whose result (a token that undoes it) is kept or passed on, not thrown away.</summary>
    internal bool KeepsToken =>
        Call is not null && Operations.ParentSkippingConversions(Call, out _) is not (IExpressionStatementOperation or null) &&
        !(Operations.ParentSkippingConversions(Call, out _) is ISimpleAssignmentOperation { Target: IDiscardOperation });

    /// <summary>Whether <paramref name="removal"/> may remove what <paramref name="add"/> added: same event, same publisher, equal delegate.</summary>
    internal static bool Removes(Subscription removal, Subscription add) =>
        !removal.IsAdd && add.IsAdd &&
        SameChannel(removal, add) &&
        (ReceiverKey.MayBeSame(removal.Receiver, add.Receiver) || (SamePublisher(removal, add) && !removal.SwapsPublisher())) &&
        Handler.Removes(removal.Handler, add.Handler);

    /// <summary>
    /// A removal in a body that adds to the same event again (<c>cached.Changed -= H; cached = item.Command;
    /// cached.Changed += H;</c>): it moves the subscription to a new publisher. Reached through another name of the
    /// publisher, it does not end the first subscription's life; only a removal that is not a swap does.
    /// </summary>
    private bool SwapsPublisher()
    {
        foreach (var operation in Root.Descendants())
        {
            if (operation is IEventAssignmentOperation { Adds: true } readd && Event is not null &&
                Operations.SkipConversions(readd.EventReference) is IEventReferenceOperation { Event: var added } &&
                SymbolEqualityComparer.Default.Equals(added.OriginalDefinition, Event.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The same event (<see cref="SameEvent"/>), or calls of the same table entry whose type arguments and constant
    /// arguments (<c>Register&lt;Saved&gt;</c>, <c>"item:saved"</c>) do not tell them apart.
    /// </summary>
    internal static bool SameChannel(Subscription a, Subscription b)
    {
        if (a.Event is not null && b.Event is not null)
        {
            return SameEvent(a.Event, b.Event);
        }

        if (a.Call is null || b.Call is null || a.Api is null || b.Api is null || a.Api.Type != b.Api.Type || !SameEntry(a, b))
        {
            return false;
        }

        var typeArguments1 = a.Call.TargetMethod.TypeArguments;
        var typeArguments2 = b.Call.TargetMethod.TypeArguments;
        if (typeArguments1.Length > 0 && typeArguments1.Length == typeArguments2.Length)
        {
            for (var i = 0; i < typeArguments1.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(typeArguments1[i], typeArguments2[i]) &&
                    typeArguments1[i] is not ITypeParameterSymbol && typeArguments2[i] is not ITypeParameterSymbol)
                {
                    return false;
                }
            }
        }

        foreach (var first in a.Call.Arguments)
        {
            if (first.Parameter is not { } parameter || Operations.SkipConversions(first.Value)?.ConstantValue is not { HasValue: true } constant)
            {
                continue;
            }

            foreach (var second in b.Call.Arguments)
            {
                if (second.Parameter?.Name == parameter.Name &&
                    Operations.SkipConversions(second.Value)?.ConstantValue is { HasValue: true } other &&
                    !Equals(constant.Value, other.Value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Two subscriptions of one entry, or a subscription and a call of one of its entry's undo methods (in either order).</summary>
    private static bool SameEntry(Subscription a, Subscription b) =>
        a.IsAdd == b.IsAdd ? a.Api!.Method == b.Api!.Method : a.IsAdd ? a.Api!.Undo.Contains(b.Name) : b.Api!.Undo.Contains(a.Name);

    /// <summary>Same event symbol, or events of the same name (an interface event and its implementation, an override).</summary>
    internal static bool SameEvent(IEventSymbol a, IEventSymbol b) =>
        SymbolEqualityComparer.Default.Equals(a.OriginalDefinition, b.OriginalDefinition) || a.Name == b.Name;

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }
}
