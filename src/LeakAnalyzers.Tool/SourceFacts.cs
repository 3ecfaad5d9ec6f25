namespace LeakAnalyzers.Tool;

using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

/// <summary>
/// What the source line of a finding says that its message does not: the type that declares a field, the type a
/// 'new' creates. Plain text reading, good enough to name a runtime subject; when the file is not there (a log from
/// another machine), the subject is matched by member name alone.
/// </summary>
internal static partial class SourceFacts
{
    /// <summary>The innermost class, struct or record declared before <paramref name="line"/> at a smaller indentation.</summary>
    internal static string? EnclosingType(string? file, int line)
    {
        string[]? lines = Read(file);
        if (lines is null || line < 1 || line > lines.Length)
        {
            return null;
        }

        int indentation = Indentation(lines[line - 1]);
        for (int i = line - 2; i >= 0; i--)
        {
            Match declaration = TypeDeclaration().Match(lines[i]);
            if (declaration.Success && Indentation(lines[i]) < indentation)
            {
                return declaration.Groups["name"].Value;
            }
        }

        return null;
    }

    /// <summary>The type a <c>new T(...)</c> on the line (or the next) creates.</summary>
    internal static string? CreatedType(string? file, int line)
    {
        string[]? lines = Read(file);
        if (lines is null || line < 1 || line > lines.Length)
        {
            return null;
        }

        foreach (string text in lines.Skip(line - 1).Take(2))
        {
            Match creation = Creation().Match(text);
            if (creation.Success)
            {
                return creation.Groups["name"].Value.Split('.').Last();
            }
        }

        return null;
    }

    private static string[]? Read(string? file)
    {
        try
        {
            return file is not null && File.Exists(file) ? File.ReadAllLines(file) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Indentation(string text) => text.Length - text.TrimStart().Length;

    [GeneratedRegex(@"\b(?:class|struct|record(?:\s+class|\s+struct)?)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bnew\s+(?<name>[A-Za-z_][\w.]*)\s*[({]")]
    private static partial Regex Creation();
}
