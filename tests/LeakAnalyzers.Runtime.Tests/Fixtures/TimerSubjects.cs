namespace LeakAnalyzers.Runtime.Tests.Fixtures.Timers;

using System;
using System.Threading;

/// <summary>LEAK301's timer shape: a System.Threading.Timer whose callback captures its owner, never disposed.</summary>
public sealed class Heartbeat
{
    private readonly Timer timer;

    public Heartbeat()
    {
        timer = new Timer(_ => Beats++, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
    }

    public int Beats { get; private set; }

    public void Stop() => timer.Dispose();
}
