namespace LeakAnalyzers.Disposables;

using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK002: an owned disposable that nobody can dispose because it is never kept: its value is discarded
/// (<c>File.Create(path);</c>, <c>await client.GetAsync(url);</c>, <c>source.Subscribe(...);</c>), it is used once as a
/// receiver (<c>new CancellationTokenSource(t).Token</c>), or it is passed to a callee that only borrows it.
/// Needs no flow analysis: the parent of the creation tells.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DisposableDroppedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the creation can be moved into a using local (it is not a subscription).</summary>
    internal const string FixKey = "LEAK002.Fix";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK002DisposableDropped);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = OwnershipModel.Create(start.Compilation, Descriptors.LEAK002DisposableDropped.Id);
            if (model is null)
            {
                return;
            }

            var observable = start.Compilation.GetTypeByMetadataName("System.IObservable`1");
            start.RegisterOperationAction(
                operation => Analyze(operation, model, observable),
                OperationKind.ObjectCreation,
                OperationKind.TypeParameterObjectCreation,
                OperationKind.Invocation,
                OperationKind.PropertyReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, OwnershipModel model, INamedTypeSymbol? observable)
    {
        var creation = context.Operation;
        if (creation is IInvocationOperation call)
        {
            ReportDiscardedOutValues(context, call, model);
        }

        // Cheap filter first: only values of disposable types can be dropped disposables; of properties, only the
        // reads of a getter in source (a getter that creates what it returns).
        if (!model.IsDisposable(creation.Type) && !IsAwaitedDisposable(creation, model))
        {
            return;
        }

        if (creation is IPropertyReferenceOperation property &&
            (property.Property.GetMethod is not { DeclaringSyntaxReferences.Length: > 0 } ||
             (property.Parent is IAssignmentOperation assigned && ReferenceEquals(assigned.Target, property))))
        {
            return;
        }

        // An awaited factory (`await client.GetAsync(url)`) is judged by what the await produces.
        var value = creation.Parent is IAwaitOperation awaited ? awaited : creation;
        var tables = model.TablesFor(context.Options, creation.Syntax.SyntaxTree);
        if (!model.IsOwnedCreation(value, tables))
        {
            return;
        }

        // A fluent call on it, or a call that returns it, passes the same object on: judge what happens to that.
        var consumer = Operations.ParentSkippingConversions(value, out var outer);
        IOperation? keeper = null;
        IArgumentOperation? keptAs = null;
        var outOfReach = false;
        for (var depth = 0; depth < 8 && consumer is not null && Carriers.Of(outer, consumer, model, tables, out var keeps) is { } carrier; depth++)
        {
            if (keeps && keeper is null)
            {
                keeper = carrier;
                keptAs = consumer as IArgumentOperation;
                outOfReach = keptAs is not null && model.KeepsOutOfReach(keptAs);
            }

            consumer = Operations.ParentSkippingConversions(carrier, out outer);
        }

        // Kept by an object that never disposes it: leaked when that object is dropped, only read or disposed, or
        // keeps it where nothing outside it can reach; when the object leaves (returned, stored) and exposes it,
        // whoever gets it may still reach in and dispose it.
        var how = keeper is not null && !IsRootedByItsCall(consumer, outer, model) && (outOfReach || IsEndOfTheKeeper(consumer, outer, model))
            ? $"only kept by '{Describe(keeper)}'"
            : keeper is not null ? null : consumer switch
        {
            IExpressionStatementOperation => "thrown away",
            // `using (_ = GetPath()) { }` disposes what it discards.
            ISimpleAssignmentOperation { Target: IDiscardOperation } assignment when ReferenceEquals(assignment.Value, outer) &&
                                                                                 Operations.ParentSkippingConversions(assignment, out _) is not IUsingOperation => "thrown away",
            IInvocationOperation invocation when ReferenceEquals(invocation.Instance, outer) && IsDroppedReceiver(invocation.TargetMethod, invocation.Type, outer.Type, model)
                => $"used only to call '{invocation.TargetMethod.Name}'",
            IPropertyReferenceOperation read when ReferenceEquals(read.Instance, outer) && CannotHoldReceiver(read.Type)
                => $"used only to read '{read.Property.Name}'",
            IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer) && access.WhenNotNull is IInvocationOperation conditionalCall &&
                                                   IsDroppedReceiver(conditionalCall.TargetMethod, conditionalCall.Type, outer.Type, model)
                => $"used only to call '{conditionalCall.TargetMethod.Name}'",
            IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer) && access.WhenNotNull is IPropertyReferenceOperation conditionalRead &&
                                                   CannotHoldReceiver(conditionalRead.Type)
                => $"used only to read '{conditionalRead.Property.Name}'",
            IArgumentOperation argument when model.FateOf(argument, tables) == ArgumentFate.Borrowed && !MayReturnItsReceiver(argument)
                => $"only lent to '{CalleeName(argument)}'",
            _ => null,
        };

        if (how is null || KeeperFlushesIt(keeper, keptAs, creation, model, tables))
        {
            return;
        }

        // `Process.Start(url);`: a launch, made for its effect; what it returns holds only a handle its finalizer closes.
        if (how == "thrown away" && creation is IInvocationOperation { TargetMethod: { ContainingType: { } launcher } launch } &&
            KnownApis.CalledForTheirEffect.Contains(SymbolNames.MemberKey(launcher, launch.Name)))
        {
            return;
        }

        // `_ = new Context(site, stream)` whose constructor does `site.Switch(this)`: the site keeps it.
        if (creation is IObjectCreationOperation { Constructor: { } constructor } && model.Source.Of(constructor) is { StoresReceiverElsewhere: true })
        {
            return;
        }

        var isSubscription = creation is IInvocationOperation { TargetMethod: var method } && IsSubscribe(method, observable);
        if (isSubscription && SubscriptionKeepsNothing((IInvocationOperation)creation, model))
        {
            return;
        }

        // One root cause, one diagnostic: an Rx timer subscription whose callbacks capture something is the closure
        // family's timer cycle, which LEAK301 reports (Shared/TimerCycles).
        if (isSubscription && TimerCycles.ClosureFamilyOwnsSubscription((IInvocationOperation)creation, context.ContainingSymbol.ContainingType, context.Compilation, context.Options))
        {
            return;
        }

        var consequence = isSubscription
            ? "the subscription never ends and the source keeps the observer alive"
            : OwnershipModel.ConsequenceFor(value.Type);
        var what = $"'{Describe(creation)}'";
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LEAK002DisposableDropped,
            value.Syntax.GetLocation(),
            isSubscription || keeper is not null || model.WrapperOverBorrowed(creation, tables) == WrapperKind.Writer
                ? ImmutableDictionary<string, string?>.Empty
                : UsingFix,
            what,
            how,
            consequence));
    }

    /// <summary><c>TryOpen(out _)</c>: a call that fills an out parameter with a new owned value into a discard.</summary>
    private static void ReportDiscardedOutValues(OperationAnalysisContext context, IInvocationOperation call, OwnershipModel model)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { RefKind: RefKind.Out } parameter ||
                Operations.SkipConversions(argument.Value) is not (IDiscardOperation or IDeclarationExpressionOperation { Expression: IDiscardOperation }))
            {
                continue;
            }

            var tables = model.TablesFor(context.Options, call.Syntax.SyntaxTree);
            if (!model.WritesOwned(argument, tables))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK002DisposableDropped,
                argument.Syntax.GetLocation(),
                $"'out {parameter.Name}' of '{call.TargetMethod.Name}(...)'",
                "thrown away",
                OwnershipModel.ConsequenceFor(parameter.Type)));
        }
    }

    /// <summary>
    /// The receiver of an extension method seen only in metadata, whose result may be that receiver: judged like the
    /// receiver of an instance call (<c>new ActorSystem().WithRemote(config)</c>, a builder returning what it was given).
    /// </summary>
    private static bool MayReturnItsReceiver(IArgumentOperation argument) =>
        argument.Parameter is { Ordinal: 0 } &&
        argument.Parent is IInvocationOperation { TargetMethod.IsExtensionMethod: true } call &&
        !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingAssembly, argument.SemanticModel?.Compilation.Assembly) &&
        !CannotHoldReceiver(call.Type);

    /// <summary>
    /// <c>new Binding(name, File.OpenRead(p)).Alloc()</c> where the call stores the keeper elsewhere or roots it with
    /// <c>GCHandle.Alloc(this)</c>: the keeper is not dropped, it lives as long as what now holds it.
    /// </summary>
    private static bool IsRootedByItsCall(IOperation? consumer, IOperation keeper, OwnershipModel model) =>
        consumer is IInvocationOperation invocation && ReferenceEquals(invocation.Instance, keeper) &&
        model.Source.Of(invocation.TargetMethod) is { StoresReceiverElsewhere: true };

    /// <summary>
    /// <c>var chunk = new CodeWriter(new StreamWriter(stream)); ...; chunk.Flush();</c>: a writer over a stream the
    /// method does not own needs only a Flush, and a method of its keeper, called here on the local that holds the
    /// keeper, flushes the member the keeper's constructor stored it in.
    /// </summary>
    private static bool KeeperFlushesIt(IOperation? keeper, IArgumentOperation? keptAs, IOperation creation, OwnershipModel model, OwnershipTables tables)
    {
        if (keeper is not IObjectCreationOperation { Constructor: { } constructor, Type: { } keeperType } || keptAs?.Parameter is not { } parameter ||
            model.WrapperOverBorrowed(creation, tables) != WrapperKind.Writer)
        {
            return false;
        }

        // The keeper in a local, or in a member of this object (`this.chunk = new CodeWriter(...)`, flushed later in the
        // same method through the member's type, an interface perhaps).
        var local = Operations.AssignedLocal(keeper);
        var member = local is null && Operations.ParentSkippingConversions(keeper, out var stored) is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation } target } assignment &&
                     ReferenceEquals(assignment.Value, stored)
            ? target.Member
            : null;
        if (local is null && member is null)
        {
            return false;
        }

        foreach (var node in Operations.RootOf(keeper).Descendants())
        {
            if (node is not IInvocationOperation { Instance: { } instance } call ||
                !(Operations.SkipConversions(instance) switch
                {
                    ILocalReferenceOperation reference => local is not null && SymbolEqualityComparer.Default.Equals(reference.Local, local),
                    IMemberReferenceOperation { Instance: IInstanceReferenceOperation } reference => member is not null && SymbolEqualityComparer.Default.Equals(reference.Member, member),
                    _ => false,
                }))
            {
                continue;
            }

            var method = call.TargetMethod.ContainingType?.TypeKind == TypeKind.Interface &&
                         keeperType.FindImplementationForInterfaceMember(call.TargetMethod) is IMethodSymbol implementation
                ? implementation
                : call.TargetMethod;
            if (model.FlushesGivenMember(method, constructor, parameter.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEndOfTheKeeper(IOperation? consumer, IOperation keeper, OwnershipModel model) =>
        consumer switch
        {
            IExpressionStatementOperation or IUsingOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
            IInvocationOperation invocation when ReferenceEquals(invocation.Instance, keeper) =>
                model.ReleasesReceiver(invocation.TargetMethod) || CannotHoldReceiver(invocation.Type),
            IPropertyReferenceOperation read when ReferenceEquals(read.Instance, keeper) => CannotHoldReceiver(read.Type),
            _ => false,
        };

    private static readonly ImmutableDictionary<string, string?> UsingFix =
        ImmutableDictionary<string, string?>.Empty.Add(FixKey, "using");

    private static bool IsAwaitedDisposable(IOperation creation, OwnershipModel model) =>
        creation.Parent is IAwaitOperation awaited && model.IsDisposable(awaited.Type);

    /// <summary>
    /// A call on a fresh disposable drops it unless the call disposes it or returns something that may hold it:
    /// any class, interface or delegate may be the object itself (a fluent API), a wrapper or a child that keeps
    /// its parent (Serilog's <c>CreateLogger().ForContext(...)</c>). Only results that cannot hold it drop it:
    /// nothing, values (strings, numbers, structs, a <c>CancellationToken</c>), arrays of values, tasks of those.
    /// </summary>
    /// <remarks>
    /// A call that hands the object to its own end (<c>new SplashForm().Show()</c>: a form shown without a modal loop
    /// disposes itself when it closes) does not drop it.
    /// </remarks>
    private static bool IsDroppedReceiver(IMethodSymbol method, ITypeSymbol? result, ITypeSymbol? receiver, OwnershipModel model) =>
        !model.ReleasesReceiver(method) && !model.HandsItselfToItsClose(method, receiver) && CannotHoldReceiver(result);

    private static bool CannotHoldReceiver(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return false;
            case { SpecialType: SpecialType.System_Void or SpecialType.System_String }:
                return true;
            case IArrayTypeSymbol array:
                return array.ElementType.IsValueType || array.ElementType.SpecialType == SpecialType.System_String;
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task
                when task.ContainingNamespace.ToDisplayString() == "System.Threading.Tasks":
                return CannotHoldReceiver(task.TypeArguments[0]);
            case INamedTypeSymbol { Name: "Task" or "ValueTask", IsGenericType: false } plain
                when plain.ContainingNamespace.ToDisplayString() == "System.Threading.Tasks":
                return true;
            case INamedTypeSymbol { IsValueType: true } memory when KnownApis.ViewsOfTheirSource.Contains(SymbolNames.FullMetadataName(memory)):
                return false; // a Memory<T> made by a memory manager holds the manager
            default:
                return type.IsValueType && type.TypeKind != TypeKind.TypeParameter;
        }
    }

    private static bool IsSubscribe(IMethodSymbol method, INamedTypeSymbol? observable)
    {
        if (method.Name != "Subscribe")
        {
            return false;
        }

        var receiver = method.IsExtensionMethod && method.Parameters.Length > 0 ? method.Parameters[0].Type : method.ReceiverType;
        if (observable is null || receiver is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(receiver.OriginalDefinition, observable))
        {
            return true;
        }

        foreach (var @interface in receiver.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, observable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A dropped subscription that keeps nothing alive the caller would miss: its observer captures nothing (static
    /// or capture-free lambdas, static method groups, an observer built only from those), or its source is an
    /// object this code created and holds (a new local, a readonly field the type initialises with a new object),
    /// which the subscription cannot outlive, or a source that completes by itself (a one-shot timer, a task, a
    /// <c>Take(1)</c>), when Rx disposes the subscription. A dropped Subscribe(this) on an injected or static source still leaks.
    /// </summary>
    private static bool SubscriptionKeepsNothing(IInvocationOperation subscribe, OwnershipModel model)
    {
        var source = subscribe.TargetMethod.IsExtensionMethod && subscribe.Arguments.Length > 0 ? subscribe.Arguments[0].Value : subscribe.Instance;
        if (TimerCycles.CompletesOnItsOwn(source) || ThroughConverters(TimerCycles.SourceThroughOperators(source)) is { } root && (IsCreatedHere(root, model) || IsMadeFromThis(root) || IsDisposedByThisObject(root, model)))
        {
            return true;
        }

        if (!subscribe.TargetMethod.IsExtensionMethod && SourceImplementation(subscribe) is { Parameters.Length: 1 } implementation &&
            KeepsOnlyWeakly(implementation.OriginalDefinition, 0, model, depth: 0))
        {
            return true; // the source holds its observers through weak references: the dropped token keeps nothing.
        }

        foreach (var argument in subscribe.Arguments)
        {
            if (ReferenceEquals(argument.Value, source) || !CapturesAnything(argument.Value))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>The Subscribe that runs: the called method, or the source implementation of the receiver's concrete type.</summary>
    private static IMethodSymbol? SourceImplementation(IInvocationOperation subscribe)
    {
        var method = subscribe.TargetMethod;
        if (method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            if (Operations.SkipConversions(subscribe.Instance)?.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } receiver ||
                receiver.FindImplementationForInterfaceMember(method) is not IMethodSymbol implemented)
            {
                return null;
            }

            method = implemented;
        }

        return method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed && method.ContainingType?.IsSealed != true) ||
               method.DeclaringSyntaxReferences.Length == 0
            ? null
            : method;
    }

    /// <summary>
    /// Whether a source method keeps what its parameter <paramref name="ordinal"/> is given only through weak
    /// references: every use wraps it in a <c>WeakReference</c>, passes it to a source method (a collection of weak
    /// references' <c>Add</c>) that does, or is part of what the method returns (the undo token, which the caller dropped).
    /// </summary>
    private static bool KeepsOnlyWeakly(IMethodSymbol method, int ordinal, OwnershipModel model, int depth)
    {
        if (depth > 2 || model.Source.BodyOf(method) is not { } body)
        {
            return false;
        }

        var parameter = method.Parameters[ordinal];
        var weak = false;
        foreach (var operation in body.Descendants())
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                continue;
            }

            var consumer = Operations.ParentSkippingConversions(reference, out var outer);
            switch (consumer)
            {
                case IArgumentOperation { Parent: IObjectCreationOperation { Type: INamedTypeSymbol { Name: "WeakReference", ContainingNamespace.Name: "System" } } }:
                case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "SetTarget", ContainingType: { Name: "WeakReference", ContainingNamespace.Name: "System" } } } }:
                    weak = true;
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation call, Parameter: { } next } when
                    call.TargetMethod.DeclaringSyntaxReferences.Length > 0 && !call.TargetMethod.IsVirtual && !call.TargetMethod.IsAbstract:
                    if (!KeepsOnlyWeakly(call.TargetMethod.OriginalDefinition, next.Ordinal, model, depth + 1))
                    {
                        return false;
                    }

                    weak = true;
                    continue;
                case IArgumentOperation { Parent: IObjectCreationOperation token } when IsReturned(token):
                    continue;
                case IBinaryOperation or Microsoft.CodeAnalysis.FlowAnalysis.IIsNullOperation or IIsPatternOperation or INameOfOperation:
                    continue; // a null check
                default:
                    return false;
            }
        }

        return weak;
    }

    private static bool IsReturned(IOperation value)
    {
        var consumer = Operations.ParentSkippingConversions(value, out _);
        return consumer is IReturnOperation;
    }

    /// <summary>
    /// <c>convertBack(result).Subscribe(...)</c>: a converter delegate the caller passed in
    /// (<c>Func&lt;IObservable&lt;T&gt;, IObservable&lt;U&gt;&gt;</c>), given the chain, is taken as the operators it
    /// stands for; the chain is followed through it to its source.
    /// </summary>
    private static IOperation? ThroughConverters(IOperation? root)
    {
        for (var i = 0; i < 4 && root is IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke, Arguments.Length: 1 } convert &&
                            IsObservable(convert.Type) && IsObservable(convert.Arguments[0].Value.Type); i++)
        {
            root = TimerCycles.SourceThroughOperators(convert.Arguments[0].Value);
        }

        return root;

        static bool IsObservable(ITypeSymbol? type) =>
            type is INamedTypeSymbol { Name: "IObservable", TypeArguments.Length: 1, ContainingNamespace.Name: "System" };
    }

    /// <summary>
    /// A new object: made here, or by a source method that returns a new one (<c>var result = source.ToProperty();</c>,
    /// whose caller then owns what the subscription hangs on).
    /// </summary>
    private static bool IsCreatedHere(IOperation? source, OwnershipModel model) =>
        source switch
        {
            IObjectCreationOperation => true,
            ILocalReferenceOperation local => Operations.ValuesOfLocal(Root(local), local.Local) is { Count: > 0 } values &&
                                              values.All(v => Operations.SkipConversions(v) is IObjectCreationOperation ||
                                                              (Operations.SkipConversions(v) is IInvocationOperation call && model.Source.Of(call.TargetMethod) is { ReturnsNewObject: true })),
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: { IsReadOnly: true, DeclaredAccessibility: Accessibility.Private } field } =>
                field.DeclaringSyntaxReferences.Length == 1 &&
                field.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
                {
                    Initializer.Value: Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax,
                },
            _ => false,
        };

    /// <summary>
    /// A private member of this object that its type disposes (<c>logSource</c>, given to the constructor and disposed
    /// in <c>Dispose</c>): the subscription ends with the source, which ends with this object.
    /// </summary>
    private static bool IsDisposedByThisObject(IOperation root, OwnershipModel model) =>
        root is IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: IFieldSymbol or IPropertySymbol } member &&
        member.Member is { DeclaredAccessibility: Accessibility.Private, ContainingType: { DeclaringSyntaxReferences.Length: > 0 } owner } &&
        model.Source.TreatmentOf(owner, member.Member).Kind == MemberTreatmentKind.Disposed;

    /// <summary>
    /// An observable made from this object alone (<c>this.GetPropertyChangedObservable(P)</c>, <c>this.WhenAnyValue(..)</c>):
    /// the object's own events hold the subscription, so it cannot outlive the object.
    /// </summary>
    private static bool IsMadeFromThis(IOperation root) =>
        root is IInstanceReferenceOperation ||
        (root is IInvocationOperation { Arguments.Length: > 0 } call &&
         (call.TargetMethod.ReducedFrom ?? call.TargetMethod) is { IsExtensionMethod: true } extension &&
         Operations.SkipConversions(call.Arguments[0].Value) is IInstanceReferenceOperation &&
         TimerCycles.SubscribesOnlyToItsSource(extension));

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>Whether a value handed to Subscribe keeps anything of the caller alive.</summary>
    private static bool CapturesAnything(IOperation value)
    {
        value = Operations.SkipConversions(value)!;
        switch (value)
        {
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation function }:
                return !function.Symbol.IsStatic && Captures(function);
            case IDelegateCreationOperation { Target: IMethodReferenceOperation method }:
                return !method.Method.IsStatic;
            case IAnonymousFunctionOperation function:
                return !function.Symbol.IsStatic && Captures(function);
            case IObjectCreationOperation creation:
                return creation.Initializer is not null || creation.Arguments.Any(a => CapturesAnything(a.Value));
            case ILiteralOperation or IDefaultValueOperation:
                return false;
            default:
                return value.ConstantValue.HasValue ? false : true;
        }
    }

    private static bool Captures(IAnonymousFunctionOperation function)
    {
        foreach (var node in function.Body.DescendantsAndSelf())
        {
            switch (node)
            {
                case IInstanceReferenceOperation:
                    return true;
                case ILocalReferenceOperation local when !IsDeclaredInside(local.Local, function):
                    return true;
                case IParameterReferenceOperation parameter when !IsDeclaredInside(parameter.Parameter, function):
                    return true;
            }
        }

        return false;
    }

    private static bool IsDeclaredInside(ISymbol variable, IAnonymousFunctionOperation function)
    {
        for (var container = variable.ContainingSymbol; container is not null; container = container.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(container, function.Symbol))
            {
                return true;
            }

            if (container is INamedTypeSymbol)
            {
                return false;
            }
        }

        return false;
    }

    private static string CalleeName(IArgumentOperation argument) =>
        argument.Parameter?.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            ? "new " + constructor.ContainingType.Name
            : argument.Parameter?.ContainingSymbol.Name ?? "the callee";

    private static string Describe(IOperation creation) =>
        creation switch
        {
            IObjectCreationOperation or ITypeParameterObjectCreationOperation => "new " + creation.Type?.Name,
            IInvocationOperation invocation => (invocation.TargetMethod.IsStatic ? invocation.TargetMethod.ContainingType.Name + "." : string.Empty) + invocation.TargetMethod.Name + "(...)",
            IPropertyReferenceOperation property => property.Property.Name,
            _ => creation.Syntax.ToString(),
        };
}
