namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeakAnalyzers.Tests.Infrastructure;
using Xunit;

/// <summary>
/// AnalyzerReleases.Shipped.md and AnalyzerReleases.Unshipped.md, read in order, describe exactly the descriptors
/// that exist: same IDs, same categories, same default severities. The RS2000 series checks part of this at build
/// time; this also catches entries for rules that no longer exist and files the build does not read.
/// </summary>
public sealed class ReleaseTrackingTests
{
    private static string Shipped => RepositoryRoot.Combine("src", "LeakAnalyzers", "AnalyzerReleases.Shipped.md");

    private static string Unshipped => RepositoryRoot.Combine("src", "LeakAnalyzers", "AnalyzerReleases.Unshipped.md");

    [Fact]
    public void Release_files_describe_every_descriptor_with_its_category_and_severity()
    {
        var tracked = ReadTrackedRules();
        Assert.NotEmpty(AnalyzerCatalog.Descriptors);
        foreach (var descriptor in AnalyzerCatalog.Descriptors)
        {
            Assert.True(tracked.TryGetValue(descriptor.Id, out var rule), $"{descriptor.Id} is in neither release file: add it to AnalyzerReleases.Unshipped.md.");
            Assert.Equal((descriptor.Id, descriptor.Category, AnalyzerCatalog.SeverityText(descriptor)), (descriptor.Id, rule.Category, rule.Severity));
        }
    }

    [Fact]
    public void Release_files_describe_nothing_else()
    {
        var ids = AnalyzerCatalog.Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var extra = ReadTrackedRules().Keys.Where(id => !ids.Contains(id));
        Assert.Empty(extra);
    }

    [Fact]
    public void Release_files_are_given_to_the_analyzer_project()
    {
        // The RS2000 checks only see the files listed as AdditionalFiles.
        var project = File.ReadAllText(RepositoryRoot.Combine("src", "LeakAnalyzers", "LeakAnalyzers.csproj"));
        Assert.Contains("<AdditionalFiles Include=\"AnalyzerReleases.Shipped.md\" />", project);
        Assert.Contains("<AdditionalFiles Include=\"AnalyzerReleases.Unshipped.md\" />", project);
    }

    [Fact]
    public void Reader_applies_new_changed_and_removed_rules_in_order()
    {
        // The reader itself, on a made-up history, so that the tests above cannot pass by reading nothing.
        var rules = new Dictionary<string, TrackedRule>(StringComparer.Ordinal);
        Apply(rules, """
            ## Release 1.0

            ### New Rules

            Rule ID | Category | Severity | Notes
            --------|----------|----------|-------
            LEAK900 | A | Warning | x
            LEAK901 | A | Info | x

            ## Release 1.1

            ### Changed Rules

            Rule ID | New Category | New Severity | Old Category | Old Severity | Notes
            --------|--------------|--------------|--------------|--------------|-------
            LEAK900 | B | Error | A | Warning | x

            ### Removed Rules

            Rule ID | Category | Severity | Notes
            --------|----------|----------|-------
            LEAK901 | A | Info | x
            """.Split('\n'));
        Assert.Equal(["LEAK900"], rules.Keys);
        Assert.Equal(new TrackedRule("B", "Error"), rules["LEAK900"]);
    }

    private static Dictionary<string, TrackedRule> ReadTrackedRules()
    {
        var rules = new Dictionary<string, TrackedRule>(StringComparer.Ordinal);
        Apply(rules, File.ReadAllLines(Shipped));
        Apply(rules, File.ReadAllLines(Unshipped));
        return rules;
    }

    /// <summary>Applies the New, Changed and Removed tables of one file, in order, to the rules known so far.</summary>
    private static void Apply(Dictionary<string, TrackedRule> rules, IEnumerable<string> lines)
    {
        var section = string.Empty;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("###", StringComparison.Ordinal))
            {
                section = line.TrimStart('#').Trim();
                continue;
            }

            if (line.StartsWith("##", StringComparison.Ordinal))
            {
                section = string.Empty;
                continue;
            }

            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 3 || !cells[0].StartsWith("LEAK", StringComparison.Ordinal))
            {
                continue;
            }

            var id = cells[0];
            switch (section)
            {
                case "New Rules":
                    Assert.False(rules.ContainsKey(id), $"{id} is added twice in the release files.");
                    rules[id] = new TrackedRule(cells[1], cells[2]);
                    break;
                case "Changed Rules":
                    Assert.True(rules.ContainsKey(id), $"{id} is changed in the release files before it was added.");
                    rules[id] = new TrackedRule(cells[1], cells[2]);
                    break;
                case "Removed Rules":
                    Assert.True(rules.Remove(id), $"{id} is removed in the release files before it was added.");
                    break;
                default:
                    Assert.Fail($"{id} appears outside a New, Changed or Removed Rules table: '{raw}'.");
                    break;
            }
        }
    }

    private sealed record TrackedRule(string Category, string Severity);
}
