namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Text.RegularExpressions;

/// <summary>Type names as a person reads them: <c>Dictionary&lt;string, Subscriber&gt;</c> rather than the runtime's full form.</summary>
internal static class TypeNames
{
    private static readonly Regex NamespaceQualifier = new(@"(?<![A-Za-z0-9_`.])(?:[A-Za-z_][A-Za-z0-9_]*\.)+(?=[A-Za-z_<])", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly (string Full, string Keyword)[] Keywords =
    {
        ("System.String", "string"), ("System.Object", "object"), ("System.Int32", "int"), ("System.Int64", "long"),
        ("System.Boolean", "bool"), ("System.Byte", "byte"), ("System.Char", "char"), ("System.Double", "double"),
        ("System.Single", "float"), ("System.Int16", "short"), ("System.UInt32", "uint"), ("System.UInt64", "ulong"),
        ("System.UInt16", "ushort"), ("System.SByte", "sbyte"), ("System.Decimal", "decimal"), ("System.IntPtr", "nint"),
        ("System.UIntPtr", "nuint"),
    };

    /// <summary>The runtime's name with namespaces dropped, C# keywords for primitives and '.' for nesting.</summary>
    internal static string Short(string? fullName)
    {
        if (string.IsNullOrEmpty(fullName))
        {
            return "<unknown type>";
        }

        // Not cached: a growing static cache would show up in the growth reports this library makes.
        string result = fullName!;
        foreach (var (full, keyword) in Keywords)
        {
            if (result.Contains(full, StringComparison.Ordinal))
            {
                result = Regex.Replace(result, @"(?<![A-Za-z0-9_.])" + Regex.Escape(full) + @"(?![A-Za-z0-9_])", keyword);
            }
        }

        result = NamespaceQualifier.Replace(result, string.Empty);
        return result.Replace('+', '.');
    }

    /// <summary>The namespace of the outermost type in a runtime type name ("" for the global namespace).</summary>
    internal static string Namespace(string? fullName)
    {
        if (string.IsNullOrEmpty(fullName) || fullName![0] == '<')
        {
            return string.Empty;
        }

        int end = fullName.Length;
        for (int i = 0; i < fullName.Length; i++)
        {
            char c = fullName[i];
            if (c is '<' or '+' or '[' or ',' or '`')
            {
                end = i;
                break;
            }
        }

        int dot = fullName.LastIndexOf('.', end - 1);
        return dot <= 0 ? string.Empty : fullName.Substring(0, dot);
    }

    /// <summary>The last nested segment of a type name, without namespace or generic arguments (<c>&lt;&gt;c__DisplayClass3_0</c>).</summary>
    internal static string Innermost(string fullName)
    {
        string name = StripGenericArguments(fullName);
        int plus = name.LastIndexOf('+');
        if (plus >= 0)
        {
            return name.Substring(plus + 1);
        }

        int dot = name.LastIndexOf('.');
        return dot >= 0 ? name.Substring(dot + 1) : name;
    }

    /// <summary>The name of the type that contains a nested type (<c>Demo.ViewModel</c> for <c>Demo.ViewModel+&lt;&gt;c</c>).</summary>
    internal static string? Outer(string fullName)
    {
        string name = StripGenericArguments(fullName);
        int plus = name.LastIndexOf('+');
        return plus > 0 ? name.Substring(0, plus) : null;
    }

    /// <summary>Drops generic argument lists and array suffixes, keeping compiler-generated names like <c>&lt;&gt;c</c> intact.</summary>
    internal static string StripGenericArguments(string fullName)
    {
        var builder = new System.Text.StringBuilder(fullName.Length);
        int depth = 0;
        for (int i = 0; i < fullName.Length; i++)
        {
            char c = fullName[i];
            bool compilerName = c == '<' && (i == 0 || fullName[i - 1] is '+' or '.') ;
            if (compilerName && depth == 0)
            {
                int close = fullName.IndexOf('>', i);
                if (close > i)
                {
                    builder.Append(fullName, i, close - i + 1);
                    i = close;
                    continue;
                }
            }

            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth--;
            }
            else if (depth == 0 && c != '[' && c != ']' && c != ',')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The simple name of a module's assembly (<c>MyApp</c> for <c>/bin/MyApp.dll</c>).</summary>
    internal static string AssemblyName(string? moduleNameOrPath)
    {
        if (string.IsNullOrEmpty(moduleNameOrPath))
        {
            return string.Empty;
        }

        string name = moduleNameOrPath!;
        int comma = name.IndexOf(',');
        if (comma >= 0)
        {
            return name.Substring(0, comma).Trim();
        }

        // Either separator: a module's path is the dumped process's, whatever this process runs on.
        string file = name.Substring(Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\')) + 1);
        return file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? file.Substring(0, file.Length - 4)
            : file;
    }
}
