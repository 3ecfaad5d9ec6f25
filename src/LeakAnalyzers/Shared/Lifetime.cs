namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// How long an object lives relative to the <em>subject</em>: the type whose code refers to it. Ordered from
/// "cannot tell" to "as long as the process"; only <see cref="External"/> and <see cref="Static"/> may outlive the subject.
/// </summary>
internal enum Lifetime
{
    /// <summary>Cannot tell: an inherited member, a method's result, a lambda parameter, values that disagree. No rule assumes anything.</summary>
    Unknown,

    /// <summary>Created in the method and held only by a local or a temporary: gone when the method is done with it, unless stored.</summary>
    Local,

    /// <summary>Created by the subject and kept in its own field or property (or reached from such an object): lives no longer than the subject.</summary>
    Owned,

    /// <summary>The subject itself: <c>this</c>, <c>base</c>, an implicit instance member access.</summary>
    Self,

    /// <summary>
    /// Given from outside: a constructor or method parameter, a field assigned from one, a member set from outside
    /// (injected), a service resolved from a provider. Its lifetime is the caller's business; by default it may outlive
    /// the subject (<c>leak_analyzers.external_lifetime = longer</c>), and <c>unknown</c> turns that assumption off.
    /// </summary>
    External,

    /// <summary>
    /// As long as the process: static members and what is reached through them, singletons, process-wide objects,
    /// instances of long-lived types, timers the subject starts and never stops.
    /// </summary>
    Static,
}

/// <summary>Why a <see cref="Lifetime"/> was chosen; rules use it to word their messages (<see cref="LifetimeModel.Describe"/>).</summary>
internal enum LifetimeReason
{
    None,

    /// <summary>A static field, property or event.</summary>
    StaticMember,

    /// <summary>A static accessor by convention (<c>Instance</c>, <c>Default</c>, <c>Current</c>, <c>Shared</c>) or one returning its own type.</summary>
    Singleton,

    /// <summary>A member in the process-wide table (<c>AppDomain.CurrentDomain</c>) or a static event of a process-wide type (<c>Console.CancelKeyPress</c>).</summary>
    ProcessWide,

    /// <summary>An object of a type listed as long-lived (<c>System.Windows.Application</c>), or a member listed as long-lived in .editorconfig.</summary>
    LongLived,

    /// <summary>A timer kept in the subject's field that the subject never stops or disposes.</summary>
    RunningTimer,

    /// <summary>
    /// A cancellation token that is cancelled once, at a point of the application's life (<c>IHostApplicationLifetime.ApplicationStopping</c>):
    /// it lives as long as the process, but its registrations are dropped when it fires.
    /// </summary>
    OneShotToken,

    /// <summary>A parameter of a constructor, or a member assigned from one.</summary>
    ConstructorParameter,

    /// <summary>A parameter of a method or property setter, or a member assigned from one.</summary>
    MethodParameter,

    /// <summary>A settable or attributed member that the subject never assigns: injected, or set by whoever creates the subject.</summary>
    SetFromOutside,

    /// <summary>Returned by a service locator (<c>IServiceProvider.GetService</c>).</summary>
    ResolvedService,

    /// <summary>A new object (<see cref="Lifetime.Local"/> or <see cref="Lifetime.Owned"/>).</summary>
    Created,

    /// <summary>A parameter the subject adds to one of its own collections, or to itself (<c>Add(child)</c>): a child it owns.</summary>
    Child,

    /// <summary>The subject itself.</summary>
    Self,
}

/// <summary>The lifetime of one object, why, and where that was decided.</summary>
internal readonly struct LifetimeInfo
{
    internal LifetimeInfo(Lifetime lifetime, LifetimeReason reason, ISymbol? source, IOperation? evidence, bool reached)
    {
        Lifetime = lifetime;
        Reason = reason;
        Source = source;
        Evidence = evidence;
        Reached = reached;
    }

    internal static LifetimeInfo Unknown => default;

    internal Lifetime Lifetime { get; }

    internal LifetimeReason Reason { get; }

    /// <summary>The symbol that decided: the static member, the parameter, the field that is set from outside. May be null.</summary>
    internal ISymbol? Source { get; }

    /// <summary>Where the deciding value was stored (<c>this.bus = bus</c>): an additional location worth showing. May be null.</summary>
    internal IOperation? Evidence { get; }

    /// <summary>True when the object is not <see cref="Source"/> itself but reached through it (<c>Settings.Default.Theme</c>).</summary>
    internal bool Reached { get; }

    internal LifetimeInfo AsReached() => new(Lifetime, Reason, Source, Evidence, reached: true);

    internal LifetimeInfo WithEvidence(IOperation? evidence) => new(Lifetime, Reason, Source, Evidence ?? evidence, Reached);

    internal static LifetimeInfo Of(Lifetime lifetime, LifetimeReason reason, ISymbol? source = null) => new(lifetime, reason, source, null, reached: false);

    public override string ToString() => $"{Lifetime} ({Reason}{(Reached ? ", reached" : string.Empty)})";
}

/// <summary>
/// The lifetime model: how long an object lives relative to the type whose code refers to it (the subject).
/// One place for every family that asks "may this outlive that?": event subscriptions (LEAK1xx: may the publisher
/// outlive the subscriber?), static collections (LEAK2xx: is the collection static? is what is added owned?),
/// closures (LEAK3xx: is the delegate stored somewhere long-lived?).
/// <para>
/// Usage: create one per compilation and rule with <see cref="Create"/>; in a symbol-start action on the subject type,
/// create a <see cref="TypeLifetimeFacts"/> and call its <see cref="TypeLifetimeFacts.Register"/> so that it records
/// how the type's own fields and properties are assigned; at symbol end, call <see cref="Classify"/> on any
/// IOperation from the type (a receiver, an argument, a stored value) or <see cref="ClassifySymbol"/> on a field,
/// property or parameter, with the <see cref="LifetimeSettings"/> of the tree (<see cref="SettingsFor"/>).
/// Without facts (plain operation actions) the model still classifies static members, parameters, locals,
/// creations and <c>this</c>; instance fields and properties of the subject are then <see cref="Lifetime.Unknown"/>.
/// </para>
/// <para>
/// The rules of the model:
/// <list type="bullet">
/// <item><c>this</c>/<c>base</c> is <see cref="Lifetime.Self"/>.</item>
/// <item>A static field, property or event, a static parameterless method named like a singleton accessor (<c>GetInstance</c>), a member of the
/// process-wide table or of <c>leak_analyzers.long_lived_members</c>, an object of a type in the long-lived table or
/// <c>leak_analyzers.long_lived_types</c>, and anything reached through one of those, is <see cref="Lifetime.Static"/>.</item>
/// <item>A constructor or method parameter is <see cref="Lifetime.External"/>; parameters of lambdas and local
/// functions, and of event handlers (<c>sender</c>, <c>e</c>), are <see cref="Lifetime.Unknown"/>.</item>
/// <item>An object creation is <see cref="Lifetime.Local"/> where it is held by a local or temporary, and a local
/// takes the lifetime of the values assigned to it in its method.</item>
/// <item>A field or auto-property of the subject takes the lifetime of the values the subject assigns to it:
/// only creations make it <see cref="Lifetime.Owned"/>; parameters and resolved services make it
/// <see cref="Lifetime.External"/>; a settable or attributed member never assigned in the type is
/// <see cref="Lifetime.External"/> (injected); values that disagree make it <see cref="Lifetime.Unknown"/>.
/// An owned timer that the type never stops or disposes is <see cref="Lifetime.Static"/>: the runtime roots a running timer.</item>
/// <item>A member of an object takes that object's lifetime (<c>Settings.Default.Theme</c> is static,
/// <c>service.Options</c> external, <c>this.owned.Child</c> owned); members of <c>this</c> declared in base types are unknown.</item>
/// </list>
/// </para>
/// </summary>
internal sealed class LifetimeModel
{
    private readonly string? ruleId;
    // One options object per file: settings are built once per distinct configured value, remembered per object.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<AnalyzerConfigOptions, LifetimeSettings> settingsByOptions = new();
    private readonly ConcurrentDictionary<string, LifetimeSettings> settingsByValues = new(StringComparer.Ordinal);

