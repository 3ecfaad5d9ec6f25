namespace LeakAnalyzers.Tests.Events.LEAK105;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.RepeatedSubscriptionAnalyzer>;

/// <summary>Methods that subscribe to a publisher they are given, once per call.</summary>
public class Registrations
{
    private const string Page = Reports.Page;

    [Fact]
    public Task ParameterPublisherWithNoRemovalAnywhere() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Presenter
            {
                public void Attach(Bus bus) => {|#0:bus.Published += OnPublished|};
                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnPublished'",
                "bus.Published",
                "every time 'Attach' is called",
                "Presenter"));

    [Fact]
    public Task RegisterCalledTwiceWithTheSameOwner() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Tracker
            {
                public void Register(Bus owner) { {|#0:owner.Published += OnOwnerPublished|}; }
                void OnOwnerPublished(object sender, EventArgs e) { ((Bus)sender).Published -= OnOwnerPublished; }
            }

            class Shell
            {
                private readonly Bus window = new Bus();
                public Shell(Tracker tracker)
                {
                    tracker.Register(window);
                }

                public void ShowDetails(Tracker tracker) => tracker.Register(window);
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnOwnerPublished'",
                "owner.Published",
                "on each 'Register(window)'",
                "Tracker"));

    [Fact]
    public Task SubscriptionMethodOnAParameter() =>
        new Verify.Test
        {
            TestCode = Page + """
                class Channel
                {
                    public void Listen(Action<string> callback) { }
                    public void Unlisten(Action<string> callback) { }
                }

                class Logger
                {
                    public void Follow(Channel channel) => [|channel.Listen(OnLine)|];
                    void OnLine(string line) { }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.subscription_methods = Channel.Listen:Unlisten\n",
        }.RunAsync();
}
