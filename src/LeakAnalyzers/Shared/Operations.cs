namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
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

    internal static bool IsNullOrDefault(IOperation? operation)
    {
        operation = SkipConversions(operation);
        return operation is IDefaultValueOperation ||
               (operation is ILiteralOperation && operation.ConstantValue is { HasValue: true, Value: null });
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
    /// deconstruction, compound assignment).
    /// </summary>
    internal static IEnumerable<IOperation?> ValuesOfLocal(IOperation root, ILocalSymbol local)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (declarator.Parent is IForEachLoopOperation loop)
                    {
                        yield return loop;
                    }
                    else if (declarator.Parent?.Parent is IForEachLoopOperation outerLoop)
                    {
                        yield return outerLoop;
                    }
                    else if (declarator.GetVariableInitializer() is { } initializer)
                    {
                        yield return initializer.Value;
                    }

                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    yield return assignment.Value;
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation coalesced } when SymbolEqualityComparer.Default.Equals(coalesced.Local, local):
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } when SymbolEqualityComparer.Default.Equals(declared.Local, local):
                case IDeconstructionAssignmentOperation deconstruction when AssignsLocal(deconstruction.Target, local):
                    yield return null;
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation byRef } when SymbolEqualityComparer.Default.Equals(byRef.Local, local):
                    yield return null;
                    break;
                case IDeclarationPatternOperation pattern when SymbolEqualityComparer.Default.Equals(pattern.DeclaredSymbol, local):
                    yield return pattern.Parent is IIsPatternOperation isPattern ? isPattern.Value : null;
                    break;
            }
        }
    }

    private static bool AssignsLocal(IOperation target, ILocalSymbol local)
    {
        foreach (var node in target.DescendantsAndSelf())
        {
            if (node is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }
}
