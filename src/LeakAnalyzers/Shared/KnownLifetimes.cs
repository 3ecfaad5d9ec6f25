namespace LeakAnalyzers.Shared;

using System.Collections.Immutable;

/// <summary>
/// What LeakAnalyzers knows about how long the world's objects live, one table per concept; read by
/// <see cref="LifetimeModel"/>. Types are full metadata names and members <c>Type.Member</c> (<see cref="SymbolNames"/>).
/// Users extend the tables from .editorconfig (<see cref="LeakOptions"/>); the rule pages document the keys.
/// </summary>
internal static class KnownLifetimes
{
    /// <summary>
    /// Members whose value lives as long as the process: the current application domain, the default load
    /// context, the running application object, the UI thread's dispatcher.
    /// </summary>
    internal static readonly ImmutableArray<string> ProcessWideMembers = ImmutableArray.Create(
        "System.AppDomain.CurrentDomain",
        "System.Runtime.Loader.AssemblyLoadContext.Default",
        "System.Windows.Application.Current",
        "System.Windows.Threading.Dispatcher.CurrentDispatcher",
        "Microsoft.Maui.Controls.Application.Current",
        "Xamarin.Forms.Application.Current",
        "Microsoft.UI.Xaml.Application.Current",
        "Windows.UI.Xaml.Application.Current",
        "Avalonia.Application.Current");

    /// <summary>
    /// Types whose static events belong to the process (<c>Console.CancelKeyPress</c>, <c>SystemEvents.UserPreferenceChanged</c>,
    /// <c>TaskScheduler.UnobservedTaskException</c>); named as such in messages. Every static event lives as long as the process.
    /// </summary>
    internal static readonly ImmutableArray<string> ProcessWideEventTypes = ImmutableArray.Create(
        "System.AppDomain",
        "System.Console",
        "System.Threading.Tasks.TaskScheduler",
        "System.Runtime.Loader.AssemblyLoadContext",
        "Microsoft.Win32.SystemEvents",
        "System.Net.NetworkInformation.NetworkChange",
        "System.Windows.Forms.Application",
        "System.ComponentModel.TypeDescriptor",
        "System.Diagnostics.Tracing.EventListener");

    /// <summary>
    /// Types (and interfaces) with one instance per process: any object of these types, or implementing them,
    /// outlives whatever subscribes to it, and nothing it holds on to can keep it alive longer. Hosted services are
    /// always registered as singletons.
    /// </summary>
    internal static readonly ImmutableArray<string> LongLivedTypes = ImmutableArray.Create(
        "Microsoft.Extensions.Hosting.IHostedService",
        "System.AppDomain",

        // An event source is one per process by design: a second instance with the same name does not log.
        "System.Diagnostics.Tracing.EventSource",
        "System.Windows.Application",
        "System.Windows.Threading.Dispatcher",
        "Microsoft.Maui.Controls.Application",
        "Xamarin.Forms.Application",
        "Microsoft.UI.Xaml.Application",
        "Windows.UI.Xaml.Application",
        "Avalonia.Application");

    /// <summary>
    /// Cancellation tokens (<c>Type.Member</c>) that the application cancels once, at a point of its life: the host's
    /// started, stopping and stopped tokens. A registration on one stays only until it fires, then the token's source
    /// drops it; one on a token that has already fired runs at once and keeps nothing. So a singleton or hosted service
    /// that registers on them keeps nothing alive that was not alive anyway: the closure rules do not report them.
    /// (A short-lived object registering on <c>ApplicationStopping</c> in every instance would be kept until shutdown;
    /// the analyzers cannot tell a DI singleton from a transient, and do not report that either.)
    /// </summary>
    internal static readonly ImmutableArray<string> OneShotTokens = ImmutableArray.Create(
        "Microsoft.Extensions.Hosting.IHostApplicationLifetime.ApplicationStarted",
        "Microsoft.Extensions.Hosting.IHostApplicationLifetime.ApplicationStopping",
        "Microsoft.Extensions.Hosting.IHostApplicationLifetime.ApplicationStopped",
        "Microsoft.Extensions.Hosting.IApplicationLifetime.ApplicationStarted",
        "Microsoft.Extensions.Hosting.IApplicationLifetime.ApplicationStopping",
        "Microsoft.Extensions.Hosting.IApplicationLifetime.ApplicationStopped",
        "Microsoft.AspNetCore.Hosting.IApplicationLifetime.ApplicationStarted",
        "Microsoft.AspNetCore.Hosting.IApplicationLifetime.ApplicationStopping",
        "Microsoft.AspNetCore.Hosting.IApplicationLifetime.ApplicationStopped");

    /// <summary>
    /// Static member names that by convention return the one shared instance of a type:
    /// <c>Settings.Default</c>, <c>Cache.Instance</c>, <c>Application.Current</c>, <c>ArrayPool.Shared</c>.
    /// </summary>
    internal static readonly ImmutableArray<string> SingletonAccessorNames = ImmutableArray.Create(
        "Instance", "Default", "Current", "Shared", "GetInstance", "GetDefault");

