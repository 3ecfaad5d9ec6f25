namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

/// <summary>
/// The framework assemblies test code compiles against: the running runtime's trusted platform assemblies that
/// live in the shared framework directory and are framework assemblies by name. Test host, xunit and Roslyn
/// assemblies are application assemblies, so they are left out. Built once per test run.
/// </summary>
public static class ReferenceAssemblies
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyNet = new(Load);

    /// <summary>References for the framework the tests run on (net10.0).</summary>
    public static ImmutableArray<MetadataReference> Net => LazyNet.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The runtime does not expose TRUSTED_PLATFORM_ASSEMBLIES; cannot find framework references.");
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)
            ?? throw new InvalidOperationException("Cannot locate the shared framework directory.");

        var references = trusted
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal))
            .Where(path => IsFrameworkName(Path.GetFileNameWithoutExtension(path)))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

        if (references.IsEmpty)
        {
            throw new InvalidOperationException($"No framework assemblies found in '{frameworkDirectory}'.");
        }

        return references;
    }

    private static bool IsFrameworkName(string name)
    {
        if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Microsoft.TestPlatform", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Microsoft.VisualStudio", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("xunit", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return name == "System"
            || name == "netstandard"
            || name == "mscorlib"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal);
    }
}
