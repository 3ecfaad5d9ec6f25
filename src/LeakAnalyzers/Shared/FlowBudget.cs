namespace LeakAnalyzers.Shared;

/// <summary>
/// How much code one control-flow graph may cover. Roslyn's graph builder grows faster than the body it is given
/// (measured with benchmarks/LeakAnalyzers.Benchmarks: about 0.2 s for a body of 24,000 operations, 2.3 s for
/// 96,000, 11 s for 240,000), so bodies beyond this size are analysed without a graph: only what no path
/// releases is reported. Hand-written methods never come near it; generated ones are skipped anyway.
/// </summary>
internal static class FlowBudget
{
    /// <summary>The most operations (IOperation nodes) a body may have to get a control-flow graph.</summary>
    internal const int MaxOperations = 30_000;
}
