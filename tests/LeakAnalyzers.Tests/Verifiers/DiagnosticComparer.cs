namespace LeakAnalyzers.Tests.Verifiers;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

/// <summary>A location of an expected diagnostic with its file path and markup key resolved.</summary>
internal readonly record struct ResolvedLocation(string Path, LinePosition Start, LinePosition? End)
{
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Path}({Start.Line + 1},{Start.Character + 1}");
        return End is { } end
            ? text + string.Create(CultureInfo.InvariantCulture, $",{end.Line + 1},{end.Character + 1})")
            : text + ")";
    }
}

/// <summary>An expected diagnostic ready to be compared: its locations are concrete.</summary>
internal sealed class Expectation
{
    public Expectation(DiagnosticResult result, ImmutableArray<ResolvedLocation> locations, string origin)
    {
        Result = result;
        Locations = locations;
        Origin = origin;
    }

    public DiagnosticResult Result { get; }

    public ImmutableArray<ResolvedLocation> Locations { get; }

    /// <summary>Where the expectation came from, e.g. "markup [|...|]" or "ExpectedDiagnostics[2]".</summary>
    public string Origin { get; }

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Result.Id);
        if (Result.Severity is { } severity)
        {
            builder.Append(' ').Append(severity.ToString().ToLowerInvariant());
        }

        builder.Append(Locations.IsEmpty ? " without location" : " at " + Locations[0]);
        for (var i = 1; i < Locations.Length; i++)
        {
            builder.Append(" [additional location ").Append(Locations[i]).Append(']');
        }

        if (Result.Message is not null)
        {
            builder.Append(", message ").Append(CSharpLiteral.Quote(Result.Message));
        }

        if (Result.MessageArguments is { } arguments)
        {
            builder.Append(", arguments (").Append(string.Join(", ", arguments.Select(CSharpLiteral.Format))).Append(')');
        }

        return builder.Append("   <- ").Append(Origin).ToString();
    }
}

/// <summary>Pairs expected with reported diagnostics and explains every difference.</summary>
internal static class DiagnosticComparer
{
    /// <summary>Why <paramref name="actual"/> does not satisfy <paramref name="expected"/>; empty when it does.</summary>
    public static List<string> Differences(Expectation expected, Diagnostic actual)
    {
        var differences = new List<string>();
        var result = expected.Result;
        if (result.Id != actual.Id)
        {
            differences.Add($"ID: expected {result.Id}, reported {actual.Id}");
        }

        if (expected.Locations.IsEmpty)
        {
            if (actual.Location.IsInSource)
            {
                differences.Add($"location: expected none, reported {Describe.Location(actual.Location)}");
            }
        }
        else
        {
            CompareLocation("location", expected.Locations[0], actual.Location, differences);
            if (expected.Locations.Length > 1)
            {
                var additional = actual.AdditionalLocations;
                if (additional.Count != expected.Locations.Length - 1)
                {
                    differences.Add($"additional locations: expected {expected.Locations.Length - 1}, reported {additional.Count}"
                        + (additional.Count == 0 ? string.Empty : " (" + string.Join(", ", additional.Select(Describe.Location)) + ")"));
                }
                else
                {
                    for (var i = 0; i < additional.Count; i++)
                    {
                        CompareLocation($"additional location {i + 1}", expected.Locations[i + 1], additional[i], differences);
                    }
                }
            }
        }

        if (result.Severity is { } severity && severity != actual.Severity)
        {
            differences.Add($"severity: expected {severity}, reported {actual.Severity}");
        }

        var message = actual.GetMessage(CultureInfo.InvariantCulture);
        if (result.Message is not null && result.Message != message)
        {
            differences.Add($"message: expected {CSharpLiteral.Quote(result.Message)}, reported {CSharpLiteral.Quote(message)}");
        }

        if (result.MessageArguments is not null)
        {
            var format = result.MessageFormat ?? actual.Descriptor.MessageFormat;
            var expectedMessage = result.FormatArguments(format);
            if (expectedMessage is null)
            {
                differences.Add($"arguments: cannot format them with the message format {CSharpLiteral.Quote(format.ToString(CultureInfo.InvariantCulture))}");
            }
            else if (expectedMessage != message)
            {
                differences.Add($"message from arguments: expected {CSharpLiteral.Quote(expectedMessage)}, reported {CSharpLiteral.Quote(message)}");
            }
        }

        return differences;
    }

