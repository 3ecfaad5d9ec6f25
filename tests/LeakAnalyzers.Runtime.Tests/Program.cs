namespace LeakAnalyzers.Runtime.Tests;

using System;

/// <summary>
/// The test assembly's entry point. The test host never calls it; the diagnostics tests run the assembly as a child
/// process with <c>DOTNET_EnableDiagnostics=0</c> and a probe name, and read what it prints.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args.Length == 2 && args[0] == "probe" ? DiagnosticsProbe.Run(args[1]) : 0;
}
