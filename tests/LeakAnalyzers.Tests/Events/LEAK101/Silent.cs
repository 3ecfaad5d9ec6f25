namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer>;

public class Silent
{
    private const string Bus = """
        using System;
        class Bus { public event EventHandler Published; }
        static class Clock { public static event EventHandler Tick; }

        """;

    [Fact]
    public Task RemovedThroughAMemberTheSubscribingBodyFilledWithThePublisher() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            class Command { public event EventHandler Changed; }
            class Item { public Command Command { get; set; } }
            class Palette { public event EventHandler Paint; }
            static class Manager { public static Palette Current { get; set; } = new Palette(); }
            sealed class MenuView : IDisposable
            {
                private Command cached;
                public MenuView(Item item)
                {
                    Item = item;
                    if (Item.Command != null) { cached = Item.Command; Item.Command.Changed += OnChanged; }
                }
                public Item Item { get; }
                public void Dispose() { if (cached != null) { cached.Changed -= OnChanged; cached = null; } }
                private void OnChanged(object sender, EventArgs e) { }
            }
            sealed class Strip : IDisposable
            {
                private Palette hooked;
                public Strip() { var current = Manager.Current; if (current != null) current.Paint += OnPaint; hooked = current; }
                public void Dispose() { if (hooked != null) hooked.Paint -= OnPaint; }
                private void OnPaint(object sender, EventArgs e) { }
            }
            """);

    [Theory]
    [InlineData("")]
    [InlineData("public void Stop() => progress.Enabled = false;")]
    public Task TimerTheTypeMakesAndNeverStarts(string more) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            class ConversionForm
            {
                private System.Timers.Timer progress;
                public void OnLoad() { progress = new System.Timers.Timer { Interval = 1000 }; progress.Elapsed += OnProgress; }
                {{more}}
                private void OnProgress(object sender, System.Timers.ElapsedEventArgs e) { }
            }
            """);

    [Fact]
    public Task LocalFunctionThatUsesNothingOfThisObject() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                private static int ticks;
                public void Start(string name)
                {
                    void Count(object sender, EventArgs e) { ticks++; Console.WriteLine(name); }
                    static void Log(object sender, EventArgs e) => Console.WriteLine(sender);
                    Clock.Tick += Count;
                    Clock.Tick += Log;
                }
            }
            """);

    [Fact]
    public Task RemovedInDispose() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Theory]
    [InlineData("Unsubscribe")]
    [InlineData("OnDetaching")]
    [InlineData("Stop")]
    [InlineData("Close")]
    public Task RemovedInACounterpart(string counterpart) =>
        Verify.VerifyAnalyzerAsync(Bus + $$"""
            class View
            {
                public void Start() { Clock.Tick += OnTick; }
                public void {{counterpart}}() { Clock.Tick -= OnTick; }
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task ParameterKeptInFieldAndRemovedThroughTheField() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                private readonly Bus bus;
                public View(Bus bus)
                {
                    this.bus = bus;
                    bus.Published += OnPublished;
                }

                public void Dispose() => bus.Published -= OnPublished;
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task HandlerFieldAddedAndRemoved() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                private readonly EventHandler handler;
                public View() { handler = OnTick; Clock.Tick += handler; }
                public void Dispose() => Clock.Tick -= handler;
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task HandlerFieldAddedAndMethodRemoved() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                private readonly EventHandler handler;
                public View() { handler = new EventHandler(OnTick); Clock.Tick += handler; }
                public void Dispose() => Clock.Tick -= OnTick;
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovedThroughConditionalAccess() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                private Bus bus;
                public void Attach(Bus value)
                {
                    bus = value;
                    bus.Published += OnPublished;
                }

                public void Dispose()
                {
                    if (bus != null)
                    {
                        bus.Published -= OnPublished;
                    }
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task OwnedPublisher() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class Watcher
            {
                private readonly FileSystemWatcher watcher = new FileSystemWatcher(".");
                private readonly FileSystemWatcher other;
                public Watcher()
                {
                    other = new FileSystemWatcher(".");
                    watcher.Changed += OnChanged;
                    other.Changed += OnChanged;
                }

                void OnChanged(object sender, FileSystemEventArgs e) { }
            }
            """);

    [Fact]
    public Task SelfSubscription() =>
        Verify.VerifyAnalyzerAsync("""
            using System.ComponentModel;
            class Model : INotifyPropertyChanged
            {
                public event PropertyChangedEventHandler PropertyChanged;
                public Model() { PropertyChanged += OnChanged; this.PropertyChanged += OnChanged; }
                void OnChanged(object sender, PropertyChangedEventArgs e) { }
            }
            """);

    [Fact]
    public Task StaticHandler() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public View(Bus bus) { Clock.Tick += OnTick; bus.Published += OnTick; }
                static void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task StaticTypeSubscribingToStaticEvent() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            static class Log
            {
                static Log() { AppDomain.CurrentDomain.ProcessExit += OnExit; Clock.Tick += OnTick; }
                static void OnExit(object sender, EventArgs e) { }
                static void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task SingletonSubscriber() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            sealed class Shutdown
            {
                public static readonly Shutdown Instance = new Shutdown();
                private Shutdown() { AppDomain.CurrentDomain.ProcessExit += OnExit; }
                void OnExit(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task LocalPublisherDisposedInScope() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class Scanner
            {
                public void Scan()
                {
                    using var watcher = new FileSystemWatcher(".");
                    watcher.Changed += OnChanged;
                    watcher.WaitForChanged(WatcherChangeTypes.All, 1000);
                }

                void OnChanged(object sender, FileSystemEventArgs e) { }
            }
            """);

    [Fact]
    public Task WeakHelperMethod() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                public void AddWeakHandler(Bus bus) { bus.Published += OnPublished; }
                public void WeakSubscribe() { Clock.Tick += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task WeakEventListener() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            namespace System.Windows { public interface IWeakEventListener { bool ReceiveWeakEvent(Type managerType, object sender, EventArgs e); } }
            class Listener : System.Windows.IWeakEventListener
            {
                public Listener() { Clock.Tick += OnTick; }
                public bool ReceiveWeakEvent(Type managerType, object sender, EventArgs e) => true;
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task WeakEventManagerCalls() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            namespace System.Windows
            {
                public class WeakEventManager<TSource, TArgs> where TArgs : EventArgs
                {
                    public static void AddHandler(TSource source, string name, EventHandler<TArgs> handler) { }
                }
            }
            class View
            {
                public View(Bus bus) { System.Windows.WeakEventManager<Bus, EventArgs>.AddHandler(bus, "Published", OnPublished); }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task WeakEventKnownToTheTable() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            namespace System.Windows.Input { public static class CommandManager { public static event EventHandler RequerySuggested; } }
            class Command
            {
                public Command() { System.Windows.Input.CommandManager.RequerySuggested += OnRequery; }
                void OnRequery(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task HandlerOfAnotherObject() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Relay { public void OnTick(object sender, EventArgs e) { } }
            class View
            {
                private readonly Relay relay = new Relay();
                public View() { Clock.Tick += relay.OnTick; }
            }
            """);

    [Fact]
    public Task EventHandlerArguments() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class ItemEventArgs : EventArgs { public Bus Item { get; set; } }
            class Collection
            {
                public void OnItemAdded(object sender, ItemEventArgs e) { e.Item.Published += OnItemPublished; }
                void OnItemPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task LambdaParameter() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Collection
            {
                public Collection(System.Collections.Generic.List<Bus> items) { items.ForEach(item => item.Published += OnItemPublished); }
                void OnItemPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task TimerStoppedInDispose() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Timers;
            class Poller : IDisposable
            {
                private readonly Timer timer = new Timer(1000);
                public Poller() { timer.Elapsed += OnElapsed; timer.Start(); }
                public void Dispose() => timer.Dispose();
                void OnElapsed(object sender, ElapsedEventArgs e) { }
            }
            """);

    [Fact]
    public Task ExternalLifetimeUnknown() =>
        new Verify.Test
        {
            TestCode = Bus + """
                class View
                {
                    public View(Bus bus) { bus.Published += OnPublished; }
                    void OnPublished(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.external_lifetime = unknown\n",
        }.RunAsync();

    [Fact]
    public Task RuleSpecificKeyBeatsGeneral() =>
        new Verify.Test
        {
            TestCode = Bus + """
                class View
                {
                    public View(Bus bus) { bus.Published += OnPublished; }
                    void OnPublished(object sender, EventArgs e) { }
                }
                """,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.external_lifetime = longer\nleak_analyzers.LEAK101.external_lifetime = unknown\n",
        }.RunAsync();

    [Fact]
    public Task RemovedByAHelperGivenTheDelegate() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View : IDisposable
            {
                public View() { Clock.Tick += OnTick; }
                public void Dispose() => Detach(OnTick);
                static void Detach(EventHandler handler) => Clock.Tick -= handler;
                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task InheritedMemberOfUnknownLifetime() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Base { protected Bus Source { get; } = new Bus(); }
            class View : Base
            {
                public View() { Source.Published += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task FieldWithDisagreeingValues() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class View
            {
                private readonly Bus bus;
                public View(Bus bus = null)
                {
                    this.bus = bus ?? new Bus();
                    this.bus.Published += OnPublished;
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task PrivateMethodGivenAnObjectTheTypeCreates() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Panel
            {
                private readonly Bus bus;
                public Panel() { bus = Create(); }
                private Bus Create()
                {
                    var created = new Bus();
                    Hook(created);
                    return created;
                }

                private void Hook(Bus target) { target.Published += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task ParameterTheTypeAddsToItsChildren() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Wizard
            {
                private readonly System.Collections.Generic.List<Bus> steps = new();
                public void AddStep(Bus step)
                {
                    step.Published += OnStepPublished;
                    steps.Add(step);
                }

                void OnStepPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task CompanionThePublisherHolds() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class ViewBase { }
            class Adornment
            {
                public event EventHandler ThicknessChanged;
                public ViewBase View { get; internal set; }
            }
            class AdornmentView : ViewBase
            {
                public AdornmentView(Adornment adornment) { adornment.ThicknessChanged += OnThicknessChanged; }
                void OnThicknessChanged(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task CompanionTheStaticPublisherHolds() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            static class Client
            {
                public static Game Game { get; set; }
            }
            class Game
            {
                public event EventHandler Activated;
                public AudioManager Audio { get; private set; }
                public void Load() => Audio = new AudioManager();
            }
            class AudioManager
            {
                public AudioManager() { Client.Game.Activated += OnActivated; }
                void OnActivated(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task ElementDeclaredInGeneratedCodeBehind() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                partial class MainWindow
                {
                    public MainWindow()
                    {
                        InitializeComponent();
                        OkButton.Published += OnOk;
                    }

                    void OnOk(object sender, EventArgs e) { }
                }
                """,
            TestState =
            {
                Sources =
                {
                    ("MainWindow.g.cs", """
                    // <auto-generated />
                    partial class MainWindow
                    {
                        internal Bus OkButton;
                        void InitializeComponent() { OkButton = new Bus(); }
                    }
                    class Bus { public event System.EventHandler Published; }
                    """),
                },
            },
        }.RunAsync();

    [Fact]
    public Task HostedServiceIsASingleton() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            namespace Microsoft.Extensions.Hosting { public interface IHostedService { } }
            class Worker : Microsoft.Extensions.Hosting.IHostedService
            {
                public Worker(Bus bus) { bus.Published += OnPublished; AppDomain.CurrentDomain.ProcessExit += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    private const string Container = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            using System;
            public interface IServiceCollection { }
            public static class ServiceCollectionServiceExtensions
            {
                public static IServiceCollection AddSingleton<TService, TImplementation>(this IServiceCollection services) where TImplementation : class, TService => services;
                public static IServiceCollection AddSingleton<TService>(this IServiceCollection services, Func<IServiceProvider, TService> factory) where TService : class => services;
                public static IServiceCollection AddSingleton(this IServiceCollection services, Type serviceType, Type implementationType) => services;
                public static IServiceCollection AddTransient<TService, TImplementation>(this IServiceCollection services) where TImplementation : class, TService => services;
            }
        }

        """;

    [Theory]
    [InlineData("services.AddSingleton<IWatcher, Watcher>();")]
    [InlineData("services.AddSingleton<IWatcher>(sp => new Watcher(new Bus()));")]
    [InlineData("services.AddSingleton(typeof(IWatcher), typeof(Watcher));")]
    public Task ContainerSingletonOutlivesWhatItSubscribesTo(string registration) =>
        Verify.VerifyAnalyzerAsync(Bus + Container + $$"""
            interface IWatcher { }
            class Watcher : IWatcher
            {
                public Watcher(Bus bus) { bus.Published += OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            namespace App
            {
                using Microsoft.Extensions.DependencyInjection;
                static class Startup
                {
                    public static void Configure(IServiceCollection services) { {{registration}} }
                }
            }
            """);

    [Fact]
    public Task ContainerTransientIsNotASingleton() =>
        Verify.VerifyAnalyzerAsync(Bus + Container + """
            interface IWatcher { }
            class Watcher : IWatcher
            {
                public Watcher(Bus bus) { {|#0:bus.Published += OnPublished|}; }
                void OnPublished(object sender, EventArgs e) { }
            }
            namespace App
            {
                using Microsoft.Extensions.DependencyInjection;
                static class Startup
                {
                    public static void Configure(IServiceCollection services) { services.AddTransient<IWatcher, Watcher>(); }
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("'OnPublished'", "'bus.Published'", "this 'Watcher' lives as long as the publisher"));

    [Fact]
    public Task StaticFactoryIsNotASingleton() =>
        Verify.VerifyAnalyzerAsync(Bus + """
            class Editor
            {
                public event EventHandler ValueChanged;
                public static Editor ForPoint() => new Editor();
            }
            class RectangleEditor
            {
                private Editor location;
                public void EndInit()
                {
                    location = Editor.ForPoint();
                    location.ValueChanged += OnValueChanged;
                }

                void OnValueChanged(object sender, EventArgs e) { }
            }
            """);
    [Fact]
    public Task AMistypedRemovalInDisposeIsLeak103s() =>
        // One mistake, one diagnostic: LEAK103 reports the += in DisposeAsyncCore and its fix turns it into -=.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            public class PlayerManager { public event EventHandler PlayerDestroyed; }
            public sealed class Tracker : IAsyncDisposable
            {
                private readonly PlayerManager manager;
                public Tracker(PlayerManager manager) { this.manager = manager; manager.PlayerDestroyed += OnPlayerDestroyed; }
                public ValueTask DisposeAsync() => DisposeAsyncCore();
                private ValueTask DisposeAsyncCore()
                {
                    manager.PlayerDestroyed += OnPlayerDestroyed;
                    return default;
                }
                void OnPlayerDestroyed(object sender, EventArgs e) { }
            }
            """);
    [Fact]
    public Task APublisherTheSubscriberWasGivenAndDisposesIsItsOwn() =>
        // OpenMU's RemotePlayer: it subscribes to the connection it was given and disposes it on disconnect.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            public interface IConnection : IDisposable
            {
                event Func<byte[], ValueTask> PacketReceived;
                event Func<ValueTask> Disconnected;
            }
            public sealed class RemotePlayer
            {
                private IConnection connection;
                public RemotePlayer(IConnection connection)
                {
                    this.connection = connection;
                    this.connection.PacketReceived += OnPacketAsync;
                    connection.Disconnected += DisconnectAsync;
                }
                private ValueTask OnPacketAsync(byte[] packet) => default;
                public ValueTask DisconnectAsync()
                {
                    connection?.Dispose();
                    connection = null;
                    return default;
                }
            }
            """);
}
