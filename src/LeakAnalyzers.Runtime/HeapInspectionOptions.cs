namespace LeakAnalyzers.Runtime;

using System;

/// <summary>How the heap of the current process is captured. The defaults suit a test run.</summary>
public sealed class HeapInspectionOptions
{
    /// <summary>The defaults: dumps in the system temporary folder, two minutes at most, a full collection first.</summary>
    public static HeapInspectionOptions Default { get; } = new();

    /// <summary>
    /// Where the temporary dump is written (a fresh sub-folder is created and always deleted).
    /// <see langword="null"/> means <see cref="System.IO.Path.GetTempPath"/>. A dump is larger than the heap: about 100 MB
    /// for a small program, about 250 MB for a 100 MB heap, about 1.3 GB for a 1 GB heap.
    /// </summary>
    public string? DumpDirectory { get; init; }

    /// <summary>How long writing the dump may take before the capture gives up with a <see cref="HeapInspectionException"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether to run full blocking collections (finalizers included) before the capture, so that the heap holds
    /// live objects only. On by default; turn it off only to look at garbage too.
    /// </summary>
    public bool CollectFirst { get; init; } = true;
}
