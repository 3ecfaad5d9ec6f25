namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;

/// <summary>What kind of GC root a retention path starts from.</summary>
public enum RootKind
{
    /// <summary>A static field (on .NET 9+ the runtime stores statics in arrays; the field is named here instead).</summary>
    StaticField,

    /// <summary>A <c>[ThreadStatic]</c> field of a thread: it lives as long as the thread.</summary>
    ThreadStaticField,

    /// <summary>A strong GC handle: <c>GCHandle.Alloc</c>, or the runtime's own handles.</summary>
    StrongHandle,

    /// <summary>A pinned handle (pinned buffers, overlapped I/O).</summary>
    PinnedHandle,

    /// <summary>A local variable or argument on another thread's stack.</summary>
    ThreadStack,

    /// <summary>The finalizer queue: the object (or one that references it) waits for its finalizer to run.</summary>
    FinalizerQueue,

    /// <summary>A local on the stack of the thread that asked: the caller's own reference, which is not a leak.</summary>
    CallingThreadStack,
}

/// <summary>
/// The chain of references from a GC root to an object: why the object is still alive. Printable as text
/// (<see cref="ToString"/>) and as Graphviz DOT (<see cref="ToDot()"/>), and names the analyzer family it confirms.
/// </summary>
/// <example><code>
/// RetentionPath? path = RetentionPath.Find(viewModel);
/// Console.WriteLine(path);          // static EventBus.Changed (event) → EventHandler → ... → ViewModel
/// File.WriteAllText("path.dot", path!.ToDot());
/// </code></example>
public sealed class RetentionPath
{
    internal RetentionPath(RootKind rootKind, string root, IReadOnlyList<RetentionStep> steps, LeakFamily family, string reason)
    {
        RootKind = rootKind;
        Root = root;
        Steps = steps;
        Family = family;
        Reason = reason;
    }

    /// <summary>The kind of root the path starts from.</summary>
    public RootKind RootKind { get; }

    /// <summary>The root as a person reads it, for example <c>static EventBus.Changed (event)</c>.</summary>
    public string Root { get; }

    /// <summary>The objects from the one the root holds (first) to the retained object (last).</summary>
    public IReadOnlyList<RetentionStep> Steps { get; }

    /// <summary>The retained object: the last step.</summary>
    public RetentionStep Target => Steps[Steps.Count - 1];

    /// <summary>The analyzer family this path confirms, or <see cref="LeakFamily.None"/>.</summary>
    public LeakFamily Family { get; }

    /// <summary>Why the path was given its family, in one sentence.</summary>
    public string Reason { get; }

    /// <summary>Whether only the caller's own reference keeps the object alive (no leak).</summary>
    public bool IsCallerReferenceOnly => RootKind == RootKind.CallingThreadStack;

    /// <summary>
    /// Finds what keeps <paramref name="target"/> alive, by capturing the heap of this process. References held by the
    /// calling thread (the caller's own variables) are considered last, so a path from a static field, a handle, another
    /// thread or the finalizer queue is preferred when one exists.
    /// </summary>
    /// <param name="target">The object; a boxed value has no identity and is rejected.</param>
    /// <param name="options">How to capture the heap.</param>
    /// <returns>The path, or <see langword="null"/> when no root reaches the object (it lives outside the GC heap, like a string literal).</returns>
    /// <exception cref="HeapInspectionException">The heap cannot be read (for example diagnostics are disabled).</exception>
    public static RetentionPath? Find(object target, HeapInspectionOptions? options = null)
    {
        HeapDump.CheckTrackable(target, nameof(target));
        using HeapDump dump = HeapDump.Capture(options, target);
        return dump.FindPath(target);
    }

    /// <summary>
    /// Finds what keeps the instances of <paramref name="type"/> alive: one path per distinct way they are held
    /// (instances held the same way are grouped; see <see cref="RetentionPathGroup.Count"/>).
    /// </summary>
    /// <param name="type">The exact type of the instances (a closed generic type for generics).</param>
    /// <param name="maxGroups">At most this many groups are returned, the largest first.</param>
    /// <param name="options">How to capture the heap.</param>
    public static IReadOnlyList<RetentionPathGroup> FindForInstancesOf(Type type, int maxGroups = 10, HeapInspectionOptions? options = null)
    {
        using HeapDump dump = HeapDump.Capture(options);
        return dump.FindPathsToInstancesOf(type, maxGroups);
    }

    /// <summary>The path as indented text, one object a line, followed by the family it confirms.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Root).AppendLine();
        foreach (RetentionStep step in Steps)
        {
            text.Append("  → ");
            if (step.Via is not null)
            {
                text.Append(step.Via).Append(": ");
            }

            text.Append(step.Description).AppendLine();
        }

