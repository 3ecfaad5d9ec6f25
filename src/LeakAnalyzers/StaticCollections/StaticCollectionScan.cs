namespace LeakAnalyzers.StaticCollections;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What one use of a static collection does to it.</summary>
internal enum UseKind
{
    /// <summary>Adds to it from code that runs after start-up.</summary>
    Grow,

    /// <summary>Removes from it, clears it, or replaces it.</summary>
    Shrink,

    /// <summary>Hands it to code the analyzer does not see (an argument, a return value, a local): that code may shrink it.</summary>
    Escape,

    /// <summary>Reads its size in a comparison: a size check bounds the writes.</summary>
    SizeCheck,

    /// <summary>Reads it, or writes a bounded key: neither grows nor shrinks it (kept to decide whether a fix applies).</summary>
    Read,
}

/// <summary>How an add chooses what it adds: the message says so.</summary>
internal enum GrowthKind
{
    /// <summary>Appends an element (lists, queues, bags, builders).</summary>
    Element,

    /// <summary>Adds an entry for a key that comes from a parameter: a memo cache keyed by its callers' input.</summary>
    KeyFromParameter,

    /// <summary>Adds an entry for a key computed in the method.</summary>
    Key,

    /// <summary>Adds <c>this</c> in an instance constructor: a registry of every instance ever created.</summary>
    Registry,
}

/// <summary>One use of a static collection.</summary>
internal sealed class CollectionUse
{
    internal CollectionUse(UseKind kind, GrowthKind growth, IOperation operation, ISymbol? method, bool startUp, string? keyName, bool registersParameter = false,
                           ImmutableArray<IParameterSymbol> boundedIfCallersAre = default, bool memo = false)
    {
        Kind = kind;
        Memo = memo;
        Growth = growth;
        Operation = operation;
        Method = method;
        StartUp = startUp;
        KeyName = keyName;
        RegistersParameter = registersParameter;
        BoundedIfCallersAre = boundedIfCallersAre.IsDefault ? ImmutableArray<IParameterSymbol>.Empty : boundedIfCallersAre;
    }

    /// <summary>
    /// The key is bounded but for these parameters of methods whose every caller is in scope
    /// (<c>Find(string clrName, ...)</c> keyed by <c>(clrName, left.GetType())</c>): bounded when every call passes a bounded value.
    /// </summary>
    internal ImmutableArray<IParameterSymbol> BoundedIfCallersAre { get; }

    /// <summary>
    /// The growth stores what the method's caller gave it, and that is a behaviour (a delegate, a <c>Type</c>, an
    /// interface or an abstract class: a plug-in, a resolver, a converter): a registration API, bounded by the code
    /// that calls it.
    /// </summary>
    internal bool RegistersParameter { get; }

    /// <summary>
    /// The growth adds an entry for a key compared by value (a string, a number, a struct, a record, a class that
    /// overrides Equals) and stores nothing its caller handed over: a memo cache, as large as the set of distinct
    /// keys its callers ever pass. Whether that set is bounded depends on where the keys come from, which the
    /// analyzer cannot see: such a collection is LEAK203's, a suggestion, not a warning.
    /// </summary>
    internal bool Memo { get; }

    internal UseKind Kind { get; }

    internal GrowthKind Growth { get; }

    internal IOperation Operation { get; }

    /// <summary>The method (or other member) whose code holds the use.</summary>
    internal ISymbol? Method { get; }

    /// <summary>True when the use runs only at start-up: a static constructor, a static initializer, a one-time lazy factory.</summary>
    internal bool StartUp { get; }

    /// <summary>The parameter the key comes from, for <see cref="GrowthKind.KeyFromParameter"/>.</summary>
    internal string? KeyName { get; }
}

/// <summary>A static collection that only grows: what the rules report.</summary>
internal sealed class GrowthFinding
{
    /// <summary>The property that tells the code fix the collection can become a ConditionalWeakTable.</summary>
    internal const string FixKey = "Fix";

    internal const string WeakTableFix = "ConditionalWeakTable";

    internal GrowthFinding(ISymbol member, ITypeSymbol type, ImmutableArray<CollectionUse> growth, bool weakTable)
    {
        Member = member;
        Type = type;
        Growth = growth;
        WeakTable = weakTable;
        Memo = growth.All(g => g.Memo);
    }

    /// <summary>Every growth is a memo cache's (see <see cref="CollectionUse.Memo"/>): LEAK203 reports it, not LEAK201 or LEAK202.</summary>
    internal bool Memo { get; }

    /// <summary>True when the collection can become a <c>ConditionalWeakTable</c> without changing what the program does.</summary>
    internal bool WeakTable { get; }

    internal ISymbol Member { get; }

    internal ITypeSymbol Type { get; }

    /// <summary>The writes that make it grow, in source order.</summary>
    internal ImmutableArray<CollectionUse> Growth { get; }

    internal Diagnostic ToDiagnostic(DiagnosticDescriptor descriptor)
    {
        var first = Growth[0];

        // The collection's type is one hover away; the message names the member and how long it lives.
        var subject = Member.IsStatic
            ? $"'{Member.Name}'"
            : $"The process-long '{Member.ContainingType.Name}.{Member.Name}'";
        string how;
        string consequence;
        var method = first.Method is { } m ? DisplayMethod(m) : "code";
        switch (first.Growth)
        {
            case GrowthKind.Registry:
                how = $"every '{first.Method?.ContainingType?.Name}' adds itself";
                consequence = "each one stays alive until the process ends";
                break;
            case GrowthKind.KeyFromParameter:
                how = $"{method} adds an entry per new '{first.KeyName}'";
                consequence = "every entry stays until the process ends";
                break;
            case GrowthKind.Key:
                how = $"{method} adds an entry per new key";
                consequence = "every entry stays until the process ends";
                break;
            default:
                how = $"{method} adds to it";
                consequence = "every element stays until the process ends";
                break;
        }

        if (Growth.Length > 1)
        {
            how += Growth.Length == 2 ? " (and 1 more place)" : $" (and {Growth.Length - 1} more places)";
        }

        var location = Member.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
        return Diagnostic.Create(
            descriptor,
            location,
            Growth.Select(g => g.Operation.Syntax.GetLocation()),
            WeakTable ? ImmutableDictionary<string, string?>.Empty.Add(FixKey, WeakTableFix) : ImmutableDictionary<string, string?>.Empty,
            subject,
            how,
            consequence);
    }

    private static string DisplayMethod(ISymbol method) => method switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => $"the constructor of '{ctor.ContainingType.Name}'",
        IMethodSymbol { AssociatedSymbol: { } property } => $"'{property.Name}'",
        _ => $"'{method.Name}'",
    };
}

