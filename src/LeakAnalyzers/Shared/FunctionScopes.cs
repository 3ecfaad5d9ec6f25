namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Lambdas and local functions in an operation block: which function an operation belongs to, which locals a
/// nested function captures, and the control-flow graphs of the nested functions.
/// </summary>
internal static class FunctionScopes
{
    /// <summary>The nearest lambda or local function around <paramref name="operation"/>, or null in the member body.</summary>
    internal static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>True when the reference is inside a lambda or local function that did not declare the local.</summary>
    internal static bool IsCapturedHere(ILocalReferenceOperation reference)
    {
        var function = EnclosingFunction(reference);
        if (function is null)
        {
            return false;
        }

        var functionSymbol = function switch
        {
            IAnonymousFunctionOperation anonymous => anonymous.Symbol,
            ILocalFunctionOperation localFunction => localFunction.Symbol,
            _ => null,
        };
        return !SymbolEqualityComparer.Default.Equals(reference.Local.ContainingSymbol, functionSymbol);
    }

    /// <summary>The graph of the block and, when <paramref name="withNested"/>, the graphs of its lambdas and local functions.</summary>
    internal static IEnumerable<ControlFlowGraph> Graphs(ControlFlowGraph root, bool withNested)
    {
        yield return root;
        if (!withNested)
        {
            yield break;
        }

        var pending = new Stack<ControlFlowGraph>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var graph = pending.Pop();
            foreach (var localFunction in graph.LocalFunctions)
            {
                var nested = graph.GetLocalFunctionControlFlowGraph(localFunction);
                pending.Push(nested);
                yield return nested;
            }

            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    foreach (var function in FlowFunctions(operation))
                    {
                        var nested = graph.GetAnonymousFunctionControlFlowGraph(function);
                        pending.Push(nested);
                        yield return nested;
                    }
                }

                if (block.BranchValue is { } branchValue)
                {
                    foreach (var function in FlowFunctions(branchValue))
                    {
                        var nested = graph.GetAnonymousFunctionControlFlowGraph(function);
                        pending.Push(nested);
                        yield return nested;
                    }
                }
            }
        }
    }

    /// <summary>The graph of the lambda <paramref name="lambda"/> nested (at any depth) in <paramref name="root"/>; null when not found.</summary>
    internal static ControlFlowGraph? GraphOf(ControlFlowGraph root, IMethodSymbol lambda)
    {
        var pending = new Stack<ControlFlowGraph>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var graph = pending.Pop();
            foreach (var localFunction in graph.LocalFunctions)
            {
                pending.Push(graph.GetLocalFunctionControlFlowGraph(localFunction));
            }

            foreach (var block in graph.Blocks)
            {
                var operations = block.BranchValue is { } branch ? block.Operations.Add(branch) : block.Operations;
                foreach (var operation in operations)
                {
                    foreach (var function in FlowFunctions(operation))
                    {
                        var nested = graph.GetAnonymousFunctionControlFlowGraph(function);
                        if (SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
                        {
                            return nested;
                        }

                        pending.Push(nested);
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<IFlowAnonymousFunctionOperation> FlowFunctions(IOperation operation)
    {
        foreach (var node in DisposalFlow.PostOrder(operation))
        {
            if (node is IFlowAnonymousFunctionOperation function)
            {
                yield return function;
            }
        }
    }
}
