namespace LeakAnalyzers.Events;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>How strongly a subscription method holds what it is given.</summary>
internal enum Hold
{
    /// <summary>Keeps the handler (and the subscriber) alive until the subscription is undone.</summary>
    Strong,

    /// <summary>Keeps only weak references: a subscription keeps nothing alive.</summary>
    Weak,

    /// <summary>Weak unless one named argument asks for a strong reference (<c>keepSubscriberReferenceAlive: true</c>).</summary>
    WeakUnlessAsked,
}

/// <summary>
/// One subscribe/undo pair of a subscription API that is not a C# event: <c>Sitecore.Events.Event.Subscribe</c>
/// undone by <c>Unsubscribe</c>, <c>IObservable&lt;T&gt;.Subscribe</c> undone by disposing what it returns.
/// Written <c>Type.Method[(argument)][:Undo|Undo][:weak[(argument)]]</c>: the type's full metadata name and the
/// method's simple name; the argument that holds the handler or the subscriber when it cannot be told from the
/// parameter types; the methods that undo it (<c>Dispose</c>: disposing the token the method returns); <c>weak</c> when
/// the API holds subscribers weakly, <c>weak(argument)</c> when it does unless that argument is <c>true</c> or an
/// enum value named <c>Strong</c>.
/// </summary>
internal sealed class SubscriptionApi
{
    /// <summary>The undo that means "dispose the token the subscribe method returns".</summary>
    internal const string DisposeToken = "Dispose";

    private SubscriptionApi(string type, string method, string? argument, ImmutableArray<string> undo, Hold hold, string? strongArgument, string text)
    {
        Type = type;
        Method = method;
        Argument = argument;
        Undo = undo;
        Hold = hold;
        StrongArgument = strongArgument;
        Text = text;
    }

    /// <summary>The full metadata name of the type (or interface) that declares the method or that its receiver has.</summary>
    internal string Type { get; }

    internal string Method { get; }

    /// <summary>The name of the parameter that holds the handler or the subscriber; null to infer it.</summary>
    internal string? Argument { get; }

    /// <summary>The simple names of the methods that undo a subscription.</summary>
    internal ImmutableArray<string> Undo { get; }

    internal Hold Hold { get; }

    /// <summary>For <see cref="Hold.WeakUnlessAsked"/>: the parameter that asks for a strong reference.</summary>
    internal string? StrongArgument { get; }

    /// <summary>The entry as written.</summary>
    internal string Text { get; }

    /// <summary>Only disposing the returned token undoes it: the disposables family (LEAK002, LEAK003, LEAK004) judges the token.</summary>
    internal bool IsUndoneByTokenOnly => Undo.Length == 1 && Undo[0] == DisposeToken;

    /// <summary>Parses one entry; null when it is not well formed.</summary>
    internal static SubscriptionApi? Parse(string entry)
    {
        var text = entry.Trim();
        var parts = text.Split(':');
        var head = parts[0].Trim();
        string? argument = null;
        var open = head.IndexOf('(');
        if (open >= 0)
        {
            if (!head.EndsWith(")", StringComparison.Ordinal))
            {
                return null;
            }

            argument = head.Substring(open + 1, head.Length - open - 2).Trim();
            head = head.Substring(0, open);
            if (argument.Length == 0)
            {
                argument = null;
            }
        }

        var dot = head.LastIndexOf('.');
        if (dot <= 0 || dot == head.Length - 1)
        {
            return null;
        }

        var undo = ImmutableArray.CreateBuilder<string>();
        var hold = Hold.Strong;
        string? strongArgument = null;
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.StartsWith("weak", StringComparison.OrdinalIgnoreCase) && (part.Length == 4 || part[4] == '('))
            {
                hold = Hold.Weak;
                if (part.Length > 4)
                {
                    if (!part.EndsWith(")", StringComparison.Ordinal) || part.Length <= 6)
                    {
                        return null;
                    }

                    hold = Hold.WeakUnlessAsked;
                    strongArgument = part.Substring(5, part.Length - 6).Trim();
                }

                continue;
            }

            foreach (var name in part.Split('|'))
            {
                if (name.Trim() is { Length: > 0 } trimmed)
                {
                    undo.Add(trimmed);
                }
            }
        }

        return new SubscriptionApi(head.Substring(0, dot).Trim(), head.Substring(dot + 1).Trim(), argument, undo.ToImmutable(), hold, strongArgument, text);
    }

    /// <summary>Whether this call of the API holds strongly what it is given.</summary>
    internal bool HoldsStrongly(IInvocationOperation invocation)
    {
        switch (Hold)
        {
            case Hold.Strong:
                return true;
            case Hold.Weak:
                return false;
            default:
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Name != StrongArgument || argument.ArgumentKind == ArgumentKind.DefaultValue)
                    {
                        continue;
                    }

                    var value = Operations.SkipConversions(argument.Value);
                    if (value?.ConstantValue is { HasValue: true, Value: true } ||
                        value is IFieldReferenceOperation { Field: { Name: "Strong", ContainingType.TypeKind: TypeKind.Enum } })
                    {
                        return true;
                    }
                }

                return false;
        }
    }
}

