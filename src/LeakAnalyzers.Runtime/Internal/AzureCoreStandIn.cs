namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Threading;

/// <summary>
/// ClrMD 4 declares a dependency on Azure.Identity (for authenticated symbol servers) that drags about 20 assemblies of
/// Azure and identity libraries into every program that uses it. This library never asks a symbol server (it gives
/// ClrMD a <see cref="LocalFileLocator"/>) and ships without them. One ClrMD method still names
/// Azure.Core's types in code that builds the default locator, code that never runs here; compiling the method makes
/// the runtime load those types, and fail when Azure.Core is absent. When that happens, and only for a lookup that
/// comes from ClrMD, a stand-in assembly answers it: empty types under the names ClrMD refers to, with no member. A program that has
/// the real Azure.Core never gets here: the runtime asks this handler only after it found no Azure.Core of its own.
/// </summary>
internal static class AzureCoreStandIn
{
    private const string Name = "Azure.Core";
    private static readonly object Gate = new();
    private static int installed;
    private static Assembly? standIn;

    internal static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, Name, StringComparison.Ordinal) || !RequestedByClrMD())
        {
            return null;
        }

        lock (Gate)
        {
            standIn ??= context.LoadFromStream(new MemoryStream(Emit(name.Version ?? new Version(1, 0, 0, 0))));
            return standIn;
        }
    }

    /// <summary>An assembly with no code: empty types with the names ClrMD refers to.</summary>
    private static byte[] Emit(Version version)
    {
        var metadata = new MetadataBuilder();
        metadata.AddModule(0, metadata.GetOrAddString(Name + ".dll"), metadata.GetOrAddGuid(Guid.NewGuid()), default, default);
        metadata.AddAssembly(metadata.GetOrAddString(Name), version, default, default, default, AssemblyHashAlgorithm.Sha1);
        AssemblyReferenceHandle runtime = metadata.AddAssemblyReference(
            metadata.GetOrAddString("System.Runtime"),
            new Version(8, 0, 0, 0),
            default,
            metadata.GetOrAddBlob(new byte[] { 0xb0, 0x3f, 0x5f, 0x7f, 0x11, 0xd5, 0x0a, 0x3a }),
            default,
            default);
        TypeReferenceHandle obj = metadata.AddTypeReference(runtime, metadata.GetOrAddString("System"), metadata.GetOrAddString("Object"));
        TypeReferenceHandle valueType = metadata.AddTypeReference(runtime, metadata.GetOrAddString("System"), metadata.GetOrAddString("ValueType"));
        metadata.AddTypeDefinition(default, default, metadata.GetOrAddString("<Module>"), default, MetadataTokens.FieldDefinitionHandle(1), MetadataTokens.MethodDefinitionHandle(1));

        // The four types ClrMD's metadata names in Azure.Core, none with a member: nothing of them ever runs.
        TypeDefinitionHandle credential = metadata.AddTypeDefinition(
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Class,
            metadata.GetOrAddString("Azure.Core"),
            metadata.GetOrAddString("TokenCredential"),
            obj,
            MetadataTokens.FieldDefinitionHandle(1),
            MetadataTokens.MethodDefinitionHandle(1));
        foreach (string structName in new[] { "AccessToken", "TokenRequestContext" })
        {
            metadata.AddTypeDefinition(
                TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.SequentialLayout,
                metadata.GetOrAddString("Azure.Core"),
                metadata.GetOrAddString(structName),
                valueType,
                MetadataTokens.FieldDefinitionHandle(1),
                MetadataTokens.MethodDefinitionHandle(1));
        }

        metadata.AddTypeDefinition(
            TypeAttributes.Public | TypeAttributes.Class,
            metadata.GetOrAddString("Azure.Identity"),
            metadata.GetOrAddString("InteractiveBrowserCredential"),
            credential,
            MetadataTokens.FieldDefinitionHandle(1),
            MetadataTokens.MethodDefinitionHandle(1));
        var pe = new ManagedPEBuilder(new PEHeaderBuilder(imageCharacteristics: Characteristics.Dll), new MetadataRootBuilder(metadata), new BlobBuilder());
        var image = new BlobBuilder();
        pe.Serialize(image);
        return image.ToArray();
    }

    private static bool RequestedByClrMD()
    {
        Assembly clrmd = typeof(Microsoft.Diagnostics.Runtime.DataTarget).Assembly;
        foreach (StackFrame frame in new StackTrace(1, fNeedFileInfo: false).GetFrames())
        {
            if (frame.GetMethod()?.DeclaringType?.Assembly == clrmd)
            {
                return true;
            }
        }

        return false;
    }
}
