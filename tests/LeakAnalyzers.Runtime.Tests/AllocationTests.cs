namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Collections.Generic;
using Xunit;

public sealed class AllocationTests
{
    private static readonly List<byte[]> Kept = new();

    [Fact]
    public void The_bytes_a_block_allocates_on_this_thread_are_counted_exactly()
    {
        // Warm up, so that the JIT's own allocations for the lambda do not count.
        AllocationMeter.Measure(() => GC.KeepAlive(new byte[1000]));

        AllocationReport report = AllocationMeter.Measure(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                GC.KeepAlive(new byte[1000]);
            }
        });

        // A byte[1000] is 1000 bytes of data plus a 24-byte header (64-bit), rounded up to 8.
        int each = IntPtr.Size == 8 ? 1024 : 1012;
        Assert.Equal(10L * each, report.ThreadBytes);
        Assert.True(report.ProcessBytes >= report.ThreadBytes);
        Assert.Null(report.RetainedBytes);
        Assert.Contains("allocated 10.0 KB on this thread", report.ToString());
    }

    [Fact]
    public void Retained_bytes_show_what_the_block_kept()
    {
        try
        {
            // Retained bytes are the heap's net growth, so other garbage freed meanwhile blurs them by some
            // kilobytes: a 10 MB array keeps the figure well clear of that.
            AllocationReport report = AllocationMeter.Measure(() => Kept.Add(new byte[10_000_000]), measureRetained: true);
            Assert.InRange(report.RetainedBytes!.Value, 9_500_000, 10_500_000);
            Assert.True(report.ThreadBytes >= 10_000_000);
        }
        finally
        {
            Kept.Clear();
        }
    }

    [Fact]
    public void A_scope_measures_the_code_between_start_and_stop()
    {
        AllocationScope scope = AllocationMeter.Start();
        GC.KeepAlive(new object());
        AllocationReport first = scope.Stop();
        Assert.Equal(IntPtr.Size == 8 ? 24 : 12, first.ThreadBytes);
        Assert.Same(first, scope.Stop());
    }

    [Fact]
    public void A_block_that_throws_is_reported_as_such()
    {
        var e = Assert.Throws<LeakScenarioException>(() => AllocationMeter.Measure(() => throw new FormatException("x")));
        Assert.IsType<FormatException>(e.InnerException);
    }
}
