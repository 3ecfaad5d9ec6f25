namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// A test of one or more analyzers on C# source with markup. Set the properties, then <c>await test.RunAsync()</c>.
/// The main file is <c>/0/Test0.cs</c>; additional sources and the .editorconfig live in <c>/0/</c> too.
/// </summary>
/// <remarks>
/// Expected diagnostics come from <see cref="ExpectedDiagnostics"/> and from markup in the sources:
/// <c>[|...|]</c> expects the first analyzer's first descriptor, <c>{|ID:...|}</c> expects that ID (an ID no
/// analyzer supports is taken as a compiler diagnostic), and <c>{|#n:...|}</c> only names a location for
/// <see cref="DiagnosticResult.WithLocation(int)"/>. Markup does not add an expectation when
/// <see cref="ExpectedDiagnostics"/> already expects the same ID at the same place. Markup expectations check
/// neither severity nor message; expectations made from a descriptor check its default severity unless
/// <see cref="DiagnosticResult.WithSeverity"/> says otherwise.
/// </remarks>
public abstract class AnalyzerTest
{
    /// <summary>The main source, with markup. Its path is <c>/0/Test0.cs</c>.</summary>
    public string TestCode { get; set; } = string.Empty;

    /// <summary>More sources (file name relative to <c>/0/</c>, or a rooted path; text with markup).</summary>
    public List<(string FileName, string Source)> AdditionalSources { get; set; } = new();

    /// <summary>Diagnostics expected besides those written as markup.</summary>
    public List<DiagnosticResult> ExpectedDiagnostics { get; set; } = new();

    /// <summary>
    /// Text of an .editorconfig at <c>/0/.editorconfig</c>, applied as a real build applies it:
    /// <c>dotnet_diagnostic.ID.severity</c> changes severities (<c>none</c> suppresses) and other keys, such as
    /// <c>leak_analyzers.*</c>, reach analyzers through <c>AnalyzerConfigOptionsProvider</c>.
    /// Start it with <c>root = true</c> and a section such as <c>[*.cs]</c>.
    /// </summary>
    public string? EditorConfig { get; set; }

    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

    public OutputKind OutputKind { get; set; } = OutputKind.DynamicallyLinkedLibrary;

    public NullableContextOptions NullableContextOptions { get; set; } = NullableContextOptions.Disable;

    /// <summary>
    /// False (the default): the test fails when the code has compiler errors whose ID is not expected.
    /// True: compiler errors are ignored, for tests that analyze broken code.
    /// </summary>
    public bool AllowCompilerErrors { get; set; }

    public bool AllowUnsafe { get; set; } = true;

    /// <summary>Diagnostic IDs suppressed through the compilation options (like <c>/nowarn</c>).</summary>
    public List<string> DisabledDiagnostics { get; set; } = new();

    /// <summary>References added to the framework's (see <see cref="ReferenceAssemblies.Net"/>).</summary>
    public List<MetadataReference> AdditionalReferences { get; set; } = new();

    /// <summary>Verifies the analyzers' diagnostics on <see cref="TestCode"/> and <see cref="AdditionalSources"/>.</summary>
    public virtual async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var run = CreateRun();
        await VerifyTestCodeAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>New instances of the analyzers under test.</summary>
    protected abstract IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers();

    private protected TestRun CreateRun()
    {
        if (TestCode is null)
        {
            throw new InvalidOperationException("TestCode is null.");
        }

        return new TestRun(this, GetDiagnosticAnalyzers().ToImmutableArray());
    }

    /// <summary>The sources of the test code: main file first, markup in all of them counts.</summary>
    private protected IReadOnlyList<(string Path, string Markup, bool MarkupCounts)> TestSources()
    {
        var sources = new List<(string, string, bool)> { (TestRun.MainPath, TestCode, true) };
        foreach (var (fileName, source) in AdditionalSources)
        {
            sources.Add((TestRun.ResolvePath(fileName), source, true));
        }

        return sources;
    }

    /// <summary>Checks the test code's diagnostics and returns the solution holding it.</summary>
    private protected async Task<Solution> VerifyTestCodeAsync(TestRun run, CancellationToken cancellationToken)
    {
        var state = run.CreateState(TestSources(), ExpectedDiagnostics, nameof(ExpectedDiagnostics));
        var solution = run.CreateSolution(state);
        var project = solution.GetProject(run.ProjectId)!;
        var analysis = await run.AnalyzeAsync(project, cancellationToken).ConfigureAwait(false);
        run.VerifyDiagnostics("test code", state, analysis);
        return solution;
    }
}
