namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// The options a real build derives from an .editorconfig: <see cref="AnalyzerConfig.Parse(string, string?)"/> and
/// <see cref="AnalyzerConfigSet"/> give, per source path, the severities (<c>dotnet_diagnostic.ID.severity</c>,
/// fed to the compilation through <see cref="SyntaxTreeOptionsProvider"/>) and the other keys (fed to analyzers
/// through <see cref="AnalyzerConfigOptionsProvider"/>), as the command-line compiler does.
/// </summary>
internal sealed class EditorConfigOptions
{
    private readonly AnalyzerConfigSet _set;
    private readonly ConcurrentDictionary<string, AnalyzerConfigOptionsResult> _byPath = new(StringComparer.Ordinal);

    private EditorConfigOptions(AnalyzerConfigSet set, ImmutableArray<string> problems)
    {
        _set = set;
        Problems = problems;
        TreeOptions = new TreeOptionsProvider(this);
        AnalyzerOptions = new OptionsProvider(this);
    }

    /// <summary>
    /// What the compiler would warn about in the .editorconfig text itself, and properties that would silently
    /// apply to nothing because they come before any section in a file that is not a global config.
    /// </summary>
    public ImmutableArray<string> Problems { get; }

    public SyntaxTreeOptionsProvider TreeOptions { get; }

    public AnalyzerConfigOptionsProvider AnalyzerOptions { get; }

    /// <param name="text">The .editorconfig text, or null for none.</param>
    /// <param name="path">Absolute path of the .editorconfig; it applies to sources in its directory.</param>
    public static EditorConfigOptions Create(string? text, string path)
    {
        var configs = text is null
            ? ImmutableArray<AnalyzerConfig>.Empty
            : ImmutableArray.Create(AnalyzerConfig.Parse(text, path));
        var set = AnalyzerConfigSet.Create(configs, out var setDiagnostics);
        var problems = setDiagnostics.AddRange(set.GlobalConfigOptions.Diagnostics).Select(d => d.ToString()).ToList();
        if (text is not null)
        {
            problems.AddRange(PropertiesOutsideSections(text));
        }

        return new EditorConfigOptions(set, problems.ToImmutableArray());
    }

    /// <summary>Problems the compiler reports for one source path (for example an unknown severity).</summary>
    public ImmutableArray<string> ProblemsFor(string path) => ForPath(path).Diagnostics.Select(d => d.ToString()).ToImmutableArray();

    private static IEnumerable<string> PropertiesOutsideSections(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var isGlobal = lines.Any(l => l.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("is_global=true", StringComparison.OrdinalIgnoreCase));
        if (isGlobal)
        {
            yield break;
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                yield break;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || line[0] == ';' || equals < 0)
            {
                continue;
            }

            var key = line.Substring(0, equals).Trim();
            if (!key.Equals("root", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"'{line}' comes before any section, so it applies to no file; put it under a section such as [*.cs], or start the text with is_global = true.";
            }
        }
    }

    public AnalyzerConfigOptionsResult ForPath(string? path)
        => path is null ? _set.GlobalConfigOptions : _byPath.GetOrAdd(path, p => _set.GetOptionsForSourcePath(p));

    private sealed class TreeOptionsProvider : SyntaxTreeOptionsProvider
    {
        private readonly EditorConfigOptions _owner;

        public TreeOptionsProvider(EditorConfigOptions owner) => _owner = owner;

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (_owner.ForPath(tree.FilePath).AnalyzerOptions.TryGetValue("generated_code", out var value)
                && bool.TryParse(value, out var generated))
            {
                return generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated;
            }

            return GeneratedKind.Unknown;
        }

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _owner.ForPath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _owner._set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    private sealed class OptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly EditorConfigOptions _owner;

        public OptionsProvider(EditorConfigOptions owner)
        {
            _owner = owner;
            GlobalOptions = new Options(owner._set.GlobalConfigOptions.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree)
            => new Options(_owner.ForPath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => new Options(_owner.ForPath(textFile.Path).AnalyzerOptions);
    }

    /// <summary>Keys compare as the compiler's do (<see cref="AnalyzerConfigOptions.KeyComparer"/>, case-insensitive).</summary>
    private sealed class Options : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public Options(ImmutableDictionary<string, string> values)
            => _values = values.WithComparers(KeyComparer);

        public override IEnumerable<string> Keys => _values.Keys;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            => _values.TryGetValue(key, out value);
    }
}
