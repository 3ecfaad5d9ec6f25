namespace LeakAnalyzers.Runtime.Tests.Demo;

using System;
using System.IO;
using Xunit;

/// <summary>docs/runtime.md shows real output: these tests produce it again and compare.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void The_failure_shown_in_the_docs_is_what_the_demo_prints()
    {
        string docs = File.ReadAllText(FindDocs());
        string marker = "it would have failed with:";
        int start = docs.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/runtime.md no longer shows the demo's failure");
        int open = docs.IndexOf("```", start, StringComparison.Ordinal) + 3;
        int close = docs.IndexOf("```", open, StringComparison.Ordinal);
        string documented = docs.Substring(open, close - open).Trim().Replace("\r\n", "\n");

        try
        {
            var e = Assert.Throws<LeakAssertionException>(() => LeakAssert.Collected(() => new QuoteViewModel()));
            Assert.Equal(documented, e.Message.Replace("\r\n", "\n"));
        }
        finally
        {
            PriceFeed.Reset();
        }
    }

    [Fact]
    public void The_growth_failure_shown_in_the_docs_is_what_NoGrowth_prints()
    {
        string documented = Block(File.ReadAllText(FindDocs()), "LeakAssert.NoGrowth(() => handler.Handle(), HeapFilter.Namespace(\"MyApp\"));");
        var handler = new MyApp.RequestHandler();
        try
        {
            var e = Assert.Throws<LeakAssertionException>(() => LeakAssert.NoGrowth(() => handler.Handle(), HeapFilter.Namespace("MyApp")));
            string actual = e.Message.Replace("\r\n", "\n");
            Assert.True(documented == actual, "docs/runtime.md shows another output than NoGrowth prints:\n" + actual);
        }
        finally
        {
            MyApp.RequestLog.Records.Clear();
        }
    }

    [Fact]
    public void The_docs_show_the_demo_test_as_it_is_in_the_test_project()
    {
        string docs = File.ReadAllText(FindDocs()).Replace("\r\n", "\n");
        string demo = File.ReadAllText(Path.Combine(Path.GetDirectoryName(FindDocs())!, "..", "tests", "LeakAnalyzers.Runtime.Tests", "Demo", "DemoTests.cs")).Replace("\r\n", "\n");
        foreach (string line in new[]
        {
            "RetentionPath path = LeakAssert.Leaks(() => new QuoteViewModel(), vm => PriceFeed.Publish(42m));",
            "Assert.Equal(LeakFamily.EventSubscription, path.Family);      // confirms the LEAK1xx finding",
            "Assert.Equal(\"static PriceFeed.PriceChanged (event)\", path.Root);",
        })
        {
            Assert.Contains(line, docs);
            Assert.Contains(line, demo);
        }
    }

    /// <summary>The first fenced block after <paramref name="marker"/>, without its fences.</summary>
    private static string Block(string docs, string marker)
    {
        int start = docs.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/runtime.md no longer shows '{marker}'");
        int open = docs.IndexOf("```", docs.IndexOf("```", start, StringComparison.Ordinal) + 3, StringComparison.Ordinal);
        open = docs.IndexOf('\n', open) + 1;
        int close = docs.IndexOf("```", open, StringComparison.Ordinal);
        return docs.Substring(open, close - open).Trim().Replace("\r\n", "\n");
    }

    private static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "docs", "runtime.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/runtime.md was not found above " + AppContext.BaseDirectory);
    }
}
