namespace LeakAnalyzers.Tests.EndToEnd;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using LeakAnalyzers.Tests.Infrastructure;
using LeakAnalyzers.Tests.Meta;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// The packed package in an editor: csharp-ls, a Roslyn-based language server, installed by the test into a folder of
/// its own, opens a throwaway project that references the package, with analyzers enabled (<c>csharp.analyzersEnabled</c>,
/// off by default). The warnings it publishes for a leaky file are the build's, at the build's ranges, with its
/// messages; and they stay right while a method is typed below them, one half-typed state after another.
/// </summary>
[Collection(PackedPackage.CollectionName)]
public sealed class EditorTests
{
    private const string ServerPackage = "csharp-ls";
    private const string ServerVersion = "0.28.0";
    private const string LeakyFile = "Journal.cs";

    private const string LeakySource = """
        namespace Throwaway;

        using System;
        using System.Collections.Generic;
        using System.IO;

        public sealed class Journal
        {
            private static readonly List<string> Entries = new();

            public Journal()
            {
                AppDomain.CurrentDomain.ProcessExit += this.OnExit;
            }

            public static int FirstByte(string path)
            {
                var stream = new FileStream(path, FileMode.Open);
                return stream.ReadByte();
            }

            public static void Touch(string path)
            {
                File.Create(path);
            }

            public static void Record(string entry) => Entries.Add(entry);

            private void OnExit(object? sender, EventArgs e)
            {
            }
        }

        """;

    private const string ProgramSource = """
        namespace Throwaway;

        public static class Program
        {
            public static int Main(string[] args) => args.Length == 0 ? 0 : Journal.FirstByte(args[0]);
        }

        """;

    /// <summary>What the user types at the end of <c>Journal</c>, token by token.</summary>
    private const string TypedMethod = """

            public static void Log(string path, string line)
            {
                using var writer = new StreamWriter(path, append: true);
                writer.WriteLine($"{DateTime.Now:O} {line}");
            }

        """;

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan EditTimeout = TimeSpan.FromMinutes(1);

    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public EditorTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    [Fact]
    public async Task Language_server_publishes_the_builds_warnings_and_keeps_them_while_code_is_half_typed()
    {
        _ = this.package.Path; // Packs, once per run; fails here with the pack output if packing failed.
        using var project = new ThrowawayProject(this.package, "editor");
        project.WriteFile("Program.cs", ProgramSource);
        project.WriteFile(LeakyFile, LeakySource);

        var toolPath = Path.Combine(this.package.WorkRoot, "tools", ServerPackage);
        var install = this.Run(() => project.InstallTool(ServerPackage, ServerVersion, toolPath));
        Assert.True(install.ExitCode == 0, install.Describe());
        var server = Directory.GetFiles(toolPath, "CSharpLanguageServer.dll", SearchOption.AllDirectories).SingleOrDefault();
        Assert.True(server is not null, $"{ServerPackage} {ServerVersion} installed no CSharpLanguageServer.dll under {toolPath}. {install.Describe()}");

        // The build restores the project (the server loads it as it is) and says what the warnings are.
        var build = this.Run(() => project.BuildWith("-p:ErrorLog=build.sarif%2Cversion=2.1"));
        Assert.True(build.ExitCode == 0, build.Describe());
        var expected = BuildWarnings(project.PathOf("build.sarif"), project.PathOf(LeakyFile));
        Assert.Equal(new[] { "LEAK001", "LEAK002", "LEAK101", "LEAK201" }, expected.Select(d => d.Code).Order());

        var settings = new JsonObject { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } };
        using var editor = LanguageServer.Start(server!, project.Directory, project.Environment, settings);
        await editor.InitializeAsync(project.Directory, LoadTimeout);
        var path = project.PathOf(LeakyFile);
        var started = DateTime.UtcNow;
        editor.Open(path, LeakySource);

        var opened = await editor.WaitForAsync(path, 0, p => p.Diagnostics.Any(IsLeak), LoadTimeout, "with LEAK warnings");
        this.output.WriteLine($"csharp-ls published the LEAK warnings {(DateTime.UtcNow - started).TotalSeconds:0.0} s after the file was opened");
        Assert.True(Leaks(opened).SequenceEqual(expected), $"Published {Show(Leaks(opened))}, the build has {Show(expected)}. {editor.Describe()}");

        // Each state is known by its syntax errors (code and range; their wording may differ between the Roslyn of the
        // server and the test's): the publication that has them is the server's answer to it.
        var version = 1;
        foreach (var state in HalfTypedStates(every: 4))
        {
            var seen = editor.Publications.Count;
            editor.Change(path, ++version, state);
            var syntaxErrors = SyntaxErrors(state);
            Assert.NotEmpty(syntaxErrors);
            var published = await editor.WaitForAsync(path, seen, p => syntaxErrors.All(e => p.Diagnostics.Any(d => d with { Message = e.Message } == e)), EditTimeout, $"with the syntax errors of state {version}");
            Assert.True(
                Leaks(published).SequenceEqual(expected),
                $"While typing, state {version}:\n{state}\npublished {Show(Leaks(published))}, the build has {Show(expected)}. {editor.Describe()}");
        }