    /// <summary>
    /// Timers: the runtime keeps a started timer's callback (and for these types, through it, the timer and its handlers)
    /// alive until it is stopped or disposed. A <c>System.Threading.Timer</c> is the exception: its queue holds only the
    /// callback, so the timer lives on only while something reaches it (its owner, captured by the callback, is the
    /// usual cycle); LEAK301 asks for that capture before it treats a field timer as rooted.
    /// </summary>
    internal static readonly ImmutableArray<string> RootedWhileRunningTypes = ImmutableArray.Create(
        "System.Threading.Timer",
        "System.Timers.Timer",
        "System.Windows.Threading.DispatcherTimer",
        "System.Windows.Forms.Timer",
        "Microsoft.UI.Xaml.DispatcherTimer",
        "Windows.UI.Xaml.DispatcherTimer",
        "Avalonia.Threading.DispatcherTimer");

    /// <summary>Methods (simple names) that stop a timer in <see cref="RootedWhileRunningTypes"/>; so does setting <c>Enabled</c> or <c>IsEnabled</c> to false.</summary>
    internal static readonly ImmutableArray<string> TimerStopMethods = ImmutableArray.Create(
        "Stop", "Dispose", "DisposeAsync", "Close", "Change");

    /// <summary>Methods that resolve a service the caller does not own: what they return is given from outside.</summary>
    internal static readonly ImmutableArray<string> ServiceLocatorMethods = ImmutableArray.Create(
        "System.IServiceProvider.GetService",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetKeyedService",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService");

    /// <summary>
    /// Events that hold their handlers weakly, so a subscription keeps nothing alive
    /// (<c>CommandManager.RequerySuggested</c> is documented to keep only a weak reference).
    /// </summary>
    internal static readonly ImmutableArray<string> WeakEvents = ImmutableArray.Create(
        "System.Windows.Input.CommandManager.RequerySuggested");

    /// <summary>
    /// Weak-event machinery: a type that implements or derives from one of these manages its subscriptions through
    /// weak references (<c>IWeakEventListener</c>, <c>WeakEventManager</c> and its subclasses such as
    /// <c>PropertyChangedEventManager</c>).
    /// </summary>
    internal static readonly ImmutableArray<string> WeakEventTypes = ImmutableArray.Create(
        "System.Windows.IWeakEventListener",
        "System.Windows.WeakEventManager",
        "System.Windows.WeakEventManager`2",
        "System.ComponentModel.PropertyChangedEventManager",
        "System.Collections.Specialized.CollectionChangedEventManager");

    /// <summary>
    /// Framework lifecycle methods that run many times over an object's life, each with the counterparts that undo
    /// what they do: <c>OnAppearing</c> runs every time a page is shown and <c>OnDisappearing</c> every time it is hidden.
    /// Written <c>Name:Counterpart|Counterpart</c>; a name with no counterpart runs repeatedly with nothing to undo
    /// it (Blazor's <c>OnParametersSet</c>). They count only where they override a base method.
    /// </summary>
    internal static readonly ImmutableArray<string> RepeatingOverrides = ImmutableArray.Create(
        "OnAppearing:OnDisappearing",
        "OnNavigatedTo:OnNavigatedFrom|OnNavigatingFrom",
        "OnNavigatingTo:OnNavigatedFrom|OnNavigatingFrom",
        "OnResume:OnPause",
        "OnStart:OnStop",
        "OnRestart:OnStop",
        "OnActivated:OnDeactivated",
        "OnActivate:OnDeactivate",
        "OnVisible:OnHidden",
        "ViewWillAppear:ViewWillDisappear|ViewDidDisappear",
        "ViewDidAppear:ViewWillDisappear|ViewDidDisappear",
        "OnEnable:OnDisable",
        "OnParametersSet",
        "OnParametersSetAsync");

    /// <summary>
    /// Methods that run many times whatever they override, in the same notation as <see cref="RepeatingOverrides"/>:
    /// a handler of a UI element's <c>Loaded</c> event runs every time the element enters the visual tree. A
    /// <c>Register</c> undone by the object's <c>Dispose</c> is a lifetime (registered once, disposed once: a plug-in's
    /// <c>Register(hub)</c> whose <c>Dispose</c> unsubscribes).
    /// </summary>
    internal static readonly ImmutableArray<string> RepeatingMethods = ImmutableArray.Create(
        "OnLoaded:OnUnloaded",
        "Register:Unregister|Deregister|Dispose");

    /// <summary>The suffix of event-handler names that run every time an element is loaded (<c>Page_Loaded</c>), undone by <c>_Unloaded</c>.</summary>
    internal const string LoadedHandlerSuffix = "_Loaded";

    internal const string UnloadedHandlerSuffix = "_Unloaded";
}
