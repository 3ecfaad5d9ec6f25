namespace LeakAnalyzers.Runtime.Tests;

using System.Collections.Generic;
using System.Linq;
using LeakAnalyzers.Runtime.Tests.Fixtures;
using Xunit;

public sealed class DisposalTests
{
    private static readonly List<object> Kept = new();

    [Fact]
    public void Tracked_disposables_are_reported_by_state_with_their_creation_site_and_disposed_ones_are_not()
    {
        try
        {
            UndisposedReport report = DisposalTracker.Run(() =>
            {
                Kept.Add(new TrackedConnection());           // never disposed, still reachable
                _ = new TrackedConnection();                 // never disposed, dropped
                _ = new FinalizableHandle();                 // never disposed, dropped, has a finalizer
                new TrackedConnection().Dispose();           // fine
                using (new FinalizableHandle())              // fine
                {
                }
            });

            Assert.Equal(3, report.Undisposed.Count);
            Assert.All(report.Undisposed, u => Assert.Equal(LeakFamily.Disposable, u.Family));

            UndisposedObject reachable = report.Undisposed.Single(u => u.State == DisposalState.Reachable);
            Assert.Equal("TrackedConnection", reachable.DisplayName);
            Assert.Contains(nameof(Tracked_disposables_are_reported_by_state_with_their_creation_site_and_disposed_ones_are_not), reachable.CreatedAt);
            Assert.Contains("DisposalTests.cs:line", reachable.CreatedAt);
            Assert.Equal("static DisposalTests.Kept", reachable.Path!.Root);

            Assert.Equal("FinalizableHandle", report.Undisposed.Single(u => u.State == DisposalState.WaitingForFinalization).DisplayName);
            Assert.Equal("TrackedConnection", report.Undisposed.Single(u => u.State == DisposalState.CollectedWithoutDispose).DisplayName);
            Assert.Contains("confirms LEAK0xx (undisposed disposable)", report.ToString());
        }
        finally
        {
            Kept.Clear();
        }
    }

    [Fact]
    public void Without_tracking_the_heap_tells_undisposed_from_disposed_by_their_flag_and_says_when_it_cannot()
    {
        try
        {
            UndisposedReport report = DisposalTracker.Run(
                () =>
                {
                    FlaggedResource.Pool.Add(new FlaggedResource());
                    var closed = new FlaggedResource();
                    closed.Dispose();
                    FlaggedResource.Pool.Add(closed);
                    OpaqueResource.Pool.Add(new OpaqueResource());
                },
                HeapFilter.Types(typeof(FlaggedResource), typeof(OpaqueResource)));

            UndisposedObject open = Assert.Single(report.Undisposed);
            Assert.Equal("FlaggedResource", open.DisplayName);
            Assert.Equal(DisposalState.Reachable, open.State);
            Assert.Equal("field disposed is false", open.Evidence);
            Assert.Equal("static FlaggedResource.Pool", open.Path!.Root);
            Assert.Null(open.CreatedAt);

            UndisposedObject opaque = Assert.Single(report.Unknown);
            Assert.Equal("OpaqueResource", opaque.DisplayName);
            Assert.Contains("cannot be told", report.ToString());
        }
        finally
        {
            FlaggedResource.Pool.Clear();
            OpaqueResource.Pool.Clear();
        }
    }

    [Fact]
    public void Without_a_flag_a_finalizer_that_was_not_suppressed_tells_an_undisposed_object()
    {
        try
        {
            UndisposedReport report = DisposalTracker.Run(
                () =>
                {
                    var disposed = new NativeBuffer();
                    disposed.Dispose();
                    NativeBuffer.Pool.Add(disposed);
                    NativeBuffer.Pool.Add(new NativeBuffer());
                },
                HeapFilter.Types(typeof(NativeBuffer)));

            UndisposedObject open = Assert.Single(report.Undisposed);
            Assert.Equal("NativeBuffer", open.DisplayName);
            Assert.StartsWith("its finalizer was not suppressed", open.Evidence);
            Assert.Equal("item [1]", open.Path!.Target.Via);
            Assert.Empty(report.Unknown);
        }
        finally
        {
            NativeBuffer.Pool.Clear();
        }
    }

    [Fact]
    public void AllDisposed_passes_when_everything_is_disposed_and_fails_otherwise()
    {
        LeakAssert.AllDisposed(() =>
        {
            using var a = new TrackedConnection();
            using var b = new FinalizableHandle();
        });

        var e = Assert.Throws<LeakAssertionException>(() => LeakAssert.AllDisposed(() => _ = new TrackedConnection()));
        Assert.Contains("TrackedConnection: never disposed, collected", e.Message);
    }

    [Fact]
    public void Instances_created_outside_a_check_are_not_tracked()
    {
        Assert.False(DisposalTracker.IsTracking);
        var outside = new TrackedConnection();
        UndisposedReport report = DisposalTracker.Run(() => { });
        Assert.Empty(report.Undisposed);
        outside.Dispose();
    }

    [Fact]
    public void A_scenario_that_throws_stops_tracking()
    {
        Assert.Throws<LeakScenarioException>(() => DisposalTracker.Run(() => throw new System.InvalidOperationException()));
        Assert.False(DisposalTracker.IsTracking);
    }
}
