namespace LeakAnalyzers.Tests.Verifiers;

using System;
using Xunit.Sdk;

/// <summary>
/// Thrown when a verifier finds that the analyzer or code fix did not behave as the test expects.
/// Derives from <see cref="XunitException"/> so xunit prints the message without a stack of verifier frames.
/// </summary>
public sealed class VerificationException : XunitException
{
    public VerificationException(string message)
        : base(message)
    {
    }

    public VerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
