namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using LeakAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

/// <summary>Documentation is code: every rule has its page, the pages say what the descriptors say, the README table is generated.</summary>
public sealed class DocumentationTests
{
    internal const string TableStart = "<!-- rules -->";
    internal const string TableEnd = "<!-- /rules -->";

    public static TheoryData<string> DescriptorIds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in AnalyzerCatalog.Descriptors)
            {
                data.Add(descriptor.Id);
            }

            return data;
        }
    }

    private static string RulesFolder => RepositoryRoot.Combine("docs", "rules");

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Rule_has_a_page(string id)
    {
        Assert.True(File.Exists(PagePath(id)), $"{id} has no page: write docs/rules/{id}.md.");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Page_title_is_the_id_and_the_descriptor_title(string id)
    {
        var descriptor = AnalyzerCatalog.Descriptors.Single(d => d.Id == id);
        var firstLine = File.ReadLines(PagePath(id)).FirstOrDefault();
        Assert.Equal($"# {id}: {descriptor.Title.ToString(CultureInfo.InvariantCulture)}", firstLine);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Page_contains_the_descriptor_description(string id)
    {
        var descriptor = AnalyzerCatalog.Descriptors.Single(d => d.Id == id);
        var description = Normalize(descriptor.Description.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(description, Normalize(File.ReadAllText(PagePath(id))));
    }

    [Fact]
    public void Every_page_belongs_to_a_descriptor()
    {
        var ids = AnalyzerCatalog.Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(ids);
        var pages = Directory.Exists(RulesFolder)
            ? Directory.GetFiles(RulesFolder).Select(Path.GetFileName).ToList()
            : [];
        var orphans = pages.Where(p => !ids.Contains(Path.GetFileNameWithoutExtension(p!)) || Path.GetExtension(p) != ".md");
        Assert.Empty(orphans);
    }

    [Fact]
    public void README_rules_table_is_generated_from_the_descriptors()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md")).Replace("\r\n", "\n");
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md needs the rules table between {TableStart} and {TableEnd}.");

        var actual = readme.Substring(start + TableStart.Length, end - start - TableStart.Length).Trim('\n');
        var expected = GenerateRulesTable();
        if (actual != expected)
        {
            Assert.Fail($"The README rules table is stale. Paste this between {TableStart} and {TableEnd}:\n\n{expected}\n");
        }
    }

    [Fact]
    public void README_family_table_says_which_families_have_rules()
    {
        // Rows like "| LEAK1xx | Events | ... | Planned |": Available when a descriptor is in the range, else Planned.
        var rows = File.ReadAllLines(RepositoryRoot.Combine("README.md"))
            .Select(line => Regex.Match(line, @"^\| LEAK(\d)xx \|.*\| (\w+) \|$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value[0] - '0', m => m.Groups[2].Value);
        Assert.Equal([0, 1, 2, 3, 4], rows.Keys.Order());
        foreach (var (family, status) in rows)
        {
            var hasRules = AnalyzerCatalog.Descriptors.Any(d => d.Id[4] - '0' == family);
            Assert.Equal(hasRules ? "Available" : "Planned", status);
        }
    }

    [Fact]
    public void README_links_to_existing_files()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var links = Regex.Matches(readme, @"\]\((?!https?://|#)([^)\s#]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);

        // docs/runtime.md is written alongside the runtime library; it may land after this README.
        var missing = links.Where(l => l != "docs/runtime.md" && !File.Exists(RepositoryRoot.Combine(l)) && !Directory.Exists(RepositoryRoot.Combine(l)));
        Assert.Empty(missing);
    }

    /// <summary>The README table: ID linked to its page, title, family, default severity, whether a code fix exists.</summary>
    internal static string GenerateRulesTable()
    {
        var fixable = AnalyzerCatalog.FixableIds;
        var builder = new StringBuilder();
        builder.Append("| ID | Title | Category | Default severity | Code fix |\n");
        builder.Append("| --- | --- | --- | --- | --- |\n");
        foreach (var descriptor in AnalyzerCatalog.Descriptors)
        {
            builder.Append(CultureInfo.InvariantCulture, $"| [{descriptor.Id}](docs/rules/{descriptor.Id}.md) ");
            builder.Append(CultureInfo.InvariantCulture, $"| {descriptor.Title.ToString(CultureInfo.InvariantCulture).Replace("|", "\\|")} ");
            builder.Append(CultureInfo.InvariantCulture, $"| {AnalyzerCatalog.Family(descriptor)} ");
            builder.Append(CultureInfo.InvariantCulture, $"| {AnalyzerCatalog.SeverityText(descriptor)} ");
            builder.Append(CultureInfo.InvariantCulture, $"| {(fixable.Contains(descriptor.Id) ? "Yes" : "No")} |\n");
        }

        return builder.ToString().TrimEnd('\n');
    }

    private static string PagePath(string id) => Path.Combine(RulesFolder, id + ".md");

    private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();
}
