namespace LeakAnalyzers.Runtime.Tests.Fixtures.Snapshots;

using System.Collections.Generic;

// Types of their own namespace, so that a namespace filter sees exactly what the snapshot tests create.

public sealed class Sample
{
    public long A;
    public long B;
}

public sealed class Other
{
    public object? Link;
}

public static class SampleStore
{
    public static readonly List<Sample> Samples = new();
    public static readonly List<Other> Others = new();
    public static readonly Dictionary<string, Other> ByName = new();
}
