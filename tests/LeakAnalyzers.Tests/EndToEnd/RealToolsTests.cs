namespace LeakAnalyzers.Tests.EndToEnd;

using System;
using System.Linq;
using LeakAnalyzers.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// The packed package, referenced from a throwaway project, with the real <c>dotnet build</c> and
/// <c>dotnet format</c>: warnings appear where the leak is, .editorconfig severities apply, the fix applies and
/// the fixed project builds clean. These tests run one after another (one xunit collection).
/// </summary>
[Collection(PackedPackage.CollectionName)]
public sealed class RealToolsTests
{
    private const string LeakyFile = "Reader.cs";

    private const string LeakySource = """
        namespace Throwaway;

        using System.IO;

        public static class Reader
        {
            public static int FirstByte(string path)
            {
                var stream = new FileStream(path, FileMode.Open);
                return stream.ReadByte();
            }
        }
        """;

    private const string ProgramSource = """
        namespace Throwaway;

        public static class Program
        {
            public static int Main(string[] args) => args.Length == 0 ? 0 : Reader.FirstByte(args[0]);
        }
        """;

    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public RealToolsTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    [Fact]
    public void Build_reports_LEAK001_as_a_warning_at_the_creation()
    {
        using var project = this.CreateProject("warning");

        var build = this.Run(project.Build);

        Assert.True(build.ExitCode == 0, build.Describe());
        var (line, column) = project.PositionOf(LeakyFile, "new FileStream");
        var diagnostic = Assert.Single(ThrowawayProject.Diagnostics(build, "LEAK001"));
        Assert.Equal(new BuildDiagnostic(LeakyFile, line, column, "warning"), diagnostic);
    }

    [Fact]
    public void Editorconfig_severity_error_fails_the_build()
    {
        using var project = this.CreateProject("error");
        project.WriteFile(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.LEAK001.severity = error
            """);

        var build = this.Run(project.Build);

        Assert.True(build.ExitCode != 0, "The build should fail. " + build.Describe());
        var (line, column) = project.PositionOf(LeakyFile, "new FileStream");
        var diagnostic = Assert.Single(ThrowawayProject.Diagnostics(build, "LEAK001"));
        Assert.Equal(new BuildDiagnostic(LeakyFile, line, column, "error"), diagnostic);
    }

    [Fact]
    public void Editorconfig_severity_none_silences_the_rule()
    {
        using var project = this.CreateProject("none");

        // Control.cs has the same leak and keeps the rule at warning: it proves the analyzer ran in this build.
        project.WriteFile("Control.cs", LeakySource.Replace("class Reader", "class Control"));
        project.WriteFile(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.LEAK001.severity = none

            [Control.cs]
            dotnet_diagnostic.LEAK001.severity = warning
            """);

        var build = this.Run(project.Build);

        Assert.True(build.ExitCode == 0, build.Describe());
        var diagnostics = ThrowawayProject.Diagnostics(build, "LEAK001");
        Assert.DoesNotContain(diagnostics, d => d.File == LeakyFile);
        Assert.Contains(diagnostics, d => d.File == "Control.cs" && d.Severity == "warning");
    }

    [Fact]
    public void Format_analyzers_applies_the_fix_and_the_result_builds_clean()
    {
        using var project = this.CreateProject("format");
        var before = this.Run(project.Build);
        Assert.Single(ThrowawayProject.Diagnostics(before, "LEAK001"));

        var format = this.Run(() => project.FormatAnalyzers("LEAK001"));

        Assert.True(format.ExitCode == 0, format.Describe());
        var fixedSource = project.ReadFile(LeakyFile);
        this.output.WriteLine(fixedSource);
        Assert.NotEqual(LeakySource, fixedSource);
        Assert.Contains("using var stream = new FileStream(path, FileMode.Open);", fixedSource);
        Assert.DoesNotContain("    var stream = new FileStream", fixedSource.Replace("using var stream", "USING"));
        Assert.Equal(ProgramSource, project.ReadFile("Program.cs"));

        var after = this.Run(project.Build);
        Assert.True(after.ExitCode == 0, after.Describe());
        Assert.Empty(ThrowawayProject.Diagnostics(after, "LEAK001"));
        Assert.DoesNotContain(": error ", after.Output);
    }

    private ThrowawayProject CreateProject(string name)
    {
        _ = this.package.Path; // Packs, once per run; fails here with the pack output if packing failed.
        this.output.WriteLine($"dotnet pack took {this.package.PackTime.TotalSeconds:0.0} s (once per run)");
        var project = new ThrowawayProject(this.package, name);
        project.WriteFile("Program.cs", ProgramSource);
        project.WriteFile(LeakyFile, LeakySource);
        return project;
    }

    private ProcessResult Run(Func<ProcessResult> command)
    {
        var result = command();
        this.output.WriteLine($"{result.CommandLine}: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }
}
