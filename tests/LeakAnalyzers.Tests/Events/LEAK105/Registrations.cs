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

    /// <summary>
    /// AdonisUI's window: OnApplyTemplate fetches a template part into a member and hands it to a protected init
    /// method that subscribes to it. The type's own calls say what the parameter is: a part of this window, not a
    /// publisher that piles up handlers. A protected method the type never calls is still judged as before.
    /// </summary>
    [Fact]
    public Task ProtectedInitCalledWithTheObjectsOwnPart() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            class Button { public event EventHandler Click; }
            class Window
            {
                public Button MinimizeButton { get; protected set; }
                protected virtual Button GetTemplateChild(string name) => new Button();
                public virtual void OnApplyTemplate()
                {
                    MinimizeButton = GetTemplateChild("PART_Minimize");
                    if (MinimizeButton != null)
                    {
                        InitMinimizeButton(MinimizeButton);
                    }
                }

                protected virtual void InitMinimizeButton(Button minimizeButton) => minimizeButton.Click += MinimizeClick;
                protected virtual void InitCloseButton(Button closeButton) => {|#0:closeButton.Click += MinimizeClick|};
                void MinimizeClick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'MinimizeClick'",
                "closeButton.Click",
                "every time 'InitCloseButton' is called",
                "Window"));

    /// <summary>
    /// A method the type hands out as a handler (<c>scene.NewClient += OnNewClient</c>) is called by whoever raises
    /// the event, with a new client each time (OpenSim's region modules): subscribing to that client piles nothing up
    /// on one publisher. The same method only called by the type's own code with its own bus still repeats.
    /// </summary>
    [Fact]
    public Task HandlerSubscribingToWhatItsEventHandsIt() =>
        Verify.VerifyAnalyzerAsync(
            Page + """
            interface IClient { event EventHandler Chat; }
            class Scene { public event Action<IClient> NewClient; }
            class ChatModule
            {
                public void AddRegion(Scene scene) { scene.NewClient += OnNewClient; }
                public void RemoveRegion(Scene scene) { scene.NewClient -= OnNewClient; }
                protected virtual void OnNewClient(IClient client) { client.Chat += OnChat; }
                void OnChat(object sender, EventArgs e) { }
            }

            class Relay
            {
                private readonly Bus own = new Bus();
                public void Start() { Hook(own); Hook(own); }
                public void Hook(Bus bus) => {|#0:bus.Published += OnPublished|};
                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnPublished'",
                "bus.Published",
                "every time 'Hook' is called",
                "Relay"));
}
