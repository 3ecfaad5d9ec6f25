namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

public class OneStepFromAStaticSilent
{
    [Fact]
    public Task ListenerKeyedByTheEventSourcesItIsShown() =>
        // OpenTelemetry: the runtime shows an EventListener each event source once, and there are few by design.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            using System.Diagnostics.Tracing;
            static class Diagnostics
            {
                public static readonly SdkListener Listener = new SdkListener();
                public sealed class SdkListener : EventListener
                {
                    private readonly Dictionary<string, EventSource> sources = new Dictionary<string, EventSource>();
                    protected override void OnEventSourceCreated(EventSource eventSource)
                    {
                        if (eventSource.Name.StartsWith("MySdk", StringComparison.Ordinal))
                        {
                            sources.Add(eventSource.Name, eventSource);
                            EnableEvents(eventSource, EventLevel.Verbose);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task EmptySentinelOfItsOwnTypeIsNotAProcessLongHolder() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            class RouteTable
            {
                public static readonly RouteTable Empty = new RouteTable();
                private readonly List<string> routes = new();
                public void Add(string route) => routes.Add(route);
            }
            """);

    [Fact]
    public Task InstancesNotHeldStaticallyDieWithTheirOwner() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            class Visitor
            {
                private readonly List<string> members = new();
                public void Visit(string member) => members.Add(member);
            }

            class Walker
            {
                private readonly Visitor visitor = new Visitor();
            }
            """);

    [Fact]
    public Task CacheThatRemovesKeysItDoesNotReadIsBounded() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            class MemoryCache
            {
                private readonly Dictionary<string, object> entries = new();
                public void Set(string key, object value) => entries[key] = value;
                public void Invalidate(string key)
                {
                    if (entries.ContainsKey(key))
                    {
                        entries.Remove(key);
                    }
                }
            }

            static class Caches
            {
                public static readonly MemoryCache Pages = new MemoryCache();
            }
            """);

    [Fact]
    public Task ImmutableCollectionsReplacedByAFilterOrAResetAreBounded() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Immutable;
            using System.Linq;
            static class Names
            {
                private static ImmutableDictionary<string, int> ids = ImmutableDictionary<string, int>.Empty;
                private static string[] recent = new string[0];
                public static void Remember(string name, int id) => ids = ids.SetItem(name, id);
                public static void Forget(string name) => ids = ids.Remove(name);
                public static void Push(string name) => recent = recent.Append(name).Skip(1).ToArray();
            }
            """);

    [Fact]
    public Task ArraysThatAreOnlyReadOrWrittenInPlace() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            static class Table
            {
                private static readonly int[] counts = new int[16];
                private static readonly string[] names = { "a", "b" };
                public static void Count(int i) => counts[i & 15]++;
                public static int Find(string name) => Array.IndexOf(names, name);
                public static string[] All() => names;
            }
            """);

    [Fact]
    public Task ImmutableAddWhoseResultIsNotKept() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Immutable;
            static class Names
            {
                private static readonly ImmutableList<string> known = ImmutableList<string>.Empty;
                public static ImmutableList<string> With(string name) => known.Add(name);
            }
            """);

    [Fact]
    public Task TupleKeyOfReflectionValuesIsBounded() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Concurrent;
            using System.Reflection;
            using System.Runtime.CompilerServices;
            static class Accessors
            {
                private static readonly ConcurrentDictionary<(Type, string), PropertyInfo> byName = new();
                private static readonly ConcurrentDictionary<(Type, string), int> counts = new();
                private static readonly ConcurrentDictionary<Key, int> hits = new();

                public static PropertyInfo Get(Type type, PropertyInfo property) => byName.GetOrAdd((type, property.Name), k => k.Item1.GetProperty(k.Item2));
                public static int Count(Type type, [CallerMemberName] string memberName = "") => counts.AddOrUpdate((type, memberName), 1, (_, n) => n + 1);
                public static void Hit(MethodInfo method) => hits.TryAdd(new Key(method.DeclaringType, method.Name), 0);

                private readonly record struct Key(Type Type, string Name);
            }
            """);
}
