namespace LeakAnalyzers.Tests.Infrastructure;

using System;
using System.IO;
using System.Threading;
using Xunit;

/// <summary>
/// Packs LeakAnalyzers.nupkg once per test run, with the real <c>dotnet pack</c> of the packaging project, into a
/// temporary folder that is deleted when the run ends. Shared by the package tests and the end-to-end tests.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    internal const string CollectionName = "Packed package";

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    private readonly Lazy<ProcessResult> pack;
    private readonly string packagePath;

    public PackedPackage()
    {
        this.WorkRoot = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "leakanalyzers-tests-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        this.ArtifactsDirectory = System.IO.Path.Combine(this.WorkRoot, "artifacts");
        this.Version = RepositoryRoot.Version;
        this.packagePath = System.IO.Path.Combine(this.ArtifactsDirectory, $"LeakAnalyzers.{this.Version}.nupkg");
        this.pack = new Lazy<ProcessResult>(this.Pack, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A temporary folder for this run: the packed package and the throwaway projects live under it.</summary>
    public string WorkRoot { get; }

    /// <summary>The folder the package was packed into; the throwaway projects use it as a package source.</summary>
    public string ArtifactsDirectory { get; }

    public string Version { get; }

    /// <summary>The path of the packed nupkg; packs on first use and fails the calling test if packing failed.</summary>
    public string Path
    {
        get
        {
            var result = this.pack.Value;
            Assert.True(result.ExitCode == 0 && File.Exists(this.packagePath), $"Packing did not produce {this.packagePath}. {result.Describe()}");
            return this.packagePath;
        }
    }

    /// <summary>How long the pack took.</summary>
    public TimeSpan PackTime => this.pack.Value.Elapsed;

    public void Dispose()
    {
        DeleteDirectory(this.WorkRoot);
    }

    internal static void DeleteDirectory(string directory)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 4)
            {
                Thread.Sleep(200);
            }
            catch (UnauthorizedAccessException) when (attempt < 4)
            {
                Thread.Sleep(200);
            }
        }
    }

    private ProcessResult Pack()
    {
        Directory.CreateDirectory(this.ArtifactsDirectory);
        return ProcessRunner.RunDotnet(
            RepositoryRoot.Path,
            PackTimeout,
            environment: null,
            "pack",
            RepositoryRoot.Combine("src", "LeakAnalyzers.Package", "LeakAnalyzers.Package.csproj"),
            "-c",
            RepositoryRoot.Configuration,
            "-o",
            this.ArtifactsDirectory,
            "-nodeReuse:false",
            "-p:UseSharedCompilation=false",
            "--disable-build-servers");
    }
}

/// <summary>The tests that use the packed package. They run one after another, never beside each other.</summary>
[CollectionDefinition(PackedPackage.CollectionName)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
}
