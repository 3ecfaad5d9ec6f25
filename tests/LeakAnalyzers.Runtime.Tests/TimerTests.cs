namespace LeakAnalyzers.Runtime.Tests;

using LeakAnalyzers.Runtime.Tests.Fixtures.Timers;
using Xunit;

/// <summary>
/// A timer never disposed keeps its callback's target alive through the runtime's timer queue. The analyzers file that
/// under closures (LEAK301, the timer cycle), so the runtime's confirmation must too, although the path starts at a
/// static array of timer queues.
/// </summary>
public sealed class TimerTests
{
    [Fact]
    public void A_path_through_the_timer_queue_to_a_callback_confirms_the_closure_family()
    {
        // The leaked heartbeat's timer is due in an hour: it never fires during the test run.
        RetentionPath path = LeakAssert.Leaks(() => new Heartbeat());
        Assert.Equal(LeakFamily.Closure, path.Family);
        Assert.Contains("System.Threading.Timer that is never disposed", path.Reason);
        Assert.Contains("lambda in Heartbeat.constructor", path.Reason);
        Assert.DoesNotContain("entries are added and never removed", path.Reason);
        Assert.Equal("static TimerQueue.Instances", path.Root);
        Assert.Equal("target", path.Target.Via);
        Assert.Equal("Heartbeat", path.Target.Description);
    }

    [Fact]
    public void A_disposed_timer_releases_its_owner() =>
        LeakAssert.Collected(() => new Heartbeat(), b => b.Stop());
}
