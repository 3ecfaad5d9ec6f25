namespace LeakAnalyzers.Runtime.Tests;

using System;
using LeakAnalyzers.Runtime.Tests.Fixtures;
using Xunit;

public sealed class CollectedTests
{
    [Fact]
    public void An_object_nothing_keeps_is_collected()
    {
        LeakAssert.Collected(() => new Registered(register: false), r => Assert.Equal(64, r.Payload.Length));
    }

    [Fact]
    public void A_subscriber_that_leaves_the_static_event_is_collected()
    {
        LeakAssert.Collected(() => new Subscriber(), s => { EventBus.Raise(); s.Leave(); });
    }

    [Fact]
    public void A_closure_run_but_not_stored_is_collected()
    {
        LeakAssert.Collected(() => new Ticker(), t => t.Start(store: false));
    }

    [Fact]
    public void A_static_event_subscription_is_reported_with_its_path_and_LEAK1xx()
    {
        try
        {
            var e = Assert.Throws<LeakAssertionException>(() => LeakAssert.Collected(() => new Subscriber()));
            Assert.Contains("1 of 1 tracked object(s) survived", e.Message);
            Assert.Contains("static EventBus.Changed (event)", e.Message);
            Assert.Contains("EventHandler → Subscriber.OnChanged", e.Message);
            Assert.Contains("target: Subscriber", e.Message);
            Assert.Contains("confirms LEAK1xx (event subscription)", e.Message);
        }
        finally
        {
            EventBus.Clear();
        }
    }

    [Fact]
    public void An_instance_registry_in_a_static_list_is_reported_with_LEAK2xx()
    {
        try
        {
            RetentionPath path = LeakAssert.Leaks(() => new Registered(register: true));
            Assert.Equal(LeakFamily.StaticCollection, path.Family);
            Assert.Equal(RootKind.StaticField, path.RootKind);
            Assert.Equal("static Registry.Items", path.Root);
            Assert.StartsWith("List<Registered> (count 1)", path.Steps[0].Description);
            Assert.Equal("item [0]", path.Target.Via);
            Assert.Equal(typeof(Registered).FullName, path.Target.TypeName);
            Assert.Contains("confirms LEAK2xx (static collection)", path.ToString());
        }
        finally
        {
            Registry.Items.Clear();
        }
    }

    [Fact]
    public void A_closure_stored_in_a_static_field_is_reported_with_the_method_that_made_it_and_LEAK3xx()
    {
        try
        {
            RetentionPath path = LeakAssert.Leaks(() => new Ticker(), t => t.Start(store: true));
            Assert.Equal(LeakFamily.Closure, path.Family);
            Assert.Equal("static Callbacks.OnTick", path.Root);
            Assert.Equal("Action → lambda in Ticker.Start", path.Steps[0].Description);
            Assert.Equal("target", path.Steps[1].Via);
            Assert.StartsWith("closure of a lambda in Ticker.Start", path.Steps[1].Description);
            Assert.Equal("captured this", path.Target.Via);
            Assert.Equal("Ticker", path.Target.Description);
        }
        finally
        {
            Callbacks.OnTick = null;
        }
    }

    [Fact]
    public void Leaks_fails_when_the_object_is_collected()
    {
        var e = Assert.Throws<LeakAssertionException>(() => LeakAssert.Leaks(() => new Registered(register: false)));
        Assert.Contains("it was collected", e.Message);
    }

    [Fact]
    public void A_scenario_that_throws_is_reported_as_such_and_not_as_a_leak()
    {
        var e = Assert.Throws<LeakScenarioException>(() => LeakAssert.Collected(() => new Registered(register: false), _ => throw new InvalidOperationException("boom")));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Contains("scenario threw InvalidOperationException", e.Message);
    }

    [Fact]
    public void A_factory_that_throws_is_reported_as_such()
    {
        var e = Assert.Throws<LeakScenarioException>(() => LeakAssert.Collected<Registered>(() => throw new ArgumentException("bad")));
        Assert.Contains("factory threw ArgumentException", e.Message);
    }

    [Fact]
    public void A_boxed_value_is_rejected_because_it_has_no_identity()
    {
        var tracker = new ObjectTracker();
        object boxed = 42;
        var e = Assert.Throws<ArgumentException>(() => tracker.Track(boxed));
        Assert.Contains("has no identity", e.Message);
    }

    [Fact]
    public void The_tracker_reports_survivors_without_paths_when_asked_not_to_explain()
    {
        var keep = new Registered(register: false);
        var tracker = new ObjectTracker();
        tracker.Track(keep, "kept");
        CollectionCheck check = tracker.Check(explain: false);
        Assert.False(check.AllCollected);
        Assert.Equal("kept", check.Survivors[0].Name);
        Assert.Null(check.Survivors[0].Path);
        GC.KeepAlive(keep);
    }
}
