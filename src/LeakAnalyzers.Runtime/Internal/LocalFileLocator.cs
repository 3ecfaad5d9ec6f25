namespace LeakAnalyzers.Runtime.Internal;

using System.Collections.Immutable;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Finds binaries (the runtime's DAC, module images) on this machine only. The heaps this library reads belong to
/// processes of this machine, whose runtime files are where the process loaded them from. ClrMD's default locator
/// would create a symbol cache folder (an empty <c>symbols/</c> in the temporary folder after every capture) and needs
/// the Azure identity libraries for symbol servers that are never asked here.
/// </summary>
internal sealed class LocalFileLocator : IFileLocator
{
    internal static readonly LocalFileLocator Instance = new();

    internal static DataTargetOptions Options()
    {
        AzureCoreStandIn.Install();
        return new DataTargetOptions { FileLocator = Instance };
    }

    public string? FindPEImage(string fileName, int buildTimeStamp, int imageSize, bool checkProperties) => Local(fileName);

    public string? FindPEImage(string fileName, SymbolProperties archivedUnder, ImmutableArray<byte> buildIdOrUUID, OSPlatform originalPlatform, bool checkProperties) => Local(fileName);

    private static string? Local(string fileName) => !string.IsNullOrEmpty(fileName) && File.Exists(fileName) ? fileName : null;
}
