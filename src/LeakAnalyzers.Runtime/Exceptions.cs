namespace LeakAnalyzers.Runtime;

using System;

/// <summary>
/// Thrown by <see cref="LeakAssert"/> when a leak is confirmed: objects that should have been collected are still alive,
/// a scenario keeps growing the heap, or disposables were left undisposed. The message carries the evidence
/// (retention paths, growth table, creation sites) and the analyzer family it confirms.
/// </summary>
public sealed class LeakAssertionException : Exception
{
    /// <summary>Creates the exception with the full failure text.</summary>
    /// <param name="message">What leaked and why, as shown by the test runner.</param>
    public LeakAssertionException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Thrown when the heap of the current process cannot be read: the runtime's diagnostics channel is disabled
/// (<c>DOTNET_EnableDiagnostics=0</c>), the dump could not be written or read, or it took too long.
/// The message says which, and what still works (collection checks through weak references do).
/// </summary>
public class HeapInspectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the heap could not be read.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public HeapInspectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown when heap inspection is impossible in this process by configuration: the runtime's diagnostics channel is
/// disabled (<c>DOTNET_EnableDiagnostics=0</c> or <c>DOTNET_EnableDiagnostics_IPC=0</c>).
/// </summary>
public sealed class DiagnosticsDisabledException : HeapInspectionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which setting disabled the diagnostics channel.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DiagnosticsDisabledException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown when the scenario (or factory) handed to a leak check throws. The leak check did not run; the original
/// exception is the <see cref="Exception.InnerException"/>. Handles and temporary files are released before it is thrown.
/// </summary>
public sealed class LeakScenarioException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which check and which iteration failed.</param>
    /// <param name="innerException">The exception the scenario threw.</param>
    public LeakScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
