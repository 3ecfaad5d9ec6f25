namespace LeakAnalyzers.Tests.Events.LEAK102;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.LambdaCannotBeRemovedAnalyzer>;

public class SubscriptionMethods
{
    private const string Unity = """

        namespace UnityEngine.Events
        {
            public delegate void UnityAction();
            public class UnityEvent
            {
                public void AddListener(UnityAction call) { }
                public void RemoveListener(UnityAction call) { }
                public void RemoveAllListeners() { }
            }
        }

        """;

    [Fact]
    public Task LambdaGivenToAListenerListHeldStatically() =>
        Verify.VerifyAnalyzerAsync("""
            using UnityEngine.Events;
            static class Hud { public static readonly UnityEvent Refreshed = new UnityEvent(); }
            class ScoreLabel
            {
                int refreshes;
                public ScoreLabel() { Hud.Refreshed.AddListener([|() => refreshes++|]); }
            }
            """ + Unity);

    [Fact]
    public Task RemoveAllListenersRemovesLambdasToo() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using UnityEngine.Events;
            static class Hud { public static readonly UnityEvent Refreshed = new UnityEvent(); }
            class ScoreLabel : IDisposable
            {
                int refreshes;
                public ScoreLabel() { Hud.Refreshed.AddListener(() => refreshes++); }
                public void Dispose() => Hud.Refreshed.RemoveAllListeners();
            }
            """ + Unity);

    [Fact]
    public Task RecipientRegistrationsCanBeUndoneByRecipient() =>
        Verify.VerifyAnalyzerAsync("""
            using CommunityToolkit.Mvvm.Messaging;
            class Saved { }
            class InboxViewModel
            {
                int count;
                public InboxViewModel() { StrongReferenceMessenger.Default.Register<Saved>(this, (r, m) => count++); }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Messengers);
}
