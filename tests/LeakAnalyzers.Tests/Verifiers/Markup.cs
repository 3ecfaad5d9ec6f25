namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

/// <summary>One marked span: <c>[|...|]</c> (no name), <c>{|LEAK001:...|}</c> (an ID) or <c>{|#0:...|}</c> (a key).</summary>
internal readonly record struct MarkupSpan(string? DiagnosticId, int? Key, TextSpan Span);

/// <summary>Source text with its markup removed, and the spans the markup denoted.</summary>
internal sealed class MarkupResult
{
    public MarkupResult(string text, ImmutableArray<MarkupSpan> spans)
    {
        Text = text;
        Spans = spans;
    }

    public string Text { get; }

    /// <summary>Spans in the order their opening markers appear.</summary>
    public ImmutableArray<MarkupSpan> Spans { get; }
}

/// <summary>
/// Parses the markup dialect of Microsoft.CodeAnalysis.Testing: <c>[|text|]</c>, <c>{|ID:text|}</c> and
/// <c>{|#n:text|}</c>, which may nest. <c>|]</c> closes the innermost <c>[|</c> and <c>|}</c> the innermost
/// <c>{|name:</c>; anything else is source text. <c>$$</c> has no meaning here (it is common in raw strings).
/// </summary>
internal static class Markup
{
    public static MarkupResult Parse(string source, string fileName)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        var text = new StringBuilder(source.Length);
        var spans = new List<(int Order, MarkupSpan Span)>();
        var open = new Stack<(string? Name, int Start, int SourceIndex, int Order)>();
        var order = 0;
        var i = 0;
        while (i < source.Length)
        {
            if (At(source, i, "[|"))
            {
                open.Push((null, text.Length, i, order++));
                i += 2;
            }
            else if (At(source, i, "{|"))
            {
                var colon = source.IndexOf(':', i + 2);
                var name = colon < 0 ? string.Empty : source.Substring(i + 2, colon - i - 2);
                if (!IsValidName(name))
                {
                    throw MarkupError(source, fileName, i, "'{|' must be followed by a diagnostic ID or '#' and a number, then ':', e.g. {|LEAK001:...|} or {|#0:...|}");
                }

                open.Push((name, text.Length, i, order++));
                i = colon + 1;
            }
            else if (At(source, i, "|]") || At(source, i, "|}"))
            {
                var closesNamed = source[i + 1] == '}';
                if (open.Count == 0)
                {
                    throw MarkupError(source, fileName, i, $"'{source.Substring(i, 2)}' closes nothing");
                }

                var (name, start, sourceIndex, spanOrder) = open.Pop();
                if ((name is not null) != closesNamed)
                {
                    var opener = name is null ? "[|" : "{|" + name + ":";
                    throw MarkupError(source, fileName, i, $"'{source.Substring(i, 2)}' cannot close '{opener}' opened at {Position(source, sourceIndex)}");
                }

                var span = TextSpan.FromBounds(start, text.Length);
                if (name is null)
                {
                    spans.Add((spanOrder, new MarkupSpan(null, null, span)));
                }
                else if (name[0] == '#')
                {
                    spans.Add((spanOrder, new MarkupSpan(null, int.Parse(name.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture), span)));
                }
                else
                {
                    spans.Add((spanOrder, new MarkupSpan(name, null, span)));
                }

                i += 2;
            }
            else
            {
                text.Append(source[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            var (name, _, sourceIndex, _) = open.Peek();
            var opener = name is null ? "[|" : "{|" + name + ":";
            throw MarkupError(source, fileName, sourceIndex, $"'{opener}' is never closed");
        }

        spans.Sort((a, b) => a.Order.CompareTo(b.Order));
        var result = ImmutableArray.CreateBuilder<MarkupSpan>(spans.Count);
        foreach (var (_, span) in spans)
        {
            result.Add(span);
        }

        return new MarkupResult(text.ToString(), result.MoveToImmutable());
    }

    private static bool At(string source, int index, string token)
        => string.CompareOrdinal(source, index, token, 0, token.Length) == 0;

    private static bool IsValidName(string name)
    {
        if (name.Length == 0 || name.Length > 100)
        {
            return false;
        }

        if (name[0] == '#')
        {
            if (name.Length == 1 || name.Length > 10)
            {
                return false;
            }

            for (var i = 1; i < name.Length; i++)
            {
                if (name[i] < '0' || name[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        if (!char.IsLetter(name[0]) && name[0] != '_')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_' && c != '.' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static string Position(string source, int index)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < index; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"({line},{column})");
    }

    private static InvalidOperationException MarkupError(string source, string fileName, int index, string problem)
        => new($"Invalid markup in {fileName} at {Position(source, index)} of the markup text: {problem}.");
}
