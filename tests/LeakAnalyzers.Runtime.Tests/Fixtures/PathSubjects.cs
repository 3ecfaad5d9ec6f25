namespace LeakAnalyzers.Runtime.Tests.Fixtures.Paths;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

/// <summary>A long-lived publisher with an instance event (LEAK1xx without a static event).</summary>
public sealed class Publisher
{
    public static readonly Publisher Instance = new();

    public event EventHandler<string>? Message;

    public void Send(string text) => Message?.Invoke(this, text);

    public void Reset() => Message = null;
}

public sealed class Listener
{
    public Listener(Publisher publisher)
    {
        string prefix = "got ";
        publisher.Message += (_, text) => Last = prefix + text;
    }

    public string? Last { get; private set; }
}

public static class Caches
{
    public static readonly ConcurrentDictionary<int, Entry> ById = new();
}

public sealed class Entry
{
}

public sealed class Lonely
{
}

/// <summary>Statics of a generic type: the module does not list its instantiations.</summary>
public static class GenericRegistry<T>
{
    public static readonly List<T> Items = new();
}

public sealed class GenericItem
{
}

/// <summary>A per-thread cache: only thread-static fields.</summary>
public static class PerThreadCache
{
    [ThreadStatic]
    public static List<CachedValue>? Values;
}

public sealed class CachedValue
{
}
