namespace LeakAnalyzers.Tool;

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

/// <summary>One LEAK diagnostic of a build's SARIF log.</summary>
internal sealed record Finding(string RuleId, string Message, string? File, int Line, IReadOnlyDictionary<string, string> Properties)
{
    internal string Location => File is null ? "(no location)" : $"{Path.GetFileName(File)}:{Line}";
}

/// <summary>Reads the compiler's SARIF log (versions 1 and 2.1): rule, message, location and properties of each LEAK result.</summary>
internal static class SarifLog
{
    internal static IReadOnlyList<Finding> ReadLeakFindings(string path)
    {
        JsonDocument document;
        try
        {
            using FileStream stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ToolException($"There is no SARIF log '{path}'. Write one with: dotnet build -p:ErrorLog=build.sarif", e);
        }
        catch (JsonException e)
        {
            throw new ToolException($"'{path}' is not a SARIF log: it is not JSON ({e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"The SARIF log '{path}' cannot be read: {e.Message}", e);
        }

        using (document)
        {
            var findings = new List<Finding>();
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("runs", out JsonElement runs) || runs.ValueKind != JsonValueKind.Array)
            {
                throw new ToolException($"'{path}' is not a SARIF log: it has no \"runs\".");
            }

            int results = 0;
            foreach (JsonElement run in runs.EnumerateArray())
            {
                if (!run.TryGetProperty("results", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (JsonElement result in list.EnumerateArray())
                {
                    results++;
                    string? rule = String(result, "ruleId");
                    if (rule is null || !rule.StartsWith("LEAK", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    string message = result.TryGetProperty("message", out JsonElement m)
                        ? m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : String(m, "text") ?? string.Empty
                        : string.Empty;
                    (string? file, int line) = Location(result);
                    findings.Add(new Finding(rule, message, file, line, Properties(result)));
                }
            }

            if (findings.Count == 0)
            {
                throw new ToolException($"The SARIF log '{path}' has no LEAK results ({results} result(s) of other analyzers). Build with LeakAnalyzers referenced and -p:ErrorLog=build.sarif, and check that its rules are not turned off.");
            }

            return findings;
        }
    }

    private static (string? File, int Line) Location(JsonElement result)
    {
        if (!result.TryGetProperty("locations", out JsonElement locations) || locations.ValueKind != JsonValueKind.Array)
        {
            return (null, 0);
        }

        foreach (JsonElement location in locations.EnumerateArray())
        {
            // SARIF 2.1: physicalLocation.artifactLocation.uri + region.startLine; SARIF 1: resultFile.uri + region.startLine.
            JsonElement physical = location.TryGetProperty("physicalLocation", out JsonElement p) ? p : location.TryGetProperty("resultFile", out JsonElement r) ? r : default;
            if (physical.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string? uri = physical.TryGetProperty("artifactLocation", out JsonElement artifact) ? String(artifact, "uri") : String(physical, "uri");
            int line = physical.TryGetProperty("region", out JsonElement region) && region.TryGetProperty("startLine", out JsonElement start) && start.TryGetInt32(out int l) ? l : 0;
            string? file = uri is null ? null : Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) && parsed.IsFile ? parsed.LocalPath : uri;
            return (file, line);
        }

        return (null, 0);
    }

    private static IReadOnlyDictionary<string, string> Properties(JsonElement result)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result.TryGetProperty("properties", out JsonElement bag) && bag.ValueKind == JsonValueKind.Object)
        {
            // The compiler puts a diagnostic's properties under "customProperties" (SARIF 2.1) or directly in the bag.
            JsonElement custom = bag.TryGetProperty("customProperties", out JsonElement c) ? c : bag;
            foreach (JsonProperty property in custom.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    properties[property.Name] = property.Value.GetString() ?? string.Empty;
                }
            }
        }

        return properties;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
