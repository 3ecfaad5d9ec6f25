namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

/// <summary>
/// A test of analyzers with their code fixes. Besides what <see cref="AnalyzerTest"/> checks:
/// <list type="number">
/// <item>the fix is applied to one diagnostic at a time, first by position, until no diagnostic it can fix is
/// left, and the result must equal <see cref="FixedCode"/>;</item>
/// <item>from the test code again, Fix All is applied in each of <see cref="FixAllScopes"/> until stable, and the
/// result must equal <see cref="BatchFixedCode"/> (default: <see cref="FixedCode"/>);</item>
/// <item>each result must compile, and the analyzers must report on it exactly <see cref="RemainingDiagnostics"/>
/// plus what markup in the expected fixed code denotes.</item>
/// </list>
/// Texts are compared exactly, except that line endings are normalized.
/// </summary>
public abstract class CodeFixTest : AnalyzerTest
{
    /// <summary>
    /// The main source after fixing, with markup for diagnostics expected to remain. Required: to assert that no
    /// fix applies, set it to <see cref="AnalyzerTest.TestCode"/>.
    /// </summary>
    public string? FixedCode { get; set; }

    /// <summary>The main source after Fix All; null means the same as <see cref="FixedCode"/>.</summary>
    public string? BatchFixedCode { get; set; }

    /// <summary>
    /// Additional sources after fixing, by file name. An additional source not listed here must come out of the
    /// fix unchanged (its markup is not carried over).
    /// </summary>
    public List<(string FileName, string Source)> FixedAdditionalSources { get; set; } = new();

    /// <summary>When set, only code actions with this equivalence key are applied.</summary>
    public string? CodeActionEquivalenceKey { get; set; }

    /// <summary>Which of the offered code actions to apply (after filtering by equivalence key); default the first.</summary>
    public int? CodeActionIndex { get; set; }

    /// <summary>
    /// Equivalence keys that no code action offered for a diagnostic of the test code may have: to assert that one
    /// fix is not offered where another one is (then <see cref="CodeActionEquivalenceKey"/> cannot say it).
    /// </summary>
    public List<string> NotOfferedEquivalenceKeys { get; set; } = new();

    /// <summary>Diagnostics expected on the fixed code besides those written as markup in it.</summary>
    public List<DiagnosticResult> RemainingDiagnostics { get; set; } = new();