    /// <summary>
    /// Pairs each expectation with a distinct reported diagnostic that satisfies it (maximum bipartite matching,
    /// so a loosely written expectation cannot steal the only diagnostic a stricter one accepts).
    /// Returns, per expectation, the index of its diagnostic or -1.
    /// </summary>
    public static int[] Match(IReadOnlyList<Expectation> expected, IReadOnlyList<Diagnostic> actual)
    {
        var accepts = new bool[expected.Count, actual.Count];
        for (var i = 0; i < expected.Count; i++)
        {
            for (var j = 0; j < actual.Count; j++)
            {
                accepts[i, j] = Differences(expected[i], actual[j]).Count == 0;
            }
        }

        var ownerOfActual = Enumerable.Repeat(-1, actual.Count).ToArray();
        for (var i = 0; i < expected.Count; i++)
        {
            TryAssign(i, new bool[actual.Count]);
        }

        var result = Enumerable.Repeat(-1, expected.Count).ToArray();
        for (var j = 0; j < actual.Count; j++)
        {
            if (ownerOfActual[j] >= 0)
            {
                result[ownerOfActual[j]] = j;
            }
        }

        return result;

        bool TryAssign(int i, bool[] visited)
        {
            for (var j = 0; j < actual.Count; j++)
            {
                if (accepts[i, j] && !visited[j])
                {
                    visited[j] = true;
                    if (ownerOfActual[j] < 0 || TryAssign(ownerOfActual[j], visited))
                    {
                        ownerOfActual[j] = i;
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Null when expected and reported diagnostics match one to one; otherwise a readable explanation.</summary>
    public static string? Explain(
        string phase,
        IReadOnlyList<Expectation> expected,
        IReadOnlyList<Diagnostic> actual,
        string? defaultId,
        IReadOnlyCollection<string> analyzerIds,
        string mainPath)
    {
        var match = Match(expected, actual);
        var missing = Enumerable.Range(0, expected.Count).Where(i => match[i] < 0).ToList();
        var matched = new HashSet<int>(match.Where(j => j >= 0));
        var extra = Enumerable.Range(0, actual.Count).Where(j => !matched.Contains(j)).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        builder.Append("Diagnostics in the ").Append(phase).Append(" do not match: expected ")
            .Append(expected.Count).Append(", reported ").Append(actual.Count).Append('.').AppendLine();
        if (missing.Count > 0)
        {
            builder.AppendLine().AppendLine($"Expected but not reported ({missing.Count}):");
            foreach (var i in missing)
            {
                builder.Append("  ").AppendLine(expected[i].ToString());
                var closest = extra
                    .Select(j => (Index: j, Differences: Differences(expected[i], actual[j])))
                    .Where(c => actual[c.Index].Id == expected[i].Result.Id)
                    .OrderBy(c => c.Differences.Count)
                    .FirstOrDefault();
                if (closest.Differences is { Count: > 0 })
                {
                    builder.Append("    closest reported: ").AppendLine(Describe.Diagnostic(actual[closest.Index]));
                    foreach (var difference in closest.Differences)
                    {
                        builder.Append("      ").AppendLine(difference);
                    }
                }
            }
        }

        if (extra.Count > 0)
        {
            builder.AppendLine().AppendLine($"Reported but not expected ({extra.Count}):");
            foreach (var j in extra)
            {
                builder.Append("  ").AppendLine(Describe.Diagnostic(actual[j]));
            }
        }

        builder.AppendLine().AppendLine("All reported diagnostics, as expectations (VerifyCS = your verifier alias):");
        if (actual.Count == 0)
        {
            builder.AppendLine("  (none)");
        }

        foreach (var diagnostic in actual)
        {
            builder.Append("  // ").AppendLine(Describe.Diagnostic(diagnostic));
            builder.Append("  ").AppendLine(Describe.AsExpectation(diagnostic, defaultId, analyzerIds, mainPath));
        }

        return builder.ToString();
    }

    private static void CompareLocation(string what, ResolvedLocation expected, Location actual, List<string> differences)
    {
        if (!actual.IsInSource)
        {
            differences.Add($"{what}: expected {expected}, reported none");
            return;
        }

        var span = actual.GetLineSpan();
        var samePlace = span.Path == expected.Path
            && span.StartLinePosition == expected.Start
            && (expected.End is null || expected.End == span.EndLinePosition);
        if (!samePlace)
        {
            differences.Add($"{what}: expected {expected}, reported {Describe.Location(actual)}");
        }
    }
}
