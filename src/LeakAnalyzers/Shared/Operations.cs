namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>Small helpers over IOperation shared by every family.</summary>
internal static class Operations
{
    internal static IOperation? SkipConversions(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The local, field or property a reference names (whatever its instance); null for anything else.</summary>
    internal static ISymbol? ReferencedStorage(IOperation? operation) =>
        operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

    /// <summary>
    /// Whether a value of <paramref name="type"/> can be passed where <paramref name="target"/> is expected by a
    /// reference conversion: the same type, a base type, an interface it implements, or <c>object</c>.
    /// </summary>
    internal static bool IsAssignableTo(ITypeSymbol type, ITypeSymbol target)
    {
        if (target.SpecialType == SpecialType.System_Object)
        {
            return true;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, target))
            {
                return true;
            }
        }

        return target.TypeKind == TypeKind.Interface && System.Linq.Enumerable.Contains(type.AllInterfaces, (INamedTypeSymbol)target, SymbolEqualityComparer.Default);
    }

    /// <summary>The local a value is stored in by its declaration (<c>var x = value;</c>) or a plain assignment (<c>x = value;</c>).</summary>
    internal static ILocalSymbol? AssignedLocal(IOperation value)
    {
        var current = value;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when ReferenceEquals(assignment.Value, current) => target.Local,
            _ => null,
        };
    }

    /// <summary>A property with a compiler-generated backing field (<c>public int Kind { get; set; }</c>).</summary>
    internal static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsNullOrDefault(IOperation? operation)
    {
        operation = SkipConversions(operation);
        return operation is IDefaultValueOperation ||
               (operation is ILiteralOperation && operation.ConstantValue is { HasValue: true, Value: null });
    }

    /// <summary>
    /// An instance call on a receiver of a reference type that is null there: a <c>null</c> or <c>default</c>
    /// literal, or a local whose every value is one (<c>Image&lt;T&gt; img = default; img.CloneAs&lt;X&gt;()</c>, the
    /// generic seeds written for an AOT compiler and never run). It throws before it returns anything.
    /// </summary>
    internal static bool IsNullReceiver(IInvocationOperation invocation)
    {
        var receiver = invocation.Instance;
        if (receiver is null || receiver.Type is not { IsReferenceType: true } || invocation.TargetMethod.IsStatic)
        {
            return false;
        }

        while (receiver is IConversionOperation { Operand: var operand })
        {
            receiver = operand; // `((Converter<T>)null).Get()`: the cast changes nothing.
        }

        if (IsNullOrDefault(receiver))
        {
            return true;
        }

        // Cheap gate before the walk of the body: the local is declared with a null or default initializer.
        if (receiver is not ILocalReferenceOperation local || local.Local.DeclaringSyntaxReferences.Length != 1 ||
            local.Local.DeclaringSyntaxReferences[0].GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
            {
                Initializer.Value: Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.DefaultExpressionSyntax,
            })
        {
            return false;
        }

        var values = ValuesOfLocal(RootOf(receiver), local.Local);
        return values.Count > 0 && values.All(value => value is not null and not IForEachLoopOperation && IsNullOrDefault(value));
    }

    /// <summary>
    /// Null or default, or a zero pointer: <c>IntPtr.Zero</c>, <c>UIntPtr.Zero</c>, a constant 0 (<c>(nint)0</c>,
    /// <c>(void*)0</c>). What "holds nothing" means for a local that holds an object or a pointer.
    /// </summary>
    internal static bool IsNullOrZero(IOperation? operation)
    {
        operation = SkipConversions(operation);
        if (IsNullOrDefault(operation))
        {
            return true;
        }

        switch (operation)
        {
            case IFieldReferenceOperation { Field: { IsStatic: true, Name: "Zero" } field }
                when field.ContainingType.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr:
                return true;
            case { ConstantValue: { HasValue: true, Value: { } value } }:
                return value switch
                {
                    int i => i == 0,
                    long l => l == 0,
                    uint u => u == 0,
                    ulong ul => ul == 0,
                    _ => false,
                };
            default:
                return false;
        }
    }

    /// <summary>T for Task&lt;T&gt; and ValueTask&lt;T&gt;; null for anything else.</summary>
    internal static ITypeSymbol? AwaitedType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task &&
        task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
            ? task.TypeArguments[0]
            : null;

    /// <summary>
    /// The call an await (or a blocking wait) waits for, looking through <c>.ConfigureAwait(...)</c>:
    /// <c>await M().ConfigureAwait(false)</c> waits for <c>M()</c>.
    /// </summary>
    internal static IInvocationOperation? AwaitedCall(IOperation? awaited)
    {
        var call = SkipConversions(awaited) as IInvocationOperation;
        while (call is { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
        {
            call = SkipConversions(instance) as IInvocationOperation;
        }

        return call;
    }

    /// <summary><c>task.GetAwaiter().GetResult()</c>, with the task.</summary>
    internal static bool IsGetResult(IInvocationOperation invocation, out IOperation? task)
    {
        task = null;
        if (invocation.TargetMethod.Name == "GetResult" && invocation.Arguments.Length == 0 &&
            SkipConversions(invocation.Instance) is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaitable })
        {
            task = awaitable;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="operation"/> (an assignment) is the resource of a using statement,
    /// <c>using (Member = Open()) { ... }</c>: the using keeps its own reference to the value and disposes it at the
    /// end of the block, whatever the assigned variable holds by then. Read from syntax, so it holds in a control-flow
    /// graph too, where the using is lowered.
    /// </summary>
    internal static bool IsUsingResource(IOperation operation) =>
        operation.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.UsingStatementSyntax { Expression: { } resource } && resource == operation.Syntax;

    /// <summary>The operation's parent, looking through conversions and parentheses.</summary>
    internal static IOperation? ParentSkippingConversions(IOperation operation, out IOperation child)
    {
        child = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>
    /// The values assigned to <paramref name="local"/> within <paramref name="root"/> (its method's body): initializers,
    /// assignments, the tested value of a declaration pattern, and the <see cref="IForEachLoopOperation"/> itself for a
    /// foreach variable (its values are the collection's elements); null for a value that cannot be told (out,
    /// deconstruction, compound assignment, increment). The root is walked once, whatever the number of locals asked about, and
    /// the index is shared by every analyzer that sees the same tree.
    /// </summary>
    internal static IReadOnlyList<IOperation?> ValuesOfLocal(IOperation root, ILocalSymbol local) =>
        LocalValueIndexes.GetValue(root, BuildLocalValueIndex).TryGetValue(local, out var values) ? values : NoValues;

    private static readonly IReadOnlyList<IOperation?> NoValues = new IOperation?[0];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOperation, Dictionary<ILocalSymbol, List<IOperation?>>> LocalValueIndexes = new();

    private static Dictionary<ILocalSymbol, List<IOperation?>> BuildLocalValueIndex(IOperation root)
    {
        var index = new Dictionary<ILocalSymbol, List<IOperation?>>(SymbolEqualityComparer.Default);
        void Add(ILocalSymbol local, IOperation? value)
        {
            if (!index.TryGetValue(local, out var values))
            {
                values = new List<IOperation?>();
                index.Add(local, values);
            }

            values.Add(value);
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    if (declarator.Parent is IForEachLoopOperation loop)
                    {
                        Add(declarator.Symbol, loop);
                    }
                    else if (declarator.Parent?.Parent is IForEachLoopOperation outerLoop)
                    {
                        Add(declarator.Symbol, outerLoop);
                    }
                    else if (declarator.GetVariableInitializer() is { } initializer)
                    {
                        Add(declarator.Symbol, initializer.Value);
                    }

                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                    Add(target.Local, assignment.Value);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target }:
                    Add(target.Local, null);
                    break;
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation coalesced }:
                    Add(coalesced.Local, null);
                    break;
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation incremented }:
                    Add(incremented.Local, null);
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }:
                    Add(declared.Local, null);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var node in deconstruction.Target.DescendantsAndSelf())
                    {
                        if (node is ILocalReferenceOperation deconstructed)
                        {
                            Add(deconstructed.Local, null);
                        }
                    }

                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation byRef }:
                    Add(byRef.Local, null);
                    break;
                case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol patternLocal } pattern:
                    // `x is Stream s`, and through `not`, `and`, `or` (`x is not Stream s || ...`): s is the tested value.
                    IOperation? tested = pattern.Parent;
                    while (tested is INegatedPatternOperation or IBinaryPatternOperation)
                    {
                        tested = tested.Parent;
                    }

                    // `switch (x) { case Stream s: ... }`, `x switch { Stream s => ... }`: s is the switched value.
                    Add(patternLocal, tested switch
                    {
                        IIsPatternOperation isPattern => isPattern.Value,
                        IPatternCaseClauseOperation { Parent: ISwitchCaseOperation { Parent: ISwitchOperation switched } } => switched.Value,
                        ISwitchExpressionArmOperation { Parent: ISwitchExpressionOperation switchedExpression } => switchedExpression.Value,
                        _ => null,
                    });
                    break;
            }
        }

        return index;
    }

    /// <summary>The root of the operation tree <paramref name="operation"/> belongs to (its method's body).</summary>
    internal static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The references to <paramref name="local"/> in <paramref name="root"/>, from the shared per-kind index.</summary>
    internal static IEnumerable<ILocalReferenceOperation> ReferencesTo(IOperation root, ILocalSymbol local)
    {
        foreach (var operation in OfKinds(root, LocalReferenceKind))
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                yield return reference;
            }
        }
    }

    private static readonly ImmutableArray<OperationKind> LocalReferenceKind = ImmutableArray.Create(OperationKind.LocalReference);

    /// <summary>A variable declared by a <c>using</c> statement or declaration: the using disposes what it holds.</summary>
    internal static bool IsUsingDeclarator(IVariableDeclaratorOperation declarator) =>
        declarator.Parent is IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation { Parent: IUsingOperation or IUsingDeclarationOperation } or IUsingOperation };

    /// <summary>
    /// The operations of <paramref name="root"/> whose kind is in <paramref name="kinds"/>, in tree order; computed once
    /// per tree and kind set and shared by every analyzer that sees the same tree.
    /// </summary>
    internal static ImmutableArray<IOperation> OfKinds(IOperation root, ImmutableArray<OperationKind> kinds)
    {
        var byKinds = OperationsByKinds.GetValue(root, _ => new System.Collections.Concurrent.ConcurrentDictionary<ImmutableArray<OperationKind>, ImmutableArray<IOperation>>());
        return byKinds.GetOrAdd(kinds, k =>
        {
            var builder = ImmutableArray.CreateBuilder<IOperation>();
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (k.Contains(operation.Kind))
                {
                    builder.Add(operation);
                }
            }

            return builder.ToImmutable();
        });
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOperation, System.Collections.Concurrent.ConcurrentDictionary<ImmutableArray<OperationKind>, ImmutableArray<IOperation>>> OperationsByKinds = new();
}
