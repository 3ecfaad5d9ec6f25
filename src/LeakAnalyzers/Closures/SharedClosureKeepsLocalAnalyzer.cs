namespace LeakAnalyzers.Closures;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK302: the shared-closure trap. The compiler gives each scope one closure object holding every variable of that
/// scope that any lambda captures; a lambda kept by a long-lived place (a static field or collection, a timer in a static member,
/// a dropped registration on a token the type does not own, a wait never unregistered) keeps that object, and so also
/// the disposable or large variable that only another lambda of the scope captured. Points at the long-lived lambda,
/// with the other lambda and the variable's declaration as additional locations.
/// <para>
/// Deliberately narrow, so that every report is a certain sharing: both variables are locals declared directly in
/// the same block, or parameters and locals of the outermost block of the same method (which the compiler puts in one
/// closure). Other scope merges the compiler may do are not reported. Only locals that own something worth keeping count: disposables, arrays and collections.
/// </para>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SharedClosureKeepsLocalAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK302SharedClosureKeepsLocal);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var disposable = start.Compilation.GetSpecialType(SpecialType.System_IDisposable);
            var enumerable = start.Compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
            var token = start.Compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
            var timer = start.Compilation.GetTypeByMetadataName("System.Threading.Timer");
            var threadPool = start.Compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
            var model = LifetimeModel.Create(start.Compilation, Descriptors.LEAK302SharedClosureKeepsLocal.Id);
            var known = new Known(disposable, enumerable, token, timer, threadPool, model);
            start.RegisterOperationBlockAction(block =>
            {
                foreach (var root in block.OperationBlocks)
                {
                    Analyze(root, known, block);
                }
            });
        });
    }

    private sealed class Known
    {
        internal Known(INamedTypeSymbol disposable, INamedTypeSymbol enumerable, INamedTypeSymbol? token, INamedTypeSymbol? timer, INamedTypeSymbol? threadPool, LifetimeModel model)
        {
            Disposable = disposable;
            Enumerable = enumerable;
            Token = token;
            Timer = timer;
            ThreadPool = threadPool;
            Model = model;
        }

        internal INamedTypeSymbol Disposable { get; }

        internal INamedTypeSymbol Enumerable { get; }

        internal INamedTypeSymbol? Token { get; }

        internal INamedTypeSymbol? Timer { get; }

        internal INamedTypeSymbol? ThreadPool { get; }

        internal LifetimeModel Model { get; }
    }

    private static void Analyze(IOperation root, Known known, OperationBlockAnalysisContext context)
    {
        // Cheapest filter, from the text: room for two lambdas at all (most blocks have none).
        if (SourceNames.LambdasWithin(root.Syntax.SyntaxTree, root.Syntax.Span, context.CancellationToken) < 2)
        {
            return;
        }

        // Cheap filter: at least two lambdas that are not static.
        var lambdas = new List<IAnonymousFunctionOperation>();
        foreach (var operation in root.Descendants())
        {
            if (operation is IAnonymousFunctionOperation { Symbol.IsStatic: false } lambda)
            {
                lambdas.Add(lambda);
            }
        }

        if (lambdas.Count < 2)
        {
            return;
        }

        var captures = new Dictionary<IAnonymousFunctionOperation, HashSet<ISymbol>>();
        foreach (var lambda in lambdas)
        {
            captures[lambda] = Captured(lambda);
        }

        foreach (var longLived in lambdas)
        {
            var kept = captures[longLived];
            if (kept.Count == 0 || Place(longLived, known, context) is not { } place)
            {
                continue;
            }

            var scopes = new HashSet<object>();
            foreach (var symbol in kept)
            {
                if (ScopeOf(symbol) is { } scope)
                {
                    scopes.Add(scope);
                }
            }

            var keptAnyway = ScopesKeptThroughAPublisher(longLived, kept, lambdas, captures);

            // One diagnostic per long-lived lambda, naming the retained variable declared first.
            (ISymbol Variable, IAnonymousFunctionOperation Other)? first = null;
            foreach (var other in lambdas)
            {
                if (other == longLived || KeptAsLong(other, place, known, context))
                {
                    continue;
                }

                foreach (var variable in captures[other])
                {
                    if (kept.Contains(variable) ||
                        ScopeOf(variable) is not { } scope || !scopes.Contains(scope) ||
                        !OwnsSomething(VariableType(variable), known) ||
                        keptAnyway.Contains(scope) ||
                        ReachedThroughItsOwnCaptures(variable, kept, root))
                    {
                        continue;
                    }

                    if (first is not { } current || Position(variable) < Position(current.Variable))
                    {
                        first = (variable, other);
                    }
                }
            }

            if (first is not { } found)
            {
                continue;
            }

            var additional = new List<Location> { found.Other.Syntax.GetLocation() };
            if (found.Variable.Locations.Length > 0 && found.Variable.Locations[0].IsInSource)
            {
                additional.Add(found.Variable.Locations[0]);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK302SharedClosureKeepsLocal,
                longLived.Syntax.GetLocation(),
                additional,
                longLived.Syntax is AnonymousMethodExpressionSyntax ? "An anonymous method" : "A lambda",
                place.Phrase,
                found.Variable.Name,
                place.Until));
        }
    }

    /// <summary>
    /// <c>var controller = new Controller(engine); port.Handler = data =&gt; controller.Enqueue(data);</c>: the
    /// long-lived lambda already reaches <paramref name="variable"/> through a local it captures, which was made with
    /// it; sharing the closure keeps nothing more alive.
    /// </summary>
    private static bool ReachedThroughItsOwnCaptures(ISymbol variable, HashSet<ISymbol> kept, IOperation root)
    {
        foreach (var symbol in kept)
        {
            if (symbol is not ILocalSymbol local)
            {
                continue;
            }

            var values = Operations.ValuesOfLocal(root, local);
            if (values.Count > 0 && values.All(value => Operations.SkipConversions(value) is IObjectCreationOperation creation &&
                                                        creation.Arguments.Any(argument => Refers(argument.Value, variable))))
            {
                return true;
            }
        }

        return false;

        static bool Refers(IOperation value, ISymbol variable) =>
            Operations.SkipConversions(value) switch
            {
                ILocalReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Local, variable),
                IParameterReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, variable),
                _ => false,
            };
    }

    /// <summary>
    /// <c>list.Add(() =&gt; source.IsBusy); source.Changed += (s, e) =&gt; update();</c>: the long-lived lambda captures
    /// <c>source</c>, and another lambda of the same closure is added to an event of <c>source</c>. The publisher the
    /// long-lived lambda keeps holds that closure already; sharing it keeps nothing more alive. The scopes (closures)
    /// kept that way.
    /// </summary>
    private static HashSet<object> ScopesKeptThroughAPublisher(
        IAnonymousFunctionOperation longLived, HashSet<ISymbol> kept, List<IAnonymousFunctionOperation> lambdas,
        Dictionary<IAnonymousFunctionOperation, HashSet<ISymbol>> captures)
    {
        var scopes = new HashSet<object>();
        foreach (var handler in lambdas)
        {
            if (handler == longLived)
            {
                continue;
            }

            IOperation current = handler;
            while (current.Parent is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation)
            {
                current = current.Parent;
            }

            if (current.Parent is not IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Instance: { } instance } } subscription ||
                !ReferenceEquals(subscription.HandlerValue, current) ||
                Operations.SkipConversions(instance) switch
                {
                    ILocalReferenceOperation local => !kept.Contains(local.Local),
                    IParameterReferenceOperation parameter => !kept.Contains(parameter.Parameter),
                    _ => true,
                })
            {
                continue;
            }

            foreach (var variable in captures[handler])
            {
                if (ScopeOf(variable) is { } scope)
                {
                    scopes.Add(scope);
                }
            }
        }

        return scopes;
    }

    /// <summary>
    /// <c>GroupKeyGetter = row => ...; GroupFormatter = g => images[...];</c>: the lambda that uses the variable is kept
    /// itself, by a place that lives at least as long as the long-lived lambda's (a static one, or a member of the
    /// same object): the variable lives that long anyway, and sharing the closure keeps it no longer.
    /// </summary>
    private static bool KeptAsLong(IAnonymousFunctionOperation other, (string Phrase, string Until) place, Known known, OperationBlockAnalysisContext context) =>
        Place(other, known, context) is { } otherPlace &&
        (otherPlace.Until == UntilTheProcessEnds ||

         // "as long as this 'Column' lives", "as long as 'options' lives": the phrase names the one object both are
         // members of. Token registrations, timers and waits share a phrase across different holders: not compared.
         (otherPlace.Until == place.Until && place.Until.StartsWith("as long as ", System.StringComparison.Ordinal)));

    private const string UntilTheProcessEnds = "until the process ends";

    private static int Position(ISymbol symbol) =>
        symbol.Locations.Length > 0 ? symbol.Locations[0].SourceSpan.Start : int.MaxValue;

    /// <summary>Where a lambda is kept, when that place outlives the method; null otherwise.</summary>
    private static (string Phrase, string Until)? Place(IAnonymousFunctionOperation lambda, Known known, OperationBlockAnalysisContext context)
    {
        IOperation current = lambda;
        var parent = current.Parent;
        while (parent is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        LifetimeSettings Settings() => known.Model.SettingsFor(context.Options, lambda.Syntax.SyntaxTree);

        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Value == current:
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound when compound.Value == current:
                var target = parent is ISimpleAssignmentOperation simple ? simple.Target : ((ICompoundAssignmentOperation)parent).Target;
                if (target is IEventReferenceOperation or ILocalReferenceOperation)
                {
                    return null;
                }

                var lifetime = known.Model.Classify(target, null, Settings());
                return lifetime.Lifetime == Lifetime.Static
                    ? (LifetimeModel.DescribePlace(StaticMemberName(target), lifetime), UntilTheProcessEnds)
                    : MemberOfAnOutlivingObject(target, lambda);
            case IArgumentOperation { Parent: IInvocationOperation invocation } argument:
                return Invoked(invocation, known, Settings()) ?? Passed(argument, invocation, lambda, known, context);
            case IArgumentOperation { Parent: IObjectCreationOperation creation } when
                known.Timer is not null && SymbolEqualityComparer.Default.Equals(creation.Type, known.Timer) &&
                Operations.ParentSkippingConversions(creation, out _) is ISimpleAssignmentOperation { Target: var timerTarget } &&
                StaticMemberName(timerTarget) is { } timerMember:
                // A dropped timer is collected and stopped by its finalizer; one in a static member runs until disposed.
                return ("the static timer '" + timerMember + "'", "until the timer is disposed");
            default:
                return null;
        }
    }

    private static (string Phrase, string Until)? Invoked(IInvocationOperation invocation, Known known, LifetimeSettings settings)
    {
        var method = invocation.TargetMethod;
        if (known.Token is not null && method.Name is "Register" or "UnsafeRegister" &&
            SymbolEqualityComparer.Default.Equals(method.ContainingType, known.Token))
        {
            var lifetime = known.Model.Classify(invocation.Instance, null, settings);
            return LifetimeModel.TokenRegistrationsMayOutliveSubject(lifetime, settings) && IsDropped(invocation)
                ? ("a dropped registration", "until the token's source is cancelled or disposed")
                : null;
        }

        if (known.ThreadPool is not null && method.Name is "RegisterWaitForSingleObject" or "UnsafeRegisterWaitForSingleObject" &&
            SymbolEqualityComparer.Default.Equals(method.ContainingType, known.ThreadPool))
        {
            return IsDropped(invocation) ? ("a wait that is never unregistered", "until the wait is unregistered") : null;
        }

        return null;
    }

    /// <summary>
    /// A lambda given to a call that keeps it (the shared <see cref="DelegateFates"/>): a source method that keeps it in
    /// a static place, or a method (a framework collection's Add, a source method) that keeps it in its receiver, when
    /// that receiver is static, this object, or an object given to the method.
    /// </summary>
    private static (string Phrase, string Until)? Passed(IArgumentOperation argument, IInvocationOperation invocation, IAnonymousFunctionOperation lambda, Known known, OperationBlockAnalysisContext context)
    {
        if (DelegateFates.ReturnsAnUndo(invocation.TargetMethod))
        {
            return null;
        }

        var fate = DelegateFates.For(context.Compilation).OfArgument(argument, context.Options);
        switch (fate.Kind)
        {
            case DelegateFateKind.KeptLongLived when fate.Holder is { } holder:
                return (LifetimeModel.DescribePlace(holder.ContainingType?.Name + "." + holder.Name, fate.Lifetime), UntilTheProcessEnds);
            case DelegateFateKind.KeptByReceiver when invocation.Instance is { } instance:
                var settings = known.Model.SettingsFor(context.Options, lambda.Syntax.SyntaxTree);
                var lifetime = known.Model.Classify(instance, null, settings);
                if (lifetime.Lifetime == Lifetime.Static && (fate.Holder is null || !DelegateFates.For(context.Compilation).IsCleared(DelegateFates.HolderOf(instance))))
                {
                    return (LifetimeModel.DescribePlace(StaticMemberName(instance), lifetime, collection: fate.Holder is null), UntilTheProcessEnds);
                }

                return Operations.SkipConversions(instance) is IInstanceReferenceOperation
                    ? null // a method of this object keeps it in this object: whether that outlives the method is the method's business
                    : MemberOfAnOutlivingObject(instance, lambda);
            default:
                return null;
        }
    }

    /// <summary>
    /// A field or property (or an element of one) of an object that outlives the method: this object
    /// (<c>this.onDone = ...</c>, <c>pending.Add(...)</c>) or an object given to the method (<c>options.OnDone = ...</c>).
    /// </summary>
    private static (string Phrase, string Until)? MemberOfAnOutlivingObject(IOperation target, IAnonymousFunctionOperation lambda)
    {
        var stored = Operations.SkipConversions(target);
        while (stored is IPropertyReferenceOperation { Arguments.Length: > 0 } indexer)
        {
            stored = Operations.SkipConversions(indexer.Instance);
        }

        var (member, instance) = stored switch
        {
            IFieldReferenceOperation { Field.IsStatic: false } field => ((ISymbol)field.Field, field.Instance),
            IPropertyReferenceOperation { Property.IsStatic: false, Arguments.Length: 0 } property => (property.Property, property.Instance),
            _ => (null, null),
        };

        switch (Operations.SkipConversions(instance))
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } when member?.ContainingType is { } owner:
                return ("'" + member.Name + "'", "as long as this '" + owner.Name + "' lives");
            case IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LambdaMethod or MethodKind.LocalFunction) } } parameter }
                when member is not null && !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, lambda.Symbol):
                return ("'" + parameter.Name + "." + member.Name + "'", "as long as '" + parameter.Name + "' lives");
            default:
                return null;
        }
    }

    /// <summary><c>Type.Member</c> when <paramref name="target"/> names a static field or property; null otherwise.</summary>
    private static string? StaticMemberName(IOperation target) =>
        Operations.ReferencedStorage(Operations.SkipConversions(target)) is { IsStatic: true, ContainingType: { } type } member
            ? type.Name + "." + member.Name
            : null;

    private static bool IsDropped(IOperation operation)
    {
        var parent = Operations.ParentSkippingConversions(operation, out _);
        return parent is IExpressionStatementOperation || parent is ISimpleAssignmentOperation { Target: IDiscardOperation };
    }

    /// <summary>Locals and parameters used in the lambda (nested lambdas included) and declared outside it.</summary>
    internal static HashSet<ISymbol> Captured(IAnonymousFunctionOperation lambda)
    {
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var node in lambda.Body.Descendants())
        {
            ISymbol? symbol = node switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };

            if (symbol is not null && !DeclaredInside(symbol, lambda.Syntax))
            {
                result.Add(symbol);
            }
        }

        return result;
    }

    private static bool DeclaredInside(ISymbol symbol, SyntaxNode scope)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource && location.SourceTree == scope.SyntaxTree && scope.Span.Contains(location.SourceSpan))
            {
                return true;
            }
        }

        return symbol.Locations.IsEmpty || !symbol.Locations[0].IsInSource;
    }

    /// <summary>
    /// The closure scope of a variable, when it is certain: the block that declares a local directly
    /// (<c>var x = ...;</c> as a statement of the block), or the method whose parameter it is. Null otherwise.
    /// </summary>
    private static object? ScopeOf(ISymbol symbol)
    {
        switch (symbol)
        {
            case IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LambdaMethod) } method }:
                return method;
            case ILocalSymbol local when local.DeclaringSyntaxReferences.Length == 1:
                var declarator = local.DeclaringSyntaxReferences[0].GetSyntax();
                if (declarator is not VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax block } } })
                {
                    return null;
                }

                // The compiler puts a method's parameters and the locals of its outermost block in one closure.
                return block.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax && local.ContainingSymbol is IMethodSymbol owner
                    ? owner
                    : block;
            default:
                return null;
        }
    }

    private static ITypeSymbol? VariableType(ISymbol symbol) =>
        symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };

    /// <summary>Disposables, arrays and collections: what is worth keeping alive; strings are not collections here.</summary>
    private static bool OwnsSomething(ITypeSymbol? type, Known known)
    {
        if (type is null || type.SpecialType == SpecialType.System_String || type.TypeKind == TypeKind.Error)
        {
            return false;
        }

        if (type is IArrayTypeSymbol)
        {
            return true;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface, known.Disposable) || SymbolEqualityComparer.Default.Equals(@interface, known.Enumerable))
            {
                return true;
            }
        }

        return SymbolEqualityComparer.Default.Equals(type, known.Disposable);
    }
}
