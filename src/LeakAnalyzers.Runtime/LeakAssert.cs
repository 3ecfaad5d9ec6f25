namespace LeakAnalyzers.Runtime;

using System;
using System.Runtime.CompilerServices;

/// <summary>
/// Assertions that confirm or rule out leaks in a test. They throw <see cref="LeakAssertionException"/> with the
/// evidence, so they work with any test framework.
/// </summary>
/// <example><code>
/// [Fact]
/// public void Closing_the_view_releases_it() =&gt;
///     LeakAssert.Collected(() =&gt; new OrderView(bus), view =&gt; view.Close());
/// </code></example>
public static class LeakAssert
{
    /// <summary>
    /// Creates an object with <paramref name="factory"/>, runs <paramref name="scenario"/> on it, and asserts that it is
    /// collected once both have returned. Both run in a method that is never inlined, so no local of the test keeps
    /// the object alive in any build configuration. When it survives, the failure shows its retention path and the
    /// analyzer family it confirms.
    /// </summary>
    /// <typeparam name="T">The object's type.</typeparam>
    /// <param name="factory">Creates the object. Do not store it anywhere the test keeps.</param>
    /// <param name="scenario">What to do with it before it should be released (subscribe, use, close...).</param>
    /// <param name="options">How to capture the heap when a retention path is needed.</param>
    /// <exception cref="LeakAssertionException">The object is still alive.</exception>
    /// <exception cref="LeakScenarioException">The factory or the scenario threw.</exception>
    public static void Collected<T>(Func<T> factory, Action<T>? scenario = null, HeapInspectionOptions? options = null)
        where T : class
    {
        ObjectTracker tracker = Run(factory, scenario, nameof(Collected));
        tracker.AssertCollected(options);
    }

    /// <summary>
    /// The opposite of <see cref="Collected{T}"/>: asserts that the object created by <paramref name="factory"/> is
    /// still alive after the scenario, and returns what keeps it alive. Use it to confirm an analyzer finding in a test.
    /// </summary>
    /// <typeparam name="T">The object's type.</typeparam>
    /// <param name="factory">Creates the object.</param>
    /// <param name="scenario">What to do with it.</param>
    /// <param name="options">How to capture the heap.</param>
    /// <returns>The retention path of the object.</returns>
    /// <exception cref="LeakAssertionException">The object was collected: nothing leaks.</exception>
    /// <exception cref="HeapInspectionException">The object leaks, but the heap cannot be read to say why.</exception>
    /// <exception cref="DiagnosticsDisabledException">The object leaks, but the runtime's diagnostics channel is disabled, so the heap cannot be read.</exception>
    public static RetentionPath Leaks<T>(Func<T> factory, Action<T>? scenario = null, HeapInspectionOptions? options = null)
        where T : class
    {
        ObjectTracker tracker = Run(factory, scenario, nameof(Leaks));
        CollectionCheck check = tracker.Check(explain: true, options);
        if (check.AllCollected)
        {
            throw new LeakAssertionException($"Expected the {typeof(T).Name} to leak, but it was collected: nothing keeps it alive after the scenario.");
        }

        Survivor survivor = check.Survivors[0];
        if (survivor.Path is not null)
        {
            return survivor.Path;
        }

        // The same exception type the other heap features throw for the same cause (DiagnosticsDisabledException when
        // the diagnostics channel is off), with the survivor's context and the original failure inside.
        string message = $"The {typeof(T).Name} is still alive, but its retention path is unavailable: {survivor.PathUnavailableReason}";
        throw survivor.PathFailure is DiagnosticsDisabledException disabled
            ? new DiagnosticsDisabledException(message, disabled)
            : new HeapInspectionException(message, survivor.PathFailure);
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> repeatedly and asserts that no type selected by <paramref name="filter"/> keeps
    /// growing (see <see cref="Growth.Measure"/>).
    /// </summary>
    /// <param name="scenario">One iteration of the work that should not accumulate objects.</param>
    /// <param name="filter">The types to watch, usually your own namespace or assembly.</param>
    /// <param name="iterations">How many measured iterations.</param>
    /// <param name="options">How to capture the heap.</param>
    /// <exception cref="LeakAssertionException">A type grew in every interval; the message has the growth table and retention paths.</exception>
    public static void NoGrowth(Action scenario, HeapFilter filter, int iterations = 4, HeapInspectionOptions? options = null)
    {
        GrowthReport report = Growth.Measure(scenario, filter, iterations, options: options);
        if (report.HasGrowth)
        {
            throw new LeakAssertionException(report.ToString());
        }
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> and asserts that every disposable it created (of the types
    /// <paramref name="filter"/> selects) was disposed (see <see cref="DisposalTracker.Run"/>).
    /// </summary>
    /// <param name="scenario">The work to check.</param>
    /// <param name="filter">The disposable types to look at; null means only the ones that opt into tracking.</param>
    /// <param name="options">How to capture the heap.</param>
    /// <exception cref="LeakAssertionException">Undisposed objects were found; the message lists them with their creation site and retention path.</exception>
    public static void AllDisposed(Action scenario, HeapFilter? filter = null, HeapInspectionOptions? options = null)
    {
        UndisposedReport report = DisposalTracker.Run(scenario, filter, options);
        if (report.Undisposed.Count > 0)
        {
            throw new LeakAssertionException(report.ToString());
        }
    }

    private static ObjectTracker Run<T>(Func<T> factory, Action<T>? scenario, string check)
        where T : class
    {
        if (factory is null)
        {
            throw new ArgumentNullException(nameof(factory));
        }

        var tracker = new ObjectTracker();
        try
        {
            CreateAndRun(tracker, factory, scenario);
        }
        catch (Exception e) when (e is not LeakAssertionException)
        {
            throw new LeakScenarioException($"LeakAssert.{check}: the {(tracker.Count == 0 ? "factory" : "scenario")} threw {e.GetType().Name}, so the leak check did not run: {e.Message}", e);
        }

        return tracker;
    }

    /// <summary>Never inlined: once it returns, no stack slot of the caller holds the object.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndRun<T>(ObjectTracker tracker, Func<T> factory, Action<T>? scenario)
        where T : class
    {
        T obj = factory() ?? throw new InvalidOperationException("The factory returned null.");
        tracker.Track(obj);
        scenario?.Invoke(obj);
    }
}
