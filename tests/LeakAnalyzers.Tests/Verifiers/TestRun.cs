namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

/// <summary>A source file of a test state: its path, its text without markup, and the markup it carried.</summary>
internal sealed class SourceFile
{
    public SourceFile(string path, string text, ImmutableArray<MarkupSpan> markup)
    {
        Path = path;
        Text = text;
        Markup = markup;
    }

    public string Path { get; }

    public string Text { get; }

    public ImmutableArray<MarkupSpan> Markup { get; }
}

/// <summary>The sources of one state (the test code, or the code expected after a fix) and the diagnostics expected in it.</summary>
internal sealed class TestState
{
    public TestState(ImmutableArray<SourceFile> files, ImmutableArray<Expectation> expected)
    {
        Files = files;
        Expected = expected;
    }

    /// <summary>The main file first, then the additional sources in the order given.</summary>
    public ImmutableArray<SourceFile> Files { get; }

    public ImmutableArray<Expectation> Expected { get; }
}

/// <summary>What running the analyzers on a project produced.</summary>
internal sealed class AnalysisResult
{
    public AnalysisResult(ImmutableArray<Diagnostic> analyzerDiagnostics, ImmutableArray<Diagnostic> compilerDiagnostics, ImmutableArray<string> analyzerFailures)
    {
        AnalyzerDiagnostics = analyzerDiagnostics;
        CompilerDiagnostics = compilerDiagnostics;
        AnalyzerFailures = analyzerFailures;
    }

    /// <summary>Sorted by file, position and ID; analyzer exceptions (AD0001) are not here but in <see cref="AnalyzerFailures"/>.</summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics { get; }

    public ImmutableArray<Diagnostic> CompilerDiagnostics { get; }

    /// <summary>One text per exception an analyzer threw, with the exception's stack.</summary>
    public ImmutableArray<string> AnalyzerFailures { get; }
}

/// <summary>
/// Everything one <see cref="AnalyzerTest.RunAsync"/> needs: the analyzers, the compilation and parse options,
/// the .editorconfig, and a workspace that holds the test's sources as one C# project.
/// </summary>
internal sealed class TestRun : IDisposable
{
    public const string Directory = "/0/";
    public const string MainPath = "/0/Test0.cs";
    public const string EditorConfigPath = "/0/.editorconfig";

    private readonly AnalyzerTest _test;
    private readonly AdhocWorkspace _workspace = new();
    private readonly ConditionalWeakTable<Project, Task<AnalysisResult>> _analyses = new();

    public TestRun(AnalyzerTest test, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        _test = test;
        if (analyzers.IsDefaultOrEmpty)
        {
            throw new InvalidOperationException("The test has no analyzer to run.");
        }

        Analyzers = analyzers;
        var descriptors = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            ImmutableArray<DiagnosticDescriptor> supported;
            try
            {
                supported = analyzer.SupportedDiagnostics;
            }
            catch (Exception ex)
            {
                throw new VerificationException($"{analyzer.GetType().Name}.SupportedDiagnostics threw; an analyzer must never throw:{Environment.NewLine}{ex}", ex);
            }

            foreach (var descriptor in supported)
            {
                DefaultDescriptor ??= descriptor;
                descriptors.TryAdd(descriptor.Id, descriptor);
            }
        }

        Descriptors = descriptors;
        EditorConfig = EditorConfigOptions.Create(test.EditorConfig, EditorConfigPath);
        if (!EditorConfig.Problems.IsEmpty)
        {
            throw new InvalidOperationException("The test's EditorConfig text has problems:" + Environment.NewLine
                + string.Join(Environment.NewLine, EditorConfig.Problems.Select(p => "  " + p)));
        }