    private readonly ContainerSingletons containerSingletons;

    private LifetimeModel(Compilation compilation, string? ruleId)
    {
        this.ruleId = ruleId;
        containerSingletons = ContainerSingletons.For(compilation);
        EventArgs = compilation.GetTypeByMetadataName("System.EventArgs");
    }

    private INamedTypeSymbol? EventArgs { get; }

    /// <summary>
    /// One per compilation and rule (the rule decides which rule-specific .editorconfig keys apply); a null rule reads
    /// only the general keys (for facts shared by several rules, such as <see cref="DelegateFates"/>).
    /// </summary>
    internal static LifetimeModel Create(Compilation compilation, string? ruleId) => new(compilation, ruleId);

    /// <summary>The tables and options that apply to <paramref name="tree"/>.</summary>
    internal LifetimeSettings SettingsFor(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = LeakOptions.For(options, tree);
        return settingsByOptions.GetValue(config, c => settingsByValues.GetOrAdd(LifetimeSettings.KeyOf(c, ruleId), _ => LifetimeSettings.Create(c, ruleId)));
    }

    /// <summary>
    /// Whether an object of <paramref name="lifetime"/> may outlive the subject: always for <see cref="Lifetime.Static"/>,
    /// for <see cref="Lifetime.External"/> unless <c>external_lifetime = unknown</c>.
    /// </summary>
    internal static bool MayOutliveSubject(LifetimeInfo lifetime, LifetimeSettings settings) =>
        lifetime.Lifetime == Lifetime.Static || (lifetime.Lifetime == Lifetime.External && settings.ExternalMayOutlive);

    /// <summary>
    /// Whether a registration on a cancellation token of <paramref name="lifetime"/> may outlive the subject: the token
    /// may (<see cref="MayOutliveSubject"/>) and is not one the application cancels once (<see cref="LifetimeReason.OneShotToken"/>),
    /// whose registrations are dropped when it fires.
    /// </summary>
    internal static bool TokenRegistrationsMayOutliveSubject(LifetimeInfo lifetime, LifetimeSettings settings) =>
        lifetime.Reason != LifetimeReason.OneShotToken && MayOutliveSubject(lifetime, settings);

    /// <summary>
    /// Whether instances of <paramref name="type"/> themselves live as long as the process, so that nothing they
    /// hold on to can keep them alive any longer: static classes, types in the long-lived tables (and their
    /// subclasses), and singletons (every instance constructor private, and a static field or property of the type's
    /// own type).
    /// </summary>
    internal bool IsLongLivedType(INamedTypeSymbol type, LifetimeSettings settings)
    {
        if (type.IsStatic || IsOfLongLivedType(type, settings))
        {
            return true;
        }

        var hasConstructor = false;
        var hasSelfStatic = false;
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false } constructor:
                    if (constructor.DeclaredAccessibility != Accessibility.Private || constructor.IsImplicitlyDeclared)
                    {
                        return false;
                    }