    /// <summary>The Fix All scopes to verify; empty to skip Fix All.</summary>
    public List<FixAllScope> FixAllScopes { get; set; } = new() { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    /// <summary>How many fixes (or Fix All passes) may be applied before the test fails as not converging.</summary>
    public int NumberOfIterations { get; set; } = 20;

    public override async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (FixedCode is null)
        {
            throw new InvalidOperationException(
                "FixedCode is not set. Use the analyzer verifier for analyzer-only tests, or set FixedCode = TestCode to assert that no fix applies.");
        }

        if (NumberOfIterations < 1)
        {
            throw new InvalidOperationException("NumberOfIterations must be at least 1.");
        }

        using var run = CreateRun();
        var fixers = GetCodeFixProviders().ToImmutableArray();
        if (fixers.IsEmpty)
        {
            throw new InvalidOperationException("The test has no code fix provider.");
        }

        var original = await VerifyTestCodeAsync(run, cancellationToken).ConfigureAwait(false);
        var engine = new FixEngine(this, run, fixers, cancellationToken);
        await engine.VerifyNotOfferedAsync(original).ConfigureAwait(false);

        var (fixedSolution, unfixed) = await engine.FixOneAtATimeAsync(original).ConfigureAwait(false);
        await VerifyFixedStateAsync(run, "code after applying the code fix", fixedSolution, FixedCode, nameof(FixedCode), unfixed, cancellationToken).ConfigureAwait(false);

        var batchFixedCode = BatchFixedCode ?? FixedCode;
        var batchName = BatchFixedCode is null ? nameof(FixedCode) : nameof(BatchFixedCode);
        foreach (var scope in FixAllScopes)
        {
            var (batchSolution, batchUnfixed) = await engine.FixAllAsync(original, scope).ConfigureAwait(false);
            await VerifyFixedStateAsync(run, $"code after Fix All in scope {scope}", batchSolution, batchFixedCode, batchName, batchUnfixed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>New instances of the code fixes under test.</summary>
    protected abstract IEnumerable<CodeFixProvider> GetCodeFixProviders();

    private async Task VerifyFixedStateAsync(
        TestRun run,
        string phase,
        Solution solution,
        string fixedMarkup,
        string fixedName,
        IReadOnlyList<string> unfixed,
        CancellationToken cancellationToken)
    {
        var sources = new List<(string Path, string Markup, bool MarkupCounts)> { (TestRun.MainPath, fixedMarkup, true) };
        var fixedAdditional = FixedAdditionalSources.ToDictionary(s => TestRun.ResolvePath(s.FileName), s => s.Source, StringComparer.Ordinal);
        foreach (var (fileName, source) in AdditionalSources)
        {
            var path = TestRun.ResolvePath(fileName);
            sources.Add(fixedAdditional.Remove(path, out var fixedSource) ? (path, fixedSource, true) : (path, source, false));
        }

        foreach (var (path, source) in fixedAdditional)
        {
            sources.Add((path, source, true));
        }

        var expected = run.CreateState(sources, RemainingDiagnostics, nameof(RemainingDiagnostics));
        var project = solution.GetProject(run.ProjectId)!;
        var problems = new StringBuilder();
        foreach (var file in expected.Files)
        {
            var document = project.Documents.FirstOrDefault(d => d.FilePath == file.Path);
            if (document is null)
            {
                problems.AppendLine($"{file.Path}: expected, but the fixed project has no such document.");
                continue;
            }

            var actual = (await document.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
            if (Describe.NormalizeNewlines(actual) != Describe.NormalizeNewlines(file.Text))
            {
                var what = file.Path == TestRun.MainPath ? fixedName : "the expected text";
                problems.AppendLine($"{file.Path} differs from {what} ('-' expected, '+' actual):")
                    .Append(Describe.Diff(file.Text, actual))
                    .AppendLine()
                    .AppendLine("Actual text:")
                    .AppendLine(actual);
            }
        }

        var notes = unfixed.Count == 0
            ? Array.Empty<string>()
            : new[] { CodeActionEquivalenceKey is null ? "The code fix offered no code action for:" : $"The code fix offered no code action with equivalence key {CSharpLiteral.Quote(CodeActionEquivalenceKey)} for:" }.Concat(unfixed).ToArray();
        if (problems.Length > 0)
        {
            foreach (var note in notes)
            {
                problems.AppendLine(note);
            }

            throw new VerificationException($"The {phase} is not the expected code.{Environment.NewLine}{problems}");
        }

        var analysis = await run.AnalyzeAsync(project, cancellationToken).ConfigureAwait(false);
        run.VerifyDiagnostics(phase, expected, analysis, notes);
    }

    /// <summary>Finds, chooses and applies code actions on snapshots of the test solution.</summary>
    private sealed class FixEngine
    {
        private readonly CodeFixTest _test;
        private readonly TestRun _run;
        private readonly ImmutableArray<CodeFixProvider> _fixers;
        private readonly CancellationToken _cancellationToken;

        public FixEngine(CodeFixTest test, TestRun run, ImmutableArray<CodeFixProvider> fixers, CancellationToken cancellationToken)
        {
            _test = test;
            _run = run;
            _fixers = fixers;
            _cancellationToken = cancellationToken;
        }

        /// <summary>Applies the chosen action for the first fixable diagnostic, again and again, until none is left.</summary>
        public async Task<(Solution Solution, IReadOnlyList<string> Unfixed)> FixOneAtATimeAsync(Solution solution)
        {
            for (var iteration = 0; ; iteration++)
            {
                var (candidate, unfixed) = await FindFirstFixAsync(solution, "the code fix").ConfigureAwait(false);
                if (candidate is null)
                {
                    return (solution, unfixed);
                }

                var (_, action, diagnostic) = candidate.Value;
                await ThrowIfNotConvergingAsync(iteration, solution, "applying the code fix").ConfigureAwait(false);
                var next = await ApplyAsync(action, $"code action '{action.Title}' for {Describe.Diagnostic(diagnostic)}").ConfigureAwait(false);
                solution = await RequireChangeAsync(solution, next, $"The code action '{action.Title}' for {Describe.Diagnostic(diagnostic)}").ConfigureAwait(false);
            }
        }

        /// <summary>Runs Fix All from the first fixable diagnostic, again and again, until no fixable diagnostic is left.</summary>
        public async Task<(Solution Solution, IReadOnlyList<string> Unfixed)> FixAllAsync(Solution solution, FixAllScope scope)
        {
            for (var iteration = 0; ; iteration++)
            {
                var (candidate, unfixed) = await FindFirstFixAsync(solution, $"Fix All in scope {scope}").ConfigureAwait(false);
                if (candidate is null)
                {
                    return (solution, unfixed);
                }

                var (fixer, action, diagnostic) = candidate.Value;
                await ThrowIfNotConvergingAsync(iteration, solution, $"Fix All in scope {scope}").ConfigureAwait(false);
                var provider = fixer.GetFixAllProvider()
                    ?? throw new VerificationException($"{fixer.GetType().Name}.GetFixAllProvider() returned null; set FixAllScopes to empty if the fix has no Fix All.");
                if (!provider.GetSupportedFixAllScopes().Contains(scope))
                {
                    throw new VerificationException($"The Fix All provider of {fixer.GetType().Name} does not support scope {scope}; remove it from FixAllScopes.");
                }

                var document = DocumentOf(solution, diagnostic);
                var context = new FixAllContext(
                    document,
                    fixer,
                    scope,
                    action.EquivalenceKey,
                    fixer.FixableDiagnosticIds,
                    new TestDiagnosticProvider(_run, _cancellationToken),
                    _cancellationToken);
                CodeAction? fixAll;
                try
                {
                    fixAll = await provider.GetFixAsync(context).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not VerificationException and not OperationCanceledException)
                {
                    throw new VerificationException($"Fix All in scope {scope} threw:{Environment.NewLine}{ex}", ex);
                }

                if (fixAll is null)
                {
                    throw new VerificationException(
                        $"Fix All in scope {scope} offered no action, although the code fix offers '{action.Title}' for {Describe.Diagnostic(diagnostic)}.");
                }

                var next = await ApplyAsync(fixAll, $"Fix All action '{fixAll.Title}' in scope {scope}").ConfigureAwait(false);
                solution = await RequireChangeAsync(solution, next, $"Fix All action '{fixAll.Title}' in scope {scope}").ConfigureAwait(false);
            }
        }

        /// <summary>Fails when a code action with one of <see cref="NotOfferedEquivalenceKeys"/> is offered for a diagnostic of <paramref name="solution"/>.</summary>
        public async Task VerifyNotOfferedAsync(Solution solution)
        {
            if (_test.NotOfferedEquivalenceKeys.Count == 0)
            {
                return;
            }

            var analysis = await _run.AnalyzeAsync(solution.GetProject(_run.ProjectId)!, _cancellationToken).ConfigureAwait(false);
            var problems = new List<string>();
            foreach (var diagnostic in analysis.AnalyzerDiagnostics.Where(d => d.Location.IsInSource))
            {
                foreach (var offered in await OfferedAsync(solution, diagnostic).ConfigureAwait(false))
                {
                    if (_test.NotOfferedEquivalenceKeys.Contains(offered.Action.EquivalenceKey ?? string.Empty, StringComparer.Ordinal))
                    {
                        problems.Add($"  {Actions(new[] { offered })} for {Describe.Diagnostic(diagnostic)}");
                    }
                }
            }

            if (problems.Count > 0)
            {
                throw new VerificationException(
                    $"The code fix offers action(s) with an equivalence key in NotOfferedEquivalenceKeys:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
            }
        }

        private static Document DocumentOf(Solution solution, Diagnostic diagnostic)
        {
            var tree = diagnostic.Location.SourceTree;
            return (tree is null ? null : solution.GetDocument(tree))
                ?? solution.Projects.SelectMany(p => p.Documents).First(d => d.FilePath == tree?.FilePath);
        }

        private static IEnumerable<CodeAction> Flatten(CodeAction action)
        {
            if (action.NestedActions.IsDefaultOrEmpty)
            {
                yield return action;
                yield break;
            }

            foreach (var nested in action.NestedActions)
            {
                foreach (var leaf in Flatten(nested))
                {
                    yield return leaf;
                }
            }
        }

        private static async Task<Dictionary<string, string>> TextsAsync(Solution solution, CancellationToken cancellationToken)
        {
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var document in solution.Projects.SelectMany(p => p.Documents))
            {
                var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
                texts[document.FilePath ?? document.Name] = text.ToString();
            }

            return texts;
        }

        /// <summary>
        /// The first fixable diagnostic (by file and position) for which a fixer offers an action (with
        /// <see cref="CodeActionEquivalenceKey"/> when set), with the chosen action; and the fixable diagnostics
        /// before it for which no fixer offered such an action, each described with what was offered instead.
        /// </summary>
        private async Task<((CodeFixProvider Fixer, CodeAction Action, Diagnostic Diagnostic)? Candidate, IReadOnlyList<string> Unfixed)> FindFirstFixAsync(Solution solution, string what)
        {
            var project = solution.GetProject(_run.ProjectId)!;
            var analysis = await _run.AnalyzeAsync(project, _cancellationToken).ConfigureAwait(false);
            if (!analysis.AnalyzerFailures.IsEmpty)
            {
                throw new VerificationException(
                    $"An analyzer threw during {what}; an analyzer must never throw:{Environment.NewLine}"
                    + string.Join(Environment.NewLine + Environment.NewLine, analysis.AnalyzerFailures));
            }

            var unfixed = new List<string>();
            foreach (var diagnostic in analysis.AnalyzerDiagnostics)
            {
                if (!diagnostic.Location.IsInSource || !_fixers.Any(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    continue;
                }

                var offered = await OfferedAsync(solution, diagnostic).ConfigureAwait(false);
                var candidates = _test.CodeActionEquivalenceKey is { } key
                    ? offered.Where(o => o.Action.EquivalenceKey == key).ToList()
                    : offered;
                if (candidates.Count == 0)
                {
                    // Like Microsoft.CodeAnalysis.Testing: a diagnostic without an action of the key is left for the next one.
                    unfixed.Add("  " + Describe.Diagnostic(diagnostic) + (offered.Count == 0 ? string.Empty : Environment.NewLine + "    offered only: " + Actions(offered)));
                    continue;
                }

                var index = _test.CodeActionIndex ?? 0;
                if (index < 0 || index >= candidates.Count)
                {
                    var filter = _test.CodeActionEquivalenceKey is null ? string.Empty : $" with equivalence key {CSharpLiteral.Quote(_test.CodeActionEquivalenceKey)}";
                    throw new VerificationException(
                        $"For {Describe.Diagnostic(diagnostic)} the code fix offers {candidates.Count} action(s){filter}, so action index {index} does not exist. Offered:{Environment.NewLine}"
                        + string.Join(Environment.NewLine, offered.Select((o, i) => $"  [{i}] {Actions(new[] { o })}")));
                }

                var (chosenFixer, chosenAction) = candidates[index];
                return ((chosenFixer, chosenAction, diagnostic), unfixed);
            }

            return (null, unfixed);
        }

        private static string Actions(IEnumerable<(CodeFixProvider Fixer, CodeAction Action)> offered) =>
            string.Join(", ", offered.Select(o => $"'{o.Action.Title}' (equivalence key {CSharpLiteral.Format(o.Action.EquivalenceKey)})"));

        /// <summary>The code actions (nested ones flattened) the fixers offer for <paramref name="diagnostic"/>, in order.</summary>
        private async Task<List<(CodeFixProvider Fixer, CodeAction Action)>> OfferedAsync(Solution solution, Diagnostic diagnostic)
        {
            var document = DocumentOf(solution, diagnostic);
            var offered = new List<(CodeFixProvider Fixer, CodeAction Action)>();
            foreach (var fixer in _fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), _cancellationToken);
                try
                {
                    await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new VerificationException(
                        $"{fixer.GetType().Name}.RegisterCodeFixesAsync threw for {Describe.Diagnostic(diagnostic)}:{Environment.NewLine}{ex}", ex);
                }

                offered.AddRange(actions.SelectMany(Flatten).Select(a => (fixer, a)));
            }

            return offered;
        }

        private async Task ThrowIfNotConvergingAsync(int iteration, Solution solution, string what)
        {
            if (iteration < _test.NumberOfIterations)
            {
                return;
            }

            var main = solution.GetProject(_run.ProjectId)!.Documents.First(d => d.FilePath == TestRun.MainPath);
            var text = await main.GetTextAsync(_cancellationToken).ConfigureAwait(false);
            throw new VerificationException(
                $"{what} still finds something to fix after {_test.NumberOfIterations} iterations (NumberOfIterations); "
                + $"the fix probably brings back the diagnostic it fixes. Main file now:{Environment.NewLine}{text}");
        }

        private async Task<Solution> ApplyAsync(CodeAction action, string what)
        {
            ImmutableArray<CodeActionOperation> operations;
            try
            {
                operations = await action.GetOperationsAsync(_cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new VerificationException($"The {what} threw:{Environment.NewLine}{ex}", ex);
            }

            var changes = operations.OfType<ApplyChangesOperation>().ToList();
            if (changes.Count == 0)
            {
                throw new VerificationException($"The {what} produced no ApplyChangesOperation.");
            }

            return changes[^1].ChangedSolution;
        }

        private async Task<Solution> RequireChangeAsync(Solution before, Solution after, string what)
        {
            var oldTexts = await TextsAsync(before, _cancellationToken).ConfigureAwait(false);
            var newTexts = await TextsAsync(after, _cancellationToken).ConfigureAwait(false);
            var changed = oldTexts.Count != newTexts.Count
                || newTexts.Any(pair => !oldTexts.TryGetValue(pair.Key, out var old) || old != pair.Value);
            if (!changed)
            {
                throw new VerificationException($"{what} changed nothing, so the diagnostic would stay and the fix would be offered forever.");
            }

            return after;
        }
    }

    /// <summary>Gives Fix All the analyzers' diagnostics, computed as in the rest of the test (same options, same cache).</summary>
    private sealed class TestDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly TestRun _run;
        private readonly CancellationToken _testCancellation;

        public TestDiagnosticProvider(TestRun run, CancellationToken testCancellation)
        {
            _run = run;
            _testCancellation = testCancellation;
        }

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var analysis = await AnalyzeAsync(document.Project).ConfigureAwait(false);
            return analysis.AnalyzerDiagnostics.Where(d => d.Location.IsInSource && d.Location.SourceTree?.FilePath == document.FilePath).ToList();
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var analysis = await AnalyzeAsync(project).ConfigureAwait(false);
            return analysis.AnalyzerDiagnostics.Where(d => !d.Location.IsInSource).ToList();
        }

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var analysis = await AnalyzeAsync(project).ConfigureAwait(false);
            return analysis.AnalyzerDiagnostics;
        }

        private Task<AnalysisResult> AnalyzeAsync(Project project) => _run.AnalyzeAsync(project, _testCancellation);
    }
}