        ParseOptions = new CSharpParseOptions(test.LanguageVersion, DocumentationMode.Diagnose);
        ProjectCompilationOptions = new CSharpCompilationOptions(
                test.OutputKind,
                allowUnsafe: test.AllowUnsafe,
                nullableContextOptions: test.NullableContextOptions)
            .WithSpecificDiagnosticOptions(test.DisabledDiagnostics.Select(id => new KeyValuePair<string, ReportDiagnostic>(id, ReportDiagnostic.Suppress)));
        CompilationOptions = ProjectCompilationOptions.WithSyntaxTreeOptionsProvider(EditorConfig.TreeOptions);
        AnalyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, EditorConfig.AnalyzerOptions);
        References = ReferenceAssemblies.Net.AddRange(test.AdditionalReferences);
        ProjectId = ProjectId.CreateNewId("TestProject");
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>The first descriptor of the first analyzer: what <c>[|...|]</c> expects.</summary>
    public DiagnosticDescriptor? DefaultDescriptor { get; }

    public IReadOnlyDictionary<string, DiagnosticDescriptor> Descriptors { get; }

    public EditorConfigOptions EditorConfig { get; }

    public CSharpParseOptions ParseOptions { get; }

    /// <summary>Options given to the workspace project (the workspace adds its own .editorconfig handling).</summary>
    public CSharpCompilationOptions ProjectCompilationOptions { get; }

    /// <summary>Options the analyzed compilation uses: severities come from the .editorconfig as in a real build.</summary>
    public CSharpCompilationOptions CompilationOptions { get; }

    public AnalyzerOptions AnalyzerOptions { get; }

    public ImmutableArray<MetadataReference> References { get; }

    public ProjectId ProjectId { get; }

    /// <summary><c>""</c> is the main file; a relative name lives next to it; a rooted path is kept.</summary>
    public static string ResolvePath(string fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return MainPath;
        }

        return fileName.StartsWith('/') || Path.IsPathRooted(fileName) ? fileName : Directory + fileName;
    }

    /// <summary>
    /// Builds a state from marked-up sources. <paramref name="sources"/> holds the main file first; a source whose
    /// <c>MarkupCounts</c> is false has its markup removed but expects nothing.
    /// </summary>
    public TestState CreateState(
        IReadOnlyList<(string Path, string Markup, bool MarkupCounts)> sources,
        IEnumerable<DiagnosticResult> explicitResults,
        string explicitName)
    {
        var files = ImmutableArray.CreateBuilder<SourceFile>();
        var texts = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        var keys = new Dictionary<int, ResolvedLocation>();
        var markupExpectations = new List<(Expectation Expectation, string Path)>();
        foreach (var (path, markup, counts) in sources)
        {
            if (markup is null)
            {
                throw new InvalidOperationException($"The source for {path} is null.");
            }

            if (texts.ContainsKey(path))
            {
                throw new InvalidOperationException($"Two sources have the path {path}.");
            }

            var parsed = Markup.Parse(markup, path);
            var file = new SourceFile(path, parsed.Text, counts ? parsed.Spans : ImmutableArray<MarkupSpan>.Empty);
            files.Add(file);
            var text = SourceText.From(parsed.Text);
            texts.Add(path, text);
            foreach (var span in file.Markup)
            {
                var lines = text.Lines.GetLinePositionSpan(span.Span);
                var location = new ResolvedLocation(path, lines.Start, lines.End);
                if (span.Key is { } key)
                {
                    if (!keys.TryAdd(key, location))
                    {
                        throw new InvalidOperationException($"The markup location {{|#{key}:...|}} is defined twice.");
                    }

                    continue;
                }

                string id;
                DiagnosticDescriptor? descriptor;
                if (span.DiagnosticId is null)
                {
                    descriptor = DefaultDescriptor
                        ?? throw new InvalidOperationException("[|...|] needs an analyzer with a supported diagnostic; use {|ID:...|}.");
                    id = descriptor.Id;
                }
                else
                {
                    id = span.DiagnosticId;
                    Descriptors.TryGetValue(id, out descriptor);
                }

                var origin = span.DiagnosticId is null ? "markup [|...|]" : $"markup {{|{id}:...|}}";
                var result = DiagnosticResult.ForMarkup(id, descriptor, new DiagnosticLocation(path, lines.Start, lines.End));
                markupExpectations.Add((new Expectation(result, ImmutableArray.Create(location), origin), path));
            }
        }

        var expected = ImmutableArray.CreateBuilder<Expectation>();
        var index = 0;
        foreach (var result in explicitResults)
        {
            if (result.Id is null)
            {
                throw new InvalidOperationException($"{explicitName}[{index}] is a default DiagnosticResult; create it with Diagnostic() or new DiagnosticResult(...).");
            }

            var locations = ImmutableArray.CreateBuilder<ResolvedLocation>();
            foreach (var location in result.Spans)
            {
                if (location.MarkupKey is { } key)
                {
                    if (!keys.TryGetValue(key, out var resolved))
                    {
                        throw new InvalidOperationException($"{explicitName}[{index}] uses WithLocation({key}), but no source has the markup {{|#{key}:...|}}.");
                    }

                    locations.Add(resolved);
                }
                else
                {
                    var path = ResolvePath(location.Path);
                    if (!texts.ContainsKey(path))
                    {
                        throw new InvalidOperationException($"{explicitName}[{index}] has a location in {path}, which is not one of the sources ({string.Join(", ", texts.Keys)}).");
                    }

                    locations.Add(new ResolvedLocation(path, location.Start, location.End));
                }
            }

            expected.Add(new Expectation(result, locations.ToImmutable(), $"{explicitName}[{index}]"));
            index++;
        }

        // Markup adds an expectation unless an explicit one already expects the same ID at the same place.
        var explicitCount = expected.Count;
        foreach (var (markupExpectation, _) in markupExpectations)
        {
            var place = markupExpectation.Locations[0];
            var covered = false;
            for (var i = 0; i < explicitCount && !covered; i++)
            {
                var other = expected[i];
                covered = other.Result.Id == markupExpectation.Result.Id
                    && !other.Locations.IsEmpty
                    && other.Locations[0].Path == place.Path
                    && other.Locations[0].Start == place.Start
                    && (other.Locations[0].End is null || other.Locations[0].End == place.End);
            }

            if (!covered)
            {
                expected.Add(markupExpectation);
            }
        }

        return new TestState(files.ToImmutable(), expected.ToImmutable());
    }

    /// <summary>A solution with one C# project holding the state's sources and, if given, the .editorconfig.</summary>
    public Solution CreateSolution(TestState state)
    {
        var solution = _workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                ProjectId,
                VersionStamp.Default,
                name: "TestProject",
                assemblyName: "TestProject",
                language: LanguageNames.CSharp,
                compilationOptions: ProjectCompilationOptions,
                parseOptions: ParseOptions,
                metadataReferences: References));
        foreach (var file in state.Files)
        {
            var problems = EditorConfig.ProblemsFor(file.Path);
            if (!problems.IsEmpty)
            {
                throw new InvalidOperationException($"The test's EditorConfig text has problems for {file.Path}:{Environment.NewLine}  "
                    + string.Join(Environment.NewLine + "  ", problems));
            }

            var id = DocumentId.CreateNewId(ProjectId, file.Path);
            solution = solution.AddDocument(id, Path.GetFileName(file.Path), SourceText.From(file.Text, Encoding.UTF8), filePath: file.Path);
        }

        if (_test.EditorConfig is { } editorConfig)
        {
            var id = DocumentId.CreateNewId(ProjectId, EditorConfigPath);
            solution = solution.AddAnalyzerConfigDocument(id, ".editorconfig", SourceText.From(editorConfig, Encoding.UTF8), filePath: EditorConfigPath);
        }

        return solution;
    }

    /// <summary>Compiles the project and runs the analyzers on it, once per project snapshot.</summary>
    public Task<AnalysisResult> AnalyzeAsync(Project project, CancellationToken cancellationToken)
        => _analyses.GetValue(project, p => AnalyzeCoreAsync(p, cancellationToken));

    /// <summary>
    /// Throws <see cref="VerificationException"/> when an analyzer threw, when the code does not compile (unless
    /// allowed or expected), or when the reported diagnostics differ from the state's expectations.
    /// </summary>
    public void VerifyDiagnostics(string phase, TestState state, AnalysisResult analysis, IEnumerable<string>? notes = null)
    {
        if (!analysis.AnalyzerFailures.IsEmpty)
        {
            throw new VerificationException(
                $"An analyzer threw while analyzing the {phase}; an analyzer must never throw (users see this as AD0001):"
                + Environment.NewLine + string.Join(Environment.NewLine + Environment.NewLine, analysis.AnalyzerFailures));
        }

        var expectedIds = new HashSet<string>(state.Expected.Select(e => e.Result.Id), StringComparer.Ordinal);
        var compilerErrors = analysis.CompilerDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && !expectedIds.Contains(d.Id))
            .ToList();
        if (compilerErrors.Count > 0 && !_test.AllowCompilerErrors)
        {
            var message = new StringBuilder();
            message.Append("The ").Append(phase).Append(" does not compile (set AllowCompilerErrors = true for a test of broken code):").AppendLine();
            foreach (var error in compilerErrors)
            {
                message.Append("  ").AppendLine(Describe.Diagnostic(error));
                if (Describe.SourceLine(error.Location) is { } line)
                {
                    message.Append("      ").AppendLine(line);
                }
            }

            throw new VerificationException(message.ToString());
        }

        // Compiler diagnostics take part only when the test expects their ID.
        var actual = analysis.AnalyzerDiagnostics
            .Concat(analysis.CompilerDiagnostics.Where(d => expectedIds.Contains(d.Id) && !Descriptors.ContainsKey(d.Id)))
            .OrderBy(d => FileOrder(state, d.Location))
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        var explanation = DiagnosticComparer.Explain(phase, state.Expected, actual, DefaultDescriptor?.Id, Descriptors.Keys.ToList(), MainPath);
        if (explanation is not null)
        {
            var noteList = notes?.ToList() ?? new List<string>();
            if (noteList.Count > 0)
            {
                explanation += Environment.NewLine + string.Join(Environment.NewLine, noteList);
            }

            throw new VerificationException(explanation);
        }
    }

    public void Dispose() => _workspace.Dispose();

    private static int FileOrder(TestState state, Location location)
    {
        if (!location.IsInSource)
        {
            return -1;
        }

        var path = location.SourceTree?.FilePath;
        for (var i = 0; i < state.Files.Length; i++)
        {
            if (state.Files[i].Path == path)
            {
                return i;
            }
        }

        return state.Files.Length;
    }

    private async Task<AnalysisResult> AnalyzeCoreAsync(Project project, CancellationToken cancellationToken)
    {
        var workspaceCompilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The workspace produced no compilation.");

        // Same syntax trees as the workspace's documents (so code fixes find them), with the compiler's view of the .editorconfig.
        var compilation = workspaceCompilation.WithOptions(CompilationOptions);
        var compilerDiagnostics = compilation.GetDiagnostics(cancellationToken);

        var failures = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, _) => failures.Enqueue($"{analyzer.GetType().FullName} threw {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);

        // The callback sees every analyzer exception; AD0001 diagnostics are a fallback in case it did not run.
        var reported = new List<Diagnostic>();
        var exceptionDiagnostics = new List<string>();
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Id == "AD0001")
            {
                exceptionDiagnostics.Add(Describe.Diagnostic(diagnostic));
            }
            else
            {
                reported.Add(diagnostic);
            }
        }

        if (failures.IsEmpty)
        {
            foreach (var text in exceptionDiagnostics)
            {
                failures.Enqueue(text);
            }
        }

        var order = project.Documents.Select((d, i) => (d.FilePath, i)).ToDictionary(x => x.FilePath ?? string.Empty, x => x.i, StringComparer.Ordinal);
        var sorted = reported
            .OrderBy(d => d.Location.IsInSource && order.TryGetValue(d.Location.SourceTree?.FilePath ?? string.Empty, out var i) ? i : -1)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        return new AnalysisResult(sorted, compilerDiagnostics, failures.ToImmutableArray());
    }
}