                    hasConstructor = true;
                    break;
                case IFieldSymbol { IsStatic: true } field when SymbolEqualityComparer.Default.Equals(field.Type, type):
                case IPropertySymbol { IsStatic: true } property when SymbolEqualityComparer.Default.Equals(property.Type, type):
                    hasSelfStatic = true;
                    break;
            }
        }

        return hasConstructor && hasSelfStatic;
    }

    /// <summary>
    /// Whether objects of <paramref name="holder"/> are built to hold an object like <paramref name="subject"/>: the
    /// holder's type (or a base type, or an interface it extends) declares an instance field or property whose type is
    /// the subject's own class or one of its base classes, declared in the project (not the framework, not
    /// <c>object</c>). Such a pair are companions (an adornment and its view, a document and its editor): the holder
    /// keeps the subject alive anyway, so a reference back from the subject adds no lifetime. Interface-typed slots do
    /// not count: they hold swappable strategies (data sources, handlers) whose replaced instances are real leaks.
    /// </summary>
    internal static bool MayHold(ITypeSymbol? holder, INamedTypeSymbol subject)
    {
        if (holder is not INamedTypeSymbol named)
        {
            return false;
        }

        var types = new List<INamedTypeSymbol>();
        for (var current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            types.Add(current);
        }

        if (named.TypeKind == TypeKind.Interface)
        {
            types.AddRange(named.AllInterfaces);
        }

        foreach (var type in types)
        {
            if (OwnershipModel.IsFrameworkAssembly(type.ContainingAssembly))
            {
                continue;
            }

            foreach (var member in type.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsStatic: false } field => field.Type,
                    IPropertySymbol { IsStatic: false, IsIndexer: false } property => property.Type,
                    _ => null,
                };

                // A slot typed as the holder's own class or one of its bases (`DependencyObject Parent`, `Node
                // Next`) links peers of one structure, any of them: it says nothing about holding this subject.
                if (memberType is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: not SpecialType.System_Object } slot &&
                    !OwnershipModel.IsFrameworkAssembly(slot.ContainingAssembly) &&
                    IsSameOrBase(slot, subject) && !IsSameOrBase(slot, named))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsSameOrBase(INamedTypeSymbol candidate, INamedTypeSymbol subject)
    {
        for (var current = subject; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, candidate.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The lifetime of the object that <paramref name="operation"/> evaluates to, relative to the subject of
    /// <paramref name="facts"/> (null facts: the subject's own instance members are unknown). Never throws; unknown
    /// when it cannot tell.
    /// </summary>
    internal LifetimeInfo Classify(IOperation? operation, TypeLifetimeFacts? facts, LifetimeSettings settings) =>
        new Classifier(this, facts, settings).Value(operation, stored: false, depth: 0);

    /// <summary>
    /// The lifetime of the object a field, property or parameter holds, relative to the subject of <paramref name="facts"/>.
    /// Locals need their method: classify a reference to them with <see cref="Classify"/>.
    /// </summary>
    internal LifetimeInfo ClassifySymbol(ISymbol symbol, TypeLifetimeFacts? facts, LifetimeSettings settings) =>
        new Classifier(this, facts, settings).Symbol(symbol, depth: 0);

    /// <summary>
    /// The lifetime of an event's publisher, for <c>receiver.Event</c>: a static event is <see cref="Lifetime.Static"/>
    /// (a process-wide one when its type is in the process-wide table), an instance event takes its receiver's lifetime.
    /// </summary>
    internal LifetimeInfo ClassifyEventPublisher(IEventReferenceOperation reference, TypeLifetimeFacts? facts, LifetimeSettings settings)
    {
        var @event = reference.Event;
        if (@event.IsStatic)
        {
            var processWide = @event.ContainingType is { } type && settings.ProcessWideEventTypes.Contains(SymbolNames.FullMetadataName(type));
            return LifetimeInfo.Of(Lifetime.Static, processWide ? LifetimeReason.ProcessWide : LifetimeReason.StaticMember, @event);
        }

        return Classify(reference.Instance, facts, settings);
    }

    /// <summary>
    /// A noun phrase for messages: "a static member", "an object given to the constructor", "an object reached
    /// through a singleton". Rules put the name of the thing in front.
    /// </summary>
    internal static string Describe(LifetimeInfo lifetime)
    {
        var phrase = lifetime.Reason switch
        {
            LifetimeReason.StaticMember => "a static member",
            LifetimeReason.Singleton => "a singleton",
            LifetimeReason.ProcessWide => "a process-wide object",
            LifetimeReason.LongLived => "a long-lived object",
            LifetimeReason.RunningTimer => "a timer that is never stopped",
            LifetimeReason.OneShotToken => "a token the application cancels once",
            LifetimeReason.ConstructorParameter => "an object given to the constructor",
            LifetimeReason.MethodParameter => "an object passed in as a parameter",
            LifetimeReason.SetFromOutside => "an object set from outside the type",
            LifetimeReason.ResolvedService => "a service resolved from a service provider",
            LifetimeReason.Created => "an object created here",
            LifetimeReason.Child => "a child of this object",
            LifetimeReason.Self => "this object",
            _ => "an object of unknown lifetime",
        };

        return lifetime.Reached ? "an object reached through " + phrase : phrase;
    }

    /// <summary>
    /// A long-lived place for messages, as short as it can say why it lives long: "the static 'Hooks.OnReset'",
    /// "'Settings.Default.Callback', an object reached through a singleton", or <see cref="Describe"/> alone (after
    /// "a collection reached through" for a collection) when the place has no name.
    /// </summary>
    internal static string DescribePlace(string? name, LifetimeInfo lifetime, bool collection = false)
    {
        if (name is null)
        {
            return collection ? "a collection reached through " + Describe(lifetime) : Describe(lifetime);
        }

        return lifetime is { Reason: LifetimeReason.StaticMember, Reached: false }
            ? $"the static '{name}'"
            : $"'{name}', {Describe(lifetime)}";
    }

    /// <summary>
    /// <see cref="IsLongLivedType"/>, or a type the compilation registers as a container singleton: nothing it
    /// subscribes to or schedules can keep it alive longer. (Its instance collections are not judged like static
    /// ones: what a service caches is usually bounded by its configuration.)
    /// </summary>
    internal bool OutlivesEverything(INamedTypeSymbol type, LifetimeSettings settings) =>
        IsLongLivedType(type, settings) || IsContainerSingleton(type);

    /// <summary>A type the compilation registers as a singleton with the dependency-injection container (<see cref="ContainerSingletons"/>).</summary>
    internal bool IsContainerSingleton(INamedTypeSymbol type) => containerSingletons.Contains(type);

    /// <summary>A type in the long-lived tables (hosted services, applications, event sources), a subclass or an implementation.</summary>
    internal bool IsOfLongLivedType(ITypeSymbol? type, LifetimeSettings settings)
    {
        if (type is null || type.SpecialType == SpecialType.System_Object)
        {
            return false;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (settings.LongLivedTypes.Contains(SymbolNames.FullMetadataName(current)))
            {
                return true;
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (settings.LongLivedTypes.Contains(SymbolNames.FullMetadataName(@interface)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="member"/> is declared only in generated code (a designer or XAML code-behind file):
    /// what assigns it is generated too, and not analyzed, so nothing can be concluded from its assignments.
    /// </summary>
    private static bool IsDeclaredInGeneratedCode(ISymbol member)
    {
        if (member.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            if (!IsGenerated(reference.SyntaxTree))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsGenerated(SyntaxTree tree)
    {
        var path = tree.FilePath ?? string.Empty;
        var name = System.IO.Path.GetFileName(path);
        if (name.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith(".g.i.cs", StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase) ||
            name.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var trivia in tree.GetRoot().GetLeadingTrivia())
        {
            var text = trivia.ToString();
            if (text.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0 ||
                text.IndexOf("<autogenerated", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsEventHandlerParameter(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol { Parameters.Length: 2 } method &&
        method.Parameters[0].Type.SpecialType == SpecialType.System_Object &&
        EventArgs is not null &&
        Hierarchy.IsOrDerivesFrom(method.Parameters[1].Type, EventArgs);

    /// <summary>A <c>System.Threading.Timer</c> runs from its constructor; the others wait for Start or Enabled.</summary>
    internal static bool IsThreadingTimer(ITypeSymbol? type) =>
        type is { Name: "Timer", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool IsRootedWhileRunning(ITypeSymbol? type, LifetimeSettings settings)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (KnownLifetimes.RootedWhileRunningTypes.Contains(SymbolNames.FullMetadataName(current)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One classification: carries the facts, the settings and a guard against cycles (a = b; b = a).</summary>
    private readonly struct Classifier
    {
        private const int MaxDepth = 12;
        private readonly LifetimeModel model;
        private readonly TypeLifetimeFacts? facts;
        private readonly LifetimeSettings settings;
        private readonly HashSet<ISymbol> visiting;

        internal Classifier(LifetimeModel model, TypeLifetimeFacts? facts, LifetimeSettings settings)
        {
            this.model = model;
            this.facts = facts;
            this.settings = settings;
            visiting = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        }

        /// <summary>The lifetime of a value; <paramref name="stored"/>: the value is being stored in the subject's own field, so a creation is owned.</summary>
        internal LifetimeInfo Value(IOperation? operation, bool stored, int depth)
        {
            if (depth > MaxDepth)
            {
                return LifetimeInfo.Unknown;
            }

            operation = Operations.SkipConversions(operation);
            switch (operation)
            {
                case null:
                    return LifetimeInfo.Unknown;
                case IInstanceReferenceOperation:
                    return LifetimeInfo.Of(Lifetime.Self, LifetimeReason.Self);
                case IObjectCreationOperation or ITypeParameterObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation:
                    return LifetimeInfo.Of(stored ? Lifetime.Owned : Lifetime.Local, LifetimeReason.Created);
                case IFieldReferenceOperation field:
                    return Member(field.Field, field.Instance, field.Type, depth);
                case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                    return Member(property.Property, property.Instance, property.Type, depth);
                case IPropertyReferenceOperation indexer:
                    return Element(indexer.Instance, depth);
                case IArrayElementReferenceOperation element:
                    return Element(element.ArrayReference, depth);
                case IEventReferenceOperation @event:
                    return @event.Event.IsStatic
                        ? LifetimeInfo.Of(Lifetime.Static, LifetimeReason.StaticMember, @event.Event)
                        : Value(@event.Instance, stored: false, depth + 1);
                case IParameterReferenceOperation parameter:
                    return Parameter(parameter.Parameter, depth);
                case ILocalReferenceOperation local:
                    return Local(local, depth);
                case IInvocationOperation invocation:
                    return Invocation(invocation, depth);
                case IConditionalAccessInstanceOperation instance:
                    return ConditionalAccessTarget(instance) is { } target ? Value(target, stored, depth + 1) : LifetimeInfo.Unknown;
                case IConditionalAccessOperation access:
                    return Value(access.WhenNotNull, stored, depth + 1);
                case ICoalesceOperation coalesce:
                    return Merge(Value(coalesce.Value, stored, depth + 1), IsThrowOrNull(coalesce.WhenNull) ? null : Value(coalesce.WhenNull, stored, depth + 1));
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return Merge(
                        IsThrowOrNull(conditional.WhenTrue) ? null : Value(conditional.WhenTrue, stored, depth + 1),
                        IsThrowOrNull(whenFalse) ? null : Value(whenFalse, stored, depth + 1));
                case IAssignmentOperation assignment:
                    return Value(assignment.Value, stored, depth + 1);
                default:
                    return LifetimeInfo.Unknown;
            }
        }

        internal LifetimeInfo Symbol(ISymbol symbol, int depth) =>
            symbol switch
            {
                IParameterSymbol parameter => Parameter(parameter, depth),
                IFieldSymbol or IPropertySymbol when symbol.IsStatic => StaticMember(symbol),
                IFieldSymbol field => Stored(field, field.Type, depth),
                IPropertySymbol property => Stored(property, property.Type, depth),
                _ => LifetimeInfo.Unknown,
            };

        private LifetimeInfo Member(ISymbol member, IOperation? instance, ITypeSymbol? type, int depth)
        {
            if (IsOneShotToken(member))
            {
                return LifetimeInfo.Of(Lifetime.Static, LifetimeReason.OneShotToken, member);
            }

            if (settings.LongLivedMembers.Count > 0 && settings.LongLivedMembers.Contains(MemberKey(member)))
            {
                return LifetimeInfo.Of(Lifetime.Static, settings.ProcessWideMembers.Contains(MemberKey(member)) ? LifetimeReason.ProcessWide : LifetimeReason.LongLived, member);
            }

            if (model.IsOfLongLivedType(type, settings))
            {
                return LifetimeInfo.Of(Lifetime.Static, LifetimeReason.LongLived, member);
            }

            if (member.IsStatic || instance is null)
            {
                return StaticMember(member);
            }

            var owner = Value(instance, stored: false, depth + 1);
            switch (owner.Lifetime)
            {
                case Lifetime.Self:
                    return facts is not null && IsDeclaredBySubject(member) ? Stored(member, type, depth) : LifetimeInfo.Unknown;
                case Lifetime.Static or Lifetime.External or Lifetime.Owned or Lifetime.Local:
                    return owner.AsReached();
                default:
                    return LifetimeInfo.Unknown;
            }
        }

        private LifetimeInfo StaticMember(ISymbol member)
        {
            var key = MemberKey(member);
            if (settings.ProcessWideMembers.Contains(key))
            {
                return LifetimeInfo.Of(Lifetime.Static, LifetimeReason.ProcessWide, member);
            }

            var isSingleton = KnownLifetimes.SingletonAccessorNames.Contains(member.Name) ||
                              (member is IPropertySymbol property && SymbolEqualityComparer.Default.Equals(property.Type, member.ContainingType)) ||
                              (member is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.Type, member.ContainingType));
            return LifetimeInfo.Of(Lifetime.Static, isSingleton ? LifetimeReason.Singleton : LifetimeReason.StaticMember, member);
        }

        private LifetimeInfo Element(IOperation? collection, int depth)
        {
            var owner = Value(collection, stored: false, depth + 1);
            return owner.Lifetime is Lifetime.Static or Lifetime.Owned ? owner.AsReached() : LifetimeInfo.Unknown;
        }

        private LifetimeInfo Parameter(IParameterSymbol parameter, int depth)
        {
            if (parameter.ContainingSymbol is not IMethodSymbol method)
            {
                return LifetimeInfo.Unknown;
            }

            if (facts is not null && (facts.IsChild(parameter) || (facts.MemberStoring(parameter) is { } keeper && facts.IsDisposedBySubject(keeper))))
            {
                return LifetimeInfo.Of(Lifetime.Owned, LifetimeReason.Child, parameter);
            }

            // A private method's callers are all in the type. A protected one may be called by a subclass too, but when
            // the type calls it (`InitMinimizeButton(MinimizeButton)` from OnApplyTemplate), those calls say what it is for.
            if (facts is not null && method.MethodKind == MethodKind.Ordinary && IsDeclaredBySubject(method) &&
                (method.DeclaredAccessibility == Accessibility.Private ||
                 (method.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedAndInternal && facts.CallSitesOf(method).Any())))
            {
                return FromCallSites(parameter, method, depth);
            }

            switch (method.MethodKind)
            {
                case MethodKind.Constructor:
                    return LifetimeInfo.Of(Lifetime.External, LifetimeReason.ConstructorParameter, parameter);
                case MethodKind.AnonymousFunction or MethodKind.LocalFunction or MethodKind.LambdaMethod:
                    return LifetimeInfo.Unknown;
                default:
                    // A method the type hands out as a delegate (`scene.OnNewClient += OnNewClient`) is called by
                    // whoever raises it, with what that code has: a new client each time, as much as a lasting one.
                    return model.IsEventHandlerParameter(parameter) || (facts is not null && IsDeclaredBySubject(method) && facts.Escapes(method))
                        ? LifetimeInfo.Unknown
                        : LifetimeInfo.Of(Lifetime.External, LifetimeReason.MethodParameter, parameter);
            }
        }

        /// <summary>A private method's parameter: the lifetime of what its callers in the type pass (unknown when the method escapes as a delegate).</summary>
        private LifetimeInfo FromCallSites(IParameterSymbol parameter, IMethodSymbol method, int depth)
        {
            if (depth > MaxDepth || facts!.Escapes(method) || !visiting.Add(parameter))
            {
                return LifetimeInfo.Unknown;
            }

            try
            {
                LifetimeInfo? merged = null;
                foreach (var site in facts.CallSitesOf(method))
                {
                    IOperation? value = null;
                    foreach (var argument in site.Arguments)
                    {
                        if (argument.Parameter is { } target && target.Ordinal == parameter.Ordinal && argument.ArgumentKind != ArgumentKind.DefaultValue)
                        {
                            value = argument.Value;
                        }
                    }

                    if (value is null)
                    {
                        return LifetimeInfo.Unknown;
                    }

                    var lifetime = Value(value, stored: false, depth + 1);
                    merged = merged is { } previous ? Merge(previous, lifetime) : lifetime;
                    if (merged.Value.Lifetime == Lifetime.Unknown)
                    {
                        return LifetimeInfo.Unknown;
                    }
                }

                return merged ?? LifetimeInfo.Unknown;
            }
            finally
            {
                visiting.Remove(parameter);
            }
        }

        private LifetimeInfo Invocation(IInvocationOperation invocation, int depth)
        {
            var method = invocation.TargetMethod;
            var key = MemberKey(method);
            if (settings.LongLivedMembers.Contains(key) || settings.ProcessWideMembers.Contains(key))
            {
                return LifetimeInfo.Of(Lifetime.Static, settings.ProcessWideMembers.Contains(key) ? LifetimeReason.ProcessWide : LifetimeReason.LongLived, method);
            }

            // A static parameterless method returning its own type is as often a factory (Create, ForPoint) as an
            // accessor: only the conventional singleton names count.
            if (method.IsStatic && method.Parameters.Length == 0 && !method.IsExtensionMethod &&
                KnownLifetimes.SingletonAccessorNames.Contains(method.Name))
            {
                return LifetimeInfo.Of(Lifetime.Static, LifetimeReason.Singleton, method);
            }

            if (IsServiceLocator(method))
            {
                return LifetimeInfo.Of(Lifetime.External, LifetimeReason.ResolvedService, method);
            }

            return model.IsOfLongLivedType(invocation.Type, settings)
                ? LifetimeInfo.Of(Lifetime.Static, LifetimeReason.LongLived, method)
                : LifetimeInfo.Unknown;
        }

        private static bool IsServiceLocator(IMethodSymbol method)
        {
            var definition = method.ReducedFrom ?? method;
            if (definition.ContainingType is not { } type)
            {
                return false;
            }

            if (KnownLifetimes.ServiceLocatorMethods.Contains(SymbolNames.MemberKey(type, definition.Name)))
            {
                return true;
            }

            foreach (var @interface in type.AllInterfaces)
            {
                if (KnownLifetimes.ServiceLocatorMethods.Contains(SymbolNames.MemberKey(@interface, definition.Name)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A field or auto-property of the subject: the lifetime of what the subject stores in it.</summary>
        private LifetimeInfo Stored(ISymbol member, ITypeSymbol? type, int depth)
        {
            if (facts is null || !IsDeclaredBySubject(member) || (member is IPropertySymbol property && !facts.IsAutoProperty(property)))
            {
                return LifetimeInfo.Unknown;
            }

            if (!visiting.Add(member))
            {
                return LifetimeInfo.Unknown;
            }

            try
            {
                var assignments = facts.AssignmentsOf(member);
                if (assignments.IsEmpty)
                {
                    return IsSetFromOutside(member) && !IsDeclaredInGeneratedCode(member)
                        ? LifetimeInfo.Of(Lifetime.External, LifetimeReason.SetFromOutside, member)
                        : LifetimeInfo.Unknown;
                }

                LifetimeInfo? merged = null;
                foreach (var assignment in assignments)
                {
                    if (assignment.Value is null)
                    {
                        return LifetimeInfo.Unknown; // out/ref argument, deconstruction: cannot tell what was stored.
                    }

                    if (Operations.IsNullOrDefault(assignment.Value))
                    {
                        continue;
                    }

                    var value = Value(assignment.Value, stored: true, depth + 1);
                    if (value.Lifetime == Lifetime.Local)
                    {
                        value = LifetimeInfo.Of(Lifetime.Owned, LifetimeReason.Created);
                    }

                    value = value.WithEvidence(assignment.Operation);
                    merged = merged is { } previous ? Merge(previous, value) : value;
                    if (merged.Value.Lifetime == Lifetime.Unknown)
                    {
                        return LifetimeInfo.Unknown;
                    }
                }

                if (merged is not { } result)
                {
                    return LifetimeInfo.Unknown; // only ever null
                }

                if (result.Lifetime == Lifetime.Owned && IsRootedWhileRunning(type, settings) && !facts.IsStopped(member) &&
                    (IsThreadingTimer(type) || !facts.NeverStarted(member)) && !facts.OnlyOneShotTimers(member))
                {
                    return new LifetimeInfo(Lifetime.Static, LifetimeReason.RunningTimer, member, result.Evidence, reached: false);
                }

                if (result is { Lifetime: Lifetime.External, Reason: LifetimeReason.ConstructorParameter or LifetimeReason.MethodParameter } &&
                    facts.IsDisposedBySubject(member))
                {
                    // Given, and then disposed by the subject: it took ownership (a player that disposes its connection).
                    return LifetimeInfo.Of(Lifetime.Owned, LifetimeReason.Child, member);
                }

                return result;
            }
            finally
            {
                visiting.Remove(member);
            }
        }

        private bool IsDeclaredBySubject(ISymbol member) =>
            facts is not null && SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, facts.Type.OriginalDefinition);

        /// <summary>Never assigned by the subject, but settable from outside or attributed ([Inject], [Import], [Parameter]).</summary>
        private static bool IsSetFromOutside(ISymbol member)
        {
            if (!member.GetAttributes().IsEmpty)
            {
                return true;
            }

            return member switch
            {
                IPropertySymbol { SetMethod: { } setter } => setter.DeclaredAccessibility != Accessibility.Private,
                IFieldSymbol field => !field.IsReadOnly && !field.IsConst && field.DeclaredAccessibility != Accessibility.Private,
                _ => false,
            };
        }

        private LifetimeInfo Local(ILocalReferenceOperation reference, int depth)
        {
            var local = reference.Local;
            if (!visiting.Add(local))
            {
                return LifetimeInfo.Unknown;
            }

            try
            {
                var root = (IOperation)reference;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                LifetimeInfo? merged = null;
                foreach (var value in Operations.ValuesOfLocal(root, local))
                {
                    if (value is null)
                    {
                        return LifetimeInfo.Unknown;
                    }

                    if (Operations.IsNullOrDefault(value))
                    {
                        continue;
                    }

                    var lifetime = value is IForEachLoopOperation loop
                        ? Element(loop.Collection, depth + 1)
                        : Value(value, stored: false, depth + 1);
                    merged = merged is { } previous ? Merge(previous, lifetime) : lifetime;
                    if (merged.Value.Lifetime == Lifetime.Unknown)
                    {
                        return LifetimeInfo.Unknown;
                    }
                }

                return merged ?? LifetimeInfo.Unknown;
            }
            finally
            {
                visiting.Remove(local);
            }
        }

        private static IOperation? ConditionalAccessTarget(IConditionalAccessInstanceOperation instance)
        {
            for (var current = instance.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalAccessOperation access)
                {
                    return access.Operation;
                }
            }

            return null;
        }

        private static bool IsThrowOrNull(IOperation operation) =>
            Operations.SkipConversions(operation) is IThrowOperation || Operations.IsNullOrDefault(operation);

        /// <summary>Two values that agree keep their lifetime; static and external together may both outlive; anything else is unknown.</summary>
        private static LifetimeInfo Merge(LifetimeInfo? first, LifetimeInfo? second)
        {
            if (first is not { } a)
            {
                return second ?? LifetimeInfo.Unknown;
            }

            if (second is not { } b)
            {
                return a;
            }

            if (a.Lifetime == b.Lifetime)
            {
                return a;
            }

            if (a.Lifetime is Lifetime.Static or Lifetime.External && b.Lifetime is Lifetime.Static or Lifetime.External)
            {
                return a.Lifetime == Lifetime.External ? a : b;
            }

            return LifetimeInfo.Unknown;
        }

        private static string MemberKey(ISymbol member) =>
            member.ContainingType is { } type ? SymbolNames.MemberKey(type, member.Name) : member.Name;

        /// <summary>A member of the one-shot token table, declared by the type or by an interface it implements (<c>ApplicationLifetime.ApplicationStopping</c>).</summary>
        private bool IsOneShotToken(ISymbol member)
        {
            if (member is not IPropertySymbol { IsStatic: false } property || property.Type.Name != "CancellationToken" || settings.OneShotTokens.Count == 0)
            {
                return false;
            }

            if (settings.OneShotTokens.Contains(MemberKey(member)))
            {
                return true;
            }

            foreach (var @interface in member.ContainingType.AllInterfaces)
            {
                if (settings.OneShotTokens.Contains(SymbolNames.MemberKey(@interface, member.Name)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// What one subject type does with its own fields and properties, recorded by operation actions in a symbol-start
/// action on the type: every value it assigns to them, which timers it stops, and which of its own methods call which.
/// Thread-safe: operation actions of one type may run concurrently.
/// </summary>
internal sealed class TypeLifetimeFacts
{
    /// <summary>The operation kinds <see cref="Record"/> needs.</summary>
    internal static readonly ImmutableArray<OperationKind> OperationKinds = ImmutableArray.Create(
        OperationKind.SimpleAssignment,
        OperationKind.CoalesceAssignment,
        OperationKind.DeconstructionAssignment,
        OperationKind.FieldInitializer,
        OperationKind.PropertyInitializer,
        OperationKind.Invocation,
        OperationKind.MethodReference);

    private readonly object gate = new();
    private readonly Dictionary<ISymbol, List<StoredValue>> assignments = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> stopped = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> started = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> disposed = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, HashSet<IMethodSymbol>> calls = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IPropertySymbol> autoProperties = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, List<IInvocationOperation>> callSites = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IMethodSymbol> escaping = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IParameterSymbol> children = new(SymbolEqualityComparer.Default);

    internal TypeLifetimeFacts(INamedTypeSymbol type)
    {
        Type = type;
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: IPropertySymbol property })
            {
                autoProperties.Add(property);
            }
        }
    }

    /// <summary>The subject.</summary>
    internal INamedTypeSymbol Type { get; }

    /// <summary>Registers the operation actions that fill these facts, for the members of the symbol-start type.</summary>
    internal void Register(SymbolStartAnalysisContext context) =>
        context.RegisterOperationAction(c => Record(c.Operation, c.ContainingSymbol), OperationKinds);

    /// <summary>
    /// Records every operation of one operation block (<paramref name="owner"/>: the member whose block it is), for
    /// callers that keep blocks and read the facts only when they need them (cheaper than operation actions when
    /// most types never need facts).
    /// </summary>
    internal void RecordAll(IOperation root, ISymbol owner)
    {
        foreach (var operation in Operations.OfKinds(root, OperationKinds))
        {
            Record(operation, owner);
        }
    }

    /// <summary>Records one operation of the subject's members (<paramref name="containingSymbol"/>: the member whose code it is).</summary>
    internal void Record(IOperation operation, ISymbol containingSymbol)
    {
        if (!SymbolEqualityComparer.Default.Equals(containingSymbol.ContainingType?.OriginalDefinition, Type.OriginalDefinition))
        {
            return; // a nested type: it is a subject of its own.
        }

        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                if (OwnMember(assignment.Target) is { } target)
                {
                    Add(target, assignment.Value, assignment);
                }

                if (IsStop(assignment) is { } stoppedTimer)
                {
                    lock (gate)
                    {
                        stopped.Add(stoppedTimer);
                    }
                }

                if (IsStart(assignment) is { } startedTimer)
                {
                    lock (gate)
                    {
                        started.Add(startedTimer.OriginalDefinition);
                    }
                }

                break;
            case ICoalesceAssignmentOperation coalesce when OwnMember(coalesce.Target) is { } coalesced:
                Add(coalesced, coalesce.Value, coalesce);
                if (Operations.SkipConversions(coalesce.Value) is IObjectCreationOperation made && StartsAtOnce(made))
                {
                    lock (gate)
                    {
                        started.Add(coalesced.OriginalDefinition);
                    }
                }

                break;
            case IDeconstructionAssignmentOperation deconstruction:
                RecordDeconstruction(deconstruction.Target, Operations.SkipConversions(deconstruction.Value), deconstruction);
                break;
            case IFieldInitializerOperation fieldInitializer:
                foreach (var field in fieldInitializer.InitializedFields)
                {
                    Add(field, fieldInitializer.Value, fieldInitializer);
                }

                break;
            case IPropertyInitializerOperation propertyInitializer:
                foreach (var property in propertyInitializer.InitializedProperties)
                {
                    Add(property, propertyInitializer.Value, propertyInitializer);
                }

                break;
            case IInvocationOperation invocation:
                RecordInvocation(invocation, containingSymbol);
                break;
            case IMethodReferenceOperation reference when IsOwn(reference.Method) && reference.Parent is not IInvocationOperation:
                lock (gate)
                {
                    escaping.Add(reference.Method.OriginalDefinition);
                }

                break;
        }
    }

    /// <summary>The calls, in the subject's code, of one of its own methods.</summary>
    internal ImmutableArray<IInvocationOperation> CallSitesOf(IMethodSymbol method)
    {
        lock (gate)
        {
            return callSites.TryGetValue(method.OriginalDefinition, out var list) ? list.ToImmutableArray() : ImmutableArray<IInvocationOperation>.Empty;
        }
    }

    /// <summary>Whether one of the subject's methods is used as a delegate (so it may be called from anywhere).</summary>
    internal bool Escapes(IMethodSymbol method)
    {
        lock (gate)
        {
            return escaping.Contains(method.OriginalDefinition);
        }
    }

    /// <summary>
    /// Whether the subject adds <paramref name="parameter"/> to one of its own collections or to itself
    /// (<c>items.Add(item)</c>, <c>Add(child)</c>, <c>steps.AddLast(step)</c>): the object becomes its child.
    /// </summary>
    internal bool IsChild(IParameterSymbol parameter)
    {
        lock (gate)
        {
            return children.Contains(parameter.OriginalDefinition);
        }
    }

    private bool IsOwn(IMethodSymbol method) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Type.OriginalDefinition);

    /// <summary>
    /// <c>_timer = new Timer(OnTick, null, duration, Timeout.Infinite);</c> in a constructor: every value the subject gives
    /// the member, at construction, is a <c>System.Threading.Timer</c> with an infinite period, never changed (<c>Change</c> counts as a stop, judged
    /// apart, and so is a <c>Change</c> on a copy: the type must call none). It fires once and leaves the timer queue:
    /// it keeps its callback until then, not for good.
    /// </summary>
    internal bool OnlyOneShotTimers(ISymbol member)
    {
        var values = AssignmentsOf(member);
        return values.Length > 0 &&
               values.All(stored => MadeAtConstruction(stored.Operation) &&
                                    Operations.SkipConversions(stored.Value) is IObjectCreationOperation created &&
                                    LifetimeModel.IsThreadingTimer(created.Type) &&
                                    created.Arguments.FirstOrDefault(a => a.Parameter?.Name == "period") is { } period &&
                                    IsInfinite(Operations.SkipConversions(period.Value))) &&
               !CallsChange(Type);

        static bool IsInfinite(IOperation? value) =>
            value?.ConstantValue is { HasValue: true, Value: var constant }
                ? constant is -1 or -1L or uint.MaxValue
                : value is IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", ContainingType.Name: "Timeout" } };
    }

    /// <summary>
    /// In a constructor's own body or an initializer: not in a method (a timer callback making the next one-shot timer
    /// re-arms it for good), a lambda or a local function.
    /// </summary>
    private static bool MadeAtConstruction(IOperation operation) =>
        operation.Syntax.Ancestors().FirstOrDefault(a => a is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax or
                                                         Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax or
                                                         Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax)
            is Microsoft.CodeAnalysis.CSharp.Syntax.ConstructorDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax or
               Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: not null };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<INamedTypeSymbol, System.Runtime.CompilerServices.StrongBox<bool>> CallsChangeByType = new();

    private static bool CallsChange(INamedTypeSymbol type) =>
        CallsChangeByType.GetValue(type, t => new System.Runtime.CompilerServices.StrongBox<bool>(ScanForChange(t))).Value;

    private static bool ScanForChange(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax().DescendantNodes().Any(node =>
            node is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
            {
                Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Change" } or
                            Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Change" },
            }));

    /// <summary>Every value the subject assigns to <paramref name="member"/>; a null value is one that cannot be told (out, ref, deconstruction).</summary>
    internal ImmutableArray<StoredValue> AssignmentsOf(ISymbol member)
    {
        lock (gate)
        {
            return assignments.TryGetValue(member.OriginalDefinition, out var list) ? list.ToImmutableArray() : ImmutableArray<StoredValue>.Empty;
        }
    }

    /// <summary>Whether the subject stops or disposes the timer held in <paramref name="member"/>.</summary>
    internal bool IsStopped(ISymbol member)
    {
        lock (gate)
        {
            return stopped.Contains(member.OriginalDefinition);
        }
    }

    /// <summary>Whether the subject disposes or closes what <paramref name="member"/> holds (<c>_connection?.Dispose()</c>): it owns it.</summary>
    internal bool IsDisposedBySubject(ISymbol member)
    {
        lock (gate)
        {
            return disposed.Contains(member.OriginalDefinition);
        }
    }

    /// <summary>
    /// The subject's own field or property that keeps <paramref name="parameter"/> (<c>this.bus = bus</c>,
    /// <c>this.bus = bus ?? throw ...</c>), or null when none or several do.
    /// </summary>
    internal ISymbol? MemberStoring(IParameterSymbol parameter)
    {
        ISymbol? found = null;
        lock (gate)
        {
            foreach (var pair in assignments)
            {
                foreach (var stored in pair.Value)
                {
                    var value = Operations.SkipConversions(stored.Value);
                    if (value is ICoalesceOperation coalesce && Operations.SkipConversions(coalesce.WhenNull) is IThrowOperation)
                    {
                        value = Operations.SkipConversions(coalesce.Value);
                    }

                    if (value is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                    {
                        if (found is not null && !SymbolEqualityComparer.Default.Equals(found, pair.Key))
                        {
                            return null;
                        }

                        found = pair.Key;
                    }
                }
            }
        }

        return found;
    }

    internal bool IsAutoProperty(IPropertySymbol property) => autoProperties.Contains(property.OriginalDefinition);

    /// <summary>The subject's own methods that <paramref name="method"/> may run, directly or through other own methods (itself included).</summary>
    internal ImmutableHashSet<IMethodSymbol> Reachable(IMethodSymbol method)
    {
        var result = ImmutableHashSet.CreateBuilder<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IMethodSymbol>();
        pending.Push(method.OriginalDefinition);
        lock (gate)
        {
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (!result.Add(current))
                {
                    continue;
                }

                if (calls.TryGetValue(current, out var callees))
                {
                    foreach (var callee in callees)
                    {
                        pending.Push(callee);
                    }
                }
            }
        }

        return result.ToImmutable();
    }

    private void Add(ISymbol member, IOperation? value, IOperation operation)
    {
        lock (gate)
        {
            var key = member.OriginalDefinition;
            if (!assignments.TryGetValue(key, out var list))
            {
                list = new List<StoredValue>();
                assignments.Add(key, list);
            }

            list.Add(new StoredValue(value, operation));
        }
    }

    private void RecordDeconstruction(IOperation target, IOperation? value, IOperation operation)
    {
        if (target is ITupleOperation targets)
        {
            var values = value as ITupleOperation;
            for (var i = 0; i < targets.Elements.Length; i++)
            {
                var element = targets.Elements[i];
                var elementValue = values is not null && values.Elements.Length == targets.Elements.Length ? Operations.SkipConversions(values.Elements[i]) : null;
                RecordDeconstruction(element, elementValue, operation);
            }
        }
        else if (OwnMember(target) is { } member)
        {
            Add(member, value, operation);
        }
    }

    private void RecordInvocation(IInvocationOperation invocation, ISymbol containingSymbol)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && OwnMember(argument.Value) is { } member)
            {
                Add(member, null, invocation);
            }
        }

        var method = invocation.TargetMethod;
        if (IsOwn(method))
        {
            lock (gate)
            {
                if (!callSites.TryGetValue(method.OriginalDefinition, out var sites))
                {
                    sites = new List<IInvocationOperation>();
                    callSites.Add(method.OriginalDefinition, sites);
                }

                sites.Add(invocation);
            }
        }

        if (IsAddingChild(invocation))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (Operations.SkipConversions(argument.Value) is IParameterReferenceOperation child)
                {
                    lock (gate)
                    {
                        children.Add(child.Parameter.OriginalDefinition);
                    }
                }
            }
        }

        if (method.Name == "Start" && OwnMember(Receiver(invocation.Instance)) is { } startedTimer)
        {
            lock (gate)
            {
                started.Add(startedTimer.OriginalDefinition);
            }
        }

        if (KnownLifetimes.TimerStopMethods.Contains(method.Name) && OwnMember(Receiver(invocation.Instance)) is { } timer)
        {
            lock (gate)
            {
                stopped.Add(timer);
                if (method.Name is "Dispose" or "DisposeAsync" or "Close")
                {
                    disposed.Add(timer);
                }
            }
        }

        if (containingSymbol is IMethodSymbol caller &&
            SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Type.OriginalDefinition) &&
            (invocation.Instance is null or IInstanceReferenceOperation))
        {
            lock (gate)
            {
                var key = caller.OriginalDefinition;
                if (!calls.TryGetValue(key, out var callees))
                {
                    callees = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
                    calls.Add(key, callees);
                }

                callees.Add(method.OriginalDefinition);
            }
        }
    }

    /// <summary>An Add-like call (<c>Add</c>, <c>AddLast</c>, <c>Insert</c>, <c>Push</c>, <c>Enqueue</c>) on one of the subject's own members or on the subject itself.</summary>
    private bool IsAddingChild(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        if (!(name.StartsWith("Add", StringComparison.Ordinal) || name.StartsWith("Insert", StringComparison.Ordinal) ||
              name == "Push" || name == "Enqueue" || name == "Append"))
        {
            return false;
        }

        var receiver = Operations.SkipConversions(invocation.Instance);
        return receiver is IInstanceReferenceOperation || OwnMember(receiver) is not null;
    }

    /// <summary><c>timer.Enabled = false</c> or <c>timer.IsEnabled = false</c> on an own member: that member.</summary>
    /// <summary>
    /// <c>timer.Enabled = true</c>, <c>timer.IsEnabled = on</c>, or a member assigned a timer made running
    /// (<c>new Timer { Enabled = true }</c>, a <c>System.Threading.Timer</c>, a dispatcher timer given its callback).
    /// </summary>
    private ISymbol? IsStart(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "Enabled" or "IsEnabled" } property &&
            assignment.Value.ConstantValue is not { HasValue: true, Value: false })
        {
            return OwnMember(Receiver(property.Instance));
        }

        return OwnMember(assignment.Target) is { } member && Operations.SkipConversions(assignment.Value) is IObjectCreationOperation created && StartsAtOnce(created)
            ? member.OriginalDefinition
            : null;
    }

    private static bool StartsAtOnce(IObjectCreationOperation created) =>
        LifetimeModel.IsThreadingTimer(created.Type) ||
        created.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit && a.Parameter?.Type.TypeKind == TypeKind.Delegate) ||
        (created.Initializer?.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Enabled" or "IsEnabled" } } set &&
                                                    set.Value.ConstantValue is not { HasValue: true, Value: false }) ?? false);

    /// <summary>
    /// A timer member the subject makes itself and never starts: no <c>Start()</c>, no <c>Enabled = true</c>, not made
    /// running. It is an object like any other, not one the runtime keeps alive.
    /// </summary>
    internal bool NeverStarted(ISymbol member)
    {
        lock (gate)
        {
            return !started.Contains(member.OriginalDefinition);
        }
    }

    private ISymbol? IsStop(ISimpleAssignmentOperation assignment) =>
        assignment.Target is IPropertyReferenceOperation { Property.Name: "Enabled" or "IsEnabled" } property &&
        assignment.Value.ConstantValue is { HasValue: true, Value: false }
            ? OwnMember(Receiver(property.Instance))
            : null;

    private static IOperation? Receiver(IOperation? instance)
    {
        instance = Operations.SkipConversions(instance);
        if (instance is IConditionalAccessInstanceOperation)
        {
            for (var current = instance.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalAccessOperation access)
                {
                    return Operations.SkipConversions(access.Operation);
                }
            }
        }

        return instance;
    }

    /// <summary>The field or property of the subject that <paramref name="target"/> refers to (on <c>this</c>, or static).</summary>
    private ISymbol? OwnMember(IOperation? target)
    {
        ISymbol? member;
        IOperation? instance;
        switch (Operations.SkipConversions(target))
        {
            case IFieldReferenceOperation field:
                member = field.Field;
                instance = field.Instance;
                break;
            case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                member = property.Property;
                instance = property.Instance;
                break;
            default:
                return null;
        }

        if (instance is not null and not IInstanceReferenceOperation)
        {
            return null;
        }

        return SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, Type.OriginalDefinition) ? member.OriginalDefinition : null;
    }
}

/// <summary>A value the subject stores in one of its members, and the operation that stores it.</summary>
internal readonly struct StoredValue
{
    internal StoredValue(IOperation? value, IOperation operation)
    {
        Value = value;
        Operation = operation;
    }

    /// <summary>Null when the stored value cannot be told (passed by ref or out, deconstructed from a non-tuple).</summary>
    internal IOperation? Value { get; }

    internal IOperation Operation { get; }
}

/// <summary>The lifetime tables merged with one .editorconfig section's additions and options.</summary>
internal sealed class LifetimeSettings
{
    private LifetimeSettings(
        ImmutableHashSet<string> longLivedTypes,
        ImmutableHashSet<string> longLivedMembers,
        ImmutableHashSet<string> processWideMembers,
        ImmutableHashSet<string> processWideEventTypes,
        ImmutableHashSet<string> oneShotTokens,
        bool externalMayOutlive,
        ImmutableArray<RepeatingMethod> repeatingOverrides,
        ImmutableArray<RepeatingMethod> repeatingMethods)
    {
        LongLivedTypes = longLivedTypes;
        LongLivedMembers = longLivedMembers;
        ProcessWideMembers = processWideMembers;
        ProcessWideEventTypes = processWideEventTypes;
        OneShotTokens = oneShotTokens;
        ExternalMayOutlive = externalMayOutlive;
        RepeatingOverrides = repeatingOverrides;
        RepeatingMethods = repeatingMethods;
    }

    /// <summary>Types whose instances live as long as the process: the table plus <c>leak_analyzers.long_lived_types</c>.</summary>
    internal ImmutableHashSet<string> LongLivedTypes { get; }

    /// <summary>Members whose value lives as long as the process: the process-wide table plus <c>leak_analyzers.long_lived_members</c>.</summary>
    internal ImmutableHashSet<string> LongLivedMembers { get; }

    internal ImmutableHashSet<string> ProcessWideMembers { get; }

    internal ImmutableHashSet<string> ProcessWideEventTypes { get; }

    /// <summary>Token properties (<c>Type.Member</c>) cancelled once in the application's life: the table plus <c>leak_analyzers.one_shot_tokens</c>.</summary>
    internal ImmutableHashSet<string> OneShotTokens { get; }

    /// <summary>False with <c>leak_analyzers.external_lifetime = unknown</c>.</summary>
    internal bool ExternalMayOutlive { get; }

    /// <summary>Lifecycle overrides that run many times, with their counterparts.</summary>
    internal ImmutableArray<RepeatingMethod> RepeatingOverrides { get; }

    /// <summary>Methods that run many times whatever they override: the table plus <c>leak_analyzers.repeating_methods</c>.</summary>
    internal ImmutableArray<RepeatingMethod> RepeatingMethods { get; }

    private static readonly string[] ConfiguredKeys =
    {
        LeakOptions.ExternalLifetime, LeakOptions.RepeatingMethods, LeakOptions.LongLivedTypes, LeakOptions.LongLivedMembers,
        LeakOptions.OneShotTokens,
    };

    internal static string KeyOf(AnalyzerConfigOptions options, string? ruleId) => LeakOptions.ValueKey(options, ruleId, ConfiguredKeys);

    internal static LifetimeSettings Create(AnalyzerConfigOptions options, string? ruleId)
    {
        var externalLifetime = LeakOptions.GetString(options, ruleId, LeakOptions.ExternalLifetime)?.Trim();
        var processWideMembers = ImmutableHashSet.CreateRange(StringComparer.Ordinal, KnownLifetimes.ProcessWideMembers);
        var repeating = ImmutableArray.CreateBuilder<RepeatingMethod>();
        foreach (var entry in KnownLifetimes.RepeatingMethods)
        {
            repeating.Add(RepeatingMethod.Parse(entry));
        }

        foreach (var entry in LeakOptions.GetList(options, ruleId, LeakOptions.RepeatingMethods))
        {
            repeating.Add(RepeatingMethod.Parse(entry));
        }

        var overrides = ImmutableArray.CreateBuilder<RepeatingMethod>();
        foreach (var entry in KnownLifetimes.RepeatingOverrides)
        {
            overrides.Add(RepeatingMethod.Parse(entry));
        }

        return new LifetimeSettings(
            Merge(KnownLifetimes.LongLivedTypes, LeakOptions.GetList(options, ruleId, LeakOptions.LongLivedTypes)),
            Merge(KnownLifetimes.ProcessWideMembers, LeakOptions.GetList(options, ruleId, LeakOptions.LongLivedMembers)),
            processWideMembers,
            ImmutableHashSet.CreateRange(StringComparer.Ordinal, KnownLifetimes.ProcessWideEventTypes),
            Merge(KnownLifetimes.OneShotTokens, LeakOptions.GetList(options, ruleId, LeakOptions.OneShotTokens)),
            !string.Equals(externalLifetime, "unknown", StringComparison.OrdinalIgnoreCase),
            overrides.ToImmutable(),
            repeating.ToImmutable());
    }

    private static ImmutableHashSet<string> Merge(ImmutableArray<string> builtIn, ImmutableArray<string> user)
    {
        var builder = ImmutableHashSet.CreateBuilder(StringComparer.Ordinal);
        builder.UnionWith(builtIn);
        builder.UnionWith(user);
        return builder.ToImmutable();
    }
}

/// <summary>A method that runs many times (<c>OnAppearing</c>) and the counterparts that undo what it does (<c>OnDisappearing</c>).</summary>
internal sealed class RepeatingMethod
{
    private RepeatingMethod(string name, ImmutableArray<string> counterparts)
    {
        Name = name;
        Counterparts = counterparts;
    }

    internal string Name { get; }

    internal ImmutableArray<string> Counterparts { get; }

    /// <summary><c>Name</c> or <c>Name:Counterpart|Counterpart</c>.</summary>
    internal static RepeatingMethod Parse(string entry)
    {
        var colon = entry.IndexOf(':');
        if (colon < 0)
        {
            return new RepeatingMethod(entry.Trim(), ImmutableArray<string>.Empty);
        }

        var counterparts = ImmutableArray.CreateBuilder<string>();
        foreach (var part in entry.Substring(colon + 1).Split('|'))
        {
            if (part.Trim() is { Length: > 0 } name)
            {
                counterparts.Add(name);
            }
        }

        return new RepeatingMethod(entry.Substring(0, colon).Trim(), counterparts.ToImmutable());
    }
}
