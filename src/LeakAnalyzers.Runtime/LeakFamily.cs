namespace LeakAnalyzers.Runtime;

/// <summary>The LeakAnalyzers rule family a runtime confirmation corresponds to.</summary>
public enum LeakFamily
{
    /// <summary>The retention path shows no pattern the analyzers look for (for example the caller's own reference).</summary>
    None = 0,

    /// <summary>LEAK0xx: a disposable that was never disposed.</summary>
    Disposable = 1,

    /// <summary>LEAK1xx: an event subscription keeps the subscriber alive (a static event, or an event of a longer-lived object).</summary>
    EventSubscription = 2,

    /// <summary>LEAK2xx: a collection reachable from a static field keeps growing with the object in it.</summary>
    StaticCollection = 3,

    /// <summary>LEAK3xx: a lambda's closure (or a delegate bound to the object) is stored where it outlives the object's owner.</summary>
    Closure = 4,
}

/// <summary>Names of the families as the analyzers' documentation uses them.</summary>
public static class LeakFamilyExtensions
{
    /// <summary>The rule ID range, for example <c>LEAK1xx</c>; empty for <see cref="LeakFamily.None"/>.</summary>
    /// <param name="family">The family.</param>
    public static string RuleRange(this LeakFamily family) => family switch
    {
        LeakFamily.Disposable => "LEAK0xx",
        LeakFamily.EventSubscription => "LEAK1xx",
        LeakFamily.StaticCollection => "LEAK2xx",
        LeakFamily.Closure => "LEAK3xx",
        _ => string.Empty,
    };

    /// <summary>A short name of the family, for example <c>event subscription</c>.</summary>
    /// <param name="family">The family.</param>
    public static string Title(this LeakFamily family) => family switch
    {
        LeakFamily.Disposable => "undisposed disposable",
        LeakFamily.EventSubscription => "event subscription",
        LeakFamily.StaticCollection => "static collection",
        LeakFamily.Closure => "closure",
        _ => "no analyzer family",
    };
}
