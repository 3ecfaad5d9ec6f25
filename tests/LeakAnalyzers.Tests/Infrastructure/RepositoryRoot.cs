namespace LeakAnalyzers.Tests.Infrastructure;

using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

/// <summary>The checkout the tests were built from: the folder above the test binaries that holds LeakAnalyzers.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    internal static string Path => Root.Value;

    /// <summary>The configuration (Debug, Release) this test assembly was built with, so that packing uses the same one.</summary>
    internal static string Configuration =>
        typeof(RepositoryRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BuildConfiguration").Value
        ?? throw new InvalidOperationException("The test assembly has no BuildConfiguration metadata.");

    /// <summary>The package version, as Directory.Build.props sets it.</summary>
    internal static string Version
    {
        get
        {
            var props = File.ReadAllText(Combine("Directory.Build.props"));
            var match = Regex.Match(props, @"<Version>\s*([^<\s]+)\s*</Version>");
            if (!match.Success)
            {
                throw new InvalidOperationException("Directory.Build.props sets no <Version>.");
            }

            return match.Groups[1].Value;
        }
    }

    internal static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "LeakAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds LeakAnalyzers.sln.");
    }
}