        text.Append(Family == LeakFamily.None ? "  " : $"  confirms {Family.RuleRange()} ({Family.Title()}): ").Append(Reason);
        return text.ToString();
    }

    /// <summary>The path as a Graphviz DOT digraph, root at the top and the retained object highlighted (objgraph's show_backrefs).</summary>
    public string ToDot() => DotWriter.Write(new[] { this }, Family == LeakFamily.None ? "retention path" : $"{Family.RuleRange()} {Family.Title()}");

    /// <summary>
    /// Several paths as one Graphviz DOT digraph (objgraph's show_backrefs for many objects): objects that several paths
    /// go through appear once, so shared holders stand out. Paths from different captures should not be mixed.
    /// </summary>
    /// <param name="paths">The paths, for example those of <see cref="FindForInstancesOf"/>'s groups.</param>
    /// <param name="title">The graph's title.</param>
    public static string ToDot(IEnumerable<RetentionPath> paths, string title = "retention paths")
    {
        if (paths is null)
        {
            throw new ArgumentNullException(nameof(paths));
        }

        return DotWriter.Write(new List<RetentionPath>(paths), title);
    }

    /// <summary>
    /// Renders <see cref="ToDot()"/> to an image with Graphviz's <c>dot</c>, which must be installed (only this method needs it).
    /// </summary>
    /// <param name="outputPath">The image file to write; its format follows <paramref name="format"/>.</param>
    /// <param name="format">A Graphviz output format: <c>png</c>, <c>svg</c>, <c>pdf</c>.</param>
    /// <param name="dotExecutable">The <c>dot</c> program; found on PATH by default.</param>
    /// <exception cref="InvalidOperationException">Graphviz is not installed, or it failed.</exception>
    public void RenderImage(string outputPath, string format = "png", string dotExecutable = "dot") =>
        DotWriter.Render(ToDot(), outputPath, format, dotExecutable);
}

/// <summary>Instances of a type that are held the same way, with one representative path.</summary>
public sealed class RetentionPathGroup
{
    internal RetentionPathGroup(RetentionPath path, int count)
    {
        Path = path;
        Count = count;
    }

    /// <summary>The path of one of the instances.</summary>
    public RetentionPath Path { get; }

    /// <summary>How many instances are held the same way (same root and same kinds of objects on the way).</summary>
    public int Count { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Count} instance(s) held like this:{Environment.NewLine}{Path}";
}

/// <summary>Graphviz output for retention paths.</summary>
internal static class DotWriter
{
    internal static string Write(IReadOnlyList<RetentionPath> paths, string title)
    {
        var dot = new StringBuilder();
        dot.AppendLine("digraph retention {");
        dot.AppendLine("  rankdir=TB;");
        dot.AppendLine($"  label=\"{Escape(title)}\"; labelloc=t; fontname=\"Helvetica\";");
        dot.AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];");
        dot.AppendLine("  edge [fontname=\"Helvetica\", fontsize=10];");
        var declared = new HashSet<string>(StringComparer.Ordinal);
        int rootIndex = 0;
        foreach (RetentionPath path in paths)
        {
            string rootId = "root" + rootIndex++;
            dot.AppendLine($"  {rootId} [label=\"{Escape(path.Root)}\", shape=octagon, fillcolor=\"#dddddd\"];");
            string previous = rootId;
            for (int i = 0; i < path.Steps.Count; i++)
            {
                RetentionStep step = path.Steps[i];
                string id = $"o{step.Address:x}";
                bool isTarget = i == path.Steps.Count - 1;
                if (declared.Add(id))
                {
                    string fill = isTarget ? "#ffb3b3" : "white";
                    dot.AppendLine($"  {id} [label=\"{Escape(step.Description)}\", fillcolor=\"{fill}\"];");
                }

                string label = step.Via is null ? string.Empty : $" [label=\"{Escape(step.Via)}\"]";
                dot.AppendLine($"  {previous} -> {id}{label};");
                previous = id;
            }
        }

        dot.AppendLine("}");
        return dot.ToString();
    }

    internal static void Render(string dot, string outputPath, string format, string dotExecutable)
    {
        if (string.IsNullOrWhiteSpace(outputPath))
        {
            throw new ArgumentException("An output path is needed.", nameof(outputPath));
        }

        var start = new ProcessStartInfo(dotExecutable, $"-T{format} -o \"{outputPath}\"")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Graphviz's '{dotExecutable}' could not be started ({e.Message}). Install Graphviz to render images, or write ToDot() to a file and render it elsewhere.", e);
        }

        if (process is null)
        {
            throw new InvalidOperationException($"Graphviz's '{dotExecutable}' could not be started.");
        }

        using (process)
        {
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                }

                throw new InvalidOperationException($"Graphviz's '{dotExecutable}' did not finish within 30 s.");
            }

            if (process.ExitCode != 0 || !File.Exists(outputPath))
            {
                throw new InvalidOperationException($"Graphviz's '{dotExecutable}' failed (exit code {process.ExitCode}): {errors.Result.Trim()}");
            }
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
