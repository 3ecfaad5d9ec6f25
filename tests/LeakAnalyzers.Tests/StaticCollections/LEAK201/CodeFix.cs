namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer,
    LeakAnalyzers.CodeFixes.StaticCollections.UseConditionalWeakTableCodeFix>;

public class CodeFix
{
    [Fact]
    public Task IndexerSetBecomesAddOrUpdate() => Verify.VerifyCodeFixAsync("""
        using System.Collections.Generic;

        sealed class Node { }

        static class Layout
        {
            private static readonly Dictionary<Node, string> [|labels|] = new Dictionary<Node, string>();

            public static void Label(Node node, string text)
            {
                lock (labels)
                {
                    labels[node] = text;
                }
            }

            public static string? Find(Node node) => labels.TryGetValue(node, out var text) ? text : null;
        }
        """, """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;

        sealed class Node { }

        static class Layout
        {
            private static readonly ConditionalWeakTable<Node, string> labels = new ConditionalWeakTable<Node, string>();

            public static void Label(Node node, string text)
            {
                lock (labels)
                {
                    labels.AddOrUpdate(node, text);
                }
            }

            public static string? Find(Node node) => labels.TryGetValue(node, out var text) ? text : null;
        }
        """);

    [Fact]
    public Task GetOrAddBecomesGetValue() => Verify.VerifyCodeFixAsync("""
        using System.Collections.Concurrent;
        using System.Runtime.CompilerServices;

        sealed class Widget { }
        sealed class WidgetState { public int Clicks; }

        sealed class Tracker
        {
            private static readonly ConcurrentDictionary<Widget, WidgetState> [|states|] = new();

            public void Click(Widget widget) => states.GetOrAdd(widget, _ => new WidgetState()).Clicks++;
        }
        """, """
        using System.Collections.Concurrent;
        using System.Runtime.CompilerServices;

        sealed class Widget { }
        sealed class WidgetState { public int Clicks; }

        sealed class Tracker
        {
            private static readonly ConditionalWeakTable<Widget, WidgetState> states = new();

            public void Click(Widget widget) => states.GetValue(widget, _ => new WidgetState()).Clicks++;
        }
        """);

    [Fact]
    public Task FixAllFixesEveryFieldAndAddsOneUsing() =>
        new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;

                sealed class Session { }

                static class SessionData
                {
                    private static readonly Dictionary<Session, string> [|names|] = new();
                    private static readonly Dictionary<Session, List<string>> [|logs|] = new();

                    public static void Open(Session session, string name)
                    {
                        names.Add(session, name);
                        logs[session] = new List<string>();
                    }
                }
                """,
            FixedCode = """
                using System.Collections.Generic;
                using System.Runtime.CompilerServices;

                sealed class Session { }

                static class SessionData
                {
                    private static readonly ConditionalWeakTable<Session, string> names = new();
                    private static readonly ConditionalWeakTable<Session, List<string>> logs = new();

                    public static void Open(Session session, string name)
                    {
                        names.Add(session, name);
                        logs.AddOrUpdate(session, new List<string>());
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixForStringKeys() => NoFix("""
        using System.Collections.Generic;
        static class Names
        {
            private static readonly Dictionary<string, object> [|byName|] = new();
            public static void Set(string name, object value) => byName[name] = value;
        }
        """);

    [Fact]
    public Task NoFixForKeysComparedByValue() => NoFix("""
        using System.Collections.Generic;
        sealed class Point
        {
            public int X;
            public override bool Equals(object? obj) => obj is Point p && p.X == X;
            public override int GetHashCode() => X;
        }
        record Key(string Name);
        static class Maps
        {
            private static readonly Dictionary<Point, string> {|LEAK203:byPoint|} = new();
            private static readonly Dictionary<Key, string> {|LEAK203:byKey|} = new();
            public static void Set(Point p, Key k) { byPoint[p] = "p"; byKey[k] = "k"; }
        }
        """);

    [Fact]
    public Task NoFixWhenTheEntriesAreEnumeratedOrCounted() => NoFix("""
        using System.Collections.Generic;
        sealed class Job { }
        static class Jobs
        {
            private static readonly Dictionary<Job, string> [|status|] = new();
            public static void Set(Job job, string s) => status[job] = s;
            public static IEnumerable<string> All() { foreach (var s in status.Values) yield return s; }
        }
        """);

    [Fact]
    public Task NoFixForValueTypesOrALookupByIndexer() => NoFix("""
        using System.Collections.Generic;
        sealed class Job { }
        static class Jobs
        {
            private static readonly Dictionary<Job, int> [|tries|] = new();
            private static readonly Dictionary<Job, string> [|names|] = new();
            public static void Set(Job job) { tries[job] = 1; names[job] = "x"; }
            public static string Name(Job job) => names[job];
        }
        """);

    [Fact]
    public Task NoFixForARegistryList() => NoFix("""
        using System.Collections.Generic;
        sealed class Widget
        {
            private static readonly List<Widget> [|all|] = new();
            public Widget() { all.Add(this); }
        }
        """);

    private static Task NoFix(string source) =>
        new Verify.Test { TestCode = source, FixedCode = source }.RunAsync();
}
