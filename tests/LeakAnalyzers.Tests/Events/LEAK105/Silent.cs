namespace LeakAnalyzers.Tests.Events.LEAK105;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RepeatedSubscriptionAnalyzer>;

public class Silent
{
    private const string Page = Reports.Page;

    [Fact]
    public Task RemovedInOnDisappearing() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing() { Clock.Tick += OnTick; }
                protected override void OnDisappearing() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RegisterUndoneByDispose() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Integration : IDisposable
            {
                public void Register() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovedByAMethodTheCounterpartCalls() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing() { Clock.Tick += OnTick; }
                protected override void OnDisappearing() { Unsubscribe(); }
                void Unsubscribe() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovedFirstInTheSameMethod() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing()
                {
                    Clock.Tick -= OnTick;
                    Clock.Tick += OnTick;
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task GuardedByAFlag() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                bool subscribed;
                protected override void OnAppearing()
                {
                    if (!subscribed)
                    {
                        subscribed = true;
                        Clock.Tick += OnTick;
                    }
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task EarlyReturn() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                bool subscribed;
                protected override void OnAppearing()
                {
                    if (subscribed) return;
                    subscribed = true;
                    Clock.Tick += OnTick;
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task LazyGetter() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Panel
            {
                private Bus bus;
                public Bus Source
                {
                    get
                    {
                        if (bus == null)
                        {
                            bus = new Bus();
                            bus.Published += OnPublished;
                        }

                        return bus;
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task NewPublisherEveryTime() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                private Bus bus;
                protected override void OnAppearing()
                {
                    bus = new Bus();
                    bus.Published += OnPublished;
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task LoopOverDifferentPublishers() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Panel
            {
                public void Attach(Bus[] buses)
                {
                    foreach (var bus in buses)
                    {
                        bus.Published += OnPublished;
                    }

                    for (var i = 0; i < buses.Length; i++)
                    {
                        buses[i].Published += OnPublished;
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task LoopThatStopsAfterSubscribing() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Panel
            {
                public void Attach(Bus bus, string[] names)
                {
                    foreach (var name in names)
                    {
                        if (name == "bus")
                        {
                            bus.Published += OnPublished;
                            break;
                        }
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task NotAnOverride() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Presenter
            {
                public void OnAppearing() { Clock.Tick += OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task PublisherParameterKeptThroughTheBaseMethod() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            class Transmitter { public event EventHandler? Sent; public void Raise() => Sent?.Invoke(this, EventArgs.Empty); }
            class Policy
            {
                protected Transmitter? Transmitter { get; private set; }
                public virtual void Initialize(Transmitter transmitter) { Transmitter = transmitter ?? throw new ArgumentNullException(nameof(transmitter)); }
            }
            sealed class Throttling : Policy
            {
                public override void Initialize(Transmitter transmitter)
                {
                    base.Initialize(transmitter);
                    transmitter.Sent += OnSent;
                }
                private void OnSent(object? sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RegisterWithAParameterRemovedElsewhereAndCalledOnce() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Presenter
            {
                public void Register(Bus bus) { bus.Published += OnPublished; }
                public void Unregister(Bus bus) { bus.Published -= OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }

            class Shell
            {
                private readonly Bus bus = new Bus();
                private readonly Bus other = new Bus();
                public Shell(Presenter presenter)
                {
                    presenter.Register(bus);
                    presenter.Register(other);
                }
            }
            """);

    [Fact]
    public Task ParameterKeptInAFieldIsLeak101s() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Presenter
            {
                private Bus bus;
                public void Attach(Bus bus) { this.bus = bus; bus.Published += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task PrivateHelperCalledFromTheConstructor() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Presenter
            {
                public Presenter(Bus bus) { Hook(bus); }
                private void Hook(Bus bus) { bus.Published += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task GuardedRegistration() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class Presenter
            {
                private readonly System.Collections.Generic.HashSet<Bus> seen = new System.Collections.Generic.HashSet<Bus>();
                public void Attach(Bus bus)
                {
                    if (seen.Add(bus))
                    {
                        bus.Published += OnPublished;
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task SelfSubscriptionInOnAppearing() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                public event EventHandler Shown;
                protected override void OnAppearing() { Shown += OnShown; }
                void OnShown(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task StaticHandlerIsNotThisObjectsLeak() =>
        Verify.VerifyAnalyzerAsync(Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing() { Clock.Tick += OnTick; }
                static void OnTick(object sender, EventArgs e) { }
            }
            """);
}
