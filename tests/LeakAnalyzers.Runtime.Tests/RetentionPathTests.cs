namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.IO;
using LeakAnalyzers.Runtime.Tests.Fixtures.Paths;
using Xunit;

public sealed class RetentionPathTests
{
    [Fact]
    public void Paths_through_an_instance_event_a_concurrent_dictionary_and_the_callers_stack_share_one_capture()
    {
        var lonely = new Lonely();
        var entry = new Entry();
        Caches.ById[42] = entry;
        var listener = new Listener(Publisher.Instance);
        try
        {
            using HeapDump dump = HeapDump.Capture(lonely, entry, listener);

            // Held only by this test's own variable: not a leak, and said so.
            RetentionPath own = dump.FindPath(lonely)!;
            Assert.True(own.IsCallerReferenceOnly);
            Assert.Equal(LeakFamily.None, own.Family);
            Assert.Contains("this is not a leak", own.ToString());

            // ConcurrentDictionary nodes are collapsed into one entry, named by its key.
            RetentionPath cached = dump.FindPath(entry)!;
            Assert.Equal("static Caches.ById", cached.Root);
            Assert.Equal(LeakFamily.StaticCollection, cached.Family);
            Assert.Equal(2, cached.Steps.Count);
            Assert.Equal("value for key 42", cached.Target.Via);

            // An instance event of a long-lived object, with a lambda: the event is nearest to the root, so LEAK1xx.
            RetentionPath subscribed = dump.FindPath(listener)!;
            Assert.Equal("static Publisher.Instance", subscribed.Root);
            Assert.Equal(LeakFamily.EventSubscription, subscribed.Family);
            Assert.Equal("event Message", subscribed.Steps[1].Via);
            Assert.Equal("EventHandler<string> → lambda in Listener.constructor", subscribed.Steps[1].Description);
            Assert.StartsWith("closure of a lambda in Listener.constructor", subscribed.Steps[2].Description);
            Assert.Equal("captured this", subscribed.Target.Via);
        }
        finally
        {
            Caches.ById.Clear();
            Publisher.Instance.Reset();
        }
    }

    [Fact]
    public void Dot_output_has_the_root_the_edges_and_the_highlighted_target_and_renders_when_Graphviz_is_there()
    {
        var entry = new Entry();
        Caches.ById[7] = entry;
        string folder = Path.Combine(Path.GetTempPath(), "leakanalyzers-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            RetentionPath path = RetentionPath.Find(entry)!;
            string dot = path.ToDot();
            Assert.StartsWith("digraph retention {", dot);
            Assert.Contains("root0 [label=\"static Caches.ById\", shape=octagon", dot);
            Assert.Contains("[label=\"value for key 7\"]", dot);
            Assert.Contains("fillcolor=\"#ffb3b3\"", dot);
            Assert.Contains("label=\"LEAK2xx static collection\"", dot);
            Assert.EndsWith("}" + Environment.NewLine, dot);

            Directory.CreateDirectory(folder);
            string png = Path.Combine(folder, "path.png");
            var missing = Assert.Throws<InvalidOperationException>(() => path.RenderImage(png, dotExecutable: Path.Combine(folder, "no-such-dot")));
            Assert.Contains("Install Graphviz", missing.Message);

            if (IsOnPath("dot"))
            {
                path.RenderImage(png);
                byte[] header = File.ReadAllBytes(png)[..4];
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, header);
            }
            else
            {
                var e = Assert.Throws<InvalidOperationException>(() => path.RenderImage(png));
                Assert.Contains("Graphviz", e.Message);
            }
        }
        finally
        {
            Caches.ById.Clear();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Statics_of_a_generic_type_are_found_in_the_runtimes_statics_array_and_confirm_LEAK2xx()
    {
        var item = new GenericItem();
        var nested = new System.Collections.Generic.List<string> { "x" };
        GenericRegistry<GenericItem>.Items.Add(item);
        GenericRegistry<System.Collections.Generic.List<string>>.Items.Add(nested);
        try
        {
            using HeapDump dump = HeapDump.Capture(item, nested);
            RetentionPath path = dump.FindPath(item)!;
            Assert.Equal(RootKind.StaticField, path.RootKind);
            Assert.StartsWith("a static field the module does not list", path.Root);
            Assert.StartsWith("static field slot [", path.Steps[1].Via);
            Assert.Equal("List<GenericItem> (count 1)", path.Steps[1].Description);
            Assert.Equal("item [0]", path.Target.Via);
            Assert.Equal(LeakFamily.StaticCollection, path.Family);

            // A collection inside a collection stays visible as the entry.
            RetentionPath inner = dump.FindPath(nested)!;
            Assert.Equal("List<List<string>> (count 1)", inner.Steps[1].Description);
            Assert.Equal("item [0]", inner.Target.Via);
            Assert.Equal("List<string> (count 1)", inner.Target.Description);
        }
        finally
        {
            GenericRegistry<GenericItem>.Items.Clear();
            GenericRegistry<System.Collections.Generic.List<string>>.Items.Clear();
        }
    }

    [Fact]
    public void Several_paths_share_their_common_holders_in_one_graph()
    {
        var first = new Entry();
        var second = new Entry();
        Caches.ById[1] = first;
        Caches.ById[2] = second;
        try
        {
            using HeapDump dump = HeapDump.Capture(first, second);
            RetentionPath a = dump.FindPath(first)!;
            RetentionPath b = dump.FindPath(second)!;
            string dot = RetentionPath.ToDot(new[] { a, b }, "two cache entries");

            string dictionaryNode = $"o{a.Steps[0].Address:x} [label=";
            Assert.Equal(a.Steps[0].Address, b.Steps[0].Address);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(dot, System.Text.RegularExpressions.Regex.Escape(dictionaryNode)));
            Assert.Contains("[label=\"value for key 1\"]", dot);
            Assert.Contains("[label=\"value for key 2\"]", dot);
            Assert.Contains("label=\"two cache entries\"", dot);
        }
        finally
        {
            Caches.ById.Clear();
        }
    }

    [Fact]
    public void A_boxed_value_has_no_retention_path()
    {
        var e = Assert.Throws<ArgumentException>(() => RetentionPath.Find(3.14));
        Assert.Contains("no identity", e.Message);
    }

    private static bool IsOnPath(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (File.Exists(Path.Combine(dir, program)) || File.Exists(Path.Combine(dir, program + ".exe")))
            {
                return true;
            }
        }

        return false;
    }
}
