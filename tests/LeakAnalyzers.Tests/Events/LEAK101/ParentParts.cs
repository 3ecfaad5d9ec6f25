namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer>;

/// <summary>
/// Parts of one parent: the parent builds a part with itself as argument and keeps it, and the part subscribes to
/// another part the parent made for good. Both die with the parent. Any creation that breaks the shape (another
/// parent, a part the parent does not keep, a parent member that can be replaced, a constructor other assemblies
/// can call) leaves the subscription judged as before.
/// </summary>
public class ParentParts
{
    private const string Parts = """
        using System;
        public sealed class View
        {
            public event EventHandler? LinesChanged;
            public void Raise() => LinesChanged?.Invoke(this, EventArgs.Empty);
        }
        public sealed class Caret
        {
            private readonly View view;
            internal Caret(Area area)
            {
                view = area.View;
                view.LinesChanged += OnLinesChanged;
            }

            internal Caret(Area area, int line)
            {
                area.View.LinesChanged += OnLinesChanged;
            }

            private void OnLinesChanged(object? sender, EventArgs e) { }
        }

        """;

    // The second constructor is never called in the reported cases: nothing shows who its parent is.
    private static readonly string Marked = Parts
        .Replace("view.LinesChanged += OnLinesChanged;", "[|view.LinesChanged += OnLinesChanged|];")
        .Replace("area.View.LinesChanged += OnLinesChanged;", "[|area.View.LinesChanged += OnLinesChanged|];");

    [Fact]
    public Task PartSubscribedToASiblingPartIsSilent() =>
        Verify.VerifyAnalyzerAsync(Parts + """
            public sealed class Area
            {
                public Area()
                {
                    View = new View();
                    Caret = new Caret(this);
                    Second = new Caret(this, 1);
                }

                public View View { get; }
                public Caret Caret { get; }
                public Caret Second { get; }
            }
            """);

    [Theory]
    [InlineData("Caret = new Caret(other);", "internal")]
    [InlineData("Caret = new Caret(this);", "public")]
    public Task PartBuiltAnotherWayIsReported(string creation, string access) =>
        Verify.VerifyAnalyzerAsync(
            Marked.Replace("internal Caret(Area area)\n", access + " Caret(Area area)\n") + $$"""
            public sealed class Area
            {
                public Area(Area other)
                {
                    View = new View();
                    {{creation}}
                }

                public View View { get; }
                public Caret? Caret { get; private set; }
            }
            """);

    // Built once, in the parent's constructor, over the parent and a part it made: not kept, yet held only by that part.
    [Fact]
    public Task PartBuiltOnceByItsParentAndNotKeptIsSilent() =>
        Verify.VerifyAnalyzerAsync(Parts + """
            public sealed class Area
            {
                public Area()
                {
                    View = new View();
                    new Caret(this).ToString();
                    new Caret(this, 1).ToString();
                }

                public View View { get; }
            }
            """);

    [Fact]
    public Task SiblingThatCanBeReplacedIsReported() =>
        Verify.VerifyAnalyzerAsync(Marked + """
            public sealed class Area
            {
                public Area()
                {
                    View = new View();
                    Caret = new Caret(this);
                }

                public View View { get; set; }
                public Caret Caret { get; }
            }
            """);

    private const string Attached = """
        using System;
        public class Client
        {
            public event EventHandler Connected;
            public void Raise() => Connected?.Invoke(this, EventArgs.Empty);
        }
        public sealed class Tracker
        {
            private int connects;
            public Tracker(Client client) { client.Connected += OnConnected; }
            public void Start() { }
            private void OnConnected(object sender, EventArgs e) => connects++;
        }

        """;

    [Fact]
    public Task SubscriberCreatedAndLetGoIsAttachedOnPurpose() =>
        Verify.VerifyAnalyzerAsync(Attached + """
            public static class Extensions
            {
                public static void Track(this Client client) => new Tracker(client).Start();
                public static void TrackAgain(Client client) { new Tracker(client); }
            }
            """);

