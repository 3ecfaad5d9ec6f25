namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

public class Silent
{
    [Fact]
    public Task KeyedByATypeAndAnEnumConvertedToANumber() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            abstract class Palette
            {
                private static readonly Dictionary<(Type Enum, int Index), int> colors = new();
                protected static void Register<TEnum>(TEnum slot, int value) where TEnum : struct, Enum => colors[(typeof(TEnum), Convert.ToInt32(slot))] = value;
                public int Get<TEnum>(TEnum slot) where TEnum : struct, Enum => colors[(typeof(TEnum), Convert.ToInt32(slot))];
            }
            """);

    [Fact]
    public Task FilledInStaticConstructorAndInitializers() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Units
            {
                private static readonly Dictionary<string, double> factors = new() { ["m"] = 1, ["km"] = 1000 };
                private static readonly List<string> names = new();
                private static readonly Dictionary<string, int> lengths = Build();

                static Units()
                {
                    foreach (var key in factors.Keys) { names.Add(key); }
                    Register("mile", 1609);
                }

                private static void Register(string name, double factor) { factors[name] = factor; names.Add(name); }

                private static Dictionary<string, int> Build()
                {
                    var d = new Dictionary<string, int>();
                    d["x"] = 1;
                    return d;
                }

                public static double Factor(string unit) => factors[unit] + names.Count + lengths.Count;
            }
            """);

    [Fact]
    public Task FilledByOneTimeLazyFactory() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Codes
            {
                private static readonly List<string> all = new();
                private static readonly Lazy<int> loaded = new Lazy<int>(() => { all.Add("a"); all.Add("b"); return all.Count; });

                public static int Count => loaded.Value;
            }
            """);

    [Fact]
    public Task RemovalOrClearAnywhere() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Text;
            class Registry : IDisposable
            {
                private static readonly List<Registry> live = new();
                private static readonly ConcurrentDictionary<string, int> sessions = new();
                private static readonly Queue<string> work = new();
                private static readonly Dictionary<string, string> memo = new();
                private static readonly StringBuilder buffer = new();

                public Registry() { live.Add(this); }
                public void Dispose() { live.Remove(this); }

                public void Open(string id) => sessions.TryAdd(id, 1);
                public void Close(string id) => sessions.TryRemove(id, out _);

                public void Post(string item) => work.Enqueue(item);
                public string Next() => work.Dequeue();

                // AudioSwitcher's STA scheduler: the worker's consuming enumeration takes out every item it yields.
                private static readonly BlockingCollection<string> jobs = new();
                public void Queue(string job) { jobs.Add(job); }
                public void Run() { foreach (var job in jobs.GetConsumingEnumerable()) Console.WriteLine(job); }

                public void Remember(string key) => memo[key] = key;
                public static void Reset() => memo.Clear();

                public void Write(string text) => buffer.Append(text);
                public string Flush() { var s = buffer.ToString(); buffer.Length = 0; return s; }
            }
            """);

    [Fact]
    public Task ReplacedOutsideStartUp() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading;
            static class Snapshots
            {
                private static List<string> items = new();
                private static Dictionary<string, int> counts = new();

                public static void Add(string item) { items.Add(item); counts[item] = 1; }
                public static void Reset() => items = new List<string>();
                public static void Swap() => Interlocked.Exchange(ref counts, new Dictionary<string, int>());
            }
            """);

    [Fact]
    public Task BoundedBySizeCheck() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Recent
            {
                private static readonly Dictionary<string, string> cache = new();

                public static void Put(string key, string value)
                {
                    if (cache.Count < 1000)
                    {
                        cache[key] = value;
                    }
                }
            }
            """);

    [Fact]
    public Task BoundedByTheTotalSizeOfItsEntries() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            using System.IO;
            using System.Linq;
            public sealed class Image { public long Size; }
            static class ImageCache
            {
                private const long MaxSize = 25_000_000;
                private static bool enabled = true;
                private static readonly ConcurrentDictionary<string, Image> items = new();

                public static Image Load(string path)
                {
                    if (items.TryGetValue(path, out var cached)) return cached;
                    var image = new Image { Size = new FileInfo(path).Length };
                    if (!enabled) return image;
                    items.TryAdd(path, image);
                    enabled = items.Values.Sum(x => x.Size) < MaxSize;
                    return image;
                }
            }
            """);

    [Fact]
    public Task PerTypeReflectionCaches() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Reflection;
            static class Reflection
            {
                private static readonly ConcurrentDictionary<Type, PropertyInfo[]> properties = new();
                private static readonly Dictionary<MemberInfo, object[]> attributes = new();
                private static readonly ConcurrentDictionary<PropertyInfo, Func<object, object>> getters = new();
                private static readonly Dictionary<(Type, Type), bool> assignable = new();
                private static readonly Dictionary<Assembly, string> names = new();
                private static readonly Dictionary<object, string> byObject = new();

                public static PropertyInfo[] Properties(Type type) => properties.GetOrAdd(type, t => t.GetProperties());
                public static object[] Attributes(MemberInfo member) { attributes[member] = member.GetCustomAttributes(true); return attributes[member]; }
                public static Func<object, object> Getter(PropertyInfo p) => getters.GetOrAdd(p, x => o => x.GetValue(o)!);
                public static bool Assignable(Type a, Type b) { assignable[(a, b)] = a.IsAssignableFrom(b); return assignable[(a, b)]; }
                public static string Name(Assembly a) { names[a] = a.FullName!; return names[a]; }
                public static void Remember<T>() => byObject[typeof(T)] = typeof(T).Name;
            }
            """);

    [Fact]
    public Task NaturallyBoundedKeys() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            enum Level { Debug, Info, Error }
            static class Formats
            {
                private static readonly Dictionary<Level, string> levels = new();
                private static readonly Dictionary<bool, string> flags = new();
                private static readonly Dictionary<char, string> escapes = new();
                private static readonly Dictionary<byte, string> bytes = new();
                private static readonly HashSet<string> literal = new();

                public static string Of(Level level) { levels[level] = level.ToString(); return levels[level]; }
                public static string Of(bool b) { flags[b] = b.ToString(); return flags[b]; }
                public static string Of(char c) { escapes.TryAdd(c, "\\" + c); return escapes[c]; }
                public static string Of(byte b) { bytes[b] = b.ToString("x2"); return bytes[b]; }
                public static void Mark() { literal.Add("started"); literal.Add(nameof(Mark)); }
            }
            """);

    [Fact]
    public Task TakenAfterTheLookupUnderAConditionThatGuardsBoth() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Pointers
            {
                private static readonly Dictionary<IntPtr, WeakReference> live = new();

                public static void Register(IntPtr pointer, WeakReference reference) { lock (live) { live[pointer] = reference; } }

                public static void OnNotification(int type, IntPtr pointer)
                {
                    if (type == 1)
                    {
                        lock (live)
                        {
                            if (live.TryGetValue(pointer, out var reference) && reference.IsAlive)
                            {
                                Console.WriteLine(reference.Target);
                            }

                            live.Remove(pointer);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task FilledByAModuleInitializerOrKeyedBySixteenBits() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            static class NativeMap
            {
                private static readonly Dictionary<string, string> map = new();
                private static readonly Dictionary<ushort, int> lights = new();
                private static readonly Dictionary<short, int> deltas = new();

                [ModuleInitializer]
                internal static void Init()
                {
                    foreach (var pair in (Environment.GetEnvironmentVariable("MAP") ?? "").Split(';'))
                    {
                        map[pair] = pair;
                    }
                }

                public static string Map(string name) => map.TryGetValue(name, out var mapped) ? mapped : name;
                public static void Light(ushort graphic, int level) => lights[graphic] = level;
                public static void Delta(short offset, int value) => deltas[offset] = value;
            }
            """);

    [Fact]
    public Task KeysReadFromAttributesThroughLocals() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Reflection;
            [AttributeUsage(AttributeTargets.Class)]
            sealed class FormatAttribute : Attribute
            {
                public FormatAttribute(string scheme, params string[] extensions) { Scheme = scheme; Extensions = extensions; }
                public string Scheme { get; }
                public string[] Extensions { get; }
            }
            static class Formats
            {
                private static readonly Dictionary<string, Type> byScheme = new();
                private static readonly Dictionary<string, Type> byExtension = new();

                public static void Scan(Assembly assembly)
                {
                    foreach (var type in assembly.GetTypes())
                    {
                        var attribute = (FormatAttribute?)type.GetCustomAttribute(typeof(FormatAttribute));
                        if (attribute is null) continue;
                        var scheme = attribute.Scheme.ToUpperInvariant();
                        byScheme[scheme] = type;
                        foreach (var extension in attribute.Extensions)
                        {
                            byExtension.Add(extension.ToLowerInvariant(), type);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task LocalKeyWhoseEveryValueIsBounded() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Names
            {
                private static readonly Dictionary<string, int> counts = new();

                public static void Count(Type type, bool generic)
                {
                    var key = type.Name;
                    if (generic) key = type.Name + "`";
                    counts[key] = 1;
                    counts[type.FullName + "_" + (generic ? "G" : "N")] = 2;
                    counts[type.Namespace ?? "global"] = 3;
                }
            }
            """);

    [Fact]
    public Task WeakFrozenAndImmutableCollections() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Frozen;
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using System.Runtime.CompilerServices;
            class Metadata
            {
                private static readonly ConditionalWeakTable<object, string> notes = new();
                private static readonly FrozenDictionary<string, int> codes = new Dictionary<string, int> { ["a"] = 1 }.ToFrozenDictionary();
                private static readonly ImmutableArray<string> names = ImmutableArray.Create("a");

                public void Note(object o, string text) => notes.AddOrUpdate(o, text);
                public int Code(string name) => codes[name] + names.Length;
            }
            """);

    [Fact]
    public Task InstanceAndWiderFieldsAreNotThisRulesBusiness() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Log
            {
                private readonly List<string> lines = new();
                internal static readonly List<string> Shared = new();
                public void Write(string line) { lines.Add(line); Shared.Add(line); }
            }
            """);

    [Fact]
    public Task HandedToCodeThatMayShrinkIt() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Pending
            {
                private static readonly List<string> items = new();
                public static void Add(string item) => items.Add(item);
                public static void Drain() => Process(items);
                private static void Process(List<string> list) { }
            }
            """);

    [Fact]
    public Task ReadsAndLinqAreNotGrowth() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            static class Known
            {
                private static readonly HashSet<string> names = new() { "a", "b" };
                public static bool Has(string n) => names.Contains(n) || names.Any(x => x == n);
            }
            """);

    [Fact]
    public Task UserDeclaredBoundedKeyTypesAndCollections() =>
        new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;
                sealed class TenantId { }
                static class Tenants
                {
                    private static readonly Dictionary<TenantId, string> names = new();
                    private static readonly List<string> audit = new();
                    public static void Name(TenantId id, string name) { names[id] = name; audit.Add(name); }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.bounded_key_types = TenantId\nleak_analyzers.LEAK201.bounded_collections = Tenants.audit\n",
        }.RunAsync();

    [Fact]
    public Task BoundedByALinqCountCheck() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            static class Recent
            {
                private static readonly List<string> items = new();

                public static void Add(string item)
                {
                    if (items.Count() < 100)
                    {
                        items.Add(item);
                    }
                }
            }
            """);

    [Fact]
    public Task KnownMiss_GrowthThroughALocalCopyIsNotSeen() =>
        // The copy is taken as handing the list to code that might shrink it; the analyzer does not follow locals.
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Log
            {
                private static readonly List<string> lines = new();

                public static void Write(string line)
                {
                    var target = lines;
                    target.Add(line);
                }
            }
            """);

    [Fact]
    public Task RegistryWithRemovalInDispose() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            sealed class Subscription : IDisposable
            {
                private static readonly HashSet<Subscription> active = new();
                public Subscription() { lock (active) { active.Add(this); } }
                public void Dispose() { lock (active) { active.Remove(this); } }
            }
            """);

    [Fact]
    public Task KeysReadFromReflectionObjects() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Reflection;
            static class Names
            {
                private static readonly Dictionary<string, Type> byName = new();
                private static readonly Dictionary<string, MethodInfo> methods = new();

                public static void Register(Type type) => byName[type.FullName + ""] = type;
                public static void Register(MethodInfo method) => methods[$"{method.DeclaringType}.{method.Name}"] = method;
                public static void Register<T>() => byName[typeof(T).ToString()] = typeof(T);
            }
            """);

    [Fact]
    public Task SingletonFilledInItsConstructorOrTrimmed() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            sealed class Registry
            {
                public static Registry Instance { get; } = new Registry();
                private readonly Dictionary<string, int> codes = new() { ["a"] = 1 };
                private readonly List<string> recent = new();

                private Registry() { codes["b"] = 2; }

                public int Code(string name) => codes[name];

                public void Seen(string name)
                {
                    recent.Add(name);
                    if (recent.Count > 100) recent.RemoveAt(0);
                }
            }
            """);

    [Fact]
    public Task InstanceCollectionsOfOrdinaryTypes() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            sealed class Request
            {
                private readonly List<string> headers = new();
                public void Add(string header) => headers.Add(header);
            }
            """);

    [Fact]
    public Task GenericCacheKeyedByAConstrainedEnum() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            static class EnumNames<TEnum> where TEnum : struct, Enum
            {
                private static readonly ConcurrentDictionary<TEnum, string> names = new();
                public static string Of(TEnum value) => names.GetOrAdd(value, v => v.ToString().ToLowerInvariant());
            }
            """);
    [Fact]
    public Task RegistrationApiThatForwardsToAPrivateHelper() =>
        // Lavalink4NET's payload converter: the public Register* methods lock and pass their parameters on.
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public abstract class PayloadReader { }
            public sealed class TrackStartReader : PayloadReader { }
            public static class PayloadRegistry
            {
                private static readonly Dictionary<string, PayloadReader> readers = new(StringComparer.OrdinalIgnoreCase);
                private static readonly object gate = new object();
                static PayloadRegistry() { RegisterInternal("TrackStart", new TrackStartReader()); }
                public static void Register(string name, PayloadReader reader)
                {
                    lock (gate) { RegisterInternal(name, reader); }
                }
                public static PayloadReader Find(string name) => readers.TryGetValue(name, out var reader) ? reader : null;
                private static void RegisterInternal(string name, PayloadReader reader) => readers[name] = reader;
            }
            """);
    [Fact]
    public Task KeyedByAParameterEveryCallerFillsWithABoundedValue() =>
        // Jint's operator cache: (operator name, left type, right type), the name a constant at every call.
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            using System.Linq;
            using System.Reflection;
            sealed class BinaryOps
            {
                private readonly record struct OperatorKey(string OperatorName, Type Left, Type Right);
                private static readonly ConcurrentDictionary<OperatorKey, MethodInfo> known = new();
                private static readonly ConcurrentDictionary<string, object> providers = new();
                public static MethodInfo Add(object left, object right) => Find("op_Addition", left, right);
                public static MethodInfo Subtract(object left, object right) => Find(Names.Subtraction, left, right);
                private static MethodInfo Find(string clrName, object left, object right)
                {
                    var key = new OperatorKey(clrName, left.GetType(), right.GetType());
                    return known.GetOrAdd(key, k => k.Left.GetMethods().FirstOrDefault(m => m.Name == k.OperatorName));
                }
                public static object Md4() => Provider("MD4");
                public static object Md5() => Provider("MD5");
                private static object Provider(string algorithm) => providers.GetOrAdd(algorithm, a => new object());
            }
            static class Names { public const string Subtraction = "op_Subtraction"; }
            """);
}
