namespace LeakAnalyzers.Tests.Events.LEAK105;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.RepeatedSubscriptionAnalyzer, LeakAnalyzers.CodeFixes.Events.RemoveInCounterpartCodeFix>;

public class CodeFix
{
    private const string Page = """
        using System;

        static class Clock { public static event EventHandler Tick; public static event EventHandler Tock; }

        class ContentPage
        {
            protected virtual void OnAppearing() { }
            protected virtual void OnDisappearing() { }
        }

        """;

    [Fact]
    public Task OverridesTheCounterpart() =>
        Verify.VerifyCodeFixAsync(
            Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing()
                {
                    base.OnAppearing();
                    [|Clock.Tick += OnTick|];
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing()
                {
                    base.OnAppearing();
                    Clock.Tick += OnTick;
                }

                void OnTick(object sender, EventArgs e) { }

                protected override void OnDisappearing()
                {
                    base.OnDisappearing();
                    Clock.Tick -= OnTick;
                }
            }
            """);

    [Fact]
    public Task AddsToTheExistingCounterpart() =>
        Verify.VerifyCodeFixAsync(
            Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing() => [|Clock.Tick += OnTick|];

                protected override void OnDisappearing()
                {
                    base.OnDisappearing();
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Page + """
            class MainPage : ContentPage
            {
                protected override void OnAppearing() => Clock.Tick += OnTick;

                protected override void OnDisappearing()
                {
                    Clock.Tick -= OnTick;
                    base.OnDisappearing();
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task FixAllSharesOneOverride() =>
        new Verify.Test
        {
            TestCode = Page + """
                class MainPage : ContentPage
                {
                    protected override void OnAppearing()
                    {
                        [|Clock.Tick += OnTick|];
                        [|Clock.Tock += OnTick|];
                    }

                    void OnTick(object sender, EventArgs e) { }
                }
                """,
            FixedCode = Page + """
                class MainPage : ContentPage
                {
                    protected override void OnAppearing()
                    {
                        Clock.Tick += OnTick;
                        Clock.Tock += OnTick;
                    }

                    void OnTick(object sender, EventArgs e) { }

                    protected override void OnDisappearing()
                    {
                        Clock.Tock -= OnTick;
                        base.OnDisappearing();
                        Clock.Tick -= OnTick;
                    }
                }
                """,
            BatchFixedCode = Page + """
                class MainPage : ContentPage
                {
                    protected override void OnAppearing()
                    {
                        Clock.Tick += OnTick;
                        Clock.Tock += OnTick;
                    }

                    void OnTick(object sender, EventArgs e) { }

                    protected override void OnDisappearing()
                    {
                        base.OnDisappearing();
                        Clock.Tick -= OnTick;
                        Clock.Tock -= OnTick;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixForALoop() =>
        new Verify.Test
        {
            TestCode = Page + """
                class Panel
                {
                    public void Fill(int[] rows)
                    {
                        foreach (var row in rows)
                        {
                            [|Clock.Tick += OnTick|];
                        }
                    }

                    void OnTick(object sender, EventArgs e) { }
                }
                """,
            FixedCode = Page + """
                class Panel
                {
                    public void Fill(int[] rows)
                    {
                        foreach (var row in rows)
                        {
                            [|Clock.Tick += OnTick|];
                        }
                    }

                    void OnTick(object sender, EventArgs e) { }
                }
                """,
        }.RunAsync();
}