    /// <summary>
    /// SukiUI's inline updater: made in a local, started and read, then let go. A local only called and read hands
    /// nothing on. Returned, or given to a call, it is kept elsewhere and reported.
    /// </summary>
    [Theory]
    [InlineData("var tracker = new Tracker(client); tracker.Start(); return tracker.GetHashCode();", false)]
    [InlineData("var tracker = new Tracker(client); tracker.Start(); Keep(tracker); return 0;", true)]
    public Task SubscriberMadeInALocalOnlyCalledAndRead(string body, bool reported) =>
        Verify.VerifyAnalyzerAsync((reported ? Attached.Replace("client.Connected += OnConnected;", "[|client.Connected += OnConnected|];") : Attached) + $$"""
            public static class Extensions
            {
                private static readonly System.Collections.Generic.List<object> kept = new();
                private static void Keep(object o) => kept.Add(o);
                public static int Track(Client client) { {{body}} }
            }
            """);

    [Fact]
    public Task SubscriberAlsoKeptSomewhereIsReported() =>
        Verify.VerifyAnalyzerAsync(Attached.Replace("client.Connected += OnConnected;", "[|client.Connected += OnConnected|];") + """
            public sealed class Session
            {
                public Tracker Tracker { get; }
                public Session(Client client) { new Tracker(client).Start(); Tracker = new Tracker(client); }
            }
            """);

    // SteamKit's EnvelopeEncryptedConnection: a decorator that subscribes to the connection it wraps.
    private const string Decorator = """
        using System;
        public interface IConnection { event EventHandler Connected; void Connect(); }
        public sealed class TcpConnection : IConnection
        {
            public event EventHandler Connected;
            public void Connect() => Connected?.Invoke(this, EventArgs.Empty);
        }
        sealed class EncryptedConnection : IConnection
        {
            private readonly IConnection inner;
            public EncryptedConnection(IConnection inner)
            {
                this.inner = inner;
                this.inner.Connected += OnConnected;
            }
            public event EventHandler Connected;
            public void Connect() => inner.Connect();
            private void OnConnected(object sender, EventArgs e) => Connected?.Invoke(this, e);
        }

        """;

    [Fact]
    public Task DecoratorOverAPublisherMadeForItAloneDiesWithIt() =>
        Verify.VerifyAnalyzerAsync(Decorator + """
            public sealed class Client
            {
                private IConnection connection;
                public void Open() { connection = new EncryptedConnection(new TcpConnection()); connection.Connect(); }
            }
            """);

    [Fact]
    public Task DecoratorOverAPublisherSomeoneElseHoldsIsReported() =>
        Verify.VerifyAnalyzerAsync(Decorator.Replace("this.inner.Connected += OnConnected;", "[|this.inner.Connected += OnConnected|];") + """
            public sealed class Client
            {
                private readonly IConnection shared = new TcpConnection();
                private IConnection connection;
                public void Open() { connection = new EncryptedConnection(new TcpConnection()); connection.Connect(); }
                public void Reopen() { connection = new EncryptedConnection(shared); connection.Connect(); }
            }
            """);
    [Fact]
    public Task DecoratorOverAPublisherASourceFactoryMakesForIt() =>
        Verify.VerifyAnalyzerAsync(Decorator + """
            public sealed class Factory
            {
                public IConnection CreateSecure() => Wrap(CreateTcp());
                public IConnection CreateLogged()
                {
                    var tcp = CreateTcp();
                    return Wrap(tcp);
                }

                private static IConnection CreateTcp() => new TcpConnection();
                private static IConnection Wrap(IConnection inner) => new EncryptedConnection(inner);
            }
            """);

    [Fact]
    public Task DecoratorOverAPublisherASourceFactoryKeepsIsReported() =>
        Verify.VerifyAnalyzerAsync(Decorator.Replace("this.inner.Connected += OnConnected;", "[|this.inner.Connected += OnConnected|];") + """
            public sealed class Factory
            {
                private readonly IConnection shared = new TcpConnection();
                public IConnection CreateSecure() => Wrap(CreateTcp());
                public IConnection CreateShared() => Wrap(Shared());
                private IConnection CreateTcp() => new TcpConnection();
                private IConnection Shared() => shared;
                private static IConnection Wrap(IConnection inner) => new EncryptedConnection(inner);
            }
            """);

