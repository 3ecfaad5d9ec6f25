namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// One walk over a control-flow graph, shared by every variable a method tracks: for each block, the operations
/// that can matter to a tracked variable (references to locals, fields and properties, flow captures, simple
/// assignments, invocations), in evaluation order; and which blocks mention which symbol or capture. Without it
/// every tracked local re-walked the whole graph, and a method with a thousand disposable locals took seconds.
/// </summary>
internal sealed class FlowIndex
{
    private readonly Dictionary<ISymbol, List<int>> blocksBySymbol = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<CaptureId, List<int>> blocksByCapture = new();
    private readonly Dictionary<ISymbol, List<NodeAt>> nodesBySymbol = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<CaptureId, List<NodeAt>> nodesByCapture = new();
    private readonly Dictionary<ISymbol, List<IFlowCaptureOperation>> capturesOfSymbol = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<CaptureId, List<IFlowCaptureOperation>> capturesOfCapture = new();

    internal FlowIndex(ControlFlowGraph graph)
    {
        Graph = graph;
        var nodes = new List<Node>[graph.Blocks.Length];
        foreach (var block in graph.Blocks)
        {
            var list = new List<Node>();
            foreach (var operation in block.Operations)
            {
                Add(list, block.Ordinal, operation, isBranchValue: false);
            }

            if (block.BranchValue is { } branchValue)
            {
                Add(list, block.Ordinal, branchValue, isBranchValue: true);
            }

            nodes[block.Ordinal] = list;
        }

        Nodes = nodes;
    }

    internal ControlFlowGraph Graph { get; }

    /// <summary>Per block ordinal, the operations that can matter, children before parents.</summary>
    internal IReadOnlyList<Node>[] Nodes { get; }

    /// <summary>A relevant operation, with the statement-level operation (or branch value) it belongs to.</summary>
    internal readonly struct Node
    {
        internal Node(IOperation operation, IOperation root, bool inBranchValue)
        {
            Operation = operation;
            Root = root;
            InBranchValue = inBranchValue;
        }

        internal IOperation Operation { get; }

        internal IOperation Root { get; }

        internal bool InBranchValue { get; }
    }

    /// <summary>Where a node sits: its block and its position in that block's <see cref="Nodes"/>.</summary>
    internal readonly struct NodeAt
    {
        internal NodeAt(int block, int index)
        {
            Block = block;
            Index = index;
        }

        internal int Block { get; }

        internal int Index { get; }
    }

    /// <summary>
    /// The nodes that name <paramref name="symbol"/>: references to it and simple assignments to it, in graph order.
    /// A variable's analysis visits these instead of every node of the blocks it appears in, so its cost does not
    /// grow with the size of the blocks it shares with other variables.
    /// </summary>
    internal IReadOnlyList<NodeAt> NodesNaming(ISymbol symbol) =>
        nodesBySymbol.TryGetValue(symbol, out var nodes) ? nodes : (IReadOnlyList<NodeAt>)System.Array.Empty<NodeAt>();

    /// <summary>The nodes that define or read the flow capture.</summary>
    internal IReadOnlyList<NodeAt> NodesNaming(CaptureId capture) =>
        nodesByCapture.TryGetValue(capture, out var nodes) ? nodes : (IReadOnlyList<NodeAt>)System.Array.Empty<NodeAt>();

    internal IEnumerable<int> BlocksMentioning(ISymbol symbol) =>
        blocksBySymbol.TryGetValue(symbol, out var blocks) ? blocks : (IEnumerable<int>)System.Array.Empty<int>();

    internal IEnumerable<int> BlocksMentioning(CaptureId capture) =>
        blocksByCapture.TryGetValue(capture, out var blocks) ? blocks : (IEnumerable<int>)System.Array.Empty<int>();

    /// <summary>Flow captures whose value is a reference to <paramref name="symbol"/> (looked through conversions).</summary>
    internal IEnumerable<IFlowCaptureOperation> CapturesOf(ISymbol symbol) =>
        capturesOfSymbol.TryGetValue(symbol, out var captures) ? captures : (IEnumerable<IFlowCaptureOperation>)System.Array.Empty<IFlowCaptureOperation>();

    /// <summary>Flow captures whose value is a reference to another capture.</summary>
    internal IEnumerable<IFlowCaptureOperation> CapturesOf(CaptureId capture) =>
        capturesOfCapture.TryGetValue(capture, out var captures) ? captures : (IEnumerable<IFlowCaptureOperation>)System.Array.Empty<IFlowCaptureOperation>();

    private void Add(List<Node> list, int block, IOperation root, bool isBranchValue)
    {
        foreach (var operation in DisposalFlow.PostOrder(root))
        {
            var at = new NodeAt(block, list.Count);
            switch (operation)
            {
                case IFlowCaptureReferenceOperation captureReference:
                    Mention(blocksByCapture, captureReference.Id, block);
                    Remember(nodesByCapture, captureReference.Id, at);
                    break;
                case IFlowCaptureOperation capture:
                    Mention(blocksByCapture, capture.Id, block);
                    Remember(nodesByCapture, capture.Id, at);
                    var captured = Operations.SkipConversions(capture.Value);

                    // `using (x = new X())` captures the assignment: its value is the variable's new value.
                    if (captured is ISimpleAssignmentOperation capturedAssignment)
                    {
                        captured = capturedAssignment.Target;
                    }

                    if (Operations.ReferencedStorage(captured) is { } symbol)
                    {
                        Remember(capturesOfSymbol, symbol, capture);
                    }
                    else if (captured is IFlowCaptureReferenceOperation inner)
                    {
                        Remember(capturesOfCapture, inner.Id, capture);
                    }

                    break;
                case ISimpleAssignmentOperation assignment:
                    if (Operations.ReferencedStorage(assignment.Target) is { } target)
                    {
                        Remember(nodesBySymbol, target, at);
                    }

                    break;
                case IInvocationOperation:
                    break;
                default:
                    if (Operations.ReferencedStorage(operation) is not { } referenced)
                    {
                        continue;
                    }

                    Mention(blocksBySymbol, referenced, block);
                    Remember(nodesBySymbol, referenced, at);
                    break;
            }

            list.Add(new Node(operation, root, isBranchValue));
        }
    }

    private static void Mention<TKey>(Dictionary<TKey, List<int>> map, TKey key, int block)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var blocks))
        {
            map[key] = blocks = new List<int>();
        }

        if (blocks.Count == 0 || blocks[blocks.Count - 1] != block)
        {
            blocks.Add(block);
        }
    }

    private static void Remember<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var values))
        {
            map[key] = values = new List<TValue>();
        }

        values.Add(value);
    }
}
