namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer>;

/// <summary>Who the publisher really is: events whose accessors forward, properties that return a field.</summary>
public class Publishers
{
    private const string Runner = """
        using System;
        class ProcessRunner
        {
            public static readonly ProcessRunner Shared = new ProcessRunner();
            public event Action<string> LineReceived;
        }

        class ConsoleViewModel
        {
            private readonly ProcessRunner runner;
            public ConsoleViewModel(ProcessRunner runner) { this.runner = runner; }
            public event Action<string> LineReceived
            {
                add => runner.LineReceived += value;
                remove => runner.LineReceived -= value;
            }
        }

        """;

    [Fact]
    public Task ForwardedToTheObjectTheSubscriberPassed() =>
        Verify.VerifyAnalyzerAsync(
            Runner + """
            class ConsoleView
            {
                private readonly ConsoleViewModel model = new ConsoleViewModel(ProcessRunner.Shared);
                public ConsoleView() { {|#0:model.LineReceived += OnLine|}; }
                void OnLine(string line) { }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "'OnLine'",
                "'model.LineReceived'",
                "this 'ConsoleView' lives until the process ends"));

    [Fact]
    public Task ForwardedToAStaticPublisher() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class ProcessRunner
            {
                public static readonly ProcessRunner Shared = new ProcessRunner();
                public event Action<string> LineReceived;
            }

            class ConsoleViewModel
            {
                public event Action<string> LineReceived
                {
                    add { ProcessRunner.Shared.LineReceived += value; }
                    remove { ProcessRunner.Shared.LineReceived -= value; }
                }
            }

            class ConsoleView
            {
                private readonly ConsoleViewModel model = new ConsoleViewModel();
                public ConsoleView() { [|model.LineReceived += OnLine|]; }
                void OnLine(string line) { }
            }
            """);

    [Fact]
    public Task ForwardedToAnObjectTheSubscriberCreatedIsSilent() =>
        Verify.VerifyAnalyzerAsync(Runner + """
            class ConsoleView
            {
                private readonly ConsoleViewModel model = new ConsoleViewModel(new ProcessRunner());
                public ConsoleView() { model.LineReceived += OnLine; }
                void OnLine(string line) { }
            }
            """);

    [Fact]
    public Task RemovedThroughTheBackingFieldOfTheProperty() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            class Shutdown : IDisposable
            {
                private static readonly AppDomain currentAppDomain = AppDomain.CurrentDomain;
                private static AppDomain CurrentAppDomain => currentAppDomain;
                public Shutdown() { CurrentAppDomain.ProcessExit += OnExit; }
                public void Dispose() { currentAppDomain.ProcessExit -= OnExit; }
                void OnExit(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task RemovedThroughAnotherPropertyIsNotTheSamePublisher() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            class Bus { public event EventHandler Published; }
            class View : IDisposable
            {
                private static readonly Bus first = new Bus();
                private static readonly Bus second = new Bus();
                private static Bus First { get { return first; } }
                public View() { [|First.Published += OnPublished|]; }
                public void Dispose() { second.Published -= OnPublished; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    /// <summary>
    /// Aspid.MVVM's collection binder (a public leak fix): the bound collection, a parameter, is switched on by type
    /// and each case subscribes through its pattern variable; nothing removes the handler. The pattern variable is
    /// the switched value, as it is for <c>is</c>.
    /// </summary>
    [Fact]
    public Task SubscribedThroughASwitchPatternVariable() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections;
            using System.Collections.Specialized;
            using System.ComponentModel;
            class CollectionBinder
            {
                public void SetValue(IEnumerable collection)
                {
                    switch (collection)
                    {
                        case INotifyCollectionChanged observable: [|observable.CollectionChanged += OnCollectionChanged|]; break;
                        case INotifyPropertyChanged notifying: [|notifying.PropertyChanged += OnPropertyChanged|]; break;
                    }
                }

                void OnPropertyChanged(object sender, PropertyChangedEventArgs e) { }

                void OnCollectionChanged(object sender, NotifyCollectionChangedEventArgs e) { }
            }
            """);

    /// <summary>The same switch over a collection the subscriber made itself: the publisher dies with it.</summary>
    [Fact]
    public Task SubscribedThroughASwitchPatternVariableOfItsOwnCollectionIsSilent() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections;
            using System.Collections.ObjectModel;
            using System.Collections.Specialized;
            class CollectionBinder
            {
                private readonly IEnumerable items = new ObservableCollection<int>();

                public CollectionBinder()
                {
                    switch (items)
                    {
                        case INotifyCollectionChanged observable: observable.CollectionChanged += OnCollectionChanged; break;
                    }
                }

                void OnCollectionChanged(object sender, NotifyCollectionChangedEventArgs e) { }
            }
            """);

    /// <summary>A protected method the type calls with a static publisher subscribes to that publisher.</summary>
    [Fact]
    public Task ProtectedMethodCalledWithAStaticPublisher() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            class Bus { public static readonly Bus Shared = new Bus(); public event EventHandler Published; }
            class View
            {
                public View() => Attach(Bus.Shared);
                protected virtual void Attach(Bus bus) { [|bus.Published += OnPublished|]; }
                void OnPublished(object sender, EventArgs e) { }
            }
            """);
}
