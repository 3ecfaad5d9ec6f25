namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LeakAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using LeakAnalyzers.Tests.Verifiers;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// Every analyzer of the assembly, found by reflection, runs over broken, huge and unusual code without throwing.
/// An exception in an analyzer reaches every user as AD0001, so this must hold for every rule ever added.
/// </summary>
public sealed class BrokenCodeTests
{
    /// <summary>
    /// Bounds a hang, not speed: on a 2-core machine under a load average of 15-20, the 5,000-statement case
    /// took up to 3 minutes (LEAK001 alone took 64 s of it when run by itself), against about 20 s when idle.
    /// </summary>
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(10);


    private readonly ITestOutputHelper output;

    public BrokenCodeTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var sample in BrokenCodeSamples.All())
            {
                data.Add(sample.Name, "no options");

                // Options are read per tree; the huge sample would only repeat the slowest run.
                if (!sample.Large)
                {
                    data.Add(sample.Name, "hostile options");
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Analyzers_do_not_throw(string sample, string options)
    {
        var analyzers = AnalyzerCatalog.CreateAnalyzers();
        Assert.NotEmpty(analyzers);
        var (source, topLevel) = BrokenCodeSamples.All().Where(s => s.Name == sample).Select(s => (s.Source, s.TopLevel)).Single();

        var run = await RunAsync(analyzers, source, topLevel, options == "hostile options");

        this.output.WriteLine($"{analyzers.Length} analyzer(s), {run.Elapsed.TotalMilliseconds:0} ms, {run.Diagnostics.Length} diagnostic(s): {string.Join(", ", run.Diagnostics.Select(d => d.Id).Distinct())}");
        Assert.True(run.Exceptions.IsEmpty, "Analyzers threw:\n" + string.Join("\n\n", run.Exceptions));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id is "AD0001" or "AD0002");
    }

    [Theory]
    [InlineData("every construct")]
    [InlineData("top-level statements")]
    [InlineData("5,000 statements in one method")]
    [InlineData("deep nesting and a 2,000-term expression")]
    public void Samples_meant_to_compile_do_compile(string sample)
    {
        // The analyzers only see bound operations in code that binds; these samples must stay error-free to be useful.
        var (source, topLevel) = BrokenCodeSamples.All().Where(s => s.Name == sample).Select(s => (s.Source, s.TopLevel)).Single();
        var errors = CreateCompilation(source, topLevel).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Every_construct_sample_reaches_the_disposables_rules()
    {
        // Guards the sample: LEAK001 must actually analyze something in it, or the test above proves little.
        var run = await RunAsync(AnalyzerCatalog.CreateAnalyzers(), BrokenCodeSamples.EveryConstruct, topLevel: false, hostileOptions: false);
        Assert.Contains(run.Diagnostics, d => d.Id == "LEAK001");
    }

    [Fact]
    public async Task Harness_reports_an_analyzer_that_throws()
    {
        // The harness itself: an analyzer that throws must make the assertions above fail.
        var run = await RunAsync([new ThrowingAnalyzer()], "class C { void M() { } }", topLevel: false, hostileOptions: false);
        Assert.False(run.Exceptions.IsEmpty && !run.Diagnostics.Any(d => d.Id == "AD0001"));
    }

    private static CSharpCompilation CreateCompilation(string source, bool topLevel)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: "/0/Test0.cs");
        return CSharpCompilation.Create(
            "BrokenCode",
            [tree],
            TestSetup.MetadataReferences,
            new CSharpCompilationOptions(
                topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                allowUnsafe: true,
                nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>Every analyzer over <paramref name="source"/>, as an editor host runs them (CompilationWithAnalyzers), exceptions collected.</summary>
    internal static async Task<RunResult> RunAsync(ImmutableArray<DiagnosticAnalyzer> analyzers, string source, bool topLevel, bool hostileOptions)
    {
        var compilation = CreateCompilation(source, topLevel);
        var exceptions = new ConcurrentQueue<string>();
        var analyzerOptions = hostileOptions
            ? new AnalyzerOptions([], new HostileOptionsProvider())
            : new AnalyzerOptions([]);
        var options = new CompilationWithAnalyzersOptions(
            analyzerOptions,
            onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);

        using var timeout = new CancellationTokenSource(CaseTimeout);
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(timeout.Token);
        stopwatch.Stop();

        // Every reported location must be in the analyzed tree.
        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource))
        {
            Assert.True(diagnostic.Location.SourceSpan.End <= diagnostic.Location.SourceTree!.Length, diagnostic.ToString());
        }

        return new RunResult(diagnostics, exceptions.ToImmutableArray(), stopwatch.Elapsed);
    }

    internal sealed record RunResult(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<string> Exceptions, TimeSpan Elapsed);

    /// <summary>Answers every <c>leak_analyzers.</c> key, general or rule-specific, with a malformed value.</summary>
    private sealed class HostileOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private static readonly HostileOptions Options = new();

        public override AnalyzerConfigOptions GlobalOptions => Options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options;
    }

    private sealed class HostileOptions : AnalyzerConfigOptions
    {
        private const string Value = " ,, ;\t;System.IO.FileStream..ctor,,,*, not a name, T:System.IO.Stream, M:, (), \u00e9\u00e8, yes, 0x7FFFFFFF, ";

        public override IEnumerable<string> Keys => ["leak_analyzers.unknown"];

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            if (key.StartsWith("leak_analyzers.", StringComparison.OrdinalIgnoreCase))
            {
                value = Value;
                return true;
            }

            value = null;
            return false;
        }
    }

#pragma warning disable RS1001, RS1025, RS1026, RS1036, RS2008 // A deliberately broken analyzer for the harness test.
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("BROKENCODE001", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.RegisterSyntaxTreeAction(_ => throw new InvalidOperationException("thrown on purpose"));
        }
    }
#pragma warning restore RS1001, RS1025, RS1026, RS1036, RS2008
}
