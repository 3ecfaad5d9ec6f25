namespace LeakAnalyzers.Tests.Meta;

using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using LeakAnalyzers.Tests.Infrastructure;
using Xunit;

/// <summary>The packed nupkg holds the analyzers where the compiler finds them, and nothing a consumer would ship.</summary>
[Collection(PackedPackage.CollectionName)]
public sealed class PackageTests
{
    private static readonly string[] AnalyzerDlls = ["LeakAnalyzers.dll", "LeakAnalyzers.CodeFixes.dll"];

    private readonly PackedPackage package;

    public PackageTests(PackedPackage package)
    {
        this.package = package;
    }

    [Fact]
    public void Package_is_named_after_the_version_in_Directory_Build_props()
    {
        Assert.Equal($"LeakAnalyzers.{RepositoryRoot.Version}.nupkg", Path.GetFileName(this.package.Path));
        Assert.Equal(RepositoryRoot.Version, (string?)Metadata(this.ReadNuspec(), "version"));
        Assert.Equal("LeakAnalyzers", (string?)Metadata(this.ReadNuspec(), "id"));
    }

    [Fact]
    public void Both_assemblies_are_under_analyzers_dotnet_cs_and_nowhere_else()
    {
        var entries = this.EntryNames();
        foreach (var dll in AnalyzerDlls)
        {
            Assert.Contains("analyzers/dotnet/cs/" + dll, entries);
        }

        var dlls = entries.Where(e => e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e, StringComparer.Ordinal);
        Assert.Equal(AnalyzerDlls.Select(d => "analyzers/dotnet/cs/" + d).OrderBy(e => e, StringComparer.Ordinal), dlls);
    }

    [Fact]
    public void Packed_assemblies_define_every_analyzer_and_code_fix_of_this_checkout()
    {
        var analyzers = this.TypeNamesDefinedIn("analyzers/dotnet/cs/LeakAnalyzers.dll");
        Assert.Contains(typeof(Descriptors).FullName!, analyzers);
        foreach (var type in AnalyzerCatalog.AnalyzerTypes)
        {
            Assert.Contains(type.FullName!, analyzers);
        }

        var fixes = this.TypeNamesDefinedIn("analyzers/dotnet/cs/LeakAnalyzers.CodeFixes.dll");
        foreach (var type in AnalyzerCatalog.CodeFixProviderTypes)
        {
            Assert.Contains(type.FullName!, fixes);
        }
    }

    [Fact]
    public void Packed_assemblies_need_no_Roslyn_newer_than_the_README_promises()
    {
        // The README's minimum compiler (VS 2022 17.5, SDK 7.0.200) is Roslyn 4.5.0, $(RoslynVersion).
        var props = File.ReadAllText(RepositoryRoot.Combine("Directory.Build.props"));
        var roslyn = System.Version.Parse(System.Text.RegularExpressions.Regex.Match(props, @"<RoslynVersion>([^<]+)</RoslynVersion>").Groups[1].Value);
        Assert.Equal(new System.Version(4, 5, 0), roslyn);

        foreach (var dll in AnalyzerDlls)
        {
            var references = this.AssemblyReferencesOf("analyzers/dotnet/cs/" + dll);
            var codeAnalysis = references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(codeAnalysis);
            Assert.All(codeAnalysis, r => Assert.True(r.Version <= new System.Version(roslyn.Major, roslyn.Minor, 0, 0), $"{dll} references {r.Name} {r.Version}."));
        }
    }

    [Fact]
    public void Package_has_no_lib_or_ref_folder_and_no_dependencies()
    {
        var entries = this.EntryNames();
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, e => e.StartsWith("ref/", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(entries, e => e.StartsWith("build/", StringComparison.OrdinalIgnoreCase) && e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));

        var nuspec = this.ReadNuspec();
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependencies");
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "frameworkAssemblies");
    }

    [Fact]
    public void Package_is_a_development_dependency()
    {
        Assert.Equal("true", (string?)Metadata(this.ReadNuspec(), "developmentDependency"));
    }

    [Fact]
    public void Package_carries_the_README_and_names_it()
    {
        var nuspec = this.ReadNuspec();
        Assert.Equal("README.md", (string?)Metadata(nuspec, "readme"));

        using var archive = ZipFile.OpenRead(this.package.Path);
        var readme = archive.GetEntry("README.md");
        Assert.NotNull(readme);
        using var reader = new StreamReader(readme!.Open());
        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("README.md")), reader.ReadToEnd());
    }

    [Fact]
    public void Package_metadata_has_license_url_tags_and_description()
    {
        var nuspec = this.ReadNuspec();
        var license = Metadata(nuspec, "license");
        Assert.NotNull(license);
        Assert.Equal("expression", (string?)license!.Attribute("type"));
        Assert.Equal("MIT", license.Value);
        Assert.StartsWith("https://", (string?)Metadata(nuspec, "projectUrl"));
        Assert.False(string.IsNullOrWhiteSpace((string?)Metadata(nuspec, "tags")));
        Assert.False(string.IsNullOrWhiteSpace((string?)Metadata(nuspec, "description")));
    }

    private static XElement? Metadata(XDocument nuspec, string name) =>
        nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().SingleOrDefault(e => e.Name.LocalName == name);

    private System.Collections.Generic.List<(string Name, System.Version Version)> AssemblyReferencesOf(string entryName)
    {
        using var pe = this.OpenPE(entryName);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(h => metadata.GetAssemblyReference(h))
            .Select(r => (metadata.GetString(r.Name), r.Version))
            .ToList();
    }

    private PEReader OpenPE(string entryName)
    {
        using var archive = ZipFile.OpenRead(this.package.Path);
        var entry = archive.GetEntry(entryName);
        Assert.NotNull(entry);
        var copy = new MemoryStream();
        using (var stream = entry!.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return new PEReader(copy);
    }

    private System.Collections.Generic.HashSet<string> TypeNamesDefinedIn(string entryName)
    {
        using var pe = this.OpenPE(entryName);
        var metadata = pe.GetMetadataReader();
        var names = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeDefinitions)
        {
            var definition = metadata.GetTypeDefinition(handle);
            var name = metadata.GetString(definition.Name);
            var ns = metadata.GetString(definition.Namespace);
            if (!definition.GetDeclaringType().IsNil)
            {
                continue;
            }

            names.Add(ns.Length == 0 ? name : ns + "." + name);
        }

        return names;
    }

    private string[] EntryNames()
    {
        using var archive = ZipFile.OpenRead(this.package.Path);
        return archive.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
    }

    private XDocument ReadNuspec()
    {
        using var archive = ZipFile.OpenRead(this.package.Path);
        var entry = Assert.Single(archive.Entries, e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
