namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

/// <summary>
/// One location of an expected diagnostic: either a line and column (optionally with an end) in a file,
/// or a numbered markup location (<c>{|#0:...|}</c>) that is resolved when the test runs.
/// Lines and columns are stored zero-based, as Roslyn does, and printed one-based.
/// </summary>
public readonly struct DiagnosticLocation : IEquatable<DiagnosticLocation>
{
    internal DiagnosticLocation(string path, LinePosition start, LinePosition? end)
    {
        Path = path;
        Start = start;
        End = end;
        MarkupKey = null;
    }

    private DiagnosticLocation(int markupKey)
    {
        Path = string.Empty;
        Start = default;
        End = null;
        MarkupKey = markupKey;
    }

    /// <summary>The file; empty means the test's main file (<c>TestCode</c> or <c>FixedCode</c>).</summary>
    public string Path { get; }

    /// <summary>Zero-based start; meaningless when <see cref="MarkupKey"/> is set.</summary>
    public LinePosition Start { get; }

    /// <summary>Zero-based end, or null when only the start is checked.</summary>
    public LinePosition? End { get; }

    /// <summary>The number of a <c>{|#n:...|}</c> markup location, resolved when the test runs.</summary>
    public int? MarkupKey { get; }

    internal static DiagnosticLocation FromMarkupKey(int markupKey) => new(markupKey);

    public bool Equals(DiagnosticLocation other)
        => Path == other.Path && Start == other.Start && End == other.End && MarkupKey == other.MarkupKey;

    public override bool Equals(object? obj) => obj is DiagnosticLocation other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Path, Start, End, MarkupKey);

    public override string ToString()
    {
        if (MarkupKey is { } key)
        {
            return "{|#" + key.ToString(CultureInfo.InvariantCulture) + ":|}";
        }

        var file = Path.Length == 0 ? "(main file)" : Path;
        var text = string.Create(CultureInfo.InvariantCulture, $"{file}({Start.Line + 1},{Start.Character + 1})");
        return End is { } end
            ? text + string.Create(CultureInfo.InvariantCulture, $"-({end.Line + 1},{end.Character + 1})")
            : text;
    }
}