    private const string Registrations = """
        using System;
        using System.Collections.Generic;
        public interface IRegistrationContext { event EventHandler Disposing; }
        internal sealed class SingletonRegistration
        {
            private object instance;
            public SingletonRegistration(IRegistrationContext parentContext, object instance)
            {
                this.instance = instance;
                parentContext.Disposing += OnDisposing;
            }
            private void OnDisposing(object sender, EventArgs e) { (instance as IDisposable)?.Dispose(); instance = null; }
        }
        """;

    [Fact]
    public Task PartSubscribedToTheParentThatKeepsItIsSilent() =>
        // Stylet's IoC registrations: each is built by its container with itself and kept in the container's list.
        Verify.VerifyAnalyzerAsync(Registrations + """
            public sealed class Container : IRegistrationContext, IDisposable
            {
                private readonly List<object> registrations = new();
                public event EventHandler Disposing;
                public void RegisterSingleton(object instance) => registrations.Add(new SingletonRegistration(this, instance));
                public void Dispose() => Disposing?.Invoke(this, EventArgs.Empty);
            }
            """);

    [Fact]
    public Task PartSubscribedToAParentThatDoesNotKeepItIsReported() =>
        Verify.VerifyAnalyzerAsync(
            Registrations.Replace("parentContext.Disposing += OnDisposing;", "[|parentContext.Disposing += OnDisposing|];") + """
            public sealed class Container : IRegistrationContext, IDisposable
            {
                public event EventHandler Disposing;
                public object Resolve(object instance) => new SingletonRegistration(this, instance);
                public void Dispose() => Disposing?.Invoke(this, EventArgs.Empty);
            }
            """);

    private const string CreatorHelpers = """
        using System;
        public class TextBox { public event EventHandler? TextChanged; public event EventHandler? GotFocus; }
        public class Window { public event EventHandler? KeyDown; public TextBox Search { get; } = new TextBox(); public TextBox Body { get; } = new TextBox(); }
        internal sealed class SearchBehavior
        {
            private readonly TextBox search;
            public SearchBehavior(Window window, TextBox body, TextBox search)
            {
                this.search = search;
                window.KeyDown += OnKeyDown;
                body.GotFocus += OnBodyFocus;
                this.search.TextChanged += OnSearchChanged;
            }
            private void OnKeyDown(object? s, EventArgs e) { }
            private void OnBodyFocus(object? s, EventArgs e) { }
            private void OnSearchChanged(object? s, EventArgs e) { }
        }
        internal sealed class Scaler
        {
            private TextBox? text;
            public void Bind(Window window)
            {
                text = window.Body;
                text.TextChanged += OnChanged;
            }
            private void OnChanged(object? s, EventArgs e) { }
        }
        """;

    [Fact]
    public Task HelperItsCreatorBuildsOverItselfDiesWithIt() =>
        Verify.VerifyAnalyzerAsync(CreatorHelpers + """
            public sealed class SearchDialog : Window
            {
                private readonly Scaler scaler = new Scaler();
                public SearchDialog()
                {
                    _ = new SearchBehavior(this, Body, Search);
                    scaler.Bind(this);
                }
            }
            """);

    [Fact]
    public Task HelperBuiltOverAnotherObjectIsReported() =>
        Verify.VerifyAnalyzerAsync(CreatorHelpers
            .Replace("window.KeyDown += OnKeyDown;", "[|window.KeyDown += OnKeyDown|];")
            .Replace("text.TextChanged += OnChanged;", "[|text.TextChanged += OnChanged|];") + """
            public sealed class SearchDialog : Window
            {
                private readonly Scaler scaler = new Scaler();
                public SearchDialog(Window owner)
                {
                    _ = new SearchBehavior(owner, Body, Search);
                    scaler.Bind(owner);
                }
            }
            """);
}
