namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer>;

public class Reports
{
    [Fact]
    public Task StaticEvent() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Clock { public static event EventHandler Tick; }
            class View
            {
                public View() { {|#0:Clock.Tick += OnTick|}; }
                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnTick'",
                "the static event 'Clock.Tick'",
                "this 'View' lives until the process ends"));

    [Fact]
    public Task RemovedThroughAnotherNameOnlyWhenThePublisherIsSwapped() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Command { public event EventHandler Changed; }
            class Def { public Command Command { get; set; } }
            sealed class View
            {
                private Command cached;
                private readonly Def def;
                public View(Def def)
                {
                    this.def = def;
                    if (def.Command != null) { cached = def.Command; [|def.Command.Changed += OnChanged|]; }
                }
                public void OnDefChanged()
                {
                    if (cached != null) cached.Changed -= OnChanged;
                    cached = def.Command;
                    if (cached != null) cached.Changed += OnChanged;
                }
                private void OnChanged(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovedThroughAMemberFilledWithAnotherPublisher() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Palette { public event EventHandler Paint; }
            static class Manager { public static Palette Current { get; set; } = new Palette(); public static Palette Fallback { get; set; } = new Palette(); }
            sealed class Strip : IDisposable
            {
                private Palette hooked;
                public Strip() { {|#0:Manager.Current.Paint += OnPaint|}; hooked = Manager.Fallback; }
                public void Dispose() { hooked.Paint -= OnPaint; }
                private void OnPaint(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnPaint'",
                "'Manager.Current.Paint'",
                "this 'Strip' lives until the process ends"));

    [Theory]
    [InlineData("progress.Start();")]
    [InlineData("progress.Enabled = true;")]
    public Task TimerTheTypeMakesAndStarts(string start) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            class ConversionForm
            {
                private System.Timers.Timer progress;
                public void OnLoad() { progress = new System.Timers.Timer { Interval = 1000 }; [|progress.Elapsed += OnProgress|]; {{start}} }
                private void OnProgress(object sender, System.Timers.ElapsedEventArgs e) { }
            }
            """);

    [Fact]
    public Task LocalFunctionThatUsesThisObject() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Clock { public static event EventHandler Tick; }
            class View
            {
                private int ticks;
                public void Start()
                {
                    void Count(object sender, EventArgs e) => Add();
                    void Add() => ticks++;
                    {|#0:Clock.Tick += Count|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'Count'",
                "the static event 'Clock.Tick'",
                "this 'View' lives until the process ends"));

    [Fact]
    public Task ProcessExit() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Worker
            {
                public void Start() { {|#0:AppDomain.CurrentDomain.ProcessExit += OnExit|}; }
                void OnExit(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnExit'",
                "'AppDomain.CurrentDomain.ProcessExit'",
                "this 'Worker' lives until the process ends"));

    [Fact]
    public Task ProcessWideStaticEvents() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Worker
            {
                public Worker()
                {
                    {|#0:Console.CancelKeyPress += OnCancel|};
                    [|TaskScheduler.UnobservedTaskException += OnUnobserved|];
                    [|AppDomain.CurrentDomain.UnhandledException += OnUnhandled|];
                }

                void OnCancel(object sender, ConsoleCancelEventArgs e) { }
                void OnUnobserved(object sender, UnobservedTaskExceptionEventArgs e) { }
                void OnUnhandled(object sender, UnhandledExceptionEventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnCancel'",
                "the process-wide event 'Console.CancelKeyPress'",
                "this 'Worker' lives until the process ends"));

    [Fact]
    public Task Singleton() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.ComponentModel;
            class Settings : INotifyPropertyChanged
            {
                public static Settings Default { get; } = new Settings();
                public event PropertyChangedEventHandler PropertyChanged;
            }
            class View
            {
                public View() { {|#0:Settings.Default.PropertyChanged += OnSettingChanged|}; }
                void OnSettingChanged(object sender, PropertyChangedEventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnSettingChanged'",
                "'Settings.Default.PropertyChanged'",
                "this 'View' lives until the process ends"));

    [Fact]
    public Task ObjectReachedThroughStaticField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            static class Registry { public static readonly Bus Bus = new Bus(); }
            class View
            {
                public View() { {|#0:Registry.Bus.Published += OnPublished|}; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnPublished'",
                "'Registry.Bus.Published'",
                "this 'View' lives until the process ends"));

    [Fact]
    public Task ConstructorParameter() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                public View(Bus bus) { {|#0:bus.Published += OnPublished|}; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnPublished'",
                "'bus.Published'",
                "this 'View' lives as long as the publisher"));

    [Fact]
    public Task FieldAssignedFromConstructorParameterPointsAtTheAssignment() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    {|#1:this.bus = bus ?? throw new ArgumentNullException(nameof(bus))|};
                }

                public void Start() => {|#0:this.bus.Published += OnPublished|};

                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'OnPublished'",
                "'this.bus.Published'",
                "this 'View' lives as long as the publisher"));

    [Fact]
    public Task MethodParameterKeptInAField() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                private Bus bus;
                public void Attach(Bus bus)
                {
                    this.bus = bus;
                    [|bus.Published += OnPublished|];
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task MethodParameterNotKeptIsLeak105s() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                public void Attach(Bus bus) => bus.Published += OnPublished;
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task InjectedProperty() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                public Bus Bus { get; set; }
                public void Initialize() => {|#0:Bus.Published += OnPublished|};
                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnPublished'",
                "'Bus.Published'",
                "this 'View' lives as long as the publisher"));

    [Fact]
    public Task ServiceResolvedFromProvider() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                private readonly Bus bus;
                public View(IServiceProvider services) { bus = (Bus)services.GetService(typeof(Bus)); }
                public void Start() => [|bus.Published += OnPublished|];
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task HandlerKeptInFieldButNeverRemoved() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Clock { public static event EventHandler Tick; }
            class View
            {
                private readonly EventHandler handler;
                public View()
                {
                    handler = OnTick;
                    {|#0:Clock.Tick += handler|};
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'handler'",
                "the static event 'Clock.Tick'",
                "this 'View' lives until the process ends"));

    [Fact]
    public Task TimerThatIsNeverStopped() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Timers;
            class Poller
            {
                private readonly Timer timer {|#1:= new Timer(1000)|};
                public Poller()
                {
                    {|#0:timer.Elapsed += OnElapsed|};
                    timer.Start();
                }

                void OnElapsed(object sender, ElapsedEventArgs e) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "'OnElapsed'",
                "'timer.Elapsed'",
                "this 'Poller' lives as long as the timer runs"));

    [Fact]
    public Task LocalAliasOfStaticMember() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Worker
            {
                public void Start()
                {
                    var domain = AppDomain.CurrentDomain;
                    [|domain.ProcessExit += OnExit|];
                }

                void OnExit(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovedFromAnotherPublisherOnly() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            static class Buses { public static readonly Bus First = new Bus(); public static readonly Bus Second = new Bus(); }
            class View : IDisposable
            {
                public View() { [|Buses.First.Published += OnPublished|]; }
                public void Dispose() => Buses.Second.Published -= OnPublished;
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task InALambda() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            static class Clock { public static event EventHandler Tick; }
            class View
            {
                public event EventHandler Loaded;
                public View() { Loaded += (s, e) => [|Clock.Tick += OnTick|]; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task PrivateMethodGivenAConstructorParameter() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Bus { public event EventHandler Published; }
            class View
            {
                public View(Bus bus) { Hook(bus); }
                private void Hook(Bus target) { [|target.Published += OnPublished|]; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task InterfaceSlotIsNotACompanion() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            interface ITableSource { }
            class TableView { public event EventHandler KeyDown; public ITableSource Table { get; set; } }
            class CheckBoxSource : ITableSource
            {
                public CheckBoxSource(TableView table) { [|table.KeyDown += OnKeyDown|]; }
                void OnKeyDown(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task FrameworkTypedSlotIsNotACompanion() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.ComponentModel;
            class Window : Component { public event EventHandler Resized; public Component Owner { get; set; } }
            class ToolWindow : Component
            {
                public ToolWindow(Window main) { [|main.Resized += OnMainResized|]; }
                void OnMainResized(object sender, EventArgs e) { }
            }
            """);

    /// <summary>
    /// A slot typed as a base class both sides share (<c>Element Parent</c> in a tree of elements) links any two
    /// elements: the publisher is not built to hold this subscriber. Template10's page header subscribed to the shell
    /// menu this way on every load.
    /// </summary>
    [Fact]
    public Task SlotOfASharedBaseTypeIsNotACompanion() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Element { public Element Parent { get; set; } }
            class Shell : Element { public event EventHandler Opened; }
            class Header : Element
            {
                public Header(Shell shell) { [|shell.Opened += OnOpened|]; }
                void OnOpened(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task SingletonAccessorMethod() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Hub
            {
                private static readonly Hub instance = new Hub();
                public event EventHandler Changed;
                public static Hub GetInstance() => instance;
            }
            class View
            {
                public View() { [|Hub.GetInstance().Changed += OnChanged|]; }
                void OnChanged(object sender, EventArgs e) { }
            }
            """);
    [Fact]
    public Task APublisherTheSubscriberWasGivenAndOnlyReadsIsNotItsOwn() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            public interface IConnection : IDisposable { event Func<byte[], ValueTask> PacketReceived; }
            public sealed class Watcher
            {
                private readonly IConnection connection;
                public Watcher(IConnection connection)
                {
                    this.connection = connection;
                    [|this.connection.PacketReceived += OnPacketAsync|];
                }
                private ValueTask OnPacketAsync(byte[] packet) => default;
                public bool IsSame(IConnection other) => ReferenceEquals(other, connection);
            }
            """);
}