/// <summary>
/// An expected diagnostic. Immutable; every <c>With...</c> method returns a changed copy, so results can be
/// built fluently: <c>Verify.Diagnostic().WithLocation(0).WithArguments("stream")</c>.
/// The first location given is the primary location; any later ones are the diagnostic's additional locations,
/// checked in order (only when more than one location is given).
/// </summary>
public readonly struct DiagnosticResult
{
    /// <summary>An empty set of expected diagnostics, for readability at call sites.</summary>
    public static readonly DiagnosticResult[] EmptyDiagnosticResults = Array.Empty<DiagnosticResult>();

    private readonly ImmutableArray<DiagnosticLocation> _spans;
    private readonly object?[]? _messageArguments;

    public DiagnosticResult(string id, DiagnosticSeverity severity)
        : this(id, severity, messageFormat: null, message: null, messageArguments: null, spans: default)
    {
    }

    public DiagnosticResult(DiagnosticDescriptor descriptor)
        : this(
            (descriptor ?? throw new ArgumentNullException(nameof(descriptor))).Id,
            descriptor.DefaultSeverity,
            descriptor.MessageFormat,
            message: null,
            messageArguments: null,
            spans: default)
    {
    }

    private DiagnosticResult(
        string id,
        DiagnosticSeverity? severity,
        LocalizableString? messageFormat,
        string? message,
        object?[]? messageArguments,
        ImmutableArray<DiagnosticLocation> spans)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Severity = severity;
        MessageFormat = messageFormat;
        Message = message;
        _messageArguments = messageArguments;
        _spans = spans;
    }

    /// <summary>The diagnostic ID, e.g. <c>LEAK001</c> or <c>CS0103</c>.</summary>
    public string Id { get; }

    /// <summary>The expected severity, or null when severity is not checked (diagnostics written as markup).</summary>
    public DiagnosticSeverity? Severity { get; }

    /// <summary>The expected message set with <see cref="WithMessage"/>, or null.</summary>
    public string? Message { get; }

    /// <summary>The message format the arguments are formatted with, when known (from the descriptor).</summary>
    public LocalizableString? MessageFormat { get; }

    /// <summary>The arguments set with <see cref="WithArguments"/>, or null when arguments are not checked.</summary>
    public ImmutableArray<object?>? MessageArguments
        => _messageArguments is null ? null : ImmutableArray.Create(_messageArguments);

    /// <summary>The expected locations: primary first, then additional locations.</summary>
    public ImmutableArray<DiagnosticLocation> Spans => _spans.IsDefault ? ImmutableArray<DiagnosticLocation>.Empty : _spans;

    public bool HasLocation => !Spans.IsEmpty;

    /// <summary>An expected compiler error, e.g. <c>DiagnosticResult.CompilerError("CS0103")</c>.</summary>
    public static DiagnosticResult CompilerError(string id) => new(id, DiagnosticSeverity.Error);

    /// <summary>An expected compiler warning, e.g. <c>DiagnosticResult.CompilerWarning("CS0168")</c>.</summary>
    public static DiagnosticResult CompilerWarning(string id) => new(id, DiagnosticSeverity.Warning);

    /// <summary>Adds a location by one-based line and column in the main file; only the start is checked.</summary>
    public DiagnosticResult WithLocation(int line, int column) => WithLocation(string.Empty, line, column);

    /// <summary>Adds a location by one-based line and column in the named file; only the start is checked.</summary>
    public DiagnosticResult WithLocation(string path, int line, int column)
    {
        var start = ToLinePosition(line, column, nameof(line), nameof(column));
        return WithSpans(Spans.Add(new DiagnosticLocation(path ?? string.Empty, start, end: null)));
    }

    /// <summary>Adds the numbered markup location <c>{|#markupKey:...|}</c>; its whole span is checked.</summary>
    public DiagnosticResult WithLocation(int markupKey)
    {
        if (markupKey < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(markupKey), "Markup keys are written {|#0:...|} and are not negative.");
        }

        return WithSpans(Spans.Add(DiagnosticLocation.FromMarkupKey(markupKey)));
    }

    /// <summary>Adds a span by one-based start and end line and column in the main file.</summary>
    public DiagnosticResult WithSpan(int startLine, int startColumn, int endLine, int endColumn)
        => WithSpan(string.Empty, startLine, startColumn, endLine, endColumn);

    /// <summary>Adds a span by one-based start and end line and column in the named file.</summary>
    public DiagnosticResult WithSpan(string path, int startLine, int startColumn, int endLine, int endColumn)
    {
        var start = ToLinePosition(startLine, startColumn, nameof(startLine), nameof(startColumn));
        var end = ToLinePosition(endLine, endColumn, nameof(endLine), nameof(endColumn));
        if (end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(endLine), "The end of a span cannot come before its start.");
        }

        return WithSpans(Spans.Add(new DiagnosticLocation(path ?? string.Empty, start, end)));
    }

    /// <summary>Expects a diagnostic that has no source location (reported on the compilation).</summary>
    public DiagnosticResult WithNoLocation() => WithSpans(ImmutableArray<DiagnosticLocation>.Empty);

    /// <summary>
    /// Checks the message: the arguments are formatted with the descriptor's message format (invariant culture)
    /// and compared with the reported message.
    /// </summary>
    public DiagnosticResult WithArguments(params object?[] arguments)
        => new(Id, Severity, MessageFormat, Message, arguments ?? throw new ArgumentNullException(nameof(arguments)), _spans);

    /// <summary>Checks the whole reported message (invariant culture).</summary>
    public DiagnosticResult WithMessage(string message)
        => new(Id, Severity, MessageFormat, message ?? throw new ArgumentNullException(nameof(message)), _messageArguments, _spans);

    /// <summary>Sets the format that <see cref="WithArguments"/> values are formatted with.</summary>
    public DiagnosticResult WithMessageFormat(LocalizableString messageFormat)
        => new(Id, Severity, messageFormat, Message, _messageArguments, _spans);

    /// <summary>Checks the effective severity (after .editorconfig and compilation options).</summary>
    public DiagnosticResult WithSeverity(DiagnosticSeverity severity)
        => new(Id, severity, MessageFormat, Message, _messageArguments, _spans);

    /// <summary>A result that checks neither severity nor message: what markup such as <c>[|...|]</c> expects.</summary>
    internal static DiagnosticResult ForMarkup(string id, DiagnosticDescriptor? descriptor, DiagnosticLocation location)
        => new(id, severity: null, descriptor?.MessageFormat, message: null, messageArguments: null, ImmutableArray.Create(location));

    internal DiagnosticResult WithSpans(ImmutableArray<DiagnosticLocation> spans)
        => new(Id, Severity, MessageFormat, Message, _messageArguments, spans);

    /// <summary>The message the arguments produce with <paramref name="format"/>, or null if they cannot be formatted.</summary>
    internal string? FormatArguments(LocalizableString? format)
    {
        if (_messageArguments is null || format is null)
        {
            return null;
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, format.ToString(CultureInfo.InvariantCulture), _messageArguments);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Id ?? "(no id)");
        if (Severity is { } severity)
        {
            builder.Append(' ').Append(severity.ToString().ToLowerInvariant());
        }

        builder.Append(Spans.IsEmpty ? " without location" : " at " + string.Join(", then ", Spans));
        if (Message is not null)
        {
            builder.Append(", message \"").Append(Message).Append('"');
        }

        if (_messageArguments is not null)
        {
            builder.Append(", arguments (")
                .Append(string.Join(", ", _messageArguments.Select(a => CSharpLiteral.Format(a))))
                .Append(')');
        }

        return builder.ToString();
    }

    private static LinePosition ToLinePosition(int line, int column, string lineName, string columnName)
    {
        if (line < 1)
        {
            throw new ArgumentOutOfRangeException(lineName, "Lines are one-based.");
        }

        if (column < 1)
        {
            throw new ArgumentOutOfRangeException(columnName, "Columns are one-based.");
        }

        return new LinePosition(line - 1, column - 1);
    }
}
