namespace LeakAnalyzers.Tests.StaticCollections.LEAK203;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

public class PrivateScope
{
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
                private static readonly ConcurrentDictionary<string, object> {|LEAK203:providers|} = new();
                public static object Md4() => Provider("MD4");
                {{member}}
                private static object Provider(string algorithm) => providers.GetOrAdd(algorithm, a => new object());
            }
            """);

    [Fact]
    public Task ForeachOverInput() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Tags
            {
                private static readonly HashSet<string> {|LEAK203:seen|} = new();

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
    public Task StaticAutoProperty() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Session
            {
                private static HashSet<string> {|LEAK203:Seen|} { get; } = new HashSet<string>();

                public bool Visit(string id) => Seen.Add(id);
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
                private static readonly Dictionary<string, Type> {|LEAK203:byName|} = new();

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
    public Task LocalKeyWithOneValueFromInput() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Names
            {
                private static readonly Dictionary<string, int> {|LEAK203:counts|} = new();

                public static void Count(Type type, string? alias)
                {
                    var key = type.Name;
                    if (alias is not null) key = alias;
                    counts[key] = 1;
                }
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
            Verify.Diagnostic("LEAK203").WithLocation(0).WithLocation(1).WithArguments(
                "'cache'",
                "'Get' adds an entry per new 'pattern'",
                "every entry stays until the process ends"));

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
            Verify.Diagnostic("LEAK203").WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "'xml'",
                "'For' adds an entry per new key (and 1 more place)",
                "every entry stays until the process ends"));

    [Fact]
    public Task LoopIndexKey() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Components
            {
                private static readonly Dictionary<int, string> {|LEAK203:byIndex|} = new();

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
    public Task TupleKeyWithCallerInputStillGrows() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Concurrent;
            static class Accessors
            {
                private static readonly ConcurrentDictionary<(Type, string), object> {|LEAK203:byName|} = new();
                public static object Get(Type type, string name) => byName.GetOrAdd((type, name), k => new object());
            }
            """);

    // The boundary with LEAK201: what makes a table a memo (LEAK203, a suggestion) and what keeps it a warning.
    [Fact]
    public Task SeenSetOfStrings() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            static class Warnings
            {
                private static readonly HashSet<string> {|LEAK203:warned|} = new();
                public static bool Once(string message) => warned.Add(message);
            }
            """);

    [Fact]
    public Task ImmutableMemoReplacedOnEveryAdd() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Immutable;
            static class Parsed
            {
                private static ImmutableDictionary<string, int> {|LEAK203:lengths|} = ImmutableDictionary<string, int>.Empty;
                public static int Length(string text)
                {
                    if (!lengths.TryGetValue(text, out var n))
                    {
                        n = text.Trim().Length;
                        lengths = lengths.Add(text, n);
                    }

                    return n;
                }
            }
            """);

    [Fact]
    public Task KeyedByObjectsComparedByIdentityStaysAWarning() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            sealed class Picker { }
            sealed class Popup { }
            static class Popups
            {
                private static readonly Dictionary<Picker, Popup> {|LEAK201:byPicker|} = new();
                public static void Loaded(Picker picker) => byPicker[picker] = new Popup();
            }
            """);

    [Fact]
    public Task KeyedByControlsWhoseLibrarySealsEqualsStaysAWarning()
    {
        // WPF's DependencyObject seals an Equals override so that every control compares by reference.
        var test = new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;
                using Ui;
                sealed class Picker : Element { }
                static class Popups
                {
                    private static readonly Dictionary<Picker, object> {|LEAK201:byPicker|} = new();
                    public static void Loaded(Picker picker) => byPicker[picker] = new object();
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Ui", """
            namespace Ui
            {
                public class Element
                {
                    public sealed override bool Equals(object obj) => base.Equals(obj);
                    public sealed override int GetHashCode() => base.GetHashCode();
                }
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task KeyedByASourceTypeWithASealedValueEqualityIsAMemo() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            class Name
            {
                public string Text = "";
                public sealed override bool Equals(object? obj) => obj is Name n && n.Text == Text;
                public sealed override int GetHashCode() => Text.GetHashCode();
            }
            static class Names
            {
                private static readonly Dictionary<Name, int> {|LEAK203:lengths|} = new();
                public static int Length(Name name) => lengths.TryGetValue(name, out var n) ? n : lengths[name] = name.Text.Length;
            }
            """);

    [Fact]
    public Task KeyedByObjectsUnderAStructuralComparerIsAMemo() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Linq.Expressions;
            sealed class PathComparer : IEqualityComparer<LambdaExpression>
            {
                public static readonly PathComparer Default = new();
                public bool Equals(LambdaExpression? x, LambdaExpression? y) => x?.ToString() == y?.ToString();
                public int GetHashCode(LambdaExpression obj) => obj.ToString().GetHashCode();
            }
            static class Paths
            {
                private static readonly ConcurrentDictionary<LambdaExpression, string> {|LEAK203:byPath|} = new(PathComparer.Default);
                private static readonly ConcurrentDictionary<LambdaExpression, string> {|LEAK201:byIdentity|} = new(ReferenceEqualityComparer.Instance);
                public static string Of(LambdaExpression path) => byPath.GetOrAdd(path, p => p.Body.ToString());
                public static string Same(LambdaExpression path) => byIdentity.GetOrAdd(path, p => p.Body.ToString());
            }
            """);

    [Fact]
    public Task StringKeyedRegistryOfTheCallersObjectsStaysAWarning() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Concurrent;
            sealed class Session { public string Id = ""; }
            static class Sessions
            {
                private static readonly ConcurrentDictionary<string, Session> {|LEAK201:open|} = new();
                public static void Opened(Session session) => open[session.Id] = session;
            }
            """);

    [Fact]
    public Task StoredValueCarryingTheCallersObjectStaysAWarning() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            static class Store
            {
                private static readonly Dictionary<string, (object Value, DateTime At)> {|LEAK201:entries|} = new();
                public static void Put(string key, object value) => entries[key] = (value, DateTime.UtcNow);
            }
            """);

    /// <summary>
    /// Namotion.Reflection's XML-doc cache (a public leak fix): a static table keyed by member name stores elements
    /// found in this instance's document, so it keeps every document any instance loaded. What an instance holds is
    /// not computed from the key. A string computed from the instance's state holds nothing of it: still a memo.
    /// </summary>
    [Fact]
    public Task StaticTableOfWhatAnInstanceHoldsStaysAWarning() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Xml.Linq;
            sealed class CachingDocument
            {
                private static readonly Dictionary<string, XElement> {|LEAK201:elements|} = new();
                private static readonly Dictionary<string, string> {|LEAK203:titles|} = new();
                private readonly XDocument document;
                private readonly string prefix = "T:";

                public CachingDocument(string path) => document = XDocument.Load(path);

                public XElement Element(string name)
                {
                    if (!elements.TryGetValue(name, out var element))
                    {
                        element = Find(document, name);
                        elements[name] = element;
                    }

                    return element;
                }

                public string Title(string name)
                {
                    if (!titles.TryGetValue(name, out var title))
                    {
                        title = string.Concat(prefix, name);
                        titles[name] = title;
                    }

                    return title;
                }

                private static XElement Find(XDocument source, string name) => source.Root!.Element(name)!;
            }
            """);

    [Fact]
    public Task OneRegistryWriteAmongMemoWritesStaysAWarning() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            static class Names
            {
                private static readonly Dictionary<string, object> {|LEAK201:byName|} = new();
                public static object Get(string name) => byName.TryGetValue(name, out var o) ? o : byName[name] = new object();
                public static void Put(string name, object o) => byName[name] = o;
            }
            """);

    [Fact]
    public Task SequenceOfStringsStaysAWarning() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            static class Log
            {
                private static readonly List<string> {|LEAK201:lines|} = new();
                public static void Write(string line) => lines.Add(line);
            }
            """);
}
