namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using LeakAnalyzers.Runtime.Internal;

/// <summary>
/// The weak-reference pattern done right: follows objects without keeping them alive, then runs full blocking
/// collections (finalizers included) until they are gone or the heap is stable, and explains any survivor with its
/// retention path. Track objects from a method that has returned before checking (<see cref="LeakAssert.Collected{T}(Func{T}, Action{T}?, HeapInspectionOptions?)"/> does this for you):
/// a local of the checking method can keep an object alive until the method ends, and the JIT decides that differently
/// in Debug and Release builds.
/// </summary>
/// <example><code>
/// var tracker = new ObjectTracker();
/// CreateWindow(tracker);            // [MethodImpl(MethodImplOptions.NoInlining)], calls tracker.Track(window)
/// tracker.AssertCollected();
/// </code></example>
public sealed class ObjectTracker
{
    private readonly List<(WeakReference Reference, string Name, Type Type)> tracked = new();

    /// <summary>How many objects are followed.</summary>
    public int Count => tracked.Count;

    /// <summary>Follows <paramref name="obj"/> without keeping it alive, and returns it.</summary>
    /// <typeparam name="T">The object's type.</typeparam>
    /// <param name="obj">The object.</param>
    /// <param name="name">A name for reports; the type name by default.</param>
    public T Track<T>(T obj, string? name = null)
        where T : class
    {
        HeapDump.CheckTrackable(obj, nameof(obj));
        tracked.Add((new WeakReference(obj, trackResurrection: false), name ?? TypeNames.Short(FullName(obj.GetType())), obj.GetType()));
        return obj;
    }

    /// <summary>
    /// Collects and reports which tracked objects survived. When some did and <paramref name="explain"/> is set, the heap is
    /// captured once to find their retention paths; when that is impossible (diagnostics disabled) the survivors are
    /// still reported, with the reason their paths are missing.
    /// </summary>
    /// <param name="explain">Whether to look for retention paths of survivors.</param>
    /// <param name="options">How to capture the heap for the paths.</param>
    public CollectionCheck Check(bool explain = true, HeapInspectionOptions? options = null)
    {
        FullCollection.Run(isDone: () => tracked.All(t => !t.Reference.IsAlive));
        var alive = new List<(object Target, string Name, Type Type)>();
        foreach (var (reference, name, type) in tracked)
        {
            object? target = reference.Target;
            if (target is not null)
            {
                alive.Add((target, name, type));
            }
        }

        if (alive.Count == 0)
        {
            return new CollectionCheck(tracked.Count, Array.Empty<Survivor>());
        }

        var survivors = new List<Survivor>();
        if (!explain)
        {
            survivors.AddRange(alive.Select(a => new Survivor(a.Name, a.Type, null, "retention paths were not requested")));
            return new CollectionCheck(tracked.Count, survivors);
        }

        try
        {
            using HeapDump dump = HeapDump.Capture(options, alive.Select(a => a.Target).ToArray());
            foreach (var (target, name, type) in alive)
            {
                RetentionPath? path = dump.FindPath(target);
                survivors.Add(new Survivor(name, type, path, path is null ? "no GC root reaches it in the dump (it was released while the dump was written)" : null));
            }
        }
        catch (HeapInspectionException e)
        {
            survivors.AddRange(alive.Select(a => new Survivor(a.Name, a.Type, null, e.Message) { PathFailure = e }));
        }

        alive.Clear();
        return new CollectionCheck(tracked.Count, survivors);
    }

    /// <summary>Throws <see cref="LeakAssertionException"/>, with the retention path of each survivor, when a tracked object is still alive.</summary>
    /// <param name="options">How to capture the heap for the paths.</param>
    public void AssertCollected(HeapInspectionOptions? options = null)
    {
        CollectionCheck check = Check(explain: true, options);
        if (!check.AllCollected)
        {
            throw new LeakAssertionException(check.ToString());
        }
    }

    internal static string FullName(Type type) => type.FullName ?? type.Name;
}

/// <summary>The outcome of <see cref="ObjectTracker.Check"/>: which tracked objects survived full collections, and why.</summary>
public sealed class CollectionCheck
{
    internal CollectionCheck(int tracked, IReadOnlyList<Survivor> survivors)
    {
        Tracked = tracked;
        Survivors = survivors;
    }

    /// <summary>How many objects were followed.</summary>
    public int Tracked { get; }

    /// <summary>The objects still alive after full collections.</summary>
    public IReadOnlyList<Survivor> Survivors { get; }

    /// <summary>Whether every tracked object was collected.</summary>
    public bool AllCollected => Survivors.Count == 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        if (AllCollected)
        {
            return $"All {Tracked} tracked object(s) were collected.";
        }

        var text = new StringBuilder();
        text.AppendLine($"{Survivors.Count} of {Tracked} tracked object(s) survived full garbage collections (finalizers run, repeated until stable):");
        foreach (Survivor survivor in Survivors)
        {
            text.AppendLine();
            text.AppendLine(survivor.ToString());
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>A tracked object that was not collected, with what keeps it alive.</summary>
public sealed class Survivor
{
    internal Survivor(string name, Type type, RetentionPath? path, string? pathUnavailable)
    {
        Name = name;
        Type = type;
        Path = path;
        PathUnavailableReason = pathUnavailable;
    }

    /// <summary>The name it was tracked under.</summary>
    public string Name { get; }

    /// <summary>Its type.</summary>
    public Type Type { get; }

    /// <summary>What keeps it alive, or <see langword="null"/> when the heap could not be read (see <see cref="PathUnavailableReason"/>).</summary>
    public RetentionPath? Path { get; }

    /// <summary>Why <see cref="Path"/> is missing, when it is.</summary>
    public string? PathUnavailableReason { get; }

    /// <summary>The analyzer family the retention path confirms.</summary>
    public LeakFamily Family => Path?.Family ?? LeakFamily.None;

    /// <summary>Why the heap could not be read for the path, when that is why <see cref="Path"/> is missing.</summary>
    internal HeapInspectionException? PathFailure { get; init; }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (Path is null)
        {
            return $"{Name} is still alive; its retention path is unavailable: {PathUnavailableReason}";
        }

        string family = Family == LeakFamily.None ? string.Empty : $" (confirms {Family.RuleRange()}, {Family.Title()})";
        return $"{Name} is still alive{family}, held by:{Environment.NewLine}{Path}";
    }
}
