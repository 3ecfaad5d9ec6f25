namespace LeakAnalyzers.Benchmarks;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// How the analyzers' cost grows with the size of one method or type. Each shape generates a compilation of the
/// given sizes, runs every LeakAnalyzers analyzer on it and prints each analyzer's execution time as the compiler
/// measures it (the same figure as <c>-p:ReportAnalyzer=true</c>). Run:
/// <code>dotnet run -c Release --project benchmarks/LeakAnalyzers.Benchmarks -- scaling [shape] [size...]</code>
/// Shapes: owned-locals, statements, native-pairs, native-leaks, capturing-local-functions (all of them when none is named).
/// <para>
/// The cost on a real project: <c>real &lt;command-line file&gt; &lt;project folder&gt; [runs]</c> compiles the project the
/// way its build does and prints each analyzer's time, the least of the runs (3 by default), the compiler's own time
/// on the same sources without analyzers (binding and emitting), and the analyzers' total as a share of it. The command-line file
/// holds the compiler's arguments as the build ran it: the <c>csc</c> line of a build with <c>-v:d</c>, from the
/// first argument after the compiler's path. Each run parses the sources again, so nothing an analyzer caches per
/// syntax tree survives into the next run.
/// </para>
/// <para>
/// <c>benchmarks/compiler-command-line.sh</c> writes that file from a build.
/// </para>
/// <para>
/// In both modes, <c>--analyzers &lt;dll&gt;</c> measures another build of the analyzers (an older commit's) on the same
/// input; in real mode, <c>--analyzers a.dll,b.dll,...</c> compares builds side by side, taking turns within each run
/// (the least of each build's runs, so that a busy spell of a shared machine favours none). <c>--only &lt;part,part&gt;</c>
/// runs only the analyzers whose names contain one of the parts (to profile one).
/// </para>
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (Option(ref args, "--analyzers") is { } otherBuilds)
        {
            // Each build in a context of its own, so that builds with the same assembly name are not mistaken for
            // one another; Roslyn itself still comes from the default context.
            Builds = otherBuilds.Split(',').Select((path, i) =>
                new System.Runtime.Loader.AssemblyLoadContext("analyzers " + i).LoadFromAssemblyPath(Path.GetFullPath(path))).ToArray();
            AnalyzerAssembly = Builds[0];
            foreach (var build in Builds)
            {
                Console.WriteLine($"analyzers: {build.Location}");
            }
        }

        Only = Option(ref args, "--only");
        if (args.Length >= 3 && args[0] == "real")
        {
            return await Real(args[1], args[2], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3);
        }

        if (args.Length == 0 || args[0] != "scaling")
        {
            Console.Error.WriteLine("usage: scaling [shape] [size...]   shapes: " + string.Join(", ", Shapes.All.Keys));
            Console.Error.WriteLine("       real <command-line file> <project folder> [runs]");
            Console.Error.WriteLine("options: --analyzers <LeakAnalyzers.dll of another build>   --only <part of analyzer names, comma-separated>");
            return 2;
        }

        var shapes = args.Length > 1 && Shapes.All.ContainsKey(args[1]) ? new[] { args[1] } : Shapes.All.Keys.ToArray();
        var sizes = args.Skip(shapes.Length == 1 && args.Length > 1 ? 2 : 1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine($"LeakAnalyzers scaling, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

        // The first run pays for loading and JIT-compiling the compiler and the analyzers: do it on small inputs.
        foreach (var shape in shapes)
        {
            await Measure(Shapes.All[shape](10));
        }

        foreach (var shape in shapes)
        {
            var shapeSizes = sizes.Length > 0 ? sizes : Shapes.DefaultSizes[shape];
            Console.WriteLine();
            Console.WriteLine($"## {shape}");
            Console.WriteLine("| size | slowest analyzer | its time (s) | all LeakAnalyzers (s) | diagnostics |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var size in shapeSizes)
            {
                // The least of three runs: the machine's other work only ever adds time.
                var source = Shapes.All[shape](size);
                var result = await Measure(source);
                for (var run = 1; run < 3; run++)
                {
                    var again = await Measure(source);
                    foreach (var name in again.Times.Keys.ToList())
                    {
                        if (again.Times[name] < result.Times[name])
                        {
                            result.Times[name] = again.Times[name];
                        }
                    }
                }

                var slowest = result.Times.OrderByDescending(t => t.Value).First();
                Console.WriteLine(FormattableString.Invariant($"| {size} | {slowest.Key} | {slowest.Value.TotalSeconds:F2} | {result.Times.Values.Sum(t => t.TotalSeconds):F2} | {result.Diagnostics} |"));
            }
        }

        return 0;
    }

    /// <summary>The analyzers measured: this build's, or another build's given with <c>--analyzers</c> (to compare two versions).</summary>
    private static Assembly AnalyzerAssembly = typeof(LeakAnalyzers.Disposables.LocalNotDisposedAnalyzer).Assembly;

    /// <summary>The builds compared in real mode (<c>--analyzers a.dll,b.dll</c>): each run analyzes with each in turn.</summary>
    private static Assembly[] Builds = { AnalyzerAssembly };

    /// <summary>With <c>--only</c>: run only the analyzers whose type name contains one of these parts (to profile one of them).</summary>
    private static string? Only;

    /// <summary>Removes <c>name value</c> from <paramref name="args"/> and returns the value, or null when absent.</summary>
    private static string? Option(ref string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0 || index + 1 >= args.Length)
        {
            return null;
        }

        var value = args[index + 1];
        args = args.Take(index).Concat(args.Skip(index + 2)).ToArray();
        return value;
    }

    /// <summary>Every analyzer's time on a real project's compilation, the least of <paramref name="runs"/> runs.</summary>
    private static async Task<int> Real(string commandLineFile, string projectFolder, int runs)
    {
        projectFolder = Path.GetFullPath(projectFolder);
        var allArguments = CommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(commandLineFile).Trim(), removeHashComments: false).ToArray();
        var arguments = allArguments
            .Where(a => !a.StartsWith("/analyzer:", StringComparison.Ordinal) && !a.StartsWith("/reportanalyzer", StringComparison.Ordinal))
            .ToArray();
        var projectAnalyzers = ImmutableArray<DiagnosticAnalyzer>.Empty;
        var parsed = CSharpCommandLineParser.Default.Parse(arguments, projectFolder, sdkDirectory: null);
        var errors = parsed.Errors.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("The command line does not parse: " + string.Join("; ", errors.Take(3)));
            return 1;
        }

        var texts = parsed.SourceFiles.Select(f => (f.Path, Text: File.ReadAllText(f.Path))).ToList();
        List<SyntaxTree> Parse() => texts.Select(f => CSharpSyntaxTree.ParseText(f.Text, parsed.ParseOptions, f.Path)).ToList();
        var trees = Parse();
        var references = parsed.MetadataReferences
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r.Reference, projectFolder), r.Properties))
            .ToList();
        // Strong-name signing (Serilog, Polly) needs the desktop provider; it signs the emitted image like csc does.
        var compilation = CSharpCompilation.Create(
            parsed.CompilationName ?? "Project",
            trees,
            references,
            parsed.CompilationOptions.WithStrongNameProvider(new DesktopStrongNameProvider(ImmutableArray.Create(projectFolder))));
        var compileErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (compileErrors.Count > 0)
        {
            Console.Error.WriteLine($"The project does not compile ({compileErrors.Count} errors): " + string.Join("; ", compileErrors.Take(3)));
            return 1;
        }
        var configs = parsed.AnalyzerConfigPaths.Select(p => AnalyzerConfig.Parse(File.ReadAllText(p), p)).ToImmutableArray();
        var configSet = AnalyzerConfigSet.Create(configs);
        // Severities from .editorconfig and .globalconfig files (the SDK's analysis-level file turns most rules off), as
        // csc applies them: an analyzer whose every rule is off does not run.
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new TreeSeverities(configSet)));

        // The baseline keeps the project's analyzers that report something at warning or error with its configuration;
        // those whose every rule is info, hidden or off are left out. That makes the baseline cheaper than a build
        // that runs them too, and LeakAnalyzers' share larger, never smaller.
        var severities = configSet.GlobalConfigOptions.TreeOptions;
        var perTree = trees.Select(t => configSet.GetOptionsForSourcePath(t.FilePath).TreeOptions).ToList();
        bool Reports(DiagnosticDescriptor descriptor)
        {
            ReportDiagnostic Effective(ImmutableDictionary<string, ReportDiagnostic> options) =>
                options.TryGetValue(descriptor.Id, out var configured) ? configured
                : severities.TryGetValue(descriptor.Id, out var global) ? global
                : compilation.Options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out var specific) ? specific
                : !descriptor.IsEnabledByDefault ? ReportDiagnostic.Suppress
                : descriptor.DefaultSeverity switch { DiagnosticSeverity.Error => ReportDiagnostic.Error, DiagnosticSeverity.Warning => ReportDiagnostic.Warn, _ => ReportDiagnostic.Info };
            return perTree.Append(ImmutableDictionary<string, ReportDiagnostic>.Empty).Any(options => Effective(options) is ReportDiagnostic.Error or ReportDiagnostic.Warn);
        }

        projectAnalyzers = ProjectAnalyzers(allArguments, projectFolder).Where(a => a.SupportedDiagnostics.Any(Reports)).ToImmutableArray();
        Console.WriteLine($"LeakAnalyzers on {parsed.CompilationName}: {trees.Count} files, {Environment.ProcessorCount} cores, .NET {Environment.Version}, least of {runs} runs");

        // Builds take turns within each run, so that a busy spell of the machine does not favour one of them.
        var least = new Dictionary<string, TimeSpan>?[Builds.Length];
        var compilerAlone = TimeSpan.MaxValue;
        var bindAlone = TimeSpan.MaxValue;
        var projectOnly = TimeSpan.MaxValue;
        async Task<TimeSpan> Whole(ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var whole = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(Parse());
            var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ConfigOptions(whole.SyntaxTrees.ToDictionary(t => t, t => configSet.GetOptionsForSourcePath(t.FilePath).AnalyzerOptions), configSet.GlobalConfigOptions.AnalyzerOptions));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var wall = Stopwatch.StartNew();
            if (analyzers.IsEmpty)
            {
                whole.GetDiagnostics();
            }
            else
            {
                await whole.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false)).GetAllDiagnosticsAsync();
            }

            wall.Stop();
            return wall.Elapsed;
        }

        var wallWithAnalyzers = Enumerable.Repeat(TimeSpan.MaxValue, Builds.Length).ToArray();
        var count = new int[Builds.Length];
        // The order rotates from run to run: the first analysis of a run pays for more than the others (a position
        // effect of the harness worth ~0.1 s on Scriban), and every build must take every position.
        for (var run = 0; run < runs; run++)
        for (var turn = 0; turn < Builds.Length; turn++)
        {
            var b = (turn + run) % Builds.Length;
            AnalyzerAssembly = Builds[b];
            // A fresh compilation of freshly parsed trees each run: nothing bound by an earlier run is reused, and
            // nothing an analyzer cached per syntax tree either (a real build parses and analyzes once).
            var fresh = run == 0 ? trees : Parse();
            var treeOptions = fresh.ToDictionary(t => t, t => configSet.GetOptionsForSourcePath(t.FilePath).AnalyzerOptions);
            var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ConfigOptions(treeOptions, configSet.GlobalConfigOptions.AnalyzerOptions));
            // The compiler completes every declaration (and reports its diagnostics) before the analyzers run; without
            // this, whichever analyzer first touches a type would be charged for binding its members.
            var freshCompilation = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(fresh);
            freshCompilation.GetDeclarationDiagnostics();

            // What the previous analysis left behind is collected now, not charged to whichever analyzer of this one
            // happens to be running when the collector decides to run.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (turn == 0)
            {
                // The compiler's own work on the same fresh trees, without analyzers: binding every body, emitting
                // the assembly. The analyzers' overhead is measured against this.
                var alone = compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(Parse());
                GC.Collect();
                var stopwatch = Stopwatch.StartNew();
                alone.GetDiagnostics();
                if (stopwatch.Elapsed < bindAlone)
                {
                    bindAlone = stopwatch.Elapsed;
                }

                using (var output = new MemoryStream())
                {
                    alone.Emit(output);
                }

                stopwatch.Stop();
                if (stopwatch.Elapsed < compilerAlone)
                {
                    compilerAlone = stopwatch.Elapsed;
                }
            }

            var (times, diagnostics) = await Analyze(freshCompilation, analyzerOptions);
            count[b] = diagnostics;

            // What a build sees: the compiler's diagnostics and the analyzers' with the project's own analyzers (the
            // SDK's, at the project's severities), without and with LeakAnalyzers. The difference includes what the
            // analyzer driver does for LeakAnalyzers that no analyzer's own time shows (binding bodies for operation
            // trees no other analyzer asked for, the events of symbol-start and compilation-end actions).
            if (turn == 0)
            {
                var baseline = await Whole(projectAnalyzers);
                if (baseline < projectOnly)
                {
                    projectOnly = baseline;
                }
            }

            var withLeak = await Whole(projectAnalyzers.AddRange(LoadAnalyzers()));
            if (withLeak < wallWithAnalyzers[b])
            {
                wallWithAnalyzers[b] = withLeak;
            }
            least[b] ??= times;
            foreach (var name in times.Keys)
            {
                if (!least[b]!.TryGetValue(name, out var known) || times[name] < known)
                {
                    least[b]![name] = times[name];
                }
            }
        }

        var names = least.SelectMany(l => l!.Keys).Distinct().OrderByDescending(n => least[0]!.TryGetValue(n, out var t) ? t : TimeSpan.Zero).ToList();
        string Cell(int b, string name) => least[b]!.TryGetValue(name, out var t) ? t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) : "-";
        var columns = Enumerable.Range(0, Builds.Length).ToList();
        Console.WriteLine("| analyzer | " + string.Join(" | ", columns.Select(b => Builds.Length == 1 ? "time (s)" : $"build {b + 1} (s)")) + " |");
        Console.WriteLine("|---|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var name in names)
        {
            Console.WriteLine($"| {name} | " + string.Join(" | ", columns.Select(b => Cell(b, name))) + " |");
        }

        Console.WriteLine("| all LeakAnalyzers | " + string.Join(" | ", columns.Select(b => least[b]!.Values.Sum(t => t.TotalSeconds).ToString("F3", CultureInfo.InvariantCulture))) + " |");
        Console.WriteLine("| compiler alone (bind and emit) | " + string.Join(" | ", columns.Select(_ => compilerAlone.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture))) + " |");
        Console.WriteLine("| overhead on the compiler | " + string.Join(" | ", columns.Select(b => (least[b]!.Values.Sum(t => t.TotalSeconds) / compilerAlone.TotalSeconds).ToString("P1", CultureInfo.InvariantCulture))) + " |");
        string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
        var emit = compilerAlone - bindAlone;
        Console.WriteLine($"| diagnostics with the project's {projectAnalyzers.Length} own analyzers that warn (wall) | " + string.Join(" | ", columns.Select(_ => Seconds(projectOnly))) + " |");
        Console.WriteLine("| the same and LeakAnalyzers (wall) | " + string.Join(" | ", columns.Select(b => Seconds(wallWithAnalyzers[b]))) + " |");
        Console.WriteLine("| what LeakAnalyzers adds (wall) | " + string.Join(" | ", columns.Select(b => Seconds(wallWithAnalyzers[b] - projectOnly))) + " |");
        Console.WriteLine("| added, as a share of the compile with the project's analyzers and emit | " + string.Join(" | ", columns.Select(b => ((wallWithAnalyzers[b] - projectOnly).TotalSeconds / (projectOnly + emit).TotalSeconds).ToString("P1", CultureInfo.InvariantCulture))) + " |");
        Console.WriteLine("| diagnostics | " + string.Join(" | ", count) + " |");
        return 0;
    }

    private static async Task<(Dictionary<string, TimeSpan> Times, int Diagnostics)> Measure(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Generated.cs");
        var compilation = CSharpCompilation.Create(
            "Generated",
            new[] { tree },
            FrameworkReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The generated code does not compile: " + string.Join("; ", errors));
        }

        return await Analyze(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
    }

    private static async Task<(Dictionary<string, TimeSpan> Times, int Diagnostics)> Analyze(Compilation compilation, AnalyzerOptions analyzerOptions)
    {
        var analyzers = LoadAnalyzers();
        var options = new CompilationWithAnalyzersOptions(
            analyzerOptions,
            onAnalyzerException: (e, a, _) => throw new InvalidOperationException($"{a.GetType().Name} threw", e),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var times = new Dictionary<string, TimeSpan>();
        foreach (var analyzer in analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default);
            times[analyzer.GetType().Name] = telemetry.ExecutionTime;
        }

        return (times, diagnostics.Length);
    }

    /// <summary>The diagnostic analyzers of the command line's <c>/analyzer:</c> assemblies (the SDK's), each file in a load context of its own.</summary>
    private static ImmutableArray<DiagnosticAnalyzer> ProjectAnalyzers(string[] arguments, string projectFolder)
    {
        var loader = new ProjectAnalyzerLoader();
        var result = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        foreach (var argument in arguments.Where(a => a.StartsWith("/analyzer:", StringComparison.Ordinal)))
        {
            var path = Path.GetFullPath(argument.Substring("/analyzer:".Length).Trim('"'), projectFolder);
            if (File.Exists(path))
            {
                result.AddRange(new Microsoft.CodeAnalysis.Diagnostics.AnalyzerFileReference(path, loader).GetAnalyzers(LanguageNames.CSharp));
            }
        }

        return result.ToImmutable();
    }

    private sealed class ProjectAnalyzerLoader : Microsoft.CodeAnalysis.IAnalyzerAssemblyLoader
    {
        private readonly System.Runtime.Loader.AssemblyLoadContext context = new("project analyzers");
        private readonly Dictionary<string, string> byName = new(StringComparer.OrdinalIgnoreCase);

        public ProjectAnalyzerLoader() =>
            context.Resolving += (_, name) => name.Name is { } simple && byName.TryGetValue(simple, out var path) ? context.LoadFromAssemblyPath(path) : null;

        public void AddDependencyLocation(string fullPath) => byName[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;

        public Assembly LoadFromPath(string fullPath)
        {
            AddDependencyLocation(fullPath);
            return context.LoadFromAssemblyPath(fullPath);
        }
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers() =>
        AnalyzerAssembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .Where(t => Only is null || Only.Split(',').Any(part => t.Name.Contains(part, StringComparison.Ordinal)))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t, nonPublic: true)!)
            .ToImmutableArray();

    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(() =>
    {
        var directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == directory)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });
}

