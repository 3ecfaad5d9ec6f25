namespace LeakDemo.Disposables;

using System;
using System.Threading;

/// <summary>Timeouts built on CancellationTokenSource, whose timer lives until the source is disposed.</summary>
public sealed class JobRunner
{
    /// <summary>LEAK001: disposed only when the job fails; on success the source and its timer leak.</summary>
    public string RunWithTimeoutLeaky(bool fail)
    {
        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = Run(timeout.Token, fail);
        if (result is null)
        {
            timeout.Dispose();
            return "failed";
        }

        return result;
    }

    /// <summary>Clean: the using declaration disposes the source on both paths.</summary>
    public string RunWithTimeout(bool fail)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return Run(timeout.Token, fail) ?? "failed";
    }

    private static string? Run(CancellationToken token, bool fail) =>
        fail || token.IsCancellationRequested ? null : "done";
}
