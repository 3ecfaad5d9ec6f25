namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// What the compilation's own source says about ownership across calls: for every source member a rule asks
/// about, a <see cref="MemberSummary"/> read from the member's IOperation body (what it returns, what it does with
/// each parameter, which out parameters it fills), and for every source type, how it treats each of its fields
/// and auto-properties (disposes them, hands them on, or only keeps them).
/// </summary>
/// <remarks>
/// <para>
/// One instance per compilation, shared by every analyzer of the compilation. Summaries are computed the first time
/// a rule asks, and cached; thread-safe. A member involved in a cycle of summaries, or at the end of a chain
/// deeper than <see cref="MaxDepth"/>, is summarised as unknown, so the answer does not depend on which member
/// was asked first. Inference reads the general .editorconfig keys of the callee's file (not rule-specific ones).
/// </para>
/// <para>
/// Explicit knowledge wins over inference: attributes and the known-APIs and .editorconfig tables are consulted by
/// <see cref="OwnershipModel"/> before it asks for a summary.
/// </para>
/// </remarks>
internal sealed class SourceOwnership
{
    /// <summary>How deep summaries may ask for summaries.</summary>
    internal const int MaxDepth = 8;

    private static readonly ConditionalWeakTable<Compilation, SourceOwnership> ByCompilation = new();

    [ThreadStatic]
    private static List<Frame>? frames;

    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> models = new();
    private readonly ConcurrentDictionary<IMethodSymbol, MemberSummary> summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, TypeFacts?> types = new(SymbolEqualityComparer.Default);
    private readonly OwnershipModel general;
    private AnalyzerOptions? options;

    private SourceOwnership(Compilation compilation, INamedTypeSymbol disposable)
    {
        this.compilation = compilation;
        general = OwnershipModel.CreateGeneral(compilation, disposable, this);
    }

    internal static SourceOwnership For(Compilation compilation, INamedTypeSymbol disposable) =>
        ByCompilation.GetValue(compilation, c => new SourceOwnership(c, disposable));

    /// <summary>Remembers the options of the compilation, to read the .editorconfig of callees' files.</summary>
    internal void Observe(AnalyzerOptions analyzerOptions)
    {
        if (Volatile.Read(ref options) is null)
        {
            Interlocked.CompareExchange(ref options, analyzerOptions, null);
        }
    }

    /// <summary>
    /// The summary of a member declared in this compilation with a body; null for members of other assemblies,
    /// abstract, extern and partial members without a body, and members whose body is not C#.
    /// </summary>
    internal MemberSummary? Of(IMethodSymbol method)
    {
        method = Normalize(method);
        var stack = frames ??= new List<Frame>();
        if (summaries.TryGetValue(method, out var known))
        {
            // A summary read from the cache must decide its asker as computing it afresh here would: its height
            // counts toward the depth limit, whatever thread computed it first (otherwise the order of concurrent
            // analysis decides which summaries stay unknown, and two builds of the same code differ).
            Reached(stack, heights.TryGetValue(method, out var height) ? height : 1);
            return known;
        }

        if (!SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly) || BodyOf(method) is not { } body)
        {
            return null;
        }

        for (var i = 0; i < stack.Count; i++)
        {
            if (stack[i].Key is IMethodSymbol onStack && SymbolEqualityComparer.Default.Equals(onStack, method))
            {
                // A cycle: every member on it is unknown, whoever asked first.
                for (var j = i; j < stack.Count; j++)
                {
                    stack[j].InCycle = true;
                }

                return MemberSummary.Unknown(method);
            }
        }

        if (stack.Count >= MaxDepth)
        {
            foreach (var frame in stack)
            {
                frame.TooDeep = true;
            }

            return MemberSummary.Unknown(method);
        }

        var current = new Frame(method);
        stack.Add(current);
        MemberSummary summary;
        try
        {
            summary = new Inference(this, method, body, TablesFor(body.Syntax.SyntaxTree)).Run();
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }

        var reached = current.Height;
        Reached(stack, reached);
        if (current.InCycle || current.TooDeep)
        {
            summary = MemberSummary.Unknown(method);

            // A member on a cycle is unknown however it is reached, so its answer is kept. One cut by the depth limit
            // is unknown only from this asker's depth: it is kept only when asked from outside any summary.
            if (!current.InCycle && stack.Count > 0)
            {
                return summary;
            }
        }

