namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// The events a type declares, read from its assembly's metadata on disk. In another process a method table is not a
/// type handle of this one, so reflection cannot say whether a delegate field backs an event; the assembly file the
/// process loaded can. Files are read once per session; a module without a file (in memory, single-file bundles) has
/// no events here.
/// </summary>
internal sealed class MetadataEvents
{
    private readonly Dictionary<string, Dictionary<int, HashSet<string>>?> byModule = new(StringComparer.Ordinal);

    internal bool Declares(ClrType type, string eventName)
    {
        string? file = type.Module?.Name;
        if (string.IsNullOrEmpty(file) || type.MetadataToken == 0)
        {
            return false;
        }

        if (!byModule.TryGetValue(file!, out Dictionary<int, HashSet<string>>? events))
        {
            events = Read(file!);
            byModule[file!] = events;
        }

        return events is not null && events.TryGetValue(type.MetadataToken, out HashSet<string>? names) && names.Contains(eventName);
    }

    private static Dictionary<int, HashSet<string>>? Read(string file)
    {
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }

            MetadataReader reader = pe.GetMetadataReader();
            var result = new Dictionary<int, HashSet<string>>();
            foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
            {
                TypeDefinition definition = reader.GetTypeDefinition(handle);
                HashSet<string>? names = null;
                foreach (EventDefinitionHandle e in definition.GetEvents())
                {
                    (names ??= new HashSet<string>(StringComparer.Ordinal)).Add(reader.GetString(reader.GetEventDefinition(e).Name));
                }

                if (names is not null)
                {
                    result[MetadataTokens.GetToken(handle)] = names;
                }
            }

            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
