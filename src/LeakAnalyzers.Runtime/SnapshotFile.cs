namespace LeakAnalyzers.Runtime;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using LeakAnalyzers.Runtime.Internal;

/// <summary>
/// The snapshot file: a small JSON document with the type table and the sampled retention paths of a
/// <see cref="HeapSnapshot"/>, not a heap dump. Its format is described in docs/runtime.md ("Snapshot files") and
/// versioned: a reader refuses a newer major version instead of misreading it.
/// </summary>
internal static class SnapshotFile
{
    internal const string FormatName = "leakanalyzers-heap-snapshot";

    /// <summary>The version this library writes and the newest it reads.</summary>
    internal const int Version = 1;

    internal static void Write(HeapSnapshot snapshot, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", Version);
        json.WriteString("takenAt", snapshot.TakenAt);
        json.WriteString("source", snapshot.Source);
        json.WriteString("filter", snapshot.Filter);
        json.WriteStartObject("heap");
        json.WriteNumber("objects", snapshot.HeapCount);
        json.WriteNumber("bytes", snapshot.HeapBytes);
        json.WriteEndObject();
        json.WriteStartArray("types");
        foreach (TypeStatistics type in snapshot.Types)
        {
            json.WriteStartObject();
            json.WriteString("name", type.TypeName);
            json.WriteString("assembly", type.Assembly);
            json.WriteNumber("count", type.Count);
            json.WriteNumber("bytes", type.Bytes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("paths");
        foreach (RetentionPathGroup group in snapshot.Paths)
        {
            RetentionPath path = group.Path;
            json.WriteStartObject();
            json.WriteString("type", path.Target.TypeName);
            json.WriteNumber("instances", group.Count);
            json.WriteString("rootKind", path.RootKind.ToString());
            json.WriteString("root", path.Root);
            json.WriteString("family", path.Family.ToString());
            json.WriteString("reason", path.Reason);
            json.WriteStartArray("steps");
            foreach (RetentionStep step in path.Steps)
            {
                json.WriteStartObject();
                if (step.Via is not null)
                {
                    json.WriteString("via", step.Via);
                }

                json.WriteString("object", step.Description);
                json.WriteString("type", step.TypeName);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    internal static HeapSnapshot Read(Stream stream, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw Invalid(name, $"it is not a JSON document ({e.Message})", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) ||
                format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            {
                throw Invalid(name, $"it has no \"format\": \"{FormatName}\" member, so it is not a heap snapshot");
            }

            int version = Int(root, "version", name);
            if (version > Version)
            {
                throw Invalid(name, $"it was written in snapshot format version {version}, and this version of LeakAnalyzers reads versions up to {Version}. Update LeakAnalyzers (the tool or the package) to read it");
            }

            if (version < 1)
            {
                throw Invalid(name, $"its format version {version} does not exist");
            }

            try
            {
                DateTimeOffset takenAt = root.GetProperty("takenAt").GetDateTimeOffset();
                string source = root.TryGetProperty("source", out JsonElement s) ? s.GetString() ?? string.Empty : string.Empty;
                string filter = root.GetProperty("filter").GetString() ?? string.Empty;
                JsonElement heap = root.GetProperty("heap");
                var types = new List<TypeStatistics>();
                foreach (JsonElement type in root.GetProperty("types").EnumerateArray())
                {
                    string typeName = type.GetProperty("name").GetString() ?? throw new FormatException("a type has no name");
                    string assembly = type.TryGetProperty("assembly", out JsonElement a) ? a.GetString() ?? string.Empty : string.Empty;
                    var info = new HeapTypeInfo(typeName, TypeNames.Namespace(typeName), assembly, 0);
                    types.Add(new TypeStatistics(info, type.GetProperty("count").GetInt64(), type.GetProperty("bytes").GetInt64()));
                }

                var paths = new List<RetentionPathGroup>();
                if (root.TryGetProperty("paths", out JsonElement pathArray))
                {
                    foreach (JsonElement p in pathArray.EnumerateArray())
                    {
                        var steps = new List<RetentionStep>();
                        foreach (JsonElement step in p.GetProperty("steps").EnumerateArray())
                        {
                            steps.Add(new RetentionStep(
                                step.TryGetProperty("via", out JsonElement via) ? via.GetString() : null,
                                step.GetProperty("object").GetString() ?? string.Empty,
                                step.GetProperty("type").GetString() ?? string.Empty,
                                0));
                        }

                        if (steps.Count == 0)
                        {
                            throw new FormatException("a retention path has no steps");
                        }

                        var path = new RetentionPath(
                            Enum.Parse<RootKind>(p.GetProperty("rootKind").GetString() ?? string.Empty),
                            p.GetProperty("root").GetString() ?? string.Empty,
                            steps,
                            Enum.Parse<LeakFamily>(p.GetProperty("family").GetString() ?? string.Empty),
                            p.GetProperty("reason").GetString() ?? string.Empty);
                        paths.Add(new RetentionPathGroup(path, p.GetProperty("instances").GetInt32()));
                    }
                }

                types.Sort((x, y) => y.Bytes != x.Bytes ? y.Bytes.CompareTo(x.Bytes) : string.CompareOrdinal(x.TypeName, y.TypeName));
                return new HeapSnapshot(types, heap.GetProperty("objects").GetInt64(), heap.GetProperty("bytes").GetInt64(), filter, takenAt)
                {
                    Source = source,
                    Paths = paths,
                };
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
            {
                throw Invalid(name, $"it is damaged or incomplete ({e.Message})", e);
            }
        }
    }

    private static int Int(JsonElement root, string property, string name) =>
        root.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : throw Invalid(name, $"it has no numeric \"{property}\"");

    private static InvalidDataException Invalid(string name, string why, Exception? inner = null) =>
        new(string.Create(CultureInfo.InvariantCulture, $"'{name}' cannot be read as a heap snapshot: {why}."), inner);
}
