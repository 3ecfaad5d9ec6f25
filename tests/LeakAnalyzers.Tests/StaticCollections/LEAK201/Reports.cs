namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

public class Reports
{
    [Fact]
    public Task KeyedByANumberConvertedFromAnyString() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Parsed
            {
                private static readonly Dictionary<int, string> [|seen|] = new();
                public static void Add(string text) => seen[Convert.ToInt32(text)] = text;
            }
            """);

    [Fact]
    public Task MemoCacheKeyedByParameter() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.Text.RegularExpressions;
            static class Patterns
            {
                private static readonly ConcurrentDictionary<string, Regex> {|#0:cache|} = new();

                public static Regex Get(string pattern) => {|#1:cache.GetOrAdd(pattern, p => new Regex(p))|};
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'cache'",
                "'Get' adds an entry per new 'pattern'",
                "every entry stays until the process ends"));

    [Fact]
    public Task InstanceRegistry() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Widget
            {
                private static readonly List<Widget> {|#0:all|} = new();

                public Widget() { {|#1:all.Add(this)|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'all'",
                "every 'Widget' adds itself",
                "each one stays alive until the process ends"));

    [Fact]
    public Task BagOnlyAddedTo() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            class ServerRegistry
            {
                private static readonly ConcurrentBag<string> {|#0:servers|} = new ConcurrentBag<string>();

                public void Start(string name) { {|#1:servers.Add(name)|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'servers'",
                "'Start' adds to it",
                "every element stays until the process ends"));

    [Fact]
    public Task IndexerSetWithComputedKey_AllWritesAreAdditionalLocations() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Documentation
            {
                private static Dictionary<string, string> {|#0:xml|} = new Dictionary<string, string>();

                public static string For(string assembly, string member)
                {
                    var key = assembly + ":" + member;
                    if (!xml.TryGetValue(key, out var text))
                    {
                        text = Load(key);
                        {|#1:xml[key] = text|};
                    }

                    return text;
                }

                public static void Preload(string assembly, string member) => {|#2:xml.Add(assembly + member, "")|};

                private static string Load(string key) => key;
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "'xml'",
                "'For' adds an entry per new key (and 1 more place)",
                "every entry stays until the process ends"));

    [Fact]
    public Task LocalKeyWithOneValueFromInput() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Names
            {
                private static readonly Dictionary<string, int> [|counts|] = new();

                public static void Count(Type type, string? alias)
                {
                    var key = type.Name;
                    if (alias is not null) key = alias;
                    counts[key] = 1;
                }
            }
            """);

    [Fact]
    public Task LoopIndexKey() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Components
            {
                private static readonly Dictionary<int, string> [|byIndex|] = new();

                public static void Load(string[] entries)
                {
                    for (var i = 0; i < entries.Length; i++)
                    {
                        byIndex[i] = entries[i];
                    }
                }
            }
            """);

    [Fact]
    public Task ForeachOverInput() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Tags
            {
                private static readonly HashSet<string> [|seen|] = new();

                public static void Mark(IEnumerable<string> tags)
                {
                    foreach (var tag in tags)
                    {
                        var key = tag.ToUpperInvariant();
                        seen.Add(key);
                    }
                }
            }
            """);

    [Fact]
    public Task StringBuilderUsedAsABuffer() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Text;
            class Tracer
            {
                private static readonly StringBuilder [|log|] = new StringBuilder();

                public void Trace(string message) => log.AppendLine(message);
            }
            """);

    [Fact]
    public Task StaticAutoProperty() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Session
            {
                private static HashSet<string> [|Seen|] { get; } = new HashSet<string>();

                public bool Visit(string id) => Seen.Add(id);
            }
            """);

    [Fact]
    public Task ObjectKeysFromParameters() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Tags
            {
                private static readonly Dictionary<object, int> [|counts|] = new();

                public void Tag(object item) { counts[item] = 1; }
            }
            """);

    [Fact]
    public Task LambdaInAStaticInitializerRunsLater() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Recorder
            {
                private static readonly Queue<int> [|seen|] = new();
                public static readonly Action<int> Record = x => seen.Enqueue(x);
            }
            """);

    [Fact]
    public Task HelperCalledAfterStartUp() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Names
            {
                private static readonly List<string> [|names|] = new();

                static Names() { Register("a"); }

                public static void Use(string name) => Register(name);

                private static void Register(string name) => names.Add(name);
            }
            """);

    [Fact]
    public Task StringKeyEvenWhenTypeNameIsUsed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Lookup
            {
                private static readonly Dictionary<string, Type> [|byName|] = new();

                public static Type? Find(string name)
                {
                    if (!byName.TryGetValue(name, out var type))
                    {
                        type = Type.GetType(name);
                        byName[name] = type!;
                    }

                    return type;
                }
            }
            """);

    [Fact]
    public Task KeyMixingAReflectionNameWithInput() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Names
            {
                private static readonly Dictionary<string, Type> [|byName|] = new();

                public static void Register(Type type, string tenant) => byName[type.FullName + "/" + tenant] = type;
            }
            """);

    [Fact]
    public Task CollectionHeldByASingleton() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            sealed class Telemetry
            {
                public static readonly Telemetry Instance = new Telemetry();
                private readonly List<string> {|#0:events|} = new();

                private Telemetry() { events.Add("started"); }

                public void Track(string name) => {|#1:events.Add(name)|};
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "The process-long 'Telemetry.events'",
                "'Track' adds to it",
                "every element stays until the process ends"));

    [Fact]
    public Task GenericCacheKeyedByAnUnconstrainedTypeParameter() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            static class Interned<T> where T : notnull
            {
                private static readonly ConcurrentDictionary<T, T> [|values|] = new();
                public static T Intern(T value) => values.GetOrAdd(value, value);
            }
            """);
    [Fact]
    public Task RegistrationHelperReachedFromCodeThatRunsLater() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public abstract class PayloadReader { }
            public sealed class EchoReader : PayloadReader { }
            public class PayloadRegistry
            {
                private static readonly Dictionary<string, PayloadReader> [|readers|] = new();
                public static void Register(string name, PayloadReader reader) => RegisterInternal(name, reader);
                public void OnConnected(int session) => Register("echo-" + session, new EchoReader());
                private static void RegisterInternal(string name, PayloadReader reader) => readers[name] = reader;
            }
            """);
    [Theory]
    [InlineData("public static object ForUser(string user) => Provider(user);")]
    [InlineData("public static Func<string, object> Factory => Provider;")]
    public Task KeyedByAParameterSomeCallerFillsWithAnyValue(string member) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System;
            using System.Collections.Concurrent;
            sealed class Providers
            {
                private static readonly ConcurrentDictionary<string, object> [|providers|] = new();
                public static object Md4() => Provider("MD4");
                {{member}}
                private static object Provider(string algorithm) => providers.GetOrAdd(algorithm, a => new object());
            }
            """);
}
