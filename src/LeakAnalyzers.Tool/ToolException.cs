namespace LeakAnalyzers.Tool;

using System;

/// <summary>Bad input or a target that cannot be read: the message is for the user, and the exit code is 2.</summary>
internal sealed class ToolException : Exception
{
    internal ToolException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