/// <summary>Generated sources, one shape per analyzer cost that once grew faster than the code.</summary>
internal static class Shapes
{
    internal static readonly Dictionary<string, Func<int, string>> All = new()
    {
        ["owned-locals"] = OwnedLocals,
        ["statements"] = Statements,
        ["native-pairs"] = NativePairs,
        ["native-leaks"] = NativeLeaks,
        ["capturing-local-functions"] = CapturingLocalFunctions,
    };

    internal static readonly Dictionary<string, int[]> DefaultSizes = new()
    {
        ["owned-locals"] = new[] { 500, 2000, 8000 },
        ["statements"] = new[] { 5000, 20000 },
        ["native-pairs"] = new[] { 750, 3000 },
        ["native-leaks"] = new[] { 750, 3000 },
        ["capturing-local-functions"] = new[] { 750, 1500 },
    };

    /// <summary>One method with <paramref name="n"/> file streams in locals; every other one is never disposed.</summary>
    private static string OwnedLocals(int n)
    {
        var body = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            body.Append("        var s").Append(i).Append(" = new FileStream(path, FileMode.Open);\n");
            body.Append("        s").Append(i).Append(".ReadByte();\n");
            if (i % 2 == 0)
            {
                body.Append("        s").Append(i).Append(".Dispose();\n");
            }
        }

