namespace LeakAnalyzers.Tests.Events.LEAK105;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RepeatedSubscriptionAnalyzer>;

public class Reports
{
    internal const string Page = """
        using System;
        using System.ComponentModel;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }
        class ViewModel : INotifyPropertyChanged { public event PropertyChangedEventHandler PropertyChanged; }
        class ContentPage
        {
            public object BindingContext { get; set; }
            protected virtual void OnAppearing() { }
            protected virtual void OnDisappearing() { }
        }

        """;

    [Fact]
    public Task OnAppearingWithoutOnDisappearing() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class MainPage : ContentPage
            {
                private readonly ViewModel model;
                public MainPage(ViewModel model) { this.model = model; }
                protected override void OnAppearing() { {|#0:model.PropertyChanged += OnModelChanged|}; }
                void OnModelChanged(object sender, PropertyChangedEventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnModelChanged'",
                "model.PropertyChanged",
                "every time 'OnAppearing' runs",
                "MainPage"));

    [Fact]
    public Task CounterpartRemovesSomethingElse() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing() { {|#0:Clock.Tick += OnTick|}; }
                protected override void {|#1:OnDisappearing|}() { Clock.Tick -= OnOtherTick; }
                void OnTick(object sender, EventArgs e) { }
                void OnOtherTick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'OnTick'",
                "Clock.Tick",
                "every time 'OnAppearing' runs",
                "MainPage"));

    [Fact]
    public Task RemovedOnlyInDispose() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class MainPage : ContentPage, IDisposable
            {
                protected override void OnAppearing() { [|Clock.Tick += OnTick|]; }
                public void Dispose() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task LambdaInOnAppearing() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class MainPage : ContentPage
            {
                int ticks;
                protected override void OnAppearing() { {|#0:Clock.Tick += (s, e) => ticks++|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "Clock.Tick",
                "every time 'OnAppearing' runs",
                "MainPage"));

    [Fact]
    public Task NullCheckIsNotAGuard() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class MainPage : ContentPage
            {
                private Bus bus;
                public void Attach(Bus value) => bus = value;
                protected override void OnAppearing()
                {
                    if (bus != null)
                    {
                        [|bus.Published += OnPublished|];
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task PropertyGetter() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Panel
            {
                private readonly Bus bus;
                public Panel(Bus bus) { this.bus = bus; }
                public Bus Source
                {
                    get
                    {
                        {|#0:bus.Published += OnPublished|};
                        return bus;
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("'OnPublished'", "bus.Published", "every time 'Source' is read", "Panel"));

    [Fact]
    public Task Loop() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Panel
            {
                public void Refresh(Bus bus, int[] rows)
                {
                    foreach (var row in rows)
                    {
                        {|#0:bus.Published += OnPublished|};
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("'OnPublished'", "bus.Published", "in a loop", "Panel"));

    [Fact]
    public Task LoadedHandler() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Panel
            {
                public void Panel_Loaded(object sender, EventArgs e) { {|#0:Clock.Tick += OnTick|}; }
                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnTick'",
                "Clock.Tick",
                "every time 'Panel_Loaded' runs",
                "Panel"));

    [Fact]
    public Task RegisterWithoutARemoval() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Integration
            {
                public void Register() { [|Clock.Tick += OnTick|]; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task ConfiguredRepeatingMethod() =>
        new Verify.Test
        {
            TestCode = Page + """
                class Panel
                {
                    public void Show() { [|Clock.Tick += OnTick|]; }
                    public void Hide() { }
                    void OnTick(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.repeating_methods = Show:Hide\n",
        }.RunAsync();
}
