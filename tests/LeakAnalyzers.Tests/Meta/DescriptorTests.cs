namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Reflection;
using LeakAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

/// <summary>
/// The descriptors, analyzers and code fixes agree with each other and with the conventions: IDs unique and in
/// range, categories by range, help links to the rule pages, analyzers and fixes exported the way hosts find them.
/// </summary>
public sealed class DescriptorTests
{
    /// <summary>Code fixes that deliberately offer no Fix All, with the reason. Empty: every fix supports Fix All.</summary>
    private static readonly Dictionary<string, string> FixesWithoutFixAll = new(StringComparer.Ordinal);

    public static TheoryData<string> DescriptorIds => Theory(AnalyzerCatalog.Descriptors.Select(d => d.Id));

    public static TheoryData<string> AnalyzerTypeNames => Theory(AnalyzerCatalog.AnalyzerTypes.Select(t => t.FullName!));

    public static TheoryData<string> CodeFixTypeNames => Theory(AnalyzerCatalog.CodeFixProviderTypes.Select(t => t.FullName!));

    [Fact]
    public void There_are_descriptors_analyzers_and_code_fixes()
    {
        // Guards the theories below: a theory over an empty list would pass without checking anything.
        Assert.NotEmpty(AnalyzerCatalog.Descriptors);
        Assert.NotEmpty(AnalyzerCatalog.AnalyzerTypes);
        Assert.NotEmpty(AnalyzerCatalog.CodeFixProviderTypes);
    }

    [Fact]
    public void Ids_are_unique()
    {
        var duplicates = AnalyzerCatalog.Descriptors.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Id_is_LEAK_and_three_digits_and_names_its_field(string id)
    {
        Assert.Matches(@"^LEAK\d{3}$", id);
        var field = AnalyzerCatalog.DescriptorFields.Single(x => x.Descriptor.Id == id).Field;
        Assert.StartsWith(id, field.Name, StringComparison.Ordinal);
        Assert.True(field.IsInitOnly, $"{field.Name} must be readonly.");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Category_matches_the_id_range(string id)
    {
        var descriptor = Descriptor(id);
        var expected = (int.Parse(id.Substring(4, 3), System.Globalization.CultureInfo.InvariantCulture) / 100) switch
        {
            0 => Descriptors.Categories.Disposables,
            1 => Descriptors.Categories.Events,
            2 => Descriptors.Categories.StaticCollections,
            3 => Descriptors.Categories.Closures,
            4 => Descriptors.Categories.Native,
            _ => "no category: LEAK500 and above are not assigned",
        };
        Assert.Equal(expected, descriptor.Category);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Help_link_points_at_the_rule_page(string id)
    {
        Assert.Equal(Descriptors.HelpLinkRoot + id + ".md", Descriptor(id).HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Title_message_and_description_are_written(string id)
    {
        var descriptor = Descriptor(id);
        var title = descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var description = descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(title), $"{id} has no title.");
        Assert.False(string.IsNullOrWhiteSpace(message), $"{id} has no message.");
        Assert.False(string.IsNullOrWhiteSpace(description), $"{id} has no description.");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Every_descriptor_is_supported_by_an_analyzer(string id)
    {
        var supporting = AnalyzerCatalog.CreateAnalyzers().Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToList();
        Assert.NotEmpty(supporting);
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypeNames))]
    public void Analyzer_is_public_sealed_and_exported_for_CSharp(string typeName)
    {
        var type = AnalyzerType(typeName);
        Assert.True(type.IsPublic, $"{typeName} must be public.");
        Assert.True(type.IsSealed, $"{typeName} must be sealed.");
        var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
        Assert.NotNull(attribute);
        Assert.Equal([LanguageNames.CSharp], attribute!.Languages);
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypeNames))]
    public void Analyzer_supports_only_descriptors_from_Descriptors(string typeName)
    {
        var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(AnalyzerType(typeName))!;
        Assert.NotEmpty(analyzer.SupportedDiagnostics);
        var known = AnalyzerCatalog.Descriptors;
        foreach (var supported in analyzer.SupportedDiagnostics)
        {
            Assert.True(
                known.Any(d => ReferenceEquals(d, supported)),
                $"{typeName} supports {supported.Id}, which is not one of the descriptors in Descriptors.cs.");
        }
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypeNames))]
    public void Analyzer_lives_in_the_namespace_of_its_family(string typeName)
    {
        var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(AnalyzerType(typeName))!;
        var families = analyzer.SupportedDiagnostics.Select(AnalyzerCatalog.Family).Distinct().ToList();
        var family = Assert.Single(families);
        Assert.Equal("LeakAnalyzers." + family, AnalyzerType(typeName).Namespace);
    }

    [Theory]
    [MemberData(nameof(CodeFixTypeNames))]
    public void Code_fix_is_exported_for_CSharp_with_a_name_and_shared(string typeName)
    {
        var type = CodeFixType(typeName);
        var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.NotNull(export);
        Assert.Equal([LanguageNames.CSharp], export!.Languages);
        Assert.False(string.IsNullOrWhiteSpace(export.Name), $"{typeName} needs [ExportCodeFixProvider(LanguageNames.CSharp, Name = ...)].");
        Assert.NotNull(type.GetCustomAttribute<SharedAttribute>());
        Assert.True(type.IsSealed, $"{typeName} must be sealed.");
    }

    [Theory]
    [MemberData(nameof(CodeFixTypeNames))]
    public void Code_fix_fixes_only_ids_that_exist(string typeName)
    {
        var provider = (CodeFixProvider)Activator.CreateInstance(CodeFixType(typeName))!;
        Assert.NotEmpty(provider.FixableDiagnosticIds);
        var ids = AnalyzerCatalog.Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in provider.FixableDiagnosticIds)
        {
            Assert.True(ids.Contains(id), $"{typeName} fixes {id}, which no descriptor has.");
        }
    }

    [Theory]
    [MemberData(nameof(CodeFixTypeNames))]
    public void Code_fix_offers_Fix_All_or_says_why_not(string typeName)
    {
        var provider = (CodeFixProvider)Activator.CreateInstance(CodeFixType(typeName))!;
        var fixAll = provider.GetFixAllProvider();
        if (FixesWithoutFixAll.TryGetValue(typeName, out var reason))
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
            Assert.Null(fixAll);
        }
        else
        {
            Assert.True(fixAll is not null, $"{typeName}.GetFixAllProvider() returns null; return one, or list the fix with its reason in {nameof(FixesWithoutFixAll)}.");
        }
    }

    [Fact]
    public void Fixes_listed_without_Fix_All_exist()
    {
        var names = AnalyzerCatalog.CodeFixProviderTypes.Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);
        Assert.All(FixesWithoutFixAll.Keys, name => Assert.Contains(name, names));
    }

    private static DiagnosticDescriptor Descriptor(string id) => AnalyzerCatalog.Descriptors.Single(d => d.Id == id);

    private static Type AnalyzerType(string fullName) => AnalyzerCatalog.AnalyzerTypes.Single(t => t.FullName == fullName);

    private static Type CodeFixType(string fullName) => AnalyzerCatalog.CodeFixProviderTypes.Single(t => t.FullName == fullName);

    private static TheoryData<string> Theory(IEnumerable<string> values)
    {
        var data = new TheoryData<string>();
        foreach (var value in values)
        {
            data.Add(value);
        }

        return data;
    }
}