        return "using System.IO;\nclass C\n{\n    void M(string path)\n    {\n" + body + "    }\n}\n";
    }

    /// <summary>One method of about <paramref name="n"/> statements: arithmetic, branches, calls and a few disposables.</summary>
    private static string Statements(int n)
    {
        var body = new StringBuilder();
        for (var i = 0; i < n; i += 5)
        {
            body.Append("        total += ").Append(i).Append(";\n");
            body.Append("        if (total % 7 == ").Append(i % 7).Append(") { total--; }\n");
            body.Append("        Console.WriteLine(total);\n");
            body.Append("        var r").Append(i).Append(" = new StringReader(text);\n");
            body.Append("        using (var f").Append(i).Append(" = File.OpenRead(text)) { total += f").Append(i).Append(".ReadByte(); }\n");
        }

        return "using System;\nusing System.IO;\nclass C\n{\n    void M(string text)\n    {\n        var total = 0;\n" + body + "    }\n}\n";
    }

    /// <summary>One method with <paramref name="n"/> AllocHGlobal/FreeHGlobal pairs.</summary>
    private static string NativePairs(int n)
    {
        var body = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            body.Append("        var p").Append(i).Append(" = Marshal.AllocHGlobal(8);\n");
            body.Append("        Marshal.WriteByte(p").Append(i).Append(", 1);\n");
            body.Append("        Marshal.FreeHGlobal(p").Append(i).Append(");\n");
        }

        return "using System.Runtime.InteropServices;\nclass C\n{\n    void M()\n    {\n" + body + "    }\n}\n";
    }

    /// <summary>One method with <paramref name="n"/> AllocHGlobal calls into locals that are never freed: every one is reported, with its fix.</summary>
    private static string NativeLeaks(int n)
    {
        var body = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            body.Append("        var p").Append(i).Append(" = Marshal.AllocHGlobal(8);\n");
            body.Append("        Marshal.WriteByte(p").Append(i).Append(", 1);\n");
        }

        return "using System.Runtime.InteropServices;\nclass C\n{\n    void M()\n    {\n" + body + "    }\n}\n";
    }

    /// <summary>One type whose constructor adds <paramref name="n"/> capturing local functions to a static list.</summary>
    private static string CapturingLocalFunctions(int n)
    {
        var body = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            body.Append("        void F").Append(i).Append("() => count += ").Append(i).Append(";\n");
            body.Append("        Hooks.Add(F").Append(i).Append(");\n");
        }

        return "using System;\nusing System.Collections.Generic;\nclass C\n{\n    static readonly List<Action> Hooks = new List<Action>();\n    int count;\n    public C()\n    {\n" + body + "    }\n}\n";
    }
}