        heights.TryAdd(method, current.TooDeep ? MaxDepth + 1 : reached);
        return summaries.GetOrAdd(method, summary);
    }

    private readonly ConcurrentDictionary<IMethodSymbol, int> heights = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A callee summary of <paramref name="height"/> levels was reached from the top of <paramref name="stack"/>: the
    /// asker's height grows to hold it, and if it would have gone past the depth limit from here, every frame is cut
    /// as the limit would have cut it.
    /// </summary>
    private static void Reached(List<Frame> stack, int height)
    {
        if (stack.Count == 0)
        {
            return;
        }

        var top = stack[stack.Count - 1];
        top.Height = Math.Max(top.Height, 1 + height);
        if (stack.Count + height > MaxDepth)
        {
            foreach (var frame in stack)
            {
                frame.TooDeep = true;
            }
        }
    }

    private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> alwaysGivenOwned = new();
    private readonly ConcurrentDictionary<IPropertySymbol, ISymbol?> wrappedFields = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when <paramref name="parameter"/> belongs to a private member (typically the private constructor of a
    /// static factory) and every call in the type passes it a new owned value: whatever the member stores from it,
    /// the type created. Private members can only be called from inside the type, so every call is seen.
    /// </summary>
    internal bool AlwaysGivenOwned(IParameterSymbol parameter)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private } method ||
            method.ContainingType is not { } type || parameter.RefKind != RefKind.None)
        {
            return false;
        }

        method = method.OriginalDefinition;
        return Fact(alwaysGivenOwned, (method, parameter.Ordinal), key => ComputeAlwaysGivenOwned(key.Item1, key.Item2, type), whenCut: false);
    }

    private bool ComputeAlwaysGivenOwned(IMethodSymbol method, int ordinal, INamedTypeSymbol type)
    {
        var calls = 0;
        foreach (var member in AllMembers(type))
        {
            if (member is not IMethodSymbol caller || BodyOf(caller) is not { } body)
            {
                continue;
            }

            var tables = TablesFor(body.Syntax.SyntaxTree);
            foreach (var operation in body.DescendantsAndSelf())
            {
                var (target, arguments) = operation switch
                {
                    IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
                    IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                    _ => (null, ImmutableArray<IArgumentOperation>.Empty),
                };

                if (target is null || !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method))
                {
                    continue;
                }

                calls++;
                foreach (var argument in arguments)
                {
                    if (argument.Parameter?.Ordinal == ordinal && !general.IsOwnedCreation(argument.Value, tables))
                    {
                        return false;
                    }
                }
            }
        }

        return calls > 0;
    }

    private static IEnumerable<ISymbol> AllMembers(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            yield return member;
            if (member is INamedTypeSymbol nested)
            {
                foreach (var inner in AllMembers(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>
    /// The field a source property only wraps: its setter does nothing but store <c>value</c> in a field of the
    /// same type, and its getter (if any) only returns that field. Null for anything else.
    /// </summary>
    internal ISymbol? WrappedField(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Length == 1 && !property.IsStatic
            ? wrappedFields.GetOrAdd(property.OriginalDefinition, ComputeWrappedField)
            : null;

    private ISymbol? ComputeWrappedField(IPropertySymbol property)
    {
        if (property.SetMethod is not { } setter)
        {
            return property.GetMethod is { } onlyGetter ? ReturnedField(property, onlyGetter) : null;
        }

        if (BodyOf(setter) is not { } setterBody)
        {
            return null;
        }

        ISymbol? field = null;
        foreach (var operation in setterBody.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } target, Value: IParameterReferenceOperation } }
                    when field is null && SymbolEqualityComparer.Default.Equals(target.Field.ContainingType, property.ContainingType):
                    field = target.Field;
                    break;
                case IExpressionStatementOperation:
                    return null; // the setter does more than store the value
            }
        }

        if (field is null || property.GetMethod is not { } getter)
        {
            return field;
        }

        if (BodyOf(getter) is not { } getterBody)
        {
            return null;
        }

        foreach (var operation in getterBody.DescendantsAndSelf())
        {
            if (operation is IReturnOperation { ReturnedValue: var returned } &&
                !(Operations.SkipConversions(returned) is IFieldReferenceOperation { Instance: IInstanceReferenceOperation } read && SymbolEqualityComparer.Default.Equals(read.Field, field)))
            {
                return null;
            }
        }

        return field;
    }

    /// <summary>A getter whose every return is the same instance field of its type (<c>Stream Current =&gt; stream;</c>).</summary>
    private ISymbol? ReturnedField(IPropertySymbol property, IMethodSymbol getter)
    {
        if (BodyOf(getter) is not { } body)
        {
            return null;
        }

        ISymbol? field = null;
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is not IReturnOperation { ReturnedValue: var returned })
            {
                continue;
            }

            if (Operations.SkipConversions(returned) is not IFieldReferenceOperation { Instance: IInstanceReferenceOperation } read ||
                !SymbolEqualityComparer.Default.Equals(read.Field.ContainingType, property.ContainingType) ||
                (field is not null && !SymbolEqualityComparer.Default.Equals(field, read.Field)))
            {
                return null;
            }

            field = read.Field;
        }

        return field;
    }

    /// <summary>How <paramref name="type"/> (declared in source) treats its field or auto-property <paramref name="member"/>.</summary>
    internal MemberTreatment TreatmentOf(INamedTypeSymbol type, ISymbol member)
    {
        var facts = Fact(types, type.OriginalDefinition, t => new TypeFacts(this, t), whenCut: null);

        // Cut (on a cycle through this type's facts, or past the depth limit): nothing can be said, as for a member
        // handed to a callee we do not follow.
        return facts?.Of(member) ?? new MemberTreatment(MemberTreatmentKind.HandedOn, exposed: member.DeclaredAccessibility != Accessibility.Private);
    }

    private readonly ConcurrentDictionary<object, int> factHeights = new();

    /// <summary>
    /// A cached fact that reads summaries (how a type treats its members, whether a private member is always given
    /// new objects), computed as a summary is: in a frame of its own on this thread's stack, so that a cycle through
    /// it is cut where it closes, and the depth limit counts what it reads. One cut by the depth limit is kept only
    /// when asked from outside any summary; read from the cache, its height counts toward the asker's depth. The
    /// answer is then the same whichever thread asks first, and two builds of the same code report the same.
    /// </summary>
    private TValue Fact<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, Func<TKey, TValue> compute, TValue whenCut)
        where TKey : notnull
    {
        var stack = frames ??= new List<Frame>();
        if (cache.TryGetValue(key, out var known))
        {
            Reached(stack, factHeights.TryGetValue(key, out var height) ? height : 1);
            return known;
        }

        if (cutFacts.TryGetValue((key, stack.Count), out var cut))
        {
            // What the depth limit cut from here before: it cuts every frame of this asker the same way again.
            foreach (var frame in stack)
            {
                frame.TooDeep = true;
            }

            return (TValue)cut!;
        }

        for (var i = 0; i < stack.Count; i++)
        {
            if (stack[i].Key is TKey onStack && EqualityComparer<TKey>.Default.Equals(onStack, key))
            {
                for (var j = i; j < stack.Count; j++)
                {
                    stack[j].InCycle = true;
                }

                return whenCut;
            }
        }

        if (stack.Count >= MaxDepth)
        {
            foreach (var frame in stack)
            {
                frame.TooDeep = true;
            }

            return whenCut;
        }

        var current = new Frame(key);
        stack.Add(current);
        TValue value;
        try
        {
            value = compute(key);
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }

        Reached(stack, current.Height);
        if (current.TooDeep && !current.InCycle && stack.Count > 0)
        {
            // Cut from this depth: the same answer for every asker at this depth, so kept for them (the cut answer
            // is what computing it afresh here gives; asked from shallower, it is computed again).
            cutFacts.TryAdd((key, stack.Count), value);
            return value;
        }

        factHeights.TryAdd(key, current.TooDeep ? MaxDepth + 1 : current.Height);
        return cache.GetOrAdd(key, value);
    }

    private readonly ConcurrentDictionary<(object Key, int Depth), object?> cutFacts = new();

    internal OwnershipTables TablesFor(SyntaxTree tree)
    {
        var observed = Volatile.Read(ref options);
        return observed is null ? general.EmptyTables : general.TablesFor(observed, tree);
    }

    /// <summary>The IOperation of a source member's body, bound by one semantic model per tree and compilation.</summary>
    internal IOperation? BodyOf(IMethodSymbol method)
    {
        // A partial method or constructor: the symbol a caller binds to is the declaration; the body is the implementation's.
        method = method.PartialImplementationPart ?? method;
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var declaration = method.DeclaringSyntaxReferences[0].GetSyntax();
        SyntaxNode? node = declaration switch
        {
            BaseMethodDeclarationSyntax { Body: null, ExpressionBody: null } => null,
            BaseMethodDeclarationSyntax => declaration,
            AccessorDeclarationSyntax { Body: null, ExpressionBody: null } => null,
            AccessorDeclarationSyntax => declaration,
            ArrowExpressionClauseSyntax => declaration,
            LocalFunctionStatementSyntax { Body: null, ExpressionBody: null } => null,
            LocalFunctionStatementSyntax => declaration,

            // A primary constructor: its body is the call of the base constructor.
            TypeDeclarationSyntax when method is { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: false, Parameters.Length: > 0 } => declaration,
            _ => null,
        };

        if (node is null || !compilation.ContainsSyntaxTree(node.SyntaxTree))
        {
            return null;
        }

        var model = SemanticModelOf(node.SyntaxTree);
        return model.GetOperation(node) switch
        {
            ILocalFunctionOperation local => local.Body ?? (IOperation?)local.IgnoredBody,
            { } operation => operation,
            null => null,
        };
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> processSingletons = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A class whose instances live as long as the process and are made once: every instance constructor is private,
    /// and every <c>new</c> of the type in its own source (the only place a private constructor can be called) builds
    /// the value of a static field or property (its initializer, a static constructor, <c>instance ??= new X()</c>,
    /// the factory of a static <c>Lazy&lt;X&gt;</c>). What such an object holds is held for the process anyway.
    /// </summary>
    internal bool IsProcessSingleton(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        return type.TypeKind == TypeKind.Class && !type.IsStatic && type.DeclaringSyntaxReferences.Length > 0 &&
               processSingletons.GetOrAdd(type, ComputeProcessSingleton);
    }

    private bool ComputeProcessSingleton(INamedTypeSymbol type)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Private || constructor.IsImplicitlyDeclared)
            {
                return false;
            }
        }

        var created = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                return false;
            }

            SemanticModel? model = null;
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not BaseObjectCreationExpressionSyntax creation ||
                    (creation is ObjectCreationExpressionSyntax { Type: var named } && SourceNames.RightmostName(named) != type.Name))
                {
                    continue;
                }

                model ??= SemanticModelOf(declaration.SyntaxTree);
                if (!SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(creation).Type?.OriginalDefinition, type))
                {
                    continue;
                }

                if (!BuildsAStaticValue(creation, type, model))
                {
                    return false;
                }

                created = true;
            }
        }

        return created;
    }

    private static bool BuildsAStaticValue(SyntaxNode creation, INamedTypeSymbol type, SemanticModel model)
    {
        for (var node = creation.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                // A lambda runs when it is called: only the factory of a Lazy<X> runs once.
                case AnonymousFunctionExpressionSyntax function
                    when function.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: BaseObjectCreationExpressionSyntax lazy } } ||
                         (lazy is ObjectCreationExpressionSyntax { Type: var lazyType } && SourceNames.RightmostName(lazyType) != "Lazy") ||
                         (lazy is ImplicitObjectCreationExpressionSyntax && model.GetTypeInfo(lazy).Type?.Name != "Lazy"):
                    return false;
                case AssignmentExpressionSyntax assignment when assignment.Right.Span.Contains(creation.Span):
                    return model.GetSymbolInfo(assignment.Left).Symbol is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true } &&
                           IsMemberOf(model.GetSymbolInfo(assignment.Left).Symbol!, type);
                case FieldDeclarationSyntax field:
                    return field.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StaticKeyword);
                case PropertyDeclarationSyntax property:
                    // The initializer of a static auto-property; a getter that builds a new one each time is no singleton.
                    return property.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StaticKeyword) &&
                           property.Initializer is { } initializer && initializer.Span.Contains(creation.Span);
                case ConstructorDeclarationSyntax constructor:
                    return constructor.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StaticKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;

        static bool IsMemberOf(ISymbol member, INamedTypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(member.ContainingType.OriginalDefinition, type);
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> everyImplementationCreates = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>IFileFormatReader.Read(stream)</c>: an interface member or abstract method of your source whose every
    /// implementation in the compilation (at least one) returns a new owned object. A call through it creates, as
    /// a call of any of them would. Implementations in other assemblies are not seen: the contract your own ones
    /// follow is taken as the member's.
    /// </summary>
    internal bool EveryImplementationCreates(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (!method.IsAbstract || method.ReturnsVoid || method.DeclaringSyntaxReferences.Length == 0 || method.ContainingType is not { } declaring)
        {
            return false;
        }

        // Reached from inside summaries (IsFactory): the shared guard keeps a result cut by depth or a cycle from
        // being cached for the compilation.
        return Fact(everyImplementationCreates, method, m =>
        {
            var found = 0;
            foreach (var type in SourceTypes.ConcreteImplementersOf(compilation, declaring))
            {
                var implementation = SourceTypes.ImplementationIn(type, m);
                if (implementation is null || Of(implementation) is not { Returns.Kind: ReturnedValue.Owned })
                {
                    return false;
                }

                found++;
            }

            return found > 0;
        }, whenCut: false);
    }

    internal SemanticModel SemanticModelOf(SyntaxTree tree) =>

        // Inside a compiler run the compilation hands out the semantic model the analyzer driver already built for
        // the tree (its semantic model provider caches them); the dictionary makes it one model per tree elsewhere.
#pragma warning disable RS1030 // A callee's body lives in another tree than the one being analysed; see above.
        models.GetOrAdd(tree, t => compilation.GetSemanticModel(t));
#pragma warning restore RS1030

    internal OwnershipModel General => general;

    private static IMethodSymbol Normalize(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        return method.OriginalDefinition;
    }

    private sealed class Frame
    {
        internal Frame(object key) => Key = key;

        /// <summary>The member being summarised, or the key of a cached fact being computed (<see cref="Fact"/>).</summary>
        internal object Key { get; }

        /// <summary>On a cycle of summaries asking for each other.</summary>
        internal bool InCycle { get; set; }

        /// <summary>Cut by the depth limit somewhere below it.</summary>
        internal bool TooDeep { get; set; }

        /// <summary>How many levels of summaries this one took: 1, plus the tallest callee summary it read.</summary>
        internal int Height { get; set; } = 1;
    }

    /// <summary>Reads one member's body.</summary>
    private sealed class Inference
    {
        private const int MaxFollow = 6;

        private readonly SourceOwnership owner;
        private readonly IMethodSymbol method;
        private readonly IOperation body;
        private readonly OwnershipTables tables;
        private readonly Dictionary<ISymbol, List<IOperation>> referencesByLocal = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<int, List<IParameterReferenceOperation>> referencesByParameter = new();
        private readonly List<IReturnOperation> returns = new();
        private readonly HashSet<int> capturedParameters = new();
        private readonly HashSet<ISymbol> capturedLocals = new(SymbolEqualityComparer.Default);

        // Fields of this the body sets to null or default: a value read from one before and returned is moved out.
        private readonly HashSet<ISymbol> clearedFields = new(SymbolEqualityComparer.Default);
        private bool movesOutOfReceiver;
        private bool iterator;

        internal Inference(SourceOwnership owner, IMethodSymbol method, IOperation body, OwnershipTables tables)
        {
            this.owner = owner;
            this.method = method;
            this.body = body;
            this.tables = tables;
        }

        private OwnershipModel Model => owner.general;

        internal MemberSummary Run()
        {
            Index();
            var returned = iterator ? ReturnFact.Unknown : Returns();
            var parameters = ImmutableArray.CreateBuilder<ParameterFact>(method.Parameters.Length);
            var writes = ImmutableArray.CreateBuilder<bool>(method.Parameters.Length);
            foreach (var parameter in method.Parameters)
            {
                // A parameter that cannot hold a disposable (a string, a number, a non-disposable struct, an array, an
                // enum, a delegate) is never asked about: following it through callees would summarise them for nothing.
                parameters.Add(parameter.RefKind == RefKind.Out || !MayHoldDisposable(parameter.Type) ? new ParameterFact(ParameterUse.Unknown) : FactOf(parameter));
                writes.Add(parameter.RefKind is RefKind.Out or RefKind.Ref && WritesOwned(parameter));
            }

            // Only an owned result can carry the receiver's resources: the arguments of its creations (and the
            // summaries of their constructors, which can mean reading whole types) are read when someone asks.
            return new MemberSummary(
                returned,
                parameters.MoveToImmutable(),
                writes.MoveToImmutable(),
                returned.Kind == ReturnedValue.Owned && !returned.TakesFromReceiver ? () => System.Linq.Enumerable.Any(returns, r => TakesFromReceiver(r.ReturnedValue)) : null,
                returnsNewObject: !iterator && returns.Count > 0 && System.Linq.Enumerable.All(returns, r => IsNewObject(r.ReturnedValue)),
                storesReceiverElsewhere: method.IsStatic ? null : StoresReceiverElsewhere);
        }

        /// <summary>
        /// <c>other.Next = this</c>: the body writes its own object into a member of another object, or roots it with
        /// <c>GCHandle.Alloc(this)</c> (a handle native code keeps).
        /// </summary>
        private bool StoresReceiverElsewhere() =>
            StoresReceiverElsewhere(body, depth: 0) ||

            // `ILogger ILogger.AsBlockingLogger(TimeSpan t) => this.AsBlockingLogger(t);`: an explicit implementation
            // returning what another method of this object returns, when that one's result keeps the object.
            System.Linq.Enumerable.Any(returns, r => Operations.SkipConversions(r.ReturnedValue) is IInvocationOperation { Instance: IInstanceReferenceOperation, TargetMethod: var delegated } &&
                                                     !SymbolEqualityComparer.Default.Equals(delegated.OriginalDefinition, method.OriginalDefinition) &&
                                                     owner.Of(delegated) is { StoresReceiverElsewhere: true });

        /// <summary>As <see cref="StoresReceiverElsewhere()"/>, also through the methods of its type the body calls on its own object (two calls deep).</summary>
        private bool StoresReceiverElsewhere(IOperation root, int depth)
        {
            foreach (var operation in root.Descendants())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: { } holder }, Value: var value } when
                        Operations.SkipConversions(value) is IInstanceReferenceOperation && Operations.SkipConversions(holder) is not IInstanceReferenceOperation:
                        return true;
                    case IArgumentOperation { Value: var argument, Parent: IInvocationOperation { TargetMethod: { Name: "Alloc", ContainingType: { Name: "GCHandle" } } } } when
                        Operations.SkipConversions(argument) is IInstanceReferenceOperation:
                        return true;
                    case IInvocationOperation { Instance: IInstanceReferenceOperation, TargetMethod: { IsStatic: false } callee } when
                        depth < 2 && !SymbolEqualityComparer.Default.Equals(callee.OriginalDefinition, method.OriginalDefinition) &&
                        owner.BodyOf(callee.OriginalDefinition) is { } calleeBody && StoresReceiverElsewhere(calleeBody, depth + 1):
                        return true;
                    case IArgumentOperation { Value: var given, Parent: IInvocationOperation { Instance: var other } registration } argument when
                        Operations.SkipConversions(given) is IInstanceReferenceOperation && Operations.SkipConversions(other) is not IInstanceReferenceOperation &&
                        KeepsArgument(registration, argument):
                        // `site.Switch(this)`, `Registry.Add(this)`: another object keeps this one.
                        return true;
                    case IArgumentOperation { Value: var given, Parent: IObjectCreationOperation { Constructor: { } constructor } creation } argument when
                        depth == 0 && Operations.SkipConversions(given) is IInstanceReferenceOperation && argument.Parameter is { } parameter &&
                        System.Linq.Enumerable.Any(returns, r => ReferenceEquals(Operations.SkipConversions(r.ReturnedValue), creation)) &&
                        (constructor.DeclaringSyntaxReferences.Length == 0 ||
                         owner.Of(constructor) is not { } built || built.Parameter(parameter.Ordinal).Use is not ParameterUse.Borrowed):
                        // `AsBlocking(t) => new BlockingWrapper(this, t)`: the result keeps this object.
                        return true;
                }
            }

            return false;
        }

        /// <summary>A call that may keep what it is given: a source method that does more than read or return the parameter, or a framework collection's Add.</summary>
        private bool KeepsArgument(IInvocationOperation call, IArgumentOperation argument)
        {
            var callee = call.TargetMethod;
            if (argument.Parameter is not { } parameter || SymbolEqualityComparer.Default.Equals(callee.OriginalDefinition, method.OriginalDefinition))
            {
                return false;
            }

            if (callee.DeclaringSyntaxReferences.Length == 0)
            {
                return DelegateFates.OfFrameworkArgument(call, argument) == DelegateFateKind.KeptByReceiver;
            }

            // Stored in the other object's member (a method other than a constructor cannot tell its caller more than
            // "unknown" then): only a parameter the callee merely reads or hands back is not kept.
            return owner.Of(callee) is not { } summary ||
                   summary.Parameter(parameter.Ordinal).Use is not (ParameterUse.Borrowed or ParameterUse.Returned);
        }

        private bool IsNewObject(IOperation? value) =>
            Operations.SkipConversions(value) switch
            {
                IObjectCreationOperation => true,
                ILocalReferenceOperation local => Operations.ValuesOfLocal(body, local.Local) is { Count: > 0 } values &&
                                                  System.Linq.Enumerable.All(values, v => Operations.SkipConversions(v) is IObjectCreationOperation),
                _ => false,
            };

        private bool MayHoldDisposable(ITypeSymbol type) =>
            type.TypeKind switch
            {
                TypeKind.Array or TypeKind.Enum or TypeKind.Delegate or TypeKind.Pointer or TypeKind.FunctionPointer => false,
                TypeKind.Struct => Model.IsDisposable(type),
                _ => type.SpecialType != SpecialType.System_String,
            };

        private void Index()
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak }:
                        iterator = true;
                        break;
                    case IReturnOperation { ReturnedValue: not null } @return when InOwnBody(@return):
                        returns.Add(@return);
                        break;
                    case ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: var cleared } } clearing
                        when Operations.IsNullOrDefault(clearing.Value) && InOwnBody(clearing):
                        clearedFields.Add(cleared);
                        break;
                    case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method):
                        if (!InOwnBody(parameter))
                        {
                            capturedParameters.Add(parameter.Parameter.Ordinal);
                        }

                        if (!referencesByParameter.TryGetValue(parameter.Parameter.Ordinal, out var list))
                        {
                            referencesByParameter[parameter.Parameter.Ordinal] = list = new List<IParameterReferenceOperation>();
                        }

                        list.Add(parameter);
                        break;
                    case ILocalReferenceOperation local:
                        if (FunctionScopes.IsCapturedHere(local))
                        {
                            capturedLocals.Add(local.Local);
                        }

                        if (!referencesByLocal.TryGetValue(local.Local, out var references))
                        {
                            referencesByLocal[local.Local] = references = new List<IOperation>();
                        }

                        references.Add(local);
                        break;
                }
            }

            // The parameters of a primary constructor that the type's members use live on in the object, where this
            // body does not show what becomes of them; so do a record's, which become its properties.
            if (body.Syntax is TypeDeclarationSyntax type)
            {
                var used = type is RecordDeclarationSyntax ? null
                    : new HashSet<string>(type.Members.SelectMany(m => m.DescendantNodes()).OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText));
                foreach (var parameter in method.Parameters)
                {
                    if (used is null || used.Contains(parameter.Name))
                    {
                        capturedParameters.Add(parameter.Ordinal);
                    }
                }
            }
        }

        /// <summary>Not inside a lambda or local function nested in the body (the body of a local function is its own).</summary>
        private bool InOwnBody(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (ReferenceEquals(current, body))
                {
                    return true;
                }

                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return true;
        }

        // ---- What it returns ----------------------------------------------------------------------------------

        private ReturnFact Returns()
        {
            if (returns.Count == 0)
            {
                return new ReturnFact(ReturnedValue.Nothing);
            }

            var combined = new ReturnFact(ReturnedValue.Nothing);
            foreach (var @return in returns)
            {
                combined = Combine(combined, ValueOf(@return.ReturnedValue, depth: 0, new HashSet<ISymbol>(SymbolEqualityComparer.Default)));
                if (combined.Kind == ReturnedValue.Unknown)
                {
                    break;
                }
            }

            return combined.Kind == ReturnedValue.Owned && movesOutOfReceiver
                ? new ReturnFact(ReturnedValue.Owned, takesFromReceiver: true)
                : combined;
        }

        /// <summary>
        /// A new object given a member of this, or this itself, that it takes ownership of (<c>new NetworkStream(socket,
        /// true)</c>, <c>new Response(this)</c> whose Dispose disposes the connection).
        /// </summary>
        private bool TakesFromReceiver(IOperation? value)
        {
            if (Operations.SkipConversions(value) is not IObjectCreationOperation creation)
            {
                return false;
            }

            foreach (var argument in creation.Arguments)
            {
                if (Operations.SkipConversions(argument.Value) is IMemberReferenceOperation { Instance: IInstanceReferenceOperation } or IInstanceReferenceOperation &&
                    Model.FateOf(argument, tables) == ArgumentFate.OwnershipTaken)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>What the value of <paramref name="value"/> is, as ownership goes.</summary>
        /// <summary>
        /// The ordinal of this method's parameter that <paramref name="creation"/> wraps, when it makes a pure wrapper
        /// (a reader or writer of the known-APIs table, or a subclass of one with no Dispose of its own) over
        /// that parameter, not told to leave it open by a constant.
        /// </summary>
        private int? PureWrapperOverParameter(IObjectCreationOperation creation)
        {
            // `return new Canvas(graphics);` where Canvas's Dispose releases only what its constructor was given.
            if (creation is { Type: INamedTypeSymbol wrapperType, Constructor: { } constructor } && OwnershipModel.PureWrapperBase(wrapperType) is null &&
                Model.WrappedParameters(constructor, wrapperType, tables) is { Length: 1 } wrapped &&
                creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == wrapped[0]) is { ArgumentKind: ArgumentKind.Explicit } wrappedArgument &&
                Operations.SkipConversions(wrappedArgument.Value) is IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } given } &&
                SymbolEqualityComparer.Default.Equals(given.ContainingSymbol, method))
            {
                return given.Ordinal;
            }

            if (creation.Type is not INamedTypeSymbol type || OwnershipModel.PureWrapperBase(type) is null ||
                creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is not { } input ||
                Operations.SkipConversions(input.Value) is not IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } ||
                !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method))
            {
                return null;
            }

            foreach (var argument in creation.Arguments)
            {
                if (argument.Parameter is { Name: "leaveOpen" or "leaveInnerStreamOpen" } && argument.Value.ConstantValue is { HasValue: true, Value: true })
                {
                    return null;
                }
            }

            return parameter.Ordinal;
        }

        private ReturnFact ValueOf(IOperation? value, int depth, HashSet<ISymbol> visiting)
        {
            var typed = value;
            value = Operations.SkipConversions(value);
            if (value is null || depth > MaxFollow)
            {
                return ReturnFact.Unknown;
            }

            if (Operations.IsNullOrDefault(value))
            {
                return new ReturnFact(ReturnedValue.Nothing);
            }

            switch (value)
            {
                case IObjectCreationOperation creation when PureWrapperOverParameter(creation) is { } wrapped:
                    // `return new BinaryReader(input, encoding, leaveOpen);`: a reader or writer that holds nothing but
                    // the caller's stream: owned, and marked with the parameter it wraps, so that a caller that passes
                    // a stream it does not own (or one that needs no disposal) owns nothing (OwnershipModel.ReturnsOwned).
                    return new ReturnFact(ReturnedValue.Owned, wrapped);
                case IObjectCreationOperation creation:
                    // A container returned as it was made (a request without content, or with a content over the
                    // caller's stream) gives the caller nothing to release; whatever the caller puts in it later is
                    // the caller's to follow.
                    return Model.IsOwnedCreation(creation, tables) && !ReturnedEmpty(creation)
                        ? new ReturnFact(ReturnedValue.Owned)
                        : new ReturnFact(ReturnedValue.Nothing);
                case ITypeParameterObjectCreationOperation generic:
                    return Model.IsOwnedCreation(generic, tables) ? new ReturnFact(ReturnedValue.Owned) : new ReturnFact(ReturnedValue.Nothing);
                case IConditionalAccessOperation access:
                    return ValueOf(access.WhenNotNull, depth + 1, visiting);
                case IAwaitOperation awaited:
                    return ValueOf(Operations.AwaitedCall(awaited.Operation) ?? awaited.Operation, depth + 1, visiting);
                case IInvocationOperation invocation:
                    return InvocationValue(invocation, typed?.Type ?? invocation.Type, depth, visiting);
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return Combine(ValueOf(conditional.WhenTrue, depth + 1, visiting), ValueOf(whenFalse, depth + 1, visiting));
                case ICoalesceOperation coalesce:
                    return Combine(ValueOf(coalesce.Value, depth + 1, visiting), ValueOf(coalesce.WhenNull, depth + 1, visiting));
                case ISwitchExpressionOperation switchExpression:
                    var arms = new ReturnFact(ReturnedValue.Nothing);
                    foreach (var arm in switchExpression.Arms)
                    {
                        arms = Combine(arms, ValueOf(arm.Value, depth + 1, visiting));
                    }

                    return arms;
                case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method):
                    return new ReturnFact(ReturnedValue.Parameter, parameter.Parameter.Ordinal);
                case IInstanceReferenceOperation:
                    return new ReturnFact(ReturnedValue.Self);
                case ILocalReferenceOperation local:
                    return LocalValue(local.Local, depth, visiting);
                case IPropertyReferenceOperation property when property.Property.GetMethod is { } getter && owner.Of(getter) is { } summary:
                    return Through(summary.Returns, property.Instance, ImmutableArray<IArgumentOperation>.Empty, depth, visiting);
                case IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: var field } fieldValue
                    when clearedFields.Contains(field) && Model.IsDisposable(field.Type) && Operations.ParentSkippingConversions(fieldValue, out _) is not IReturnOperation:
                    // `var b = _buffer; _buffer = null; return b;`: the value moves out; the caller owns it now. Not
                    // `return _path;` in a lazy getter that also empties the field: the field still holds what it returns.
                    movesOutOfReceiver = true;
                    return new ReturnFact(ReturnedValue.Owned);
                case IFieldReferenceOperation or IPropertyReferenceOperation:
                    return new ReturnFact(ReturnedValue.Kept);
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation } assignment:
                    return ValueOf(assignment.Value, depth + 1, visiting);
                case ISimpleAssignmentOperation or ICoalesceAssignmentOperation:
                    return new ReturnFact(ReturnedValue.Kept);
                case ILiteralOperation or IInterpolatedStringOperation or IBinaryOperation or IUnaryOperation or IThrowOperation:
                    return new ReturnFact(ReturnedValue.Nothing);
                default:
                    return ReturnFact.Unknown;
            }
        }

        /// <summary>A container made empty and returned as it is (<c>return new HttpRequestMessage(HttpMethod.Get, uri);</c>), or through a local nothing fills.</summary>
        private bool ReturnedEmpty(IObjectCreationOperation creation) =>
            Model.EmptyContainerFill(creation, tables) is not null &&
            (Operations.AssignedLocal(creation) is null || Model.ContainerFills(creation, tables, endsDuty: true) is { Length: 0 });

        private ReturnFact InvocationValue(IInvocationOperation invocation, ITypeSymbol? resultType, int depth, HashSet<ISymbol> visiting)
        {
            var target = invocation.TargetMethod;
            if (KnownApis.IsResultCarrier(target) is { } carried)
            {
                return carried < invocation.Arguments.Length
                    ? DelegateOrValue(invocation.Arguments[carried].Value, depth, visiting)
                    : ReturnFact.Unknown;
            }

            // `=> client.GetAsync(uri)`: the response is already read into memory, whoever returns it.
            if (OwnershipModel.IsBufferedResponse(invocation))
            {
                return new ReturnFact(ReturnedValue.Nothing);
            }

            if (Model.IsFactoryByTablesOrAttributes(target, tables) is { } factory)
            {
                return factory && (Model.NeedsDisposal(resultType, tables) || Model.NeedsDisposal(Operations.AwaitedType(resultType), tables))
                    ? new ReturnFact(ReturnedValue.Owned)
                    : new ReturnFact(ReturnedValue.Kept);
            }

            if (owner.Of(target) is { } summary)
            {
                return Through(summary.Returns, invocation.Instance, invocation.Arguments, depth, visiting);
            }

            return ReturnFact.Unknown;
        }

        /// <summary>A callee's return fact seen from here: its self or parameter is our receiver or argument.</summary>
        private ReturnFact Through(ReturnFact callee, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, int depth, HashSet<ISymbol> visiting)
        {
            switch (callee.Kind)
            {
                case ReturnedValue.Self:
                    return instance is null ? ReturnFact.Unknown : ValueOf(instance, depth + 1, visiting);
                case ReturnedValue.Parameter:
                    foreach (var argument in arguments)
                    {
                        if (argument.Parameter?.Ordinal == callee.Parameter)
                        {
                            return ValueOf(argument.Value, depth + 1, visiting);
                        }
                    }

                    return ReturnFact.Unknown;
                default:
                    return callee;
            }
        }

        /// <summary>The value a Task.Run-like call produces: what its delegate returns, or the value itself.</summary>
        private ReturnFact DelegateOrValue(IOperation value, int depth, HashSet<ISymbol> visiting)
        {
            var operand = Operations.SkipConversions(value);
            if (operand is IDelegateCreationOperation { Target: IAnonymousFunctionOperation function })
            {
                var combined = new ReturnFact(ReturnedValue.Nothing);
                var any = false;
                foreach (var node in function.Body.DescendantsAndSelf())
                {
                    if (node is IReturnOperation { ReturnedValue: { } returned } && ReferenceEquals(FunctionScopes.EnclosingFunction(node), function))
                    {
                        any = true;
                        combined = Combine(combined, ValueOf(returned, depth + 1, visiting));
                    }
                }

                return any ? combined : ReturnFact.Unknown;
            }

            return ValueOf(value, depth + 1, visiting);
        }

        /// <summary>
        /// A local that is returned: the combination of every value it receives, provided nothing else takes it
        /// (a local also stored in a field or a cache is kept there, so what is returned is lent).
        /// </summary>
        private ReturnFact LocalValue(ILocalSymbol local, int depth, HashSet<ISymbol> visiting)
        {
            if (!visiting.Add(local) || capturedLocals.Contains(local))
            {
                return ReturnFact.Unknown;
            }

            var combined = new ReturnFact(ReturnedValue.Nothing);
            foreach (var assigned in Operations.ValuesOfLocal(body, local))
            {
                // `image = InsertLabel(image)`, `builder = builder.Append(x)`: the same object again, nothing new.
                if (assigned is not null && HandsBack(assigned, local))
                {
                    continue;
                }

                combined = assigned is null or IForEachLoopOperation
                    ? ReturnFact.Unknown
                    : Combine(combined, ValueOf(assigned, depth + 1, visiting));
                if (combined.Kind == ReturnedValue.Unknown)
                {
                    return combined;
                }
            }

            // `var r = new Handles(); r.Strings = Marshal.AllocHGlobal(n); return r;`: a struct filled field by field
            // after an empty creation owns what it was filled with.
            if (combined.Kind == ReturnedValue.Nothing && local.Type.TypeKind == TypeKind.Struct && Model.IsDisposable(local.Type) &&
                referencesByLocal.TryGetValue(local, out var filled) &&
                System.Linq.Enumerable.Any(filled, FillsAField))
            {
                combined = new ReturnFact(ReturnedValue.Owned);
            }

            if (combined.Kind != ReturnedValue.Owned || !referencesByLocal.TryGetValue(local, out var references))
            {
                return combined;
            }

            foreach (var reference in references)
            {
                switch (Escape(reference, visiting))
                {
                    case Escapes.No:
                        continue;
                    case Escapes.Kept:
                        return new ReturnFact(ReturnedValue.Kept);
                    default:
                        return ReturnFact.Unknown;
                }
            }

            return combined;
        }

        /// <summary>A call of a source member that returns the local itself: its argument, or its receiver.</summary>
        private bool HandsBack(IOperation assigned, ILocalSymbol local)
        {
            if (Operations.SkipConversions(assigned) is not IInvocationOperation call || owner.Of(call.TargetMethod) is not { } summary)
            {
                return false;
            }

            var returned = summary.Returns.Kind switch
            {
                ReturnedValue.Self => call.Instance,
                ReturnedValue.Parameter => call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == summary.Returns.Parameter)?.Value,
                _ => null,
            };
            return Operations.SkipConversions(returned) is ILocalReferenceOperation same && SymbolEqualityComparer.Default.Equals(same.Local, local);
        }

        /// <summary><c>r.Handle = value</c>, <c>r.Array.Strings = value</c>: a non-empty value written into a field of the variable.</summary>
        private static bool FillsAField(IOperation reference)
        {
            var member = reference;
            while (member.Parent is IFieldReferenceOperation field && ReferenceEquals(field.Instance, member))
            {
                member = field;
            }

            return !ReferenceEquals(member, reference) &&
                   member.Parent is ISimpleAssignmentOperation fill && ReferenceEquals(fill.Target, member) && !Operations.IsNullOrDefault(fill.Value);
        }

        private enum Escapes
        {
            No,
            Kept,
            Unknown,
        }

        /// <summary>Whether a reference to a returned local lets the value go anywhere but out to the caller.</summary>
        private Escapes Escape(IOperation reference, HashSet<ISymbol> visiting)
        {
            var consumer = Operations.ParentSkippingConversions(reference, out var outer);
            switch (consumer)
            {
                // `var image = (Image)bitmap; ... return image;`: a copy into the local whose value is being read
                // is the way out being followed, not an escape.
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation copy } copied when ReferenceEquals(copied.Value, outer) && visiting.Contains(copy.Local):
                    return Escapes.No;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var declared } } when visiting.Contains(declared):
                    return Escapes.No;
                case IReturnOperation:
                case IExpressionStatementOperation:
                case IMemberReferenceOperation member when ReferenceEquals(member.Instance, outer):
                case IBinaryOperation or IUnaryOperation or IIsTypeOperation or IIsPatternOperation or IInterpolationOperation or IAwaitOperation:
                case IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer) && !IsDisposeCall(access.WhenNotNull):
                    return Escapes.No;
                case IAssignmentOperation assignment when ReferenceEquals(assignment.Target, outer):
                    return Escapes.No;
                case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, outer):
                    return IsDisposeCall(invocation) ? Escapes.Unknown : Escapes.No;
                case ISimpleAssignmentOperation { Target: IParameterReferenceOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } }:
                    return Escapes.No;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation }:
                    return Escapes.Kept;
                case IArgumentOperation argument:
                    return Model.FateOf(argument, tables) switch
                    {
                        ArgumentFate.Borrowed => Escapes.No,
                        ArgumentFate.Kept => Escapes.No,
                        ArgumentFate.MayBeStored => Escapes.Kept,

                        // `image = InsertLabel(image)`: the call hands the object back; where its result goes, it goes.
                        ArgumentFate.Returned when argument.Parent is IInvocationOperation call => Escape(call, visiting),
                        _ => Escapes.Unknown,
                    };
                default:
                    return Escapes.Unknown;
            }
        }

        private static bool IsDisposeCall(IOperation? operation) =>
            operation is IInvocationOperation invocation && OwnershipModel.IsDisposeMethod(invocation.TargetMethod);

        private static ReturnFact Combine(ReturnFact a, ReturnFact b)
        {
            if (a.Kind == ReturnedValue.Nothing)
            {
                return b;
            }

            if (b.Kind == ReturnedValue.Nothing)
            {
                return a;
            }

            if (a.Kind == ReturnedValue.Unknown || b.Kind == ReturnedValue.Unknown)
            {
                return ReturnFact.Unknown;
            }

            if (a.Kind == b.Kind && a.Parameter == b.Parameter)
            {
                return a;
            }

            // Wrappers over different parameters, or a wrapper and another new object: owned, over nothing in particular.
            if (a.Kind == ReturnedValue.Owned && b.Kind == ReturnedValue.Owned)
            {
                return new ReturnFact(ReturnedValue.Owned);
            }

            // A value that may be kept somewhere is never the caller's alone.
            if ((a.Kind == ReturnedValue.Kept && b.Kind == ReturnedValue.Owned) || (a.Kind == ReturnedValue.Owned && b.Kind == ReturnedValue.Kept))
            {
                return new ReturnFact(ReturnedValue.Kept);
            }

            return ReturnFact.Unknown;
        }

        // ---- What it does with a parameter ------------------------------------------------------------------

        private ParameterFact FactOf(IParameterSymbol parameter)
        {
            if (capturedParameters.Contains(parameter.Ordinal))
            {
                return new ParameterFact(ParameterUse.Unknown);
            }

            if (!referencesByParameter.TryGetValue(parameter.Ordinal, out var references))
            {
                return Virtualised(new ParameterFact(ParameterUse.Borrowed));
            }

            var use = Use.Borrowed;
            foreach (var reference in references)
            {
                if (reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
                {
                    // Reassigning the parameter: what it held before is not followed any further.
                    return new ParameterFact(ParameterUse.Unknown);
                }

                use = Use.Combine(use, FateOfValue(reference, itself: true, depth: 0, new HashSet<ISymbol>(SymbolEqualityComparer.Default)));
                if (use.Kind == UseKind.Unknown)
                {
                    return new ParameterFact(ParameterUse.Unknown);
                }
            }

            return Virtualised(Resolve(use));
        }

        /// <summary>
        /// An overridable member may be replaced by an override that keeps what it is given: "only borrows" is
        /// not a promise then. What the body itself disposes, owns or returns is kept as the member's contract.
        /// </summary>
        private ParameterFact Virtualised(ParameterFact fact) =>
            fact.Use is ParameterUse.Borrowed or ParameterUse.Kept && IsOverridable(method) ? new ParameterFact(ParameterUse.Unknown) : fact;

        private static bool IsOverridable(IMethodSymbol method) =>
            (method.IsVirtual || method.IsOverride || method.IsAbstract) && !method.IsSealed && method.ContainingType is { IsSealed: false };

        /// <summary>Turns "stored in member m" into what the type does with m.</summary>
        private ParameterFact Resolve(Use use)
        {
            switch (use.Kind)
            {
                case UseKind.Borrowed:
                    return new ParameterFact(ParameterUse.Borrowed);
                case UseKind.Disposed:
                    return new ParameterFact(ParameterUse.Disposed);
                case UseKind.Returned:
                    return new ParameterFact(ParameterUse.Returned);
                case UseKind.OwnedByResult:
                    return new ParameterFact(ParameterUse.OwnedByResult);
                case UseKind.OwnedByThis:
                    return new ParameterFact(ParameterUse.Owned, use.Flag, use.FlagKeeps);
                case UseKind.KeptByResult:
                    return new ParameterFact(ParameterUse.Kept);
                case UseKind.WrittenToOut:
                    return new ParameterFact(ParameterUse.WrittenToOutput, output: use.Output);
                case UseKind.Stored when use.Member is { } member && method.ContainingType is { } type:
                    var treatment = owner.TreatmentOf(type, member);
                    switch (treatment.Kind)
                    {
                        case MemberTreatmentKind.Disposed when treatment.Flag is { } flag:
                            return FlagFact(flag, treatment.DisposesWhenFlagIs);
                        case MemberTreatmentKind.Disposed:
                            return new ParameterFact(ParameterUse.Owned);
                        case MemberTreatmentKind.OnlyKept:
                            return KeptHere(hidden: !treatment.Exposed);
                        default:
                            return new ParameterFact(ParameterUse.Unknown);
                    }

                default:
                    return new ParameterFact(ParameterUse.Unknown);
            }
        }

        /// <summary>
        /// Stored in a member of this object that the type never disposes: a constructor's caller gets the object
        /// that keeps it (and still owns the value); any other method's caller cannot tell what the receiver does.
        /// </summary>
        private ParameterFact KeptHere(bool hidden = false) =>
            new(method.MethodKind == MethodKind.Constructor ? ParameterUse.Kept : ParameterUse.Unknown, hidden: hidden);

        /// <summary>
        /// The type disposes the member only while a bool member of it has one value (<c>if (!leaveOpen)</c>): the
        /// parameter this member assigns that flag from says who owns the value.
        /// </summary>
        private ParameterFact FlagFact(ISymbol flag, bool disposesWhenFlagIs)
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                if (operation is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } assignment &&
                    target.Instance is IInstanceReferenceOperation or null &&
                    SymbolEqualityComparer.Default.Equals(target.Member, flag))
                {
                    var value = Operations.SkipConversions(assignment.Value);
                    var negated = false;
                    while (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
                    {
                        negated = !negated;
                        value = Operations.SkipConversions(not.Operand);
                    }

                    if (value is IParameterReferenceOperation parameter && parameter.Parameter.Type.SpecialType == SpecialType.System_Boolean &&
                        SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method))
                    {
                        // The member disposes when flag == disposesWhenFlagIs, i.e. when the parameter is that (negated) value.
                        var parameterValueThatDisposes = negated ? !disposesWhenFlagIs : disposesWhenFlagIs;
                        return new ParameterFact(ParameterUse.Owned, parameter.Parameter.Name, flagValueThatKeepsOwnership: !parameterValueThatDisposes);
                    }

                    if (value?.ConstantValue is { HasValue: true, Value: bool constant })
                    {
                        return (negated ? !constant : constant) == disposesWhenFlagIs ? new ParameterFact(ParameterUse.Owned) : KeptHere();
                    }

                    return new ParameterFact(ParameterUse.Unknown);
                }
            }

            // This member leaves the flag as the type's initializer set it: false unless initialised otherwise.
            var initial = InitialValue(flag);
            return initial is { } known
                ? (known == disposesWhenFlagIs ? new ParameterFact(ParameterUse.Owned) : KeptHere())
                : new ParameterFact(ParameterUse.Unknown);
        }

        private bool? InitialValue(ISymbol flag)
        {
            if (method.MethodKind != MethodKind.Constructor)
            {
                return null; // another method may run after a constructor that set it either way
            }

            foreach (var reference in flag.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax();
                var initializer = syntax switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                    PropertyDeclarationSyntax property => property.Initializer?.Value,
                    _ => null,
                };

                if (initializer is null)
                {
                    return false;
                }

                return owner.SemanticModelOf(initializer.SyntaxTree).GetConstantValue(initializer) is { HasValue: true, Value: bool value } ? value : null;
            }

            return null;
        }

        /// <summary>
        /// What happens to the object <paramref name="operation"/> evaluates to: the parameter itself
        /// (<paramref name="itself"/>), or a wrapper that owns it.
        /// </summary>
        private Use FateOfValue(IOperation operation, bool itself, int depth, HashSet<ISymbol> visiting)
        {
            if (depth > MaxFollow)
            {
                return Use.Unknown;
            }

            var consumer = Operations.ParentSkippingConversions(operation, out var outer);
            switch (consumer)
            {
                case IReturnOperation { Kind: OperationKind.Return }:
                    return itself ? Use.Returned : Use.OwnedByResult;
                case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, outer):
                    // `form.Show(owner)`: a form shown without a modal loop disposes itself when it is closed.
                    if (OwnershipModel.IsDisposeMethod(invocation.TargetMethod) || Model.HandsItselfToItsClose(invocation.TargetMethod, outer.Type))
                    {
                        return Use.Disposed;
                    }

                    // `using var stream = response.GetResponseStream()`, `_socket = client.Client`: a view carries the
                    // parameter's resources, so what happens to the view happens to them.
                    return owner.Of(invocation.TargetMethod)?.Returns.Kind == ReturnedValue.Self ? FateOfValue(invocation, itself, depth + 1, visiting)
                        : KnownApis.IsResourceView(invocation.TargetMethod) ? FateOfValue(invocation, itself: false, depth + 1, visiting)
                        : Use.Borrowed;
                case IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer):
                    return IsDisposeCall(access.WhenNotNull) ? Use.Disposed : Use.Borrowed;
                case IPropertyReferenceOperation view when ReferenceEquals(view.Instance, outer) && KnownApis.IsResourceView(view.Property):
                    return FateOfValue(view, itself: false, depth + 1, visiting);
                case IOperation handle when OwnershipModel.RawHandleOf(handle, outer) && OwnershipModel.NewSafeHandleOwning(handle) is { } safeHandle:
                    // `new SafeProcessHandle(p.Handle, true)`: the new handle owns what the parameter's handle is.
                    return FateOfValue(safeHandle, itself: false, depth + 1, visiting);
                case IMemberReferenceOperation member when ReferenceEquals(member.Instance, outer):
                    return Use.Borrowed;
                case IArgumentOperation argument:
                    return ArgumentFateOfValue(argument, itself, depth, visiting);
                case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, outer):
                    return AssignedTo(assignment.Target, itself, depth, visiting);
                case IVariableInitializerOperation initializer:
                    if (initializer.Parent is IVariableDeclaratorOperation declarator && Operations.IsUsingDeclarator(declarator))
                    {
                        return Use.Disposed;
                    }

                    var declared = Use.Borrowed;
                    foreach (var local in Declared(initializer))
                    {
                        declared = Use.Combine(declared, LocalFate(local, itself, depth + 1, visiting));
                    }

                    return declared;
                case IUsingOperation:
                    return Use.Disposed;
                case ICoalesceOperation or IConditionalOperation when consumer is not IConditionalOperation { Condition: var condition } || !ReferenceEquals(condition, outer):
                    return FateOfValue(consumer, itself, depth + 1, visiting);
                case IBinaryOperation or IUnaryOperation or IIsTypeOperation or IIsPatternOperation or
                    IInterpolationOperation or IExpressionStatementOperation or IAwaitOperation or ISwitchOperation or
                    IConditionalOperation or ISwitchExpressionOperation or IThrowOperation or INameOfOperation:
                    // `nameof(stream)` in a guard clause names the parameter, it does not use it.
                    return Use.Borrowed;
                default:
                    return Use.Unknown;
            }
        }

        private Use ArgumentFateOfValue(IArgumentOperation argument, bool itself, int depth, HashSet<ISymbol> visiting)
        {
            // `: this(stream, leaveOpen)` or `: base(stream)`: what the other constructor does, it does for this object.
            if (argument.Parent is IInvocationOperation { TargetMethod.MethodKind: MethodKind.Constructor, Instance: IInstanceReferenceOperation } chained)
            {
                return ChainedConstructor(chained, argument);
            }

            switch (Model.FateOf(argument, tables))
            {
                case ArgumentFate.Borrowed:
                    return Use.Borrowed;
                case ArgumentFate.Kept when argument.Parent is { } holder:
                    // The call's result keeps it without owning it: returned, our result keeps it; stored in this
                    // object, this object keeps it; dropped, disposed or only read, it was only borrowed.
                    return FateOfValue(holder, itself: false, depth + 1, visiting).Kind switch
                    {
                        UseKind.Borrowed or UseKind.Disposed => Use.Borrowed,
                        UseKind.Returned or UseKind.OwnedByResult or UseKind.KeptByResult => Use.KeptByResult,
                        UseKind.Stored or UseKind.OwnedByThis when method.MethodKind == MethodKind.Constructor => Use.KeptByResult,
                        _ => Use.Unknown,
                    };
                case ArgumentFate.Returned when argument.Parent is { } call:
                    return FateOfValue(call, itself, depth + 1, visiting);
                case ArgumentFate.OwnershipTaken:
                    // Into a wrapper the call creates (new StreamReader(s), a wrapping factory): the wrapper's fate is
                    // the value's. Into a callee that disposes it: disposed.
                    if (argument.Parent is IObjectCreationOperation creation ||
                        (argument.Parent is IInvocationOperation wrapping && WrapsInResult(wrapping, argument)))
                    {
                        // A wrapper dropped here without being disposed never closes what it wraps (unless its
                        // finalizer does): the value is still the caller's to dispose, as if only borrowed. This
                        // method's own wrapper over a parameter is not reported here (it wraps only what it borrows),
                        // so one leak gets one diagnostic, at the caller that made the value.
                        return FateOfValue(argument.Parent!, itself: false, depth + 1, visiting) switch
                        {
                            { Kind: UseKind.Borrowed } when argument.Parent!.Type is { } wrapperType && HasFinalizer(wrapperType) => Use.Unknown,
                            var wrapped => wrapped,
                        };
                    }

                    return Use.Disposed;
                default:
                    return Use.Unknown;
            }
        }

        private static bool HasFinalizer(ITypeSymbol type)
        {
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(WellKnownMemberNames.DestructorName))
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Destructor })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private bool WrapsInResult(IInvocationOperation invocation, IArgumentOperation argument) =>
            argument.Parameter is { } parameter && owner.Of(invocation.TargetMethod)?.Parameter(parameter.Ordinal).Use == ParameterUse.OwnedByResult;

        /// <summary>
        /// A chained constructor call (<c>: this(stream, leaveOpen)</c>, <c>: base(stream)</c>): what the other
        /// constructor does with the argument it does for this object; a flag passed on from our own bool parameter
        /// keeps its meaning.
        /// </summary>
        private Use ChainedConstructor(IInvocationOperation chained, IArgumentOperation argument)
        {
            switch (Model.FateOf(argument, tables))
            {
                case ArgumentFate.OwnershipTaken:
                    return Use.OwnedByThis(null, false);
                case ArgumentFate.Borrowed:
                    return Use.Borrowed;
                case ArgumentFate.Kept:
                    // The other constructor keeps it in this very object: so does this one.
                    return Use.KeptByResult;
            }

            if (Model.TransferOf(chained.TargetMethod, tables) is { FlagParameter: { } transferFlag } transfer)
            {
                return FlagThroughChain(chained, transferFlag, transfer.FlagValueThatKeepsOwnership);
            }

            var fact = argument.Parameter is { } parameter && owner.Of(chained.TargetMethod) is { } summary
                ? summary.Parameter(parameter.Ordinal)
                : new ParameterFact(ParameterUse.Unknown);
            return fact.Use switch
            {
                ParameterUse.Owned when fact.Flag is not null => FlagThroughChain(chained, fact.Flag, fact.FlagValueThatKeepsOwnership),
                ParameterUse.Disposed => Use.Disposed,
                _ => Use.Unknown,
            };
        }

        /// <summary>The chained constructor's flag argument: a constant decides; our own bool parameter passes the flag on.</summary>
        private Use FlagThroughChain(IInvocationOperation chained, string flagName, bool flagValueThatKeeps)
        {
            foreach (var argument in chained.Arguments)
            {
                if (argument.Parameter?.Name != flagName)
                {
                    continue;
                }

                var value = Operations.SkipConversions(argument.Value);
                if (value?.ConstantValue is { HasValue: true, Value: bool constant })
                {
                    return constant == flagValueThatKeeps ? Use.Borrowed : Use.OwnedByThis(null, false);
                }

                if (value is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method))
                {
                    return Use.OwnedByThis(parameter.Parameter.Name, flagValueThatKeeps);
                }

                return Use.Unknown;
            }

            return Use.Unknown;
        }

        private Use AssignedTo(IOperation target, bool itself, int depth, HashSet<ISymbol> visiting)
        {
            switch (target)
            {
                case IFieldReferenceOperation or IPropertyReferenceOperation when target is IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: var member } &&
                                                                                 !member.IsStatic &&
                                                                                 SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, method.ContainingType?.OriginalDefinition):
                    return Use.Stored(member);
                case ILocalReferenceOperation local:
                    return LocalFate(local.Local, itself, depth + 1, visiting);
                case IParameterReferenceOperation { Parameter: { RefKind: RefKind.Out or RefKind.Ref } output } when itself &&
                                                                                                           SymbolEqualityComparer.Default.Equals(output.ContainingSymbol, method):
                    // `result = arg`: the caller gets it back through its out variable.
                    return Use.WrittenTo(output.Ordinal);
                default:
                    return Use.Unknown;
            }
        }

        private Use LocalFate(ILocalSymbol local, bool itself, int depth, HashSet<ISymbol> visiting)
        {
            if (!visiting.Add(local) || capturedLocals.Contains(local))
            {
                return Use.Unknown;
            }

            if (local.IsUsing)
            {
                return Use.Disposed;
            }

            var use = Use.Borrowed;
            if (referencesByLocal.TryGetValue(local, out var references))
            {
                foreach (var reference in references)
                {
                    if (reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
                    {
                        continue;
                    }

                    use = Use.Combine(use, FateOfValue(reference, itself, depth, visiting));
                    if (use.Kind == UseKind.Unknown)
                    {
                        break;
                    }
                }
            }

            return use;
        }


        private static IEnumerable<ILocalSymbol> Declared(IVariableInitializerOperation initializer)
        {
            switch (initializer.Parent)
            {
                case IVariableDeclaratorOperation declarator:
                    yield return declarator.Symbol;
                    break;
                case IVariableDeclarationOperation declaration:
                    foreach (var declarator in declaration.Declarators)
                    {
                        yield return declarator.Symbol;
                    }

                    break;
            }
        }

        // ---- Out and ref parameters -------------------------------------------------------------------------

        private bool WritesOwned(IParameterSymbol parameter)
        {
            if (!referencesByParameter.TryGetValue(parameter.Ordinal, out var references))
            {
                return false;
            }

            var owned = false;
            foreach (var reference in references)
            {
                if (reference.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
                {
                    var value = ValueOf(assignment.Value, depth: 0, new HashSet<ISymbol>(SymbolEqualityComparer.Default));
                    switch (value.Kind)
                    {
                        case ReturnedValue.Owned:
                            owned = true;
                            break;
                        case ReturnedValue.Nothing:
                            break;
                        default:
                            return false;
                    }
                }
                else if (reference.Parent is IArgumentOperation { Parameter: { RefKind: RefKind.Out or RefKind.Ref } calleeParameter } argument &&
                         argument.Parent is IInvocationOperation call)
                {
                    if (owner.Of(call.TargetMethod) is { } summary && summary.Writes(calleeParameter.Ordinal))
                    {
                        owned = true;
                    }
                    else
                    {
                        return false;
                    }
                }
                else if (reference.Parent is IAssignmentOperation other && ReferenceEquals(other.Target, reference))
                {
                    return false;
                }
            }

            return owned;
        }
    }

    private enum UseKind
    {
        WrittenToOut,
        Borrowed,
        Disposed,
        Returned,
        OwnedByResult,
        OwnedByThis,
        KeptByResult,
        Stored,
        Unknown,
    }

    /// <summary>One use of a parameter's value while it is followed through the body.</summary>
    private readonly struct Use
    {
        private Use(UseKind kind, ISymbol? member = null, string? flag = null, bool flagKeeps = false, int output = -1)
        {
            Output = output;
            Kind = kind;
            Member = member;
            Flag = flag;
            FlagKeeps = flagKeeps;
        }

        internal UseKind Kind { get; }

        internal ISymbol? Member { get; }

        internal string? Flag { get; }

        internal bool FlagKeeps { get; }

        internal static Use Borrowed => new(UseKind.Borrowed);

        internal static Use Disposed => new(UseKind.Disposed);

        internal static Use Returned => new(UseKind.Returned);

        internal static Use OwnedByResult => new(UseKind.OwnedByResult);

        internal static Use Unknown => new(UseKind.Unknown);

        internal static Use KeptByResult => new(UseKind.KeptByResult);

        /// <summary>Written to the out or ref parameter at <see cref="Output"/>.</summary>
        internal static Use WrittenTo(int output) => new(UseKind.WrittenToOut, output: output);

        internal int Output { get; }

        internal static Use Stored(ISymbol member) => new(UseKind.Stored, member);

        internal static Use OwnedByThis(string? flag, bool flagKeeps) => new(UseKind.OwnedByThis, flag: flag, flagKeeps: flagKeeps);

        /// <summary>Borrowing adds nothing; two different fates make the parameter's fate unknown.</summary>
        internal static Use Combine(Use a, Use b)
        {
            if (a.Kind == UseKind.Borrowed)
            {
                return b;
            }

            if (b.Kind == UseKind.Borrowed)
            {
                return a;
            }

            return a.Kind == b.Kind && SymbolEqualityComparer.Default.Equals(a.Member, b.Member) && a.Flag == b.Flag && a.FlagKeeps == b.FlagKeeps &&
                   a.Output == b.Output
                ? a
                : Unknown;
        }
    }

    /// <summary>How one source type treats its fields and auto-properties, read from every member body once.</summary>
    private sealed class TypeFacts
    {
        private readonly Dictionary<ISymbol, MemberTreatment> treatments = new(SymbolEqualityComparer.Default);

        internal TypeFacts(SourceOwnership owner, INamedTypeSymbol type)
        {
            var found = new Dictionary<ISymbol, Accumulator>(SymbolEqualityComparer.Default);
            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol method || owner.BodyOf(method) is not { } body)
                {
                    continue;
                }

                var tables = owner.TablesFor(body.Syntax.SyntaxTree);
                var isDispose = OwnershipModel.IsDisposeMethod(method) || (method.Name == "Dispose" && method.Parameters.Length == 1);
                foreach (var operation in body.DescendantsAndSelf())
                {
                    if (operation is not IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol } reference ||
                        reference.Instance is not (IInstanceReferenceOperation or null) ||
                        !SymbolEqualityComparer.Default.Equals(reference.Member.ContainingType?.OriginalDefinition, type))
                    {
                        continue;
                    }

                    if (!found.TryGetValue(reference.Member, out var accumulator))
                    {
                        found[reference.Member] = accumulator = new Accumulator();
                    }

                    accumulator.Add(reference, owner.General, tables, isDispose, ExposesFrom(method));
                }

                // Fields initialised in declarations are assigned, not released; nothing to read there.
            }

            foreach (var pair in found)
            {
                treatments[pair.Key] = pair.Value.Result();
            }
        }

        internal MemberTreatment Of(ISymbol member) =>
            treatments.TryGetValue(member.OriginalDefinition, out var treatment)
                ? (member.DeclaredAccessibility == Accessibility.Private ? treatment : treatment.AsExposed())
                : new MemberTreatment(MemberTreatmentKind.OnlyKept, exposed: member.DeclaredAccessibility != Accessibility.Private);

        /// <summary>A member others can call: what it returns leaves the type.</summary>
        private static bool ExposesFrom(IMethodSymbol method) =>
            (method.AssociatedSymbol ?? method).DeclaredAccessibility != Accessibility.Private;

        private sealed class Accumulator
        {
            private bool disposed;
            private bool handedOn;
            private ISymbol? flag;
            private bool disposesWhenFlagIs;
            private bool unguardedDispose;
            private bool conflictingFlags;

            private bool exposed;

            internal void Add(IMemberReferenceOperation reference, OwnershipModel model, OwnershipTables tables, bool inDispose, bool inVisibleMember)
            {
                exposed |= inVisibleMember && IsReturned(reference);
                switch (MemberUses.Classify(reference, model, tables))
                {
                    case MemberUse.Disposed:
                        disposed = true;
                        var guard = inDispose ? GuardOf(reference) : null;
                        if (guard is null)
                        {
                            unguardedDispose = true;
                        }
                        else if (flag is null)
                        {
                            (flag, disposesWhenFlagIs) = guard.Value;
                        }
                        else if (!SymbolEqualityComparer.Default.Equals(flag, guard.Value.Flag) || disposesWhenFlagIs != guard.Value.DisposesWhen)
                        {
                            conflictingFlags = true;
                        }

                        break;
                    case MemberUse.HandedOn:
                        handedOn = true;
                        break;
                }
            }

            internal MemberTreatment Result()
            {
                if (disposed)
                {
                    return unguardedDispose || conflictingFlags || flag is null
                        ? new MemberTreatment(MemberTreatmentKind.Disposed)
                        : new MemberTreatment(MemberTreatmentKind.Disposed, flag, disposesWhenFlagIs);
                }

                return new MemberTreatment(handedOn ? MemberTreatmentKind.HandedOn : MemberTreatmentKind.OnlyKept, exposed: exposed);
            }

            private static bool IsReturned(IOperation reference)
            {
                var child = reference;
                for (var current = reference.Parent; current is not null; child = current, current = current.Parent)
                {
                    switch (current)
                    {
                        case IReturnOperation:
                            return true;
                        case IConversionOperation or IParenthesizedOperation or ICoalesceOperation or IConditionalOperation or IConditionalAccessOperation:
                            continue;

                        // `return _singleton ??= Create();`, `return _cache = Load();`: the value is the member's.
                        case IAssignmentOperation assignment when ReferenceEquals(assignment.Target, child):
                            continue;
                        default:
                            return false;
                    }
                }

                return false;
            }

            /// <summary><c>if (!leaveOpen) stream.Dispose();</c>: the bool member and the value with which it disposes.</summary>
            private static (ISymbol Flag, bool DisposesWhen)? GuardOf(IOperation reference)
            {
                IOperation child = reference;
                for (var parent = reference.Parent; parent is not null && parent is not IMethodBodyOperation; child = parent, parent = parent.Parent)
                {
                    if (parent is IConditionalOperation conditional && !ReferenceEquals(conditional.Condition, child))
                    {
                        var inWhenTrue = ReferenceEquals(conditional.WhenTrue, child);
                        if (FlagIn(conditional.Condition) is { } found)
                        {
                            return (found.Flag, inWhenTrue ? found.WhenTrue : !found.WhenTrue);
                        }
                    }
                }

                return null;
            }

            /// <summary>A bool member of this in a condition (alone, negated, or one side of &amp;&amp;): the flag, and its value when the condition holds.</summary>
            private static (ISymbol Flag, bool WhenTrue)? FlagIn(IOperation condition)
            {
                var value = Operations.SkipConversions(condition);
                var negated = false;
                while (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
                {
                    negated = !negated;
                    value = Operations.SkipConversions(not.Operand);
                }

                switch (value)
                {
                    case IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: IInstanceReferenceOperation or null } member
                        when member.Type?.SpecialType == SpecialType.System_Boolean:
                        return (member.Member, !negated);
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when !negated:
                        return FlagIn(both.LeftOperand) ?? FlagIn(both.RightOperand);
                    default:
                        return null;
                }
            }
        }
    }
}

internal enum MemberTreatmentKind
{
    /// <summary>Only read: the type keeps it without disposing it.</summary>
    OnlyKept,

    /// <summary>Disposed, or given to an owner, somewhere in the type.</summary>
    Disposed,

    /// <summary>Returned, stored elsewhere or given to a callee we do not follow.</summary>
    HandedOn,
}

/// <summary>How a type treats one of its fields or auto-properties; for a disposal under a bool flag, the flag.</summary>
internal readonly struct MemberTreatment
{
    internal MemberTreatment(MemberTreatmentKind kind, ISymbol? flag = null, bool disposesWhenFlagIs = false, bool exposed = false)
    {
        Kind = kind;
        Flag = flag;
        DisposesWhenFlagIs = disposesWhenFlagIs;
        Exposed = exposed;
    }

    /// <summary>Code outside the type can read the member: it is not private, or a member others call returns it.</summary>
    internal bool Exposed { get; }

    internal MemberTreatment AsExposed() => new(Kind, Flag, DisposesWhenFlagIs, exposed: true);

    internal MemberTreatmentKind Kind { get; }

    internal ISymbol? Flag { get; }

    internal bool DisposesWhenFlagIs { get; }
}