        var complete = WithTyped(TypedMethod);
        var before = editor.Publications.Count;
        editor.Change(path, ++version, complete);
        var final = await editor.WaitForAsync(path, before, p => !p.Diagnostics.Any(d => d.Code.StartsWith("CS", StringComparison.Ordinal)), EditTimeout, "without errors once the method is complete");
        Assert.True(Leaks(final).SequenceEqual(expected), $"Once typed: published {Show(Leaks(final))}, the build has {Show(expected)}. {editor.Describe()}");
        this.output.WriteLine($"{version - 1} edits, each answered; {editor.Publications.Count} publications in all");
    }

    /// <summary>
    /// No analyzer throws on any state of the typing. An exception surfaces as AD0001, which has no location; csharp-ls
    /// publishes only diagnostics located in the document (a deliberately throwing analyzer in the throwaway project
    /// showed no AD0001 over LSP), so the states go through the same analysis host API it uses, in process.
    /// </summary>
    [Fact]
    public async Task No_analyzer_throws_on_any_half_typed_state()
    {
        var analyzers = AnalyzerCatalog.CreateAnalyzers();
        var states = HalfTypedStates(every: 1).ToList();
        Assert.True(states.Count > 20, $"Only {states.Count} states.");
        foreach (var state in states)
        {
            var run = await BrokenCodeTests.RunAsync(analyzers, state, topLevel: false, hostileOptions: false);
            Assert.True(run.Exceptions.IsEmpty, $"Analyzers threw on:\n{state}\n" + string.Join("\n\n", run.Exceptions));
            Assert.DoesNotContain(run.Diagnostics, d => d.Id is "AD0001" or "AD0002");
        }
    }

    private static bool IsLeak(LspDiagnostic diagnostic) => diagnostic.Code.StartsWith("LEAK", StringComparison.Ordinal);

    private static List<LspDiagnostic> Leaks(Publication publication) =>
        publication.Diagnostics.Where(IsLeak).OrderBy(d => d.StartLine).ThenBy(d => d.StartCharacter).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();

    private static string Show(IEnumerable<LspDiagnostic> diagnostics) => "[" + string.Join("; ", diagnostics) + "]";

    /// <summary>The file with <paramref name="typed"/> written before the closing brace of <c>Journal</c>.</summary>
    private static string WithTyped(string typed)
    {
        var brace = LeakySource.LastIndexOf('}');
        return LeakySource.Substring(0, brace).TrimEnd('\n') + "\n" + typed + LeakySource.Substring(brace);
    }

    /// <summary>The file after each <paramref name="every"/>th token of the method, up to (not including) the whole of it.</summary>
    private static IEnumerable<string> HalfTypedStates(int every)
    {
        var tokens = SyntaxFactory.ParseTokens(TypedMethod).Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();
        for (var i = 0; i < tokens.Count - 1; i += every)
        {
            yield return WithTyped(TypedMethod.Substring(0, tokens[i].Span.End));
        }
    }

    /// <summary>The syntax errors of <paramref name="text"/> as an LSP server reports them.</summary>
    private static List<LspDiagnostic> SyntaxErrors(string text) =>
        CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest)).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                return new LspDiagnostic(d.Id, span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            })
            .ToList();

    /// <summary>The LEAK warnings the build logged (SARIF 2.1, one-based lines and columns, end exclusive) for <paramref name="file"/>, as LSP ranges.</summary>
    private static List<LspDiagnostic> BuildWarnings(string sarifPath, string file)
    {
        using var sarif = JsonDocument.Parse(File.ReadAllText(sarifPath));
        var found = new List<LspDiagnostic>();
        foreach (var run in sarif.RootElement.GetProperty("runs").EnumerateArray())
        {
            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                var id = result.GetProperty("ruleId").GetString()!;
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                if (!id.StartsWith("LEAK", StringComparison.Ordinal) ||
                    new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath != file)
                {
                    continue;
                }

                var region = location.GetProperty("region");
                found.Add(new LspDiagnostic(
                    id,
                    region.GetProperty("startLine").GetInt32() - 1,
                    region.GetProperty("startColumn").GetInt32() - 1,
                    region.GetProperty("endLine").GetInt32() - 1,
                    region.GetProperty("endColumn").GetInt32() - 1,
                    result.GetProperty("message").GetProperty("text").GetString()!));
            }
        }

        return found.Distinct().OrderBy(d => d.StartLine).ThenBy(d => d.StartCharacter).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
    }

    private ProcessResult Run(Func<ProcessResult> command)
    {
        var result = command();
        this.output.WriteLine($"{result.CommandLine}: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }
}
