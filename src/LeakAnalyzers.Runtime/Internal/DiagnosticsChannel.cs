namespace LeakAnalyzers.Runtime.Internal;

using System;

/// <summary>Whether the runtime's diagnostics channel (the IPC server that writes dumps) is enabled in this process.</summary>
internal static class DiagnosticsChannel
{
    /// <summary>Tests set this to reach the runtime's own answer when the channel is off, past the early check.</summary>
    internal static bool IgnoreEnvironment { get; set; }

    /// <summary>
    /// Returns the reason the channel is disabled, or <see langword="null"/> when nothing says it is.
    /// The runtime reads its settings with the <c>DOTNET_</c> prefix and the legacy <c>COMPlus_</c> one;
    /// <c>EnableDiagnostics=0</c> turns off the IPC server, the debugger and the profiler, and
    /// <c>EnableDiagnostics_IPC=0</c> (.NET 8+) turns off the IPC server alone.
    /// </summary>
    internal static string? DisabledReason()
    {
        if (IgnoreEnvironment)
        {
            return null;
        }

        foreach (string name in new[] { "EnableDiagnostics", "EnableDiagnostics_IPC" })
        {
            foreach (string prefix in new[] { "DOTNET_", "COMPlus_" })
            {
                string variable = prefix + name;
                string? value = Environment.GetEnvironmentVariable(variable);
                if (value is not null && value.Trim() == "0")
                {
                    return $"{variable}=0 is set, so the runtime's diagnostics channel is disabled in this process and its heap cannot be read. " +
                           "Unset it (or set it to 1) for the test run to get heap snapshots, growth reports and retention paths. " +
                           "Collection checks (LeakAssert.Collected, ObjectTracker) still work without it; they only lose the retention path.";
                }
            }
        }

        return null;
    }
}