/// <summary>
/// The subscription APIs LeakAnalyzers knows, and the ones .editorconfig adds
/// (<c>leak_analyzers.subscription_methods</c>). The rule pages list them; LEAK101, LEAK102, LEAK103, LEAK104 and
/// LEAK105 judge calls of these methods as they judge <c>+=</c> and <c>-=</c>.
/// </summary>
internal static class SubscriptionApis
{
    /// <summary>
    /// Built-in entries. Messengers and aggregators that keep subscribers through weak references are listed as
    /// weak so that the rules know to stay silent about them.
    /// </summary>
    internal static readonly ImmutableArray<string> BuiltIn = ImmutableArray.Create(
        // Rx: only disposing the token ends the subscription; LEAK002/LEAK003/LEAK004 judge the token.
        "System.IObservable`1.Subscribe:Dispose",
        "System.ObservableExtensions.Subscribe:Dispose",

        // CommunityToolkit.Mvvm messengers (also under their former Microsoft.Toolkit.Mvvm names). The strong messenger
        // keeps every recipient until it is unregistered; the weak one keeps none; an IMessenger of unknown kind is
        // taken as the toolkit's default, the weak one.
        "CommunityToolkit.Mvvm.Messaging.StrongReferenceMessenger.Register:Unregister|UnregisterAll",
        "CommunityToolkit.Mvvm.Messaging.WeakReferenceMessenger.Register:Unregister|UnregisterAll:weak",
        "CommunityToolkit.Mvvm.Messaging.IMessenger.Register:Unregister|UnregisterAll:weak",
        "Microsoft.Toolkit.Mvvm.Messaging.StrongReferenceMessenger.Register:Unregister|UnregisterAll",
        "Microsoft.Toolkit.Mvvm.Messaging.WeakReferenceMessenger.Register:Unregister|UnregisterAll:weak",
        "Microsoft.Toolkit.Mvvm.Messaging.IMessenger.Register:Unregister|UnregisterAll:weak",

        // MVVM Light: weak unless keepTargetAlive is true.
        "GalaSoft.MvvmLight.Messaging.IMessenger.Register:Unregister:weak(keepTargetAlive)",
        "GalaSoft.MvvmLight.Messaging.Messenger.Register:Unregister:weak(keepTargetAlive)",

        // Prism's event aggregator: weak unless keepSubscriberReferenceAlive is true.
        "Prism.Events.PubSubEvent`1.Subscribe:Unsubscribe|Dispose:weak(keepSubscriberReferenceAlive)",
        "Prism.Events.PubSubEvent.Subscribe:Unsubscribe|Dispose:weak(keepSubscriberReferenceAlive)",
        "Microsoft.Practices.Prism.PubSubEvents.PubSubEvent`1.Subscribe:Unsubscribe|Dispose:weak(keepSubscriberReferenceAlive)",
        "Microsoft.Practices.Prism.Events.CompositePresentationEvent`1.Subscribe:Unsubscribe|Dispose:weak(keepSubscriberReferenceAlive)",

        // MvvmCross: weak unless reference is MvxReference.Strong.
        "MvvmCross.Plugin.Messenger.IMvxMessenger.Subscribe:Unsubscribe|Dispose:weak(reference)",
        "MvvmCross.Plugin.Messenger.IMvxMessenger.SubscribeOnMainThread:Unsubscribe|Dispose:weak(reference)",
        "MvvmCross.Plugin.Messenger.IMvxMessenger.SubscribeOnThreadPoolThread:Unsubscribe|Dispose:weak(reference)",

        // Xamarin.Forms and MAUI MessagingCenter, Caliburn.Micro and Stylet event aggregators: weak references.
        "Xamarin.Forms.MessagingCenter.Subscribe:Unsubscribe:weak",
        "Xamarin.Forms.IMessagingCenter.Subscribe:Unsubscribe:weak",
        "Microsoft.Maui.Controls.MessagingCenter.Subscribe:Unsubscribe:weak",
        "Microsoft.Maui.Controls.IMessagingCenter.Subscribe:Unsubscribe:weak",
        "Caliburn.Micro.IEventAggregator.Subscribe:Unsubscribe:weak",
        "Caliburn.Micro.IEventAggregator.SubscribeOnPublishedThread:Unsubscribe:weak",
        "Caliburn.Micro.IEventAggregator.SubscribeOnUIThread:Unsubscribe:weak",
        "Caliburn.Micro.IEventAggregator.SubscribeOnBackgroundThread:Unsubscribe:weak",
        "Stylet.IEventAggregator.Subscribe:Unsubscribe:weak",

        // WPF's weak-event managers.
        "System.Windows.WeakEventManager`2.AddHandler:RemoveHandler:weak",

        // Unity's UnityEvent keeps its listeners until they are removed.
        "UnityEngine.Events.UnityEvent.AddListener:RemoveListener|RemoveAllListeners",
        "UnityEngine.Events.UnityEvent`1.AddListener:RemoveListener|RemoveAllListeners",
        "UnityEngine.Events.UnityEvent`2.AddListener:RemoveListener|RemoveAllListeners",
        "UnityEngine.Events.UnityEvent`3.AddListener:RemoveListener|RemoveAllListeners",
        "UnityEngine.Events.UnityEvent`4.AddListener:RemoveListener|RemoveAllListeners");

