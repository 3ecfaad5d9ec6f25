namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Threading;
using Xunit;

/// <summary>Roots other than static fields: another thread's stack, and the finalizer queue.</summary>
public sealed class RootKindTests
{
    [Fact]
    public void An_object_held_by_a_local_of_another_thread_is_explained_by_that_thread()
    {
        var ready = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        Payload? shared = null;
        var thread = new Thread(() => Hold(ready, release, p => shared = p)) { IsBackground = true, Name = "holder" };
        thread.Start();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(30)));
        Payload target = shared!;
        shared = null;
        try
        {
            RetentionPath path = RetentionPath.Find(target)!;
            Assert.Equal(RootKind.ThreadStack, path.RootKind);
            Assert.Contains("local in RootKindTests.Hold on thread", path.Root);
            Assert.Equal(LeakFamily.None, path.Family);
        }
        finally
        {
            release.Set();
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public void An_object_referenced_by_one_waiting_for_its_finalizer_is_explained_by_the_finalizer_queue()
    {
        // Hold the finalizer thread in one finalizer (for 30 s at most), so that the next finalizable object stays
        // queued while the heap is captured.
        using var blocking = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var target = new Payload();
        Abandon(blocking, release, new Payload());
        GC.Collect();
        Assert.True(blocking.Wait(TimeSpan.FromSeconds(30)), "the blocking finalizer did not start");
        try
        {
            Abandon(null, null, target);
            GC.Collect();

            // No collection first: it would wait for the held finalizer thread.
            RetentionPath path = RetentionPath.Find(target, new HeapInspectionOptions { CollectFirst = false })!;
            Assert.Equal(RootKind.FinalizerQueue, path.RootKind);
            Assert.Equal("finalizer queue (waiting for its finalizer to run)", path.Root);
            Assert.Equal("RootKindTests.FinalizableOwner", path.Steps[0].Description);
            Assert.Equal("field payload", path.Target.Via);
        }
        finally
        {
            release.Set();
            GC.WaitForPendingFinalizers();
        }
    }

    [Fact]
    public void An_object_in_a_thread_static_collection_is_explained_by_the_field_and_its_thread()
    {
        var value = new Fixtures.Paths.CachedValue();
        Fixtures.Paths.PerThreadCache.Values = new System.Collections.Generic.List<Fixtures.Paths.CachedValue> { value };
        try
        {
            RetentionPath path = RetentionPath.Find(value)!;
            Assert.Equal(RootKind.ThreadStaticField, path.RootKind);
            Assert.Equal($"thread-static PerThreadCache.Values (thread {Environment.CurrentManagedThreadId})", path.Root);
            Assert.Equal("item [0]", path.Target.Via);
            Assert.Equal(LeakFamily.StaticCollection, path.Family);
        }
        finally
        {
            Fixtures.Paths.PerThreadCache.Values = null;
        }
    }

    private static void Hold(ManualResetEventSlim ready, ManualResetEventSlim release, Action<Payload> publish)
    {
        var local = new Payload();
        publish(local);
        ready.Set();
        release.Wait(TimeSpan.FromSeconds(60));
        GC.KeepAlive(local);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Abandon(ManualResetEventSlim? blocking, ManualResetEventSlim? release, Payload payload) =>
        _ = new FinalizableOwner(blocking, release, payload);

    private sealed class Payload
    {
    }

    private sealed class FinalizableOwner
    {
        private readonly ManualResetEventSlim? blocking;
        private readonly ManualResetEventSlim? release;
        private readonly Payload payload;

        public FinalizableOwner(ManualResetEventSlim? blocking, ManualResetEventSlim? release, Payload payload)
        {
            this.blocking = blocking;
            this.release = release;
            this.payload = payload;
        }

        ~FinalizableOwner()
        {
            if (blocking is not null)
            {
                blocking.Set();
                release!.Wait(TimeSpan.FromSeconds(30));
            }

            GC.KeepAlive(payload);
        }
    }
}
