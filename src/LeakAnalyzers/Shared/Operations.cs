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
