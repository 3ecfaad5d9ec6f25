namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

/// <summary>Writes values as C# literals, for failure messages that can be pasted into a test.</summary>
internal static class CSharpLiteral
{
    public static string Format(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return Quote(s);
            case char c:
                return "'" + (c == '\'' ? "\\'" : Escape(c.ToString(), '\'')) + "'";
            case bool b:
                return b ? "true" : "false";
            case int or long or short or byte or sbyte or ushort or uint or ulong:
                return Convert.ToString(value, CultureInfo.InvariantCulture)!;
            case IFormattable formattable:
                return Quote(formattable.ToString(null, CultureInfo.InvariantCulture));
            default:
                return Quote(value.ToString() ?? string.Empty);
        }
    }

    public static string Quote(string s) => "\"" + Escape(s, '"') + "\"";

    private static string Escape(string s, char quote)
    {
        var builder = new StringBuilder(s.Length + 2);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}

/// <summary>Describes diagnostics and texts for failure messages.</summary>
internal static class Describe
{
    private static readonly PropertyInfo? ArgumentsProperty =
        typeof(Diagnostic).GetProperty("Arguments", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    /// <summary><c>/0/Test0.cs(4,9,4,20): warning LEAK001: message</c>, like the compiler, plus additional locations.</summary>
    public static string Diagnostic(Diagnostic diagnostic)
    {
        var builder = new StringBuilder();
        builder.Append(Location(diagnostic.Location)).Append(": ")
            .Append(diagnostic.Severity.ToString().ToLowerInvariant()).Append(' ')
            .Append(diagnostic.Id).Append(": ")
            .Append(diagnostic.GetMessage(CultureInfo.InvariantCulture));
        foreach (var additional in diagnostic.AdditionalLocations)
        {
            builder.Append(" [additional location ").Append(Location(additional)).Append(']');
        }

        return builder.ToString();
    }

    public static string Location(Location location)
    {
        if (!location.IsInSource)
        {
            return "(no location)";
        }

        var span = location.GetLineSpan();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1},{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})");
    }

    /// <summary>
    /// A line of C# that expects this diagnostic, e.g. <c>VerifyCS.Diagnostic().WithSpan(4, 9, 4, 20).WithArguments("s"),</c>.
    /// <c>VerifyCS</c> stands for whichever alias the test uses for its verifier.
    /// </summary>
    public static string AsExpectation(Diagnostic diagnostic, string? defaultId, IReadOnlyCollection<string> analyzerIds, string mainPath)
    {
        var builder = new StringBuilder();
        bool severityIsImplied;
        if (diagnostic.Id == defaultId)
        {
            builder.Append("VerifyCS.Diagnostic()");
            severityIsImplied = diagnostic.Severity == diagnostic.DefaultSeverity;
        }
        else if (analyzerIds.Contains(diagnostic.Id))
        {
            builder.Append("VerifyCS.Diagnostic(").Append(CSharpLiteral.Quote(diagnostic.Id)).Append(')');
            severityIsImplied = diagnostic.Severity == diagnostic.DefaultSeverity;
        }
        else
        {
            var error = diagnostic.Severity == DiagnosticSeverity.Error;
            builder.Append(error ? "DiagnosticResult.CompilerError(" : "DiagnosticResult.CompilerWarning(")
                .Append(CSharpLiteral.Quote(diagnostic.Id)).Append(')');
            severityIsImplied = error || diagnostic.Severity == DiagnosticSeverity.Warning;
        }

        if (diagnostic.Location.IsInSource)
        {
            AppendSpan(builder, diagnostic.Location, mainPath);
            foreach (var additional in diagnostic.AdditionalLocations)
            {
                if (additional.IsInSource)
                {
                    AppendSpan(builder, additional, mainPath);
                }
            }
        }

        if (!severityIsImplied)
        {
            builder.Append(".WithSeverity(DiagnosticSeverity.").Append(diagnostic.Severity).Append(')');
        }

        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        var arguments = Arguments(diagnostic);
        if (arguments is not null && Reproduces(diagnostic, arguments, message))
        {
            if (arguments.Count > 0)
            {
                builder.Append(".WithArguments(").Append(string.Join(", ", arguments.Select(CSharpLiteral.Format))).Append(')');
            }
        }
        else
        {
            builder.Append(".WithMessage(").Append(CSharpLiteral.Quote(message)).Append(')');
        }

        return builder.Append(',').ToString();
    }

    /// <summary>The source line a location is on, for context under compiler errors.</summary>
    public static string? SourceLine(Location location)
    {
        if (!location.IsInSource || location.SourceTree is null)
        {
            return null;
        }

        var text = location.SourceTree.GetText();
        var line = text.Lines.GetLineFromPosition(location.SourceSpan.Start);
        return text.ToString(line.Span).Trim();
    }

    /// <summary>A line diff of expected and actual text: '-' expected only, '+' actual only.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = SplitLines(expected);
        var b = SplitLines(actual);
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var builder = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                builder.Append("    ").AppendLine(a[x]);
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                builder.Append("  - ").AppendLine(ShowTrailingWhitespace(a[x]));
                x++;
            }
            else
            {
                builder.Append("  + ").AppendLine(ShowTrailingWhitespace(b[y]));
                y++;
            }
        }

        return builder.ToString();
    }

    public static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string[] SplitLines(string text) => NormalizeNewlines(text).Split('\n');

    private static string ShowTrailingWhitespace(string line)
    {
        var trimmed = line.TrimEnd(' ', '\t');
        if (trimmed.Length == line.Length)
        {
            return line;
        }

        return trimmed + line.Substring(trimmed.Length).Replace(' ', '·').Replace('\t', '→');
    }

    private static void AppendSpan(StringBuilder builder, Location location, string mainPath)
    {
        var span = location.GetLineSpan();
        builder.Append(".WithSpan(");
        if (span.Path != mainPath)
        {
            builder.Append(CSharpLiteral.Quote(span.Path)).Append(", ");
        }

        builder.Append(string.Create(
            CultureInfo.InvariantCulture,
            $"{span.StartLinePosition.Line + 1}, {span.StartLinePosition.Character + 1}, {span.EndLinePosition.Line + 1}, {span.EndLinePosition.Character + 1})"));
    }

    /// <summary>The arguments the diagnostic was created with; Roslyn keeps them internal, so read them by reflection.</summary>
    private static IReadOnlyList<object?>? Arguments(Diagnostic diagnostic)
    {
        try
        {
            return ArgumentsProperty?.GetValue(diagnostic) is IEnumerable<object?> values ? values.ToList() : null;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static bool Reproduces(Diagnostic diagnostic, IReadOnlyList<object?> arguments, string message)
    {
        try
        {
            var format = diagnostic.Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);
            return string.Format(CultureInfo.InvariantCulture, format, arguments.ToArray()) == message;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
