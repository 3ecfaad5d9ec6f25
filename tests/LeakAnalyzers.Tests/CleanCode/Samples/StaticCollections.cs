// Leak-free static collections written the way real libraries write them: per-type reflection caches, tables filled
// once at start-up, caches bounded by a size check or cleared on demand, registries that remove what they add,
// weak tables, frozen lookups. Every analyzer of the package must stay silent on this file.
#nullable enable
namespace CleanCode.StaticCollections
{
    using System;
    using System.Collections.Concurrent;
    using System.Collections.Frozen;
    using System.Collections.Generic;
    using System.Collections.Immutable;
    using System.Linq;
    using System.Reflection;
    using System.Runtime.CompilerServices;
    using System.Text;
    using System.Threading;

    public enum LogLevel { Trace, Debug, Info, Warn, Error, Fatal }

    // Per-type reflection caches: one entry per loaded type or member.
    public static class TypeInfoCache
    {
        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();
        private static readonly ConcurrentDictionary<MemberInfo, Attribute[]> Attributes = new();
        private static readonly Dictionary<(Type Source, Type Target), bool> Assignable = new();
        private static readonly object Gate = new();

        public static PropertyInfo[] PropertiesOf(Type type) =>
            Properties.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance));

        public static Attribute[] AttributesOf(MemberInfo member) =>
            Attributes.GetOrAdd(member, m => m.GetCustomAttributes(inherit: true).OfType<Attribute>().ToArray());

        public static bool IsAssignable(Type source, Type target)
        {
            lock (Gate)
            {
                if (!Assignable.TryGetValue((source, target), out var result))
                {
                    result = target.IsAssignableFrom(source);
                    Assignable[(source, target)] = result;
                }

                return result;
            }
        }
    }

    // A generic per-type cache keyed by typeof(T).
    public static class Defaults
    {
        private static readonly ConcurrentDictionary<object, object?> ByType = new();

        public static object? Of<T>() => ByType.GetOrAdd(typeof(T), _ => default(T));
    }

    // A table filled once in the static constructor, read afterwards.
    public static class LevelNames
    {
        private static readonly Dictionary<string, LogLevel> ByName = new(StringComparer.OrdinalIgnoreCase);
        private static readonly Dictionary<LogLevel, string> Upper = new();

        static LevelNames()
        {
            foreach (LogLevel level in Enum.GetValues(typeof(LogLevel)))
            {
                Register(level);
            }
        }

        public static LogLevel Parse(string name) => ByName.TryGetValue(name, out var level) ? level : LogLevel.Info;

        // Keyed by an enum: at most one entry per level.
        public static string ToUpper(LogLevel level)
        {
            if (!Upper.TryGetValue(level, out var text))
            {
                text = level.ToString().ToUpperInvariant();
                Upper[level] = text;
            }

            return text;
        }

        private static void Register(LogLevel level) => ByName[level.ToString()] = level;
    }

    // A one-time lazy table.
    public static class MimeTypes
    {
        private static readonly Dictionary<string, string> Table = new();
        private static readonly Lazy<bool> Loaded = new(() =>
        {
            Table[".txt"] = "text/plain";
            Table[".json"] = "application/json";
            return true;
        });

        public static string Of(string extension) =>
            Loaded.Value && Table.TryGetValue(extension, out var mime) ? mime : "application/octet-stream";
    }

    // A cache keyed by input, bounded by a size check that clears it.
    public static class FormatCache
    {
        private const int Capacity = 512;
        private static readonly ConcurrentDictionary<string, string[]> Parts = new();

        public static string[] Split(string format)
        {
            if (Parts.TryGetValue(format, out var parts))
            {
                return parts;
            }

            if (Parts.Count >= Capacity)
            {
                Parts.Clear();
            }

            return Parts.GetOrAdd(format, f => f.Split('{', '}'));
        }
    }

    // A registry that removes what it adds.
    public sealed class Connection : IDisposable
    {
        private static readonly ConcurrentDictionary<int, Connection> Live = new();
        private static int nextId;

        public Connection()
        {
            Id = Interlocked.Increment(ref nextId);
            Live.TryAdd(Id, this);
        }

        public int Id { get; }

        public static int LiveCount => Live.Count;

        public void Dispose() => Live.TryRemove(Id, out _);
    }

    // A work queue drained by its consumer.
    public static class Outbox
    {
        private static readonly ConcurrentQueue<string> Pending = new();

        public static void Post(string message) => Pending.Enqueue(message);

        public static IEnumerable<string> Drain()
        {
            while (Pending.TryDequeue(out var message))
            {
                yield return message;
            }
        }
    }

    // A reused buffer, emptied after every use.
    public static class Joiner
    {
        [ThreadStatic]
        private static StringBuilder? buffer;

        public static string Join(IEnumerable<string> parts)
        {
            var sb = buffer ??= new StringBuilder();
            foreach (var part in parts)
            {
                sb.Append(part).Append(',');
            }

            var text = sb.ToString();
            sb.Clear();
            return text;
        }
    }

    // A snapshot replaced wholesale on reload.
    public static class FeatureFlags
    {
        private static Dictionary<string, bool> flags = new();

        public static bool IsOn(string name) => flags.TryGetValue(name, out var on) && on;

        public static void Set(string name, bool on) => flags[name] = on;

        public static void Reload(IEnumerable<KeyValuePair<string, bool>> source) =>
            Interlocked.Exchange(ref flags, source.ToDictionary(p => p.Key, p => p.Value));
    }

    // Weak, frozen and immutable collections.
    public static class Metadata
    {
        private static readonly ConditionalWeakTable<object, string> Tags = new();
        private static readonly FrozenDictionary<string, int> Codes =
            new Dictionary<string, int> { ["ok"] = 200, ["missing"] = 404 }.ToFrozenDictionary();
        private static readonly ImmutableHashSet<string> Reserved = ImmutableHashSet.Create("con", "nul");

        public static void Tag(object target, string tag) => Tags.AddOrUpdate(target, tag);

        public static int Code(string name) => Codes.TryGetValue(name, out var code) ? code : 500;

        public static bool IsReserved(string name) => Reserved.Contains(name);
    }

    // An instance collection: it dies with its owner.
    public sealed class Batch
    {
        private readonly List<string> items = new();

        public void Add(string item) => items.Add(item);

        public int Count => items.Count;
    }

    // Hand-over tables: an entry is put for a key and taken out by whoever gets the key; multimaps drop emptied entries.
    public static class PendingUploads
    {
        private static readonly object Gate = new();
        private static readonly Dictionary<string, byte[]> Sources = new();
        private static readonly Dictionary<string, List<string>> WaitersByRequest = new();

        public static string Put(byte[] content)
        {
            var key = Guid.NewGuid().ToString("N");
            lock (Gate)
            {
                Sources.Add(key, content);
            }

            return key;
        }

        public static byte[] Take(string key)
        {
            lock (Gate)
            {
                var content = Sources[key];
                Sources.Remove(key);
                return content;
            }
        }

        public static void Wait(string request, string waiter)
        {
            lock (Gate)
            {
                if (!WaitersByRequest.TryGetValue(request, out var waiters))
                {
                    WaitersByRequest[request] = waiters = new List<string>();
                }

                waiters.Add(waiter);
            }
        }

        public static void Done(string request, string waiter)
        {
            lock (Gate)
            {
                var waiters = WaitersByRequest[request];
                waiters.Remove(waiter);
                if (waiters.Count == 0)
                {
                    WaitersByRequest.Remove(request);
                }
            }
        }
    }
}

