namespace LeakDemo.StaticCollections;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

/// <summary>
/// Static collections that only grow. A warning on a static field belongs to its type, so each leaky type's name ends
/// in "Leaky"; its clean counterpart sits beside it.
/// </summary>
public static class PatternCacheLeaky
{
    /// <summary>LEAK203 (a suggestion): one compiled Regex for every distinct pattern any caller ever passes, kept forever.</summary>
    private static readonly ConcurrentDictionary<string, Regex> Cache = new();

    public static bool IsMatch(string pattern, string input) =>
        Cache.GetOrAdd(pattern, p => new Regex(p, RegexOptions.Compiled)).IsMatch(input);
}

/// <summary>Clean: the cache is bounded: when it is full, it starts over.</summary>
public static class PatternCache
{
    private const int Capacity = 128;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new();

    public static bool IsMatch(string pattern, string input)
    {
        if (!Cache.TryGetValue(pattern, out var regex))
        {
            if (Cache.Count >= Capacity)
            {
                Cache.Clear();
            }

            regex = Cache.GetOrAdd(pattern, p => new Regex(p));
        }

        return regex.IsMatch(input);
    }
}

/// <summary>LEAK201: every session ever opened stays reachable through the registry.</summary>
public sealed class SessionLeaky
{
    private static readonly List<SessionLeaky> Open = new();

    public SessionLeaky(string user)
    {
        User = user;
        lock (Open)
        {
            Open.Add(this);
        }
    }

    public string User { get; }
}

/// <summary>Clean: a session leaves the registry when it is disposed.</summary>
public sealed class Session : IDisposable
{
    private static readonly List<Session> Open = new();

    public Session(string user)
    {
        User = user;
        lock (Open)
        {
            Open.Add(this);
        }
    }

    public string User { get; }

    public static int Count
    {
        get
        {
            lock (Open)
            {
                return Open.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (Open)
        {
            Open.Remove(this);
        }
    }
}

/// <summary>LEAK202: a public list that every request appends to and nothing in the program trims.</summary>
public static class AuditTrailLeaky
{
    public static readonly ConcurrentQueue<string> Entries = new();
}

public static class Requests
{
    public static void Handle(string path) => AuditTrailLeaky.Entries.Enqueue(DateTime.UtcNow.ToString("O") + " " + path);
}

/// <summary>Clean: a per-type reflection cache. Keys are types: bounded by the types the program loads.</summary>
public static class PropertyNames
{
    private static readonly ConcurrentDictionary<Type, string[]> ByType = new();

    public static string[] Of(Type type) => ByType.GetOrAdd(type, t => Array.ConvertAll(t.GetProperties(BindingFlags.Public | BindingFlags.Instance), p => p.Name));
}

/// <summary>Clean: notes attached to objects die with them.</summary>
public static class Notes
{
    private static readonly ConditionalWeakTable<object, string> ByObject = new();

    public static void Attach(object target, string note) => ByObject.AddOrUpdate(target, note);

    public static string? Of(object target) => ByObject.TryGetValue(target, out var note) ? note : null;
}

/// <summary>LEAK201: the one instance lives as long as the process, and so does every name it was ever told.</summary>
public sealed class MetricsLeaky
{
    private readonly List<string> names = new();

    private MetricsLeaky()
    {
    }

    public static MetricsLeaky Instance { get; } = new MetricsLeaky();

    public void Count(string name) => names.Add(name);
}

/// <summary>Clean: the singleton keeps a bounded window of recent names.</summary>
public sealed class Metrics
{
    private const int Window = 100;
    private readonly Queue<string> recent = new();

    private Metrics()
    {
    }

    public static Metrics Instance { get; } = new Metrics();

    public void Count(string name)
    {
        recent.Enqueue(name);
        if (recent.Count > Window)
        {
            recent.Dequeue();
        }
    }
}
