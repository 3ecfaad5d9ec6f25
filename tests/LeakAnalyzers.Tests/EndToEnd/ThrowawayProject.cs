namespace LeakAnalyzers.Tests.EndToEnd;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LeakAnalyzers.Tests.Infrastructure;
using Xunit;

/// <summary>
/// A console project in a temporary folder that references the packed LeakAnalyzers package the way a user does,
/// built and formatted with the real <c>dotnet</c>. Its nuget.config reads the freshly packed package from the
/// run's artifacts folder and everything else from nuget.org, into a packages folder of its own, so an older
/// LeakAnalyzers of the same version in the user's cache is never used.
/// </summary>
internal sealed class ThrowawayProject : IDisposable
{
    internal const string ProjectName = "Throwaway";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly PackedPackage package;

    internal ThrowawayProject(PackedPackage package, string name)
    {
        this.package = package;
        this.Directory = Path.Combine(package.WorkRoot, "e2e", name);
        System.IO.Directory.CreateDirectory(this.Directory);
        this.PackagesDirectory = Path.Combine(package.WorkRoot, "packages");

        // Nothing above the temporary folder may change the build: stop MSBuild's upward search here.
        File.WriteAllText(Path.Combine(this.Directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(this.Directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(this.Directory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(this.Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{this.PackagesDirectory}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{package.ArtifactsDirectory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="LeakAnalyzers" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(this.ProjectPath, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LeakAnalyzers" Version="{package.Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
    }

    internal string Directory { get; }

    internal string PackagesDirectory { get; }

    internal string ProjectPath => Path.Combine(this.Directory, ProjectName + ".csproj");

    internal void WriteFile(string relativePath, string content) =>
        File.WriteAllText(Path.Combine(this.Directory, relativePath), content.Replace("\r\n", "\n"));

    internal string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(this.Directory, relativePath));

    internal ProcessResult Build() => this.BuildWith();

    /// <summary><c>dotnet build</c> with more arguments (<c>-p:ErrorLog=...</c>).</summary>
    internal ProcessResult BuildWith(params string[] arguments) => this.Dotnet(
        [
            "build",
            this.ProjectPath,
            "-c",
            "Debug",
            "-nodeReuse:false",
            "-p:UseSharedCompilation=false",
            "--disable-build-servers",
            "-consoleLoggerParameters:NoSummary",
            .. arguments,
        ]);

    /// <summary><c>dotnet tool install</c> of a tool into a folder of its own, from this project's package sources.</summary>
    internal ProcessResult InstallTool(string package, string version, string toolPath) => this.Dotnet(
        "tool",
        "install",
        package,
        "--version",
        version,
        "--tool-path",
        toolPath);

    /// <summary>The environment the project's own builds get (its packages folder); for other processes that load it.</summary>
    internal IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        // Beats any NUGET_PACKAGES of the machine, which would beat the nuget.config setting.
        ["NUGET_PACKAGES"] = this.PackagesDirectory,
    };

    internal string PathOf(string relativePath) => Path.Combine(this.Directory, relativePath);

    internal ProcessResult FormatAnalyzers(string diagnosticId) => this.Dotnet(
        "format",
        "analyzers",
        this.ProjectPath,
        "--diagnostics",
        diagnosticId,
        "--severity",
        "warn",
        "--verbosity",
        "detailed");

    /// <summary>The diagnostics of <paramref name="id"/> that the output reports, one per file, line and column.</summary>
    internal static IReadOnlyList<BuildDiagnostic> Diagnostics(ProcessResult result, string id)
    {
        var pattern = new Regex(@"(?<file>[^\s\\/]+\.cs)\((?<line>\d+),(?<column>\d+)\): (?<severity>warning|error) " + Regex.Escape(id) + ":");
        return pattern.Matches(result.Output)
            .Select(m => new BuildDiagnostic(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["column"].Value), m.Groups["severity"].Value))
            .Distinct()
            .ToList();
    }

    /// <summary>The 1-based line and column where <paramref name="text"/> first occurs in the file.</summary>
    internal (int Line, int Column) PositionOf(string relativePath, string text)
    {
        var lines = this.ReadFile(relativePath).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(text, StringComparison.Ordinal);
            if (column >= 0)
            {
                return (i + 1, column + 1);
            }
        }

        throw new InvalidOperationException($"'{text}' is not in {relativePath}.");
    }

    public void Dispose()
    {
        PackedPackage.DeleteDirectory(this.Directory);
    }

    private ProcessResult Dotnet(params string[] arguments)
    {
        var result = ProcessRunner.RunDotnet(this.Directory, CommandTimeout, this.Environment, arguments);
        Assert.False(result.TimedOut, result.Describe());
        return result;
    }
}

internal sealed record BuildDiagnostic(string File, int Line, int Column, string Severity);
