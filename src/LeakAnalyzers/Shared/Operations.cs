namespace LeakAnalyzers.Shared;

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
}
