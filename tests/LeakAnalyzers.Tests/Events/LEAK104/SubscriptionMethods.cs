namespace LeakAnalyzers.Tests.Events.LEAK104;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.RemovedOnlyInFinalizerAnalyzer, LeakAnalyzers.CodeFixes.Events.MoveRemovalToDisposeCodeFix>;

public class SubscriptionMethods
{
    [Fact]
    public Task UnregisterOnlyInTheFinalizerMovesToDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using CommunityToolkit.Mvvm.Messaging;

            class Saved { }

            class InboxViewModel
            {
                public InboxViewModel()
                {
                    StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { });
                }

                ~InboxViewModel()
                {
                    [|StrongReferenceMessenger.Default.UnregisterAll(this)|];
                }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Messengers,
            """
            using CommunityToolkit.Mvvm.Messaging;

            class Saved { }

            class InboxViewModel : System.IDisposable
            {
                public InboxViewModel()
                {
                    StrongReferenceMessenger.Default.Register<Saved>(this, static (r, m) => { });
                }

                public void Dispose()
                {
                    StrongReferenceMessenger.Default.UnregisterAll(this);
                }
            }
            """ + LeakAnalyzers.Tests.Events.SubscriptionStubs.Messengers);
}