/// <summary>
/// The shared engine of LEAK201 and LEAK202: records every use of static members of growable collection types
/// (<see cref="CollectionApis"/>) and the calls between methods, then decides which collections only grow.
/// One instance per analysis scope (a type for LEAK201, the compilation for LEAK202). Thread-safe.
/// </summary>
internal sealed class StaticCollectionScan
{
    private static readonly OperationKind[] Kinds =
    {
        OperationKind.FieldReference, OperationKind.PropertyReference, OperationKind.Invocation, OperationKind.MethodReference,
    };

    private readonly CollectionModel model;
    private readonly Func<ISymbol, bool> inScope;
    private readonly ConcurrentDictionary<ISymbol, ConcurrentQueue<CollectionUse>> uses = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentQueue<(IMethodSymbol Callee, ISymbol? Caller, bool StartUp, bool Forwards)> calls = new();
    private readonly ConcurrentQueue<(IInvocationOperation Call, AnalyzerOptions Options)> sourceCalls = new();
    private readonly ConcurrentDictionary<IMethodSymbol, bool> usedAsDelegates = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> comparedByComparer = new(SymbolEqualityComparer.Default);

    private readonly bool seesAllCallers;

    /// <param name="model">The tables of the compilation.</param>
    /// <param name="inScope">Which static members this scan decides.</param>
    /// <param name="seesAllCallers">True when the scan sees the whole compilation, so internal methods' callers are all known; otherwise only private methods' are.</param>
    internal StaticCollectionScan(CollectionModel model, Func<ISymbol, bool> inScope, bool seesAllCallers)
    {
        this.model = model;
        this.inScope = inScope;
        this.seesAllCallers = seesAllCallers;
    }

    /// <summary>LEAK201's scope: a private member of a type with no nested types, so that every use is in the type's own code.</summary>
    internal static bool IsTypeScoped(ISymbol member) =>
        member.DeclaredAccessibility == Accessibility.Private &&
        member.ContainingType is { } type &&
        type.GetTypeMembers().IsEmpty;

    internal void RegisterOperations(Action<Action<OperationAnalysisContext>, OperationKind[]> register) =>
        register(Record, Kinds);

    private Dictionary<IMethodSymbol, List<(IInvocationOperation, AnalyzerOptions)>> CallsByCallee()
    {
        var result = new Dictionary<IMethodSymbol, List<(IInvocationOperation, AnalyzerOptions)>>(SymbolEqualityComparer.Default);
        foreach (var (call, options) in sourceCalls)
        {
            var callee = call.TargetMethod.OriginalDefinition;
            if (!result.TryGetValue(callee, out var list))
            {
                result[callee] = list = new List<(IInvocationOperation, AnalyzerOptions)>();
            }

            list.Add((call, options));
        }

        return result;
    }

    /// <summary>The collections in scope that only grow.</summary>
    internal IEnumerable<GrowthFinding> Findings(AnalyzerOptions options, System.Threading.CancellationToken cancellationToken)
    {
        if (uses.IsEmpty)
        {
            yield break;
        }

        var startUpOnly = StartUpOnlyMethods();
        var repeating = MethodsCalledAfterStartUp(startUpOnly);
        Dictionary<IMethodSymbol, List<(IInvocationOperation, AnalyzerOptions)>>? callsByCallee = null;
        foreach (var pair in uses)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var member = pair.Key;
            var all = pair.Value.ToArray();
            if (all.Any(u => u.Kind is UseKind.Shrink or UseKind.Escape or UseKind.SizeCheck))
            {
                continue;
            }

            var growth = all
                .Where(u => u.Kind == UseKind.Grow && !u.StartUp && !(u.Method is IMethodSymbol m && startUpOnly.Contains(m)) &&
                            !(u.RegistersParameter && u.Method is IMethodSymbol registration && !repeating.Contains(registration.OriginalDefinition)) &&
                            !(u.BoundedIfCallersAre.Length > 0 && u.BoundedIfCallersAre.All(p => BoundedAtEveryCall(p, callsByCallee ??= CallsByCallee()))))
                .OrderBy(u => u.Operation.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal)
                .ThenBy(u => u.Operation.Syntax.SpanStart)
                .ToImmutableArray();
            if (growth.IsEmpty || member.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
            {
                continue;
            }

            var settings = model.SettingsFor(options, location.SourceTree!);
            if (settings.IsBoundedCollection(member, CollectionModel.TypeOf(member)))
            {
                continue;
            }

            yield return new GrowthFinding(member, CollectionModel.TypeOf(member)!, growth, CanBecomeWeakTable(member, all));
        }
    }

    /// <summary>
    /// Whether a dictionary field can become a <c>ConditionalWeakTable</c> mechanically: keyed by objects compared by
    /// identity (a class that does not override Equals, not string), with reference-type values, declared in one
    /// document with a parameterless creation, and used only in that document by calls the table also has
    /// (Add, TryAdd, TryGetValue, an indexer set that becomes AddOrUpdate, GetOrAdd with a function that becomes GetValue, lock).
    /// Once nothing else holds a key, no lookup can reach its entry, so letting the entry go changes nothing else.
    /// </summary>
    private bool CanBecomeWeakTable(ISymbol member, CollectionUse[] all)
    {
        if (model.WeakTable is not { } table ||
            member is not IFieldSymbol field ||
            field.Type is not INamedTypeSymbol { TypeArguments.Length: 2 } type ||
            SymbolNames.FullMetadataName(type) is not ("System.Collections.Generic.Dictionary`2" or "System.Collections.Concurrent.ConcurrentDictionary`2") ||
            !IsIdentityKey(type.TypeArguments[0]) ||
            !type.TypeArguments[1].IsReferenceType ||
            field.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var tree = field.DeclaringSyntaxReferences[0].SyntaxTree;
        if (field.DeclaringSyntaxReferences[0].GetSyntax() is not { } declarator ||
            declarator.ChildNodes().FirstOrDefault() is not { } initializer ||
            !initializer.ToString().EndsWith("()", StringComparison.Ordinal))
        {
            return false;
        }

        bool Has(string name) => table.GetMembers(name).Length > 0;
        foreach (var use in all)
        {
            if (use.Operation.Syntax.SyntaxTree != tree)
            {
                return false;
            }

            var ok = use.Operation switch
            {
                IInvocationOperation { TargetMethod.Name: "Add" or "TryAdd", Arguments.Length: 2 } add => Has(add.TargetMethod.Name),
                IInvocationOperation { TargetMethod.Name: "GetOrAdd", Arguments.Length: 2 } getOrAdd =>
                    Has("GetValue") && getOrAdd.Arguments[1].Value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation or IMethodReferenceOperation },
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true } } => Has("AddOrUpdate"),
                _ => use.Kind == UseKind.Read &&
                     Operations.ParentSkippingConversions(use.Operation, out var child) switch
                     {
                         IInvocationOperation { TargetMethod.Name: "TryGetValue" } read => read.Instance == child,
                         ILockOperation => true,
                         _ => false,
                     },
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether two keys of this type can be equal without being the same object: a string, a value type, a record, or
    /// a class that overrides Equals. Interfaces, <c>object</c> and type parameters are not known to be.
    /// </summary>
    private static bool IsValueCompared(ITypeSymbol? key) =>
        key is not null && key.TypeKind is not (TypeKind.Error or TypeKind.TypeParameter or TypeKind.Interface) &&
        (key.IsValueType || (key.TypeKind == TypeKind.Class && key.SpecialType != SpecialType.System_Object && !IsIdentityKey(key)));

    /// <summary>
    /// Whether the collection is created, in its declaration, with an equality comparer of its own
    /// (<c>new ConcurrentDictionary&lt;LambdaExpression, Path&gt;(PathComparer.Default)</c>): keys are then compared by
    /// what the comparer looks at, by value, unless it is <c>ReferenceEqualityComparer</c>.
    /// </summary>
    private bool ComparesKeysWithAComparer(ISymbol member, IOperation reference) =>
        comparedByComparer.GetOrAdd(member, m =>
        {
            var tree = reference.Syntax.SyntaxTree;
            var initializer = m.DeclaringSyntaxReferences
                .Where(r => r.SyntaxTree == tree)
                .Select(r => r.GetSyntax() switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: var value } => value,
                    Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer.Value: var value } => value,
                    _ => null,
                })
                .FirstOrDefault(v => v is not null);
            if (initializer is null || reference.SemanticModel?.GetOperation(initializer) is not { } created ||
                Operations.SkipConversions(created) is not IObjectCreationOperation creation)
            {
                return false;
            }