namespace CleanCode.StaticCollections.Registration
{
    using System;
    using System.Collections.Concurrent;
    using System.Collections.Generic;
    using System.Threading;

    // Converters registered by the first builder of the process, and never again.
    public static class Converters
    {
        public static readonly ConcurrentBag<Func<Type, object?>> All = new ConcurrentBag<Func<Type, object?>>();
    }

    public sealed class Builder
    {
        private static int registered;

        public object Build()
        {
            if (Interlocked.CompareExchange(ref registered, 1, 0) == 0)
            {
                Converters.All.Add(type => type == typeof(Guid) ? Guid.Empty : null);
            }

            return new object();
        }
    }

    // Native entry points probed by name: every caller passes a constant.
    internal static class NativeProbe
    {
        internal static readonly ConcurrentDictionary<string, bool> Exists = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        public static bool Has(string entryPoint) => Exists.GetOrAdd(entryPoint, name => name.Length > 0);
    }

    public sealed class NativeClient
    {
        public bool CanShutdown() => NativeProbe.Has(nameof(CanShutdown));

        public bool CanTimeout() => NativeProbe.Has("fb_dsql_set_timeout");
    }

    // A single-threaded scheduler held by a static: its worker takes every queued item out as it runs it.
    public sealed class StaScheduler : IDisposable
    {
        private static readonly StaScheduler Shared = new StaScheduler();
        private readonly BlockingCollection<Action> work = new BlockingCollection<Action>();
        private readonly Thread thread;

        private StaScheduler()
        {
            thread = new Thread(Run) { IsBackground = true };
            thread.Start();
        }

        public static void Post(Action action) => Shared.work.Add(action);

        private void Run()
        {
            foreach (var action in work.GetConsumingEnumerable())
            {
                action();
            }
        }

        public void Dispose()
        {
            work.CompleteAdding();
            thread.Join();
            work.Dispose();
        }
    }
}
