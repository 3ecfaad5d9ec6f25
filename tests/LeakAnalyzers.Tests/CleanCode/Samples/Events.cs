// Leak-free event code written the way real applications are: every subscription to a publisher that may outlive
// its subscriber is removed in a deterministic counterpart, goes through a weak reference, or belongs to an object
// that lives as long as the process anyway. Every analyzer of the package must stay silent on this file.
#nullable enable
namespace CleanCode.Events
{
    using System;
    using System.Collections.Generic;
    using System.Collections.ObjectModel;
    using System.Collections.Specialized;
    using System.ComponentModel;
    using System.IO;
    using System.Threading;
    using System.Threading.Tasks;

    public interface IMessageBus
    {
        event EventHandler<string>? MessageReceived;
    }

    public sealed class Settings : INotifyPropertyChanged
    {
        public static Settings Default { get; } = new Settings();

        public event PropertyChangedEventHandler? PropertyChanged;

        public void Set(string name) => PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(name));
    }

    // A view model given a long-lived bus: it unsubscribes in Dispose through the field that keeps the bus.
    public sealed class InboxViewModel : IDisposable, INotifyPropertyChanged
    {
        private readonly IMessageBus bus;
        private readonly List<string> messages = new();

        public InboxViewModel(IMessageBus bus)
        {
            this.bus = bus ?? throw new ArgumentNullException(nameof(bus));
            bus.MessageReceived += OnMessageReceived;
            Settings.Default.PropertyChanged += OnSettingsChanged;
            PropertyChanged += OnOwnPropertyChanged;
        }

        public event PropertyChangedEventHandler? PropertyChanged;

        public int Count => messages.Count;

        public void Dispose()
        {
            bus.MessageReceived -= OnMessageReceived;
            Settings.Default.PropertyChanged -= OnSettingsChanged;
        }

        private void OnMessageReceived(object? sender, string message)
        {
            messages.Add(message);
            PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(nameof(Count)));
        }

        private void OnSettingsChanged(object? sender, PropertyChangedEventArgs e) => messages.Clear();

        private void OnOwnPropertyChanged(object? sender, PropertyChangedEventArgs e)
        {
        }
    }

    // The subscriber owns its publishers: they die with it.
    public sealed class FolderMonitor : IDisposable
    {
        private readonly FileSystemWatcher watcher;
        private readonly System.Timers.Timer debounce = new(250) { AutoReset = false };
        private int pending;

        public FolderMonitor(string path)
        {
            watcher = new FileSystemWatcher(path) { EnableRaisingEvents = true };
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            debounce.Elapsed += (_, _) => Interlocked.Exchange(ref pending, 0);
        }

        public void Dispose()
        {
            debounce.Dispose();
            watcher.Dispose();
        }

        private void OnChanged(object sender, FileSystemEventArgs e)
        {
            Interlocked.Increment(ref pending);
            debounce.Stop();
            debounce.Start();
        }
    }

    // A stored delegate added and removed; a source property that moves the handler from the old source to the new.
    public sealed class SelectionTracker : IDisposable
    {
        private readonly EventHandler<string> onMessage;
        private INotifyCollectionChanged? source;
        private int changes;

        public SelectionTracker(IMessageBus bus)
        {
            Bus = bus;
            onMessage = (_, _) => changes++;
            Bus.MessageReceived += onMessage;
        }

        public IMessageBus Bus { get; }

        public INotifyCollectionChanged? Source
        {
            get => source;
            set
            {
                if (source != null)
                {
                    source.CollectionChanged -= OnCollectionChanged;
                }

                source = value;
                if (source != null)
                {
                    source.CollectionChanged += OnCollectionChanged;
                }
            }
        }

        public void Dispose()
        {
            Bus.MessageReceived -= onMessage;
            Source = null;
        }

        private void OnCollectionChanged(object? sender, NotifyCollectionChangedEventArgs e) => changes++;
    }

    // Items are subscribed when they arrive and unsubscribed when they leave.
    public sealed class OrderList : IDisposable
    {
        private readonly ObservableCollection<Order> orders = new();

        public OrderList() => orders.CollectionChanged += OnOrdersChanged;

        public decimal Total { get; private set; }

        public void Add(Order order) => orders.Add(order);

        public void Dispose()
        {
            foreach (var order in orders)
            {
                order.PropertyChanged -= OnOrderChanged;
            }

            orders.CollectionChanged -= OnOrdersChanged;
        }

        private void OnOrdersChanged(object? sender, NotifyCollectionChangedEventArgs e)
        {
            if (e.NewItems != null)
            {
                foreach (Order order in e.NewItems)
                {
                    order.PropertyChanged += OnOrderChanged;
                }
            }

            if (e.OldItems != null)
            {
                foreach (Order order in e.OldItems)
                {
                    order.PropertyChanged -= OnOrderChanged;
                }
            }
        }

        private void OnOrderChanged(object? sender, PropertyChangedEventArgs e) => Total = 0;
    }

    public sealed class Order : INotifyPropertyChanged
    {
        public event PropertyChangedEventHandler? PropertyChanged;

        public void Touch() => PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(nameof(Touch)));
    }

    // Process-wide events handled by types that live as long as the process: a static class and a singleton.
    public static class CrashReporter
    {
        public static void Install()
        {
            AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
            TaskScheduler.UnobservedTaskException += (_, e) => e.SetObserved();
        }

        private static void OnUnhandledException(object sender, UnhandledExceptionEventArgs e) => Console.Error.WriteLine(e.ExceptionObject);
    }

    public sealed class ShutdownCoordinator
    {
        public static readonly ShutdownCoordinator Instance = new();
        private readonly CancellationTokenSource stopping = new();

        private ShutdownCoordinator()
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();
            Console.CancelKeyPress += OnCancelKeyPress;
        }

        public CancellationToken Stopping => stopping.Token;

        private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stopping.Cancel();
        }
    }

    // A listener that reaches its target only through a weak reference: the bus keeps the lambda, not the view.
    public sealed class WeakBusListener
    {
        private int received;

        public WeakBusListener(IMessageBus bus)
        {
            var weak = new WeakReference<WeakBusListener>(this);
            bus.MessageReceived += (_, message) =>
            {
                if (weak.TryGetTarget(out var listener))
                {
                    listener.received++;
                }
            };
        }

        public int Received => received;
    }

    // A page lifecycle: what OnAppearing adds, OnDisappearing removes.
    public abstract class Page
    {
        protected virtual void OnAppearing()
        {
        }

        protected virtual void OnDisappearing()
        {
        }
    }

    public sealed class InboxPage : Page
    {
        private readonly IMessageBus bus;
        private int unread;

        public InboxPage(IMessageBus bus) => this.bus = bus;

        protected override void OnAppearing()
        {
            base.OnAppearing();
            bus.MessageReceived += OnMessage;
        }

        protected override void OnDisappearing()
        {
            bus.MessageReceived -= OnMessage;
            base.OnDisappearing();
        }

        private void OnMessage(object? sender, string message) => unread++;
    }

    // A behavior attached to an element: OnAttached subscribes, OnDetaching unsubscribes.
    public abstract class Behavior<T>
        where T : class
    {
        protected T? AssociatedObject { get; private set; }

        public void Attach(T element)
        {
            AssociatedObject = element;
            OnAttached();
        }

        public void Detach()
        {
            OnDetaching();
            AssociatedObject = null;
        }

        protected abstract void OnAttached();

        protected abstract void OnDetaching();
    }

    public sealed class SelectAllOnFocusBehavior : Behavior<Order>
    {
        protected override void OnAttached() => AssociatedObject!.PropertyChanged += OnChanged;

        protected override void OnDetaching() => AssociatedObject!.PropertyChanged -= OnChanged;

        private void OnChanged(object? sender, PropertyChangedEventArgs e)
        {
        }
    }

    // A one-shot wait on an event: the handler removes itself.
    public static class EventAwaiter
    {
        public static Task<string> NextMessageAsync(IMessageBus bus)
        {
            var completion = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            EventHandler<string>? handler = null;
            handler = (_, message) =>
            {
                bus.MessageReceived -= handler;
                completion.TrySetResult(message);
            };
            bus.MessageReceived += handler;
            return completion.Task;
        }
    }

    // An event that forwards its handlers to an inner publisher it owns.
    public sealed class BusFacade : IMessageBus
    {
        private readonly LocalBus inner = new();

        public event EventHandler<string>? MessageReceived
        {
            add => inner.MessageReceived += value;
            remove => inner.MessageReceived -= value;
        }

        public void Publish(string message) => inner.Publish(message);

        private sealed class LocalBus
        {
            public event EventHandler<string>? MessageReceived;

            public void Publish(string message) => MessageReceived?.Invoke(this, message);
        }
    }

    // Subscribing only for the duration of a call, with try/finally.
    public sealed class Recorder
    {
        public List<string> Record(IMessageBus bus, Action run)
        {
            var seen = new List<string>();
            void OnMessage(object? sender, string message) => seen.Add(message);
            bus.MessageReceived += OnMessage;
            try
            {
                run();
            }
            finally
            {
                bus.MessageReceived -= OnMessage;
            }

            return seen;
        }
    }

    // A module per hub: it hears of each new session from the hub and listens to what is said in it.
    public interface IChatSession
    {
        event EventHandler<string>? Said;
    }

    public sealed class SessionHub
    {
        public event Action<IChatSession>? SessionOpened;

        public void Open(IChatSession session) => SessionOpened?.Invoke(session);
    }

    public class ChatLogModule
    {
        private readonly List<string> lines = new();

        public void Attach(SessionHub hub) => hub.SessionOpened += OnSessionOpened;

        public void Detach(SessionHub hub) => hub.SessionOpened -= OnSessionOpened;

        // The session is gone when its connection ends; the module outlives every one of them.
        protected virtual void OnSessionOpened(IChatSession session) => session.Said += OnSaid;

        private void OnSaid(object? sender, string text) => lines.Add(text);
    }
}