            return creation.Arguments.Any(a => a.Parameter?.Type is INamedTypeSymbol { Name: "IEqualityComparer", TypeArguments.Length: 1 } &&
                                               Operations.SkipConversions(a.Value) is { Type: { } comparer } &&
                                               !comparer.Name.StartsWith("ReferenceEqualityComparer", StringComparison.Ordinal));
        });

    private static bool IsIdentityKey(ITypeSymbol key)
    {
        if (key.TypeKind != TypeKind.Class || key.SpecialType == SpecialType.System_String || key.IsRecord)
        {
            return false;
        }

        for (var current = key; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            // A sealed override in a library (WPF's DependencyObject) is there to keep equality by reference for every
            // subclass, not to compare by value.
            if (current.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => m.IsOverride && m.Parameters.Length == 1 && !(m.IsSealed && !m.Locations.Any(l => l.IsInSource))))
            {
                return false;
            }
        }

        return true;
    }

    private void Record(OperationAnalysisContext context)
    {
        try
        {
            switch (context.Operation)
            {
                case IInvocationOperation invocation:
                    RecordCall(invocation, context);
                    break;
                case IMethodReferenceOperation reference:
                    // A method used as a delegate may run at any time, with any arguments.
                    calls.Enqueue((reference.Method.OriginalDefinition, context.ContainingSymbol, false, false));
                    usedAsDelegates.TryAdd(reference.Method.OriginalDefinition, true);
                    break;
                case IFieldReferenceOperation { Field: { IsConst: false } field } fieldReference
                    when field.IsStatic || IsHeldBySingleton(field, context):
                    RecordUse(field, fieldReference, context);
                    break;
                case IPropertyReferenceOperation { Property: { IsIndexer: false } property } propertyReference
                    when (property.IsStatic || IsHeldBySingleton(property, context)) && model.IsAutoProperty(property):
                    RecordUse(property, propertyReference, context);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never throw at the user: a use the model cannot read is left out.
        }
    }

    private bool IsHeldBySingleton(ISymbol member, OperationAnalysisContext context) =>
        model.IsGrowable(member.OriginalDefinition, out _) &&
        model.IsLongLivedHolder(member.ContainingType, context.Options, context.Operation.Syntax.SyntaxTree);

    private void RecordCall(IInvocationOperation invocation, OperationAnalysisContext context)
    {
        var callee = invocation.TargetMethod;
        if (callee.MethodKind != MethodKind.Ordinary || !callee.Locations.Any(l => l.IsInSource))
        {
            return;
        }

        calls.Enqueue((callee.OriginalDefinition, context.ContainingSymbol, IsStartUp(context.Operation, context.ContainingSymbol, context.Options),
                       Forwards(invocation, context.ContainingSymbol)));
        if (invocation.Arguments.Length > 0 && (callee.DeclaredAccessibility == Accessibility.Private || IsHiddenFromOtherAssemblies(callee)))
        {
            sourceCalls.Enqueue((invocation, context.Options)); // the calls whose arguments may bound a key (LeftToCallers)
        }
    }

    /// <summary>
    /// Whether every call of <paramref name="parameter"/>'s method passes a bounded value for it: the method is private
    /// (or internal, when the scan sees the compilation), not used as a delegate, and called at least once.
    /// </summary>
    private bool BoundedAtEveryCall(IParameterSymbol parameter, Dictionary<IMethodSymbol, List<(IInvocationOperation Call, AnalyzerOptions Options)>> callsByCallee)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method ||
            !(method.DeclaredAccessibility == Accessibility.Private || (seesAllCallers && IsHiddenFromOtherAssemblies(method))) ||
            usedAsDelegates.ContainsKey(method.OriginalDefinition) ||
            !callsByCallee.TryGetValue(method.OriginalDefinition, out var sites) || sites.Count == 0)
        {
            return false;
        }

        foreach (var (call, options) in sites)
        {
            var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
            if (argument is null || parameter.IsParams)
            {
                return false;
            }

            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (!IsBoundedValue(argument.Value, model.SettingsFor(options, call.Syntax.SyntaxTree), depth: 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether only code of this compilation can call <paramref name="method"/>: it, or a type around it, is internal
    /// or private (a public method of an internal class, too).
    /// </summary>
    private static bool IsHiddenFromOtherAssemblies(ISymbol method)
    {
        for (ISymbol? current = method; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>public static void RegisterEvent(string name, Handler handler) { lock (gate) { RegisterInternal(name, handler); } }</c>:
    /// every argument is one of the caller's own parameters (or a constant), so the call repeats only as often as the
    /// caller is called.
    /// </summary>
    private static bool Forwards(IInvocationOperation invocation, ISymbol? caller) =>
        caller is IMethodSymbol { MethodKind: MethodKind.Ordinary } &&
        invocation.Arguments.All(argument =>
            argument.ArgumentKind == ArgumentKind.DefaultValue ||
            Operations.SkipConversions(argument.Value) switch
            {
                IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, caller),
                { ConstantValue.HasValue: true } => true,
                _ => false,
            });

    private void RecordUse(ISymbol member, IOperation reference, OperationAnalysisContext context)
    {
        member = member.OriginalDefinition;
        if (!inScope(member) || !model.IsGrowable(member, out var shape))
        {
            return;
        }

        var use = Classify(reference, member, shape, context.ContainingSymbol, context.Options, model.SettingsFor(context.Options, reference.Syntax.SyntaxTree)) ??
                  new CollectionUse(UseKind.Read, GrowthKind.Element, reference, context.ContainingSymbol, startUp: false, keyName: null);
        uses.GetOrAdd(member, _ => new ConcurrentQueue<CollectionUse>()).Enqueue(use);
    }

    private CollectionUse? Classify(IOperation reference, ISymbol member, CollectionShape shape, ISymbol containing, AnalyzerOptions options, CollectionSettings settings)
    {
        var parent = Operations.ParentSkippingConversions(reference, out var child);
        var startUp = IsStartUp(reference, containing, options);
        if (CollectionModel.IsReplaced(shape))
        {
            return Replaced();
        }

        switch (parent)
        {
            case IInvocationOperation invocation when invocation.Instance == child:
                {
                    var name = invocation.TargetMethod.Name;
                    if (CollectionApis.ShrinkingMethods.Contains(name))
                    {
                        // cache.Remove(key) right after reading cache[key]: it drops the entry it just found stale, and
                        // every key that is never read again stays. That does not bound the collection.
                        return RemovesTheKeyJustRead(invocation, member) ? null : Use(UseKind.Shrink);
                    }

                    if (!CollectionApis.GrowingMethods.Contains(name))
                    {
                        return null;
                    }

                    var first = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
                    return Growth(invocation, first, invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value);
                }

            case IPropertyReferenceOperation property when property.Instance == child:
                {
                    if (property.Property.IsIndexer)
                    {
                        if (property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property)
                        {
                            return Growth(assignment, property.Arguments.FirstOrDefault()?.Value, assignment.Value);
                        }

                        return null;
                    }

                    if (CollectionApis.SizeMembers.Contains(property.Property.Name))
                    {
                        if (property.Parent is IAssignmentOperation assignment && assignment.Target == property)
                        {
                            // sb.Length = 0
                            return Use(UseKind.Shrink);
                        }

                        return IsCompared(property) ? Use(UseKind.SizeCheck) : null;
                    }

                    // `Items.Values.Sum(x => x.Size) < MaxCacheSize`: the total of its entries, compared, bounds it.
                    return property.Property.Name is "Keys" or "Values" &&
                           Operations.ParentSkippingConversions(property, out _) is IArgumentOperation { Parent: IInvocationOperation measure } &&
                           measure.TargetMethod.ContainingNamespace?.ToDisplayString() == "System.Linq" &&
                           CollectionApis.SizeMembers.Contains(measure.TargetMethod.Name) && IsCompared(measure)
                        ? Use(UseKind.SizeCheck)
                        : null;
                }

            case IMemberReferenceOperation:
                // Another member of the collection (Keys, Values, a field of a struct): a read.
                return null;

            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                // A new collection replaces the old one: outside start-up, that is a way to shrink.
                return startUp ? null : Use(UseKind.Shrink);

            case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
            case ICoalesceOperation:
            case IIsPatternOperation:
            case IBinaryOperation:
            case IForEachLoopOperation:
            case ILockOperation:
            case IExpressionStatementOperation:
                return null;

            case IArgumentOperation argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out:
                // Interlocked.Exchange(ref s_cache, new ...) and the like replace it.
                return Use(UseKind.Shrink);

            case IArgumentOperation argument when argument.Parent is IInvocationOperation call &&
                                                 call.TargetMethod.ContainingNamespace?.ToDisplayString() == "System.Linq":
                // LINQ reads the collection; Count() in a comparison bounds it.
                return CollectionApis.SizeMembers.Contains(call.TargetMethod.Name) && IsCompared(call) ? Use(UseKind.SizeCheck) : null;

            case IArgumentOperation argument when argument.Parent is IInvocationOperation call &&
                                                 call.TargetMethod.ContainingType?.Name == "Monitor":
                return null;

            default:
                // Returned, stored elsewhere, passed on: the code that receives it may shrink it.
                return Use(UseKind.Escape);
        }

        CollectionUse Use(UseKind kind) => new(kind, GrowthKind.Element, reference, containing, startUp, null);

        // An immutable collection or an array grows only by being replaced with itself plus more.
        CollectionUse? Replaced()
        {
            switch (parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == child:
                    return DerivesFrom(assignment.Value, member, 0) || startUp ? null : Use(UseKind.Shrink);
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref } argument when argument.Parent is IInvocationOperation call:
                    if (call.TargetMethod.ContainingType?.Name == "ImmutableInterlocked" && CollectionApis.InterlockedGrowthMethods.Contains(call.TargetMethod.Name))
                    {
                        return Growth(call, call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value, call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 2)?.Value);
                    }

                    // Interlocked.CompareExchange(ref items, items.Add(x), old): the new value is recorded where it is computed.
                    return IsInterlockedSwap(call) && DerivesFrom(call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value, member, 0)
                        ? null
                        : Use(UseKind.Shrink);
            }

            // items.Add(x), items.Append(x).ToArray(), ... : growth only when assigned back to the same member.
            IOperation current = reference;
            IInvocationOperation? grower = null;
            var shrinks = false;
            for (var depth = 0; depth < 8; depth++)
            {
                var up = Operations.ParentSkippingConversions(current, out var from);
                IInvocationOperation? step = up switch
                {
                    IInvocationOperation call when call.Instance == from => call,
                    IArgumentOperation { Parameter.Ordinal: 0 } argument when argument.Parent is IInvocationOperation { TargetMethod.IsExtensionMethod: true } extension => extension,
                    _ => null,
                };

                if (step is null)
                {
                    IOperation? back = up is ISimpleAssignmentOperation assigned && assigned.Value == from && IsSameMember(assigned.Target, member) ? assigned : null;
                    if (up is IArgumentOperation { Parameter.Ordinal: 1 } swapped && swapped.Parent is IInvocationOperation swap && IsInterlockedSwap(swap) &&
                        IsSameMember(swap.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value, member))
                    {
                        back = swap;
                    }

                    if (back is not null)
                    {
                        if (shrinks)
                        {
                            return Use(UseKind.Shrink);
                        }

                        if (grower is not null)
                        {
                            var key = CollectionModel.IsKeyed(shape) && !grower.TargetMethod.IsExtensionMethod
                                ? grower.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value
                                : null;
                            var stored = CollectionModel.IsKeyed(shape) && !grower.TargetMethod.IsExtensionMethod
                                ? grower.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value
                                : null;
                            return CollectionModel.IsKeyed(shape) && key is null ? null : Growth(back, key, stored);
                        }
                    }

                    return null;
                }

                var name = step.TargetMethod.Name;
                shrinks |= CollectionApis.ReplacingShrinkMethods.Contains(name);
                if (CollectionApis.ReplacingGrowthMethods.Contains(name))
                {
                    grower ??= step;
                }

                current = step;
            }

            return null;
        }

        // `stored` is what a keyed write stores for the key (none for a set).
        CollectionUse? Growth(IOperation write, IOperation? key, IOperation? stored)
        {
            var growthKind = GrowthKind.Element;
            string? keyName = null;
            var pending = ImmutableArray<IParameterSymbol>.Empty;
            var value = Operations.SkipConversions(key);
            if (value is IInstanceReferenceOperation && containing is IMethodSymbol { MethodKind: MethodKind.Constructor })
            {
                growthKind = GrowthKind.Registry;
            }
            else if (CollectionModel.IsKeyed(shape))
            {
                if (key is null)
                {
                    return null;
                }

                var callersDecide = new List<IParameterSymbol>();
                if (IsBoundedKey(value!, reference, settings, callersDecide))
                {
                    if (callersDecide.Count == 0)
                    {
                        return null;
                    }

                    pending = callersDecide.ToImmutableArray();
                }

                if (value is IParameterReferenceOperation parameter)
                {
                    growthKind = GrowthKind.KeyFromParameter;
                    keyName = parameter.Parameter.Name;
                }
                else
                {
                    growthKind = GrowthKind.Key;
                }
            }

            var memo = growthKind is GrowthKind.Key or GrowthKind.KeyFromParameter &&
                       (IsValueCompared(value!.Type is { TypeKind: not (TypeKind.Interface or TypeKind.TypeParameter), SpecialType: not SpecialType.System_Object } written ? written : CollectionModel.KeyType(reference.Type)) ||
                        ComparesKeysWithAComparer(member, reference)) &&
                       !IsCallersObject(stored, value);
            return new CollectionUse(UseKind.Grow, growthKind, write, containing, startUp, keyName, RegistersBehaviour(write) && IsCallersKey(CollectionModel.IsKeyed(shape) ? value : null), pending, memo);
        }

        // `sessions[id] = session`, `byName.Add(name, this)`, `entries[key] = (value, expires)`: what is stored is, or
        // carries, an object the caller handed over, so the table is a store of the callers' objects, not a memo of
        // values computed from the key.
        bool IsCallersObject(IOperation? stored, IOperation? key, int depth = 0) =>
            depth <= 2 &&
            Operations.SkipConversions(stored) switch
            {
                IParameterReferenceOperation { Parameter: var parameter } =>
                    SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, containing) &&
                    !(Operations.SkipConversions(key) is IParameterReferenceOperation keyParameter && SymbolEqualityComparer.Default.Equals(keyParameter.Parameter, parameter)),
                IInstanceReferenceOperation => true,
                ITupleOperation tuple => tuple.Elements.Any(e => IsCallersObject(e, key, depth + 1)),
                IObjectCreationOperation creation => creation.Arguments.Any(a => IsCallersObject(a.Value, key, depth + 1)),

                // `element = Find(_document, name); cache[name] = element;`: what an instance holds (a member of this
                // object), or what is computed from it, kept by a static table beyond the instance.
                IMemberReferenceOperation or IInvocationOperation or ILocalReferenceOperation => HoldsInstanceState(stored, depth),
                _ => false,
            };

        // What an instance holds (a member of this object that can hold an object graph), or an object computed from
        // one through a call or a local. A string or number computed from it keeps nothing of it; the callers'
        // arguments of such a call are not counted here (a memo of `Type.GetType(name, throwOnError)` stays a memo).
        static bool HoldsInstanceState(IOperation? value, int depth) =>
            depth <= 3 &&
            Operations.SkipConversions(value) switch
            {
                IMemberReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } member => CanHoldObjects(member.Type),
                IInvocationOperation call when CanHoldObjects(call.Type) =>
                    call.Arguments.Any(a => HoldsInstanceState(a.Value, depth + 1)) ||
                    (call.Instance is { } receiver && Operations.SkipConversions(receiver) is IMemberReferenceOperation && HoldsInstanceState(receiver, depth + 1)),
                ILocalReferenceOperation { Local: var local } reference when CanHoldObjects(local.Type) =>
                    Operations.ValuesOfLocal(Operations.RootOf(reference), local).Any(v => v is not null && HoldsInstanceState(v, depth + 1)),
                _ => false,
            };

        static bool CanHoldObjects(ITypeSymbol? type) =>
            type is { IsReferenceType: true, SpecialType: not SpecialType.System_String } || type is { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None };

        // No key, the caller's key (`filters[name] = type`), or the caller's key or the value's name (`alias ?? type.Name`).
        bool IsCallersKey(IOperation? key) =>
            key switch
            {
                null => true,
                IParameterReferenceOperation { Parameter.ContainingSymbol: var owner } => SymbolEqualityComparer.Default.Equals(owner, containing),
                IPropertyReferenceOperation { Instance: var instance } => IsCallersKey(Operations.SkipConversions(instance)),
                ICoalesceOperation coalesce => IsCallersKey(Operations.SkipConversions(coalesce.Value)) && IsCallersKey(Operations.SkipConversions(coalesce.WhenNull)),
                _ => false,
            };

        // `resolvers.Insert(0, resolver)`, `filters[name] = filterType` in a method given the resolver or the type.
        bool RegistersBehaviour(IOperation write)
        {
            var stored = write switch
            {
                IInvocationOperation call => call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == (CollectionModel.IsKeyed(shape) || call.TargetMethod.Name == "Insert" ? 1 : 0))?.Value,
                ISimpleAssignmentOperation assignment => assignment.Value,
                _ => null,
            };
            return Operations.SkipConversions(stored) is IParameterReferenceOperation { Parameter: var parameter } &&
                   SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, containing) &&
                   parameter.Type is { } type &&
                   (type.TypeKind is TypeKind.Delegate or TypeKind.Interface || (type.TypeKind == TypeKind.Class && type.IsAbstract) ||
                    SymbolNames.FullMetadataName(type) == "System.Type" || IsFluentConfiguration(write));
        }

        // `config.WithSearchDirectory(dir).WithLogLevel(...)`: a method that returns its own object on every path is
        // a builder's setting, called as many times as its callers write it.
        bool IsFluentConfiguration(IOperation write)
        {
            if (containing is not IMethodSymbol { ReturnsVoid: false, IsStatic: false } method ||
                !SymbolEqualityComparer.Default.Equals(method.ReturnType, method.ContainingType))
            {
                return false;
            }

            var returns = 0;
            foreach (var operation in Operations.RootOf(write).Descendants())
            {
                if (operation is IReturnOperation returned && FunctionScopes.EnclosingFunction(returned) is null)
                {
                    if (Operations.SkipConversions(returned.ReturnedValue) is not IInstanceReferenceOperation)
                    {
                        return false;
                    }

                    returns++;
                }
            }

            return returns > 0;
        }
    }

    private static bool IsInterlockedSwap(IInvocationOperation call) =>
        call.TargetMethod is { Name: "CompareExchange" or "Exchange", ContainingType: { Name: "Interlocked" } type } &&
        type.ContainingNamespace?.ToDisplayString() == "System.Threading";

    /// <summary>Whether <paramref name="value"/> is computed from <paramref name="member"/> itself (<c>map.Add(k, v)</c>, <c>items.Append(x).ToArray()</c>).</summary>
    private static bool DerivesFrom(IOperation? value, ISymbol member, int depth)
    {
        value = Operations.SkipConversions(value);
        if (value is null || depth > 8)
        {
            return false;
        }

        if (IsSameMember(value, member))
        {
            return true;
        }

        return value is IInvocationOperation invocation &&
               (DerivesFrom(invocation.Instance, member, depth + 1) ||
                (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 && DerivesFrom(invocation.Arguments[0].Value, member, depth + 1)));
    }

    private static bool IsSameMember(IOperation? operation, ISymbol member) =>
        Operations.ReferencedStorage(Operations.SkipConversions(operation)) is { } storage &&
        SymbolEqualityComparer.Default.Equals(storage.OriginalDefinition, member.OriginalDefinition);

    /// <summary>
    /// <c>Remove(key)</c> of a key that the same method read the collection with before (<c>TryGetValue(key, ...)</c>,
    /// <c>cache[key]</c>, <c>GetValueOrDefault(key)</c>): an expiry check on lookup, not a bound.
    /// </summary>
    private static bool RemovesTheKeyJustRead(IInvocationOperation removal, ISymbol member)
    {
        if (removal.TargetMethod.Name is not ("Remove" or "TryRemove") ||
            removal.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value is not { } keyValue ||
            KeySymbol(keyValue) is not { } key)
        {
            return false;
        }

        var root = (IOperation)removal;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var node in root.Descendants())
        {
            if (node.Syntax.SpanStart >= removal.Syntax.SpanStart)
            {
                continue;
            }

            var (instance, readKey) = node switch
            {
                IInvocationOperation { TargetMethod.Name: "TryGetValue" or "GetValueOrDefault" } read when read.Arguments.Length > 0 =>
                    (read.Instance, read.Arguments[0].Value),
                IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer when !(indexer.Parent is IAssignmentOperation assigned && assigned.Target == indexer) =>
                    (indexer.Instance, indexer.Arguments[0].Value),
                _ => (null, null),
            };

            if (instance is not null && IsSameMember(instance, member) && KeySymbol(readKey) is { } read2 && SymbolEqualityComparer.Default.Equals(read2, key))
            {
                return !TakesOrEmpties(removal, node);
            }
        }

        return false;
    }

    /// <summary>
    /// The removal after a read is a take, not an expiry check: it runs whenever the read found the key (no condition
    /// on the way but the read itself: <c>var v = map[key]; map.Remove(key);</c>, <c>if (map.TryGetValue(key, out v))
    /// return map.Remove(key);</c>), or when the entry's own collection became empty (<c>if (list.Count == 0)
    /// map.Remove(key);</c>, a multimap dropping its last item). Every entry a caller takes is gone, so it bounds the collection.
    /// </summary>
    private static bool TakesOrEmpties(IOperation removal, IOperation read)
    {
        if (!OnlyReadConditions(removal, read, out var root))
        {
            return false;
        }

        // A return between the read and the removal under another condition keeps the entry it found (a fresh one).
        foreach (var node in root.Descendants())
        {
            if (node is IReturnOperation && node.Syntax.SpanStart > read.Syntax.SpanStart && node.Syntax.SpanStart < removal.Syntax.SpanStart &&
                !OnlyReadConditions(node, read, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every condition <paramref name="operation"/> runs under, in its function, is the read or an emptiness test.</summary>
    private static bool OnlyReadConditions(IOperation operation, IOperation read, out IOperation root)
    {
        root = operation;
        for (IOperation? child = operation, node = operation.Parent; node is not null; child = node, node = node.Parent)
        {
            root = node;
            if (node is IConditionalOperation conditional && !ReferenceEquals(conditional.Condition, child) &&
                !IsReadOrEmptinessTest(conditional.Condition, read))
            {
                return false;
            }

            if (node is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            // Conditions above the first node that holds the read too guard both alike (`if (type == Destroyed) {
            // if (map.TryGetValue(key, out v)) ...; map.Remove(key); }`): they say nothing about the read.
            if (node.Syntax.Span.Contains(read.Syntax.Span) && !ReferenceEquals(node, read))
            {
                break;
            }
        }

        return true;
    }

    private static bool IsReadOrEmptinessTest(IOperation? condition, IOperation read)
    {
        condition = Operations.SkipConversions(condition);
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            condition = Operations.SkipConversions(not.Operand);
        }

        if (condition is null)
        {
            return false;
        }

        switch (condition)
        {
            case var _ when ReferenceEquals(condition, read):
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                return IsReadOrEmptinessTest(and.LeftOperand, read) && IsReadOrEmptinessTest(and.RightOperand, read);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.LessThan } comparison:
                return (IsCount(comparison.LeftOperand) && IsZero(comparison.RightOperand)) ||
                       (IsZero(comparison.LeftOperand) && IsCount(comparison.RightOperand));
            case IPropertyReferenceOperation { Property.Name: "IsEmpty" }:
                return true;
            case IInvocationOperation { TargetMethod.Name: "Any", Arguments.Length: <= 1 } any:
                return any.Arguments.Length == 0 || any.TargetMethod.IsExtensionMethod;
            default:
                return false;
        }

        static bool IsCount(IOperation value) =>
            Operations.SkipConversions(value) is IPropertyReferenceOperation { Property.Name: "Count" or "Length" } or
                IInvocationOperation { TargetMethod.Name: "Count", Arguments.Length: <= 1 };

        static bool IsZero(IOperation value) => Operations.SkipConversions(value)?.ConstantValue is { HasValue: true, Value: 0 };
    }

    private static ISymbol? KeySymbol(IOperation? key) =>
        Operations.SkipConversions(key) switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local => local.Local,
            _ => null,
        };

    private static bool IsBoundedKey(IOperation key, IOperation reference, CollectionSettings settings, List<IParameterSymbol>? callersDecide = null)
    {
        if (key.Type is { TypeKind: TypeKind.Error } || CollectionModel.KeyType(reference.Type) is { TypeKind: TypeKind.Error })
        {
            // Half-typed code: what the key is cannot be told.
            return true;
        }

        return (CollectionModel.KeyType(reference.Type) is { } declared && settings.IsBoundedKeyType(declared)) ||
               IsBoundedValue(key, settings, depth: 0, callersDecide);
    }

    /// <summary>
    /// Whether a key value can take only boundedly many values: a constant, <c>typeof</c>, <c>nameof</c>, a value of a
    /// bounded key type, something read from one (<c>type.FullName</c>, <c>method.Name</c>, <c>type.ToString()</c>),
    /// or a concatenation or interpolation of such parts.
    /// </summary>
    private static bool IsBoundedValue(IOperation? value, CollectionSettings settings, int depth, List<IParameterSymbol>? callersDecide = null)
    {
        value = Operations.SkipConversions(value);
        if (value is null || depth > 8)
        {
            return false;
        }

        if (value.ConstantValue.HasValue || value is ITypeOfOperation or INameOfOperation ||
            (value.Type is { } type && (settings.IsBoundedKeyType(type) || IsAttribute(type))))
        {
            return true;
        }

        return value switch
        {
            ILocalReferenceOperation local => IsBoundedLocal(local, settings, depth, callersDecide),
            ITupleOperation tuple => tuple.Elements.Length > 0 && tuple.Elements.All(e => IsBoundedValue(e, settings, depth + 1, callersDecide)),
            IObjectCreationOperation { Type.IsValueType: true } creation => creation.Arguments.Length > 0 && creation.Initializer is null &&
                                                                           creation.Arguments.All(a => IsBoundedValue(a.Value, settings, depth + 1, callersDecide)),
            // Convert.ToInt32(slot) of an enum value: a conversion maps a bounded set onto a bounded set.
            IInvocationOperation { Instance: null, TargetMethod.ContainingType: { Name: "Convert", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }, Arguments.Length: > 0 } conversion =>
                IsBoundedValue(conversion.Arguments[0].Value, settings, depth + 1, callersDecide),
            IInvocationOperation { Instance: null, TargetMethod: { Name: "Create", ContainingType.Name: "ValueTuple" or "Tuple" } } create =>
                create.Arguments.Length > 0 && create.Arguments.All(a => IsBoundedValue(a.Value, settings, depth + 1, callersDecide)),
            IParameterReferenceOperation parameter => parameter.Parameter.GetAttributes().Any(a => a.AttributeClass is { } attribute && CollectionApis.CallerInfoAttributes.Contains(SymbolNames.FullMetadataName(attribute))) ||
                                                      LeftToCallers(parameter.Parameter, callersDecide),
            IPropertyReferenceOperation { Instance: { } instance, Arguments.Length: 0 } => IsBoundedValue(instance, settings, depth + 1, callersDecide),
            IInvocationOperation { Instance: { } instance, Arguments.Length: 0 } => IsBoundedValue(instance, settings, depth + 1, callersDecide),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary =>
                IsBoundedValue(binary.LeftOperand, settings, depth + 1, callersDecide) && IsBoundedValue(binary.RightOperand, settings, depth + 1, callersDecide),
            IConditionalOperation { WhenFalse: { } whenFalse } conditional =>
                IsBoundedValue(conditional.WhenTrue, settings, depth + 1, callersDecide) && IsBoundedValue(whenFalse, settings, depth + 1, callersDecide),
            ICoalesceOperation coalesce =>
                IsBoundedValue(coalesce.Value, settings, depth + 1, callersDecide) && IsBoundedValue(coalesce.WhenNull, settings, depth + 1, callersDecide),
            IInterpolatedStringOperation interpolated => interpolated.Parts.All(part => part switch
            {
                IInterpolatedStringTextOperation => true,
                IInterpolationOperation interpolation => interpolation.Alignment is null && IsBoundedValue(interpolation.Expression, settings, depth + 1, callersDecide),
                _ => false,
            }),
            _ => false,
        };
    }

    /// <summary>
    /// An attribute read by reflection holds the arguments written in the source: what is read from it is bounded by the
    /// program's text (<c>attribute.Scheme</c>, an element of <c>attribute.Extensions</c>).
    /// </summary>
    private static bool IsAttribute(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Attribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A local is bounded when every value its method gives it is: its initializer and assignments, or, for a foreach
    /// variable, the collection it walks (<c>foreach (var e in attribute.Extensions)</c>).
    /// </summary>
    private static bool IsBoundedLocal(ILocalReferenceOperation reference, CollectionSettings settings, int depth, List<IParameterSymbol>? callersDecide)
    {
        var values = Operations.ValuesOfLocal(Operations.RootOf(reference), reference.Local);
        // Many assignments: not worth following (each may lead to another local).
        return values.Count is > 0 and <= 8 && values.All(value => value switch
        {
            null => false,
            IForEachLoopOperation loop => IsBoundedValue(loop.Collection, settings, depth + 1, callersDecide),
            _ => IsBoundedValue(value, settings, depth + 1, callersDecide),
        });
    }

    /// <summary>
    /// A parameter of a method none but the scan's code can call (decided at the end, from every call it saw): noted,
    /// and taken as bounded for now.
    /// </summary>
    private static bool LeftToCallers(IParameterSymbol parameter, List<IParameterSymbol>? callersDecide)
    {
        if (callersDecide is null || parameter.RefKind != RefKind.None ||
            parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsVirtual: false, IsAbstract: false, IsOverride: false } method ||
            !(method.DeclaredAccessibility == Accessibility.Private || IsHiddenFromOtherAssemblies(method)))
        {
            return false;
        }

        callersDecide.Add(parameter);
        return true;
    }

    private static bool IsCompared(IOperation operation)
    {
        var parent = Operations.ParentSkippingConversions(operation, out _);
        return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals }
            or IRelationalPatternOperation
            || parent is IIsPatternOperation;
    }

    /// <summary>
    /// Whether code at <paramref name="operation"/> runs only at start-up: in a static constructor, a static
    /// field or property initializer, or a lambda given to a one-time initializer (<c>Lazy</c>, <c>LazyInitializer</c>);
    /// for a singleton (or another type whose one instance lives as long as the process), also its instance
    /// constructor and instance initializers. A lambda elsewhere may run at any time.
    /// </summary>
    private bool IsStartUp(IOperation operation, ISymbol containing, AnalyzerOptions options)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return IsOneTimeFactory(lambda);
                case IFieldInitializerOperation fieldInitializer:
                    return fieldInitializer.InitializedFields.Any(f => f.IsStatic || IsOnce(f.ContainingType));
                case IPropertyInitializerOperation propertyInitializer:
                    return propertyInitializer.InitializedProperties.Any(p => p.IsStatic || IsOnce(p.ContainingType));
                case IConditionalOperation conditional when conditional.WhenTrue.Syntax.Span.Contains(operation.Syntax.Span) && IsOnceGuard(conditional):
                    return true;
            }
        }

        return containing is IMethodSymbol { MethodKind: MethodKind.StaticConstructor } ||
               (containing is IMethodSymbol { IsStatic: true } initializer && IsModuleInitializer(initializer)) ||
               (containing is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor && IsOnce(constructor.ContainingType));

        bool IsOnce(INamedTypeSymbol type) => model.IsLongLivedHolder(type, options, operation.Syntax.SyntaxTree);
    }

    /// <summary>
    /// An <c>if</c> whose true branch runs once per process: <c>Interlocked.CompareExchange(ref s_done, 1, 0) == 0</c>,
    /// <c>Interlocked.Exchange(ref s_done, 1) == 0</c>, <c>Interlocked.Increment(ref s_count) == 1</c> on a static
    /// field, or <c>!s_done</c> (<c>s_done == false</c>) on a static bool the branch sets to true.
    /// </summary>
    private static bool IsOnceGuard(IConditionalOperation conditional)
    {
        var condition = Operations.SkipConversions(conditional.Condition);
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals)
        {
            var (call, constant) = Operations.SkipConversions(equals.LeftOperand) is IInvocationOperation left
                ? (left, Operations.SkipConversions(equals.RightOperand))
                : (Operations.SkipConversions(equals.RightOperand) as IInvocationOperation, Operations.SkipConversions(equals.LeftOperand));
            if (call is { TargetMethod: { ContainingType.Name: "Interlocked" } method } && constant?.ConstantValue is { HasValue: true, Value: { } expected } &&
                call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value is { } target && IsStaticField(target))
            {
                object? Constant(int ordinal) => call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value.ConstantValue is { HasValue: true } value ? value.Value : null;
                return method.Name switch
                {
                    "CompareExchange" => Equals(Constant(2), expected) && Constant(1) is { } written && !Equals(written, expected),
                    "Exchange" => Constant(1) is { } written && !Equals(written, expected),
                    "Increment" => Equals(expected, 1) || Equals(expected, 1L),
                    _ => false,
                };
            }

            if (condition is IBinaryOperation { RightOperand.ConstantValue: { HasValue: true, Value: false } } flagTest && IsStaticField(flagTest.LeftOperand))
            {
                return SetsTrue(Operations.ReferencedStorage(Operations.SkipConversions(flagTest.LeftOperand)));
            }

            return false;
        }

        return condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var flag } && IsStaticField(flag) &&
               SetsTrue(Operations.ReferencedStorage(Operations.SkipConversions(flag)));

        bool SetsTrue(ISymbol? field) =>
            field is not null &&
            conditional.WhenTrue.DescendantsAndSelf().Any(o => o is ISimpleAssignmentOperation { Value.ConstantValue: { HasValue: true, Value: true } } set &&
                                                                SymbolEqualityComparer.Default.Equals(Operations.ReferencedStorage(Operations.SkipConversions(set.Target)), field));

        static bool IsStaticField(IOperation operation) =>
            Operations.SkipConversions(operation) is IFieldReferenceOperation { Field.IsStatic: true };
    }

    /// <summary>A <c>[ModuleInitializer]</c> method: the runtime calls it once, before any other code of the module.</summary>
    private static bool IsModuleInitializer(IMethodSymbol method) =>
        method.GetAttributes().Any(attribute => attribute.AttributeClass is { Name: "ModuleInitializerAttribute" } attributeClass &&
                                                SymbolNames.FullMetadataName(attributeClass) == "System.Runtime.CompilerServices.ModuleInitializerAttribute");

    private bool IsOneTimeFactory(IAnonymousFunctionOperation lambda)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation argument)
        {
            return false;
        }

        var type = argument.Parent switch
        {
            IObjectCreationOperation creation => creation.Type,
            IInvocationOperation invocation => invocation.TargetMethod.ContainingType,
            _ => null,
        };
        return type is INamedTypeSymbol named && model.IsOneTimeInitializer(named);
    }

    /// <summary>
    /// The methods this scan saw called from code that runs after start-up (not from a start-up-only method): a
    /// registration API none of whose calls is among them is left to its callers elsewhere, who configure with it.
    /// </summary>
    private HashSet<IMethodSymbol> MethodsCalledAfterStartUp(HashSet<IMethodSymbol> startUpOnly)
    {
        var result = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var forwarded = new List<(IMethodSymbol Callee, IMethodSymbol Caller)>();
        foreach (var (callee, caller, startUp, forwards) in calls)
        {
            if (!startUp && !(caller is IMethodSymbol method && startUpOnly.Contains(method.OriginalDefinition)))
            {
                if (forwards && caller is IMethodSymbol forwarder)
                {
                    forwarded.Add((callee, forwarder.OriginalDefinition));
                }
                else
                {
                    result.Add(callee);
                }
            }
        }

        // A call that only passes the caller's parameters on runs as often as its caller does.
        bool changed;
        var rounds = 0;
        do
        {
            changed = false;
            foreach (var (callee, caller) in forwarded)
            {
                if (result.Contains(caller) && result.Add(callee))
                {
                    changed = true;
                }
            }
        }
        while (changed && ++rounds < 8);
        return result;
    }

    /// <summary>Private and internal methods called only from start-up code (or from other such methods), found by a fixpoint.</summary>
    private HashSet<IMethodSymbol> StartUpOnlyMethods()
    {
        var callers = new Dictionary<IMethodSymbol, List<(ISymbol? Caller, bool StartUp)>>(SymbolEqualityComparer.Default);
        foreach (var (callee, caller, startUp, _) in calls)
        {
            if (!callers.TryGetValue(callee, out var list))
            {
                callers[callee] = list = new List<(ISymbol?, bool)>();
            }

            list.Add((caller, startUp));
        }

        var result = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        bool changed;
        var rounds = 0;
        do
        {
            changed = false;
            foreach (var pair in callers)
            {
                var callee = pair.Key;
                if (result.Contains(callee) ||
                    !(callee.DeclaredAccessibility == Accessibility.Private || (seesAllCallers && callee.DeclaredAccessibility == Accessibility.Internal)) ||
                    callee.IsVirtual || callee.IsOverride || callee.IsAbstract)
                {
                    continue;
                }

                if (pair.Value.All(c => c.StartUp || (c.Caller is IMethodSymbol m && result.Contains(m.OriginalDefinition))))
                {
                    result.Add(callee);
                    changed = true;
                }
            }
        }
        while (changed && ++rounds < 8);
        return result;
    }
}
