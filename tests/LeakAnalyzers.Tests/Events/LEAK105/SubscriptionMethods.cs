namespace LeakAnalyzers.Tests.Events.LEAK105;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.RepeatedSubscriptionAnalyzer, LeakAnalyzers.CodeFixes.Events.RemoveInCounterpartCodeFix>;

public class SubscriptionMethods
{
    [Fact]
    public Task RegisterInOnAppearingUnregistersInOnDisappearing() =>
        Verify.VerifyCodeFixAsync(
            """
            using CommunityToolkit.Mvvm.Messaging;

            class Saved { }

            class ContentPage
            {
                protected virtual void OnAppearing() { }
                protected virtual void OnDisappearing() { }
            }

            class InboxPage : ContentPage
            {
                protected override void OnAppearing()
                {
                    [|StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { })|];
                }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Messengers,
            """
            using CommunityToolkit.Mvvm.Messaging;

            class Saved { }

            class ContentPage
            {
                protected virtual void OnAppearing() { }
                protected virtual void OnDisappearing() { }
            }

            class InboxPage : ContentPage
            {
                protected override void OnAppearing()
                {
                    StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { });
                }

                protected override void OnDisappearing()
                {
                    base.OnDisappearing();
                    StrongReferenceMessenger.Default.Unregister<Saved>(this);
                }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Messengers);

    [Fact]
    public Task ObservableInALoopIsTheDisposablesFamilys() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                class Feed : IObservable<int>
                {
                    public static readonly Feed Shared = new Feed();
                    public IDisposable Subscribe(IObserver<int> observer) => null;
                }

                class Board : IObserver<int>
                {
                    public void Show(int rows)
                    {
                        for (var i = 0; i < rows; i++)
                        {
                            Feed.Shared.Subscribe(this);
                        }
                    }

                    public void OnNext(int value) { }
                    public void OnError(Exception error) { }
                    public void OnCompleted() { }
                }
                """,
        }.RunAsync();
}