/// <summary>The options of each file, from the project's .editorconfig files, as the compiler gives them to analyzers.</summary>
/// <remarks>One options object per file, as the compiler hands out: analyzers cache what they read per object.</remarks>
internal sealed class ConfigOptions(Dictionary<SyntaxTree, ImmutableDictionary<string, string>> byTree, ImmutableDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    private readonly Dictionary<SyntaxTree, AnalyzerConfigOptions> perTree = byTree.ToDictionary(p => p.Key, p => (AnalyzerConfigOptions)new Options(p.Value));

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => perTree.TryGetValue(tree, out var options) ? options : GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>Per-tree and global severities from the analyzer config files, as csc hands them to the compilation.</summary>
internal sealed class TreeSeverities(AnalyzerConfigSet configs) : SyntaxTreeOptionsProvider
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AnalyzerConfigOptionsResult> byPath = new();

    private AnalyzerConfigOptionsResult For(SyntaxTree tree) => byPath.GetOrAdd(tree.FilePath, configs.GetOptionsForSourcePath);

    public override GeneratedKind IsGenerated(SyntaxTree tree, System.Threading.CancellationToken cancellationToken) =>
        For(tree).AnalyzerOptions.TryGetValue("generated_code", out var value) && bool.TryParse(value, out var generated)
            ? (generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated)
            : GeneratedKind.Unknown;

    public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, System.Threading.CancellationToken cancellationToken, out ReportDiagnostic severity) =>
        For(tree).TreeOptions.TryGetValue(diagnosticId, out severity);

    public override bool TryGetGlobalDiagnosticValue(string diagnosticId, System.Threading.CancellationToken cancellationToken, out ReportDiagnostic severity) =>
        configs.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
}