    /// <summary>Parameter names that hold the subscriber (the object kept alive), when the method takes one.</summary>
    internal static readonly ImmutableHashSet<string> SubscriberParameterNames = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase, "recipient", "subscriber", "listener", "observer", "target", "owner", "handler");
}

/// <summary>The subscription table of one .editorconfig section: the built-in entries and <c>subscription_methods</c>.</summary>
internal sealed class SubscriptionTable
{
    /// <summary>
    /// Tables by the value of <c>subscription_methods</c> that applies (the rule's key, else the general one): the
    /// compiler may hand out an options object per file, and a table built per object would be built per file and
    /// kept for good.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SubscriptionTable> ByConfiguredEntries = new(StringComparer.Ordinal);

    private readonly Dictionary<string, List<SubscriptionApi>> bySubscribe = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SubscriptionApi>> byUndo = new(StringComparer.Ordinal);

    private SubscriptionTable(IEnumerable<string> entries)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (SubscriptionApi.Parse(entry) is not { } api)
            {
                continue;
            }

            Add(bySubscribe, api.Method, api);
            names.Add(api.Method);
            foreach (var undo in api.Undo)
            {
                if (undo != SubscriptionApi.DisposeToken)
                {
                    Add(byUndo, undo, api);
                    names.Add(undo);
                }
            }
        }

        MethodNames = names.OrderBy(n => n, StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>Every subscribe and undo method name: the cheap filter before any symbol is looked at.</summary>
    internal ImmutableArray<string> MethodNames { get; }

    internal static SubscriptionTable For(AnalyzerConfigOptions options, string ruleId) =>
        ByConfiguredEntries.GetOrAdd(LeakOptions.GetString(options, ruleId, LeakOptions.SubscriptionMethods) ?? string.Empty, _ =>
        {
            var entries = new List<string>(SubscriptionApis.BuiltIn);
            entries.AddRange(LeakOptions.GetList(options, ruleId, LeakOptions.SubscriptionMethods));
            return new SubscriptionTable(entries);
        });

    /// <summary>Whether a method of this name may subscribe or undo a subscription.</summary>
    internal bool MayMatch(string name) => bySubscribe.ContainsKey(name) || byUndo.ContainsKey(name);

    /// <summary>The entry a call subscribes through, or null.</summary>
    internal SubscriptionApi? SubscribeEntry(IInvocationOperation invocation) =>
        bySubscribe.TryGetValue(invocation.TargetMethod.Name, out var candidates) ? Match(invocation, candidates) : null;

    /// <summary>The entry a call undoes subscriptions of (the most specific one for its receiver), or null.</summary>
    internal SubscriptionApi? UndoEntry(IInvocationOperation invocation) =>
        byUndo.TryGetValue(invocation.TargetMethod.Name, out var candidates) ? Match(invocation, candidates) : null;

    /// <summary>The receiver of an instance or extension call (its value), or null for a static call.</summary>
    internal static IOperation? ReceiverOf(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance;
        }

        if (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    return argument.Value;
                }
            }
        }

        return null;
    }

    private static SubscriptionApi? Match(IInvocationOperation invocation, List<SubscriptionApi> candidates)
    {
        foreach (var type in TypesOf(invocation))
        {
            var name = SymbolNames.FullMetadataName(type);
            foreach (var api in candidates)
            {
                if (api.Type == name)
                {
                    return api;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The types an entry may name for a call, most specific first: the receiver's static type, its base types and
    /// interfaces, then the type that declares the method (the static class of an extension method) and its bases.
    /// So <c>StrongReferenceMessenger.Default.Register(...)</c>, an extension method on <c>IMessenger</c>, is the strong messenger's.
    /// </summary>
    private static IEnumerable<ITypeSymbol> TypesOf(IInvocationOperation invocation)
    {
        var receiver = Operations.SkipConversions(ReceiverOf(invocation))?.Type;
        if (receiver is INamedTypeSymbol or ITypeParameterSymbol)
        {
            foreach (var type in Hierarchy(receiver))
            {
                yield return type;
            }
        }

        if (invocation.TargetMethod.ContainingType is { } declaring)
        {
            foreach (var type in Hierarchy(declaring))
            {
                yield return type;
            }
        }
    }

    private static IEnumerable<ITypeSymbol> Hierarchy(ITypeSymbol type)
    {
        if (type is ITypeParameterSymbol parameter)
        {
            foreach (var constraint in parameter.ConstraintTypes)
            {
                foreach (var inner in Hierarchy(constraint))
                {
                    yield return inner;
                }
            }

            yield break;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            yield return current;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            yield return @interface;
        }
    }

    private static void Add(Dictionary<string, List<SubscriptionApi>> map, string key, SubscriptionApi api)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<SubscriptionApi>();
        }

        list.Add(api);
    }
}
