namespace LeakAnalyzers;

using Microsoft.CodeAnalysis;

/// <summary>
/// Every rule's ID and descriptor. IDs are never reused or renumbered:
/// 0xx disposables, 1xx event subscriptions, 2xx static collections, 3xx closures, 4xx unmanaged memory and handles.
/// </summary>
internal static class Descriptors
{
    /// <summary>Where the rule pages are published; each help link is this plus <c>LEAKnnn.md</c>.</summary>
    internal const string HelpLinkRoot = "https://github.com/LeakAnalyzers/LeakAnalyzers/blob/main/docs/rules/";

    internal static class Categories
    {
        internal const string Disposables = "LeakAnalyzers.Disposables";
        internal const string Events = "LeakAnalyzers.Events";
        internal const string StaticCollections = "LeakAnalyzers.StaticCollections";
        internal const string Closures = "LeakAnalyzers.Closures";
        internal const string Native = "LeakAnalyzers.Native";
    }

    /// <summary>Custom tag for diagnostics that are only reported once the whole compilation has been seen.</summary>
    internal const string CompilationEndTag = WellKnownDiagnosticTags.CompilationEnd;

    internal static readonly DiagnosticDescriptor LEAK001LocalNotDisposed = Create(
        id: "LEAK001",
        title: "Disposable created in a method is not disposed",
        messageFormat: "'{0}' is created here and {1}; {2}",
        category: Categories.Disposables,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A local that the method creates, and that owns a resource, must be disposed on every path through the method unless it is handed over: returned, stored in a field or collection, or given to an object that takes ownership.");

    internal static readonly DiagnosticDescriptor LEAK002DisposableDropped = Create(
        id: "LEAK002",
        title: "Created disposable is dropped",
        messageFormat: "{0} is {1} and never disposed; {2}",
        category: Categories.Disposables,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A disposable that is created and then thrown away, used once as the receiver of a call, or passed to a callee that only borrows it can never be disposed by anyone.");

    internal static readonly DiagnosticDescriptor LEAK003FieldNotDisposed = Create(
        id: "LEAK003",
        title: "Disposable field created by the type is not disposed",
        messageFormat: "'{0}' is created by '{1}', {2}; {3}",
        category: Categories.Disposables,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A private field or auto-property that the type fills with a disposable it creates itself is owned by the type: the type must be disposable and its Dispose must dispose the member.");

    internal static readonly DiagnosticDescriptor LEAK004OverwrittenWhileOwned = Create(
        id: "LEAK004",
        title: "Disposable is overwritten before it is disposed",
        messageFormat: "'{0}' is overwritten before its '{1}' is disposed; {2}",
        category: Categories.Disposables,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "Assigning a new value to a local or field that still owns an undisposed disposable loses the old one: nothing can dispose it any more.");

    internal static readonly DiagnosticDescriptor LEAK101HandlerNeverRemoved = Create(
        id: "LEAK101",
        title: "Event handler added to a longer-lived publisher is never removed",
        messageFormat: "{0} is never removed from {1}; {2}",
        category: Categories.Events,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "An instance method added with '+=' to an event of an object that may outlive the subscriber (a static event, a singleton or process-wide object, or an object the subscriber was given) keeps the subscriber, and everything it references, alive until the handler is removed with '-='.");

    internal static readonly DiagnosticDescriptor LEAK102LambdaCannotBeRemoved = Create(
        id: "LEAK102",
        title: "Lambda added to a longer-lived publisher can never be removed",
        messageFormat: "{0} added to {1} can never be removed; {2}",
        category: Categories.Events,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A lambda or anonymous method that captures 'this', added with '+=' to an event of an object that may outlive the subscriber, can never be removed, because a '-=' with a lambda creates a new delegate that equals no other. The subscriber stays alive as long as the publisher.");

    internal static readonly DiagnosticDescriptor LEAK103RemovalRemovesNothing = Create(
        id: "LEAK103",
        title: "Event handler removal removes nothing",
        messageFormat: "This {0} removes nothing: {1}",
        category: Categories.Events,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "'-=' (or a subscription method's undo, such as 'Unregister') removes a handler only when given a delegate equal to the one added: the same method on the same target, or the same delegate instance. A new lambda, or a method that was never added, leaves the original handler subscribed.");

    internal static readonly DiagnosticDescriptor LEAK104RemovedOnlyInFinalizer = Create(
        id: "LEAK104",
        title: "Event handler is removed only in a finalizer",
        messageFormat: "{0} is removed from {1} only in the finalizer, which never runs while subscribed",
        category: Categories.Events,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A publisher that outlives the subscriber keeps it reachable through the handler, so the subscriber's finalizer never runs and a '-=' placed there never executes. Remove the handler in Dispose or another deterministic counterpart.");

    internal static readonly DiagnosticDescriptor LEAK105RepeatedSubscription = Create(
        id: "LEAK105",
        title: "Event handler is added every time a repeating method runs",
        messageFormat: "{0} is added to '{1}' {2}; copies pile up and keep this '{3}' alive",
        category: Categories.Events,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A '+=' in code that runs many times (a page's OnAppearing, a Loaded handler, a property getter, a loop) adds one more copy of the handler each time, unless its counterpart (OnDisappearing, Unloaded, ...) removes it; the copies pile up on the publisher, run on every event and keep the subscriber alive.");

    internal static readonly DiagnosticDescriptor LEAK401NativeMemoryNotFreed = Create(
        id: "LEAK401",
        title: "Unmanaged memory or GC handle allocated in a method is not freed",
        messageFormat: "{0} from '{1}' is {2}; {3}",
        category: Categories.Native,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "Unmanaged memory (Marshal.AllocHGlobal, AllocCoTaskMem, the StringTo and SecureStringTo conversions, NativeMemory.Alloc) and GC handles (GCHandle.Alloc) are never reclaimed by the garbage collector: what a method allocates must be freed with the matching function on every path, unless it is handed over: returned, stored in a field, or given to a SafeHandle or another owner.");

    internal static readonly DiagnosticDescriptor LEAK402MismatchedFree = Create(
        id: "LEAK402",
        title: "Unmanaged memory is released by a function that does not match its allocator",
        messageFormat: "'{0}' is from '{1}' but passed to '{2}', not '{3}': {4}",
        category: Categories.Native,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "Every allocator has its own release function: AllocHGlobal memory goes to FreeHGlobal, AllocCoTaskMem memory to FreeCoTaskMem, NativeMemory.AlignedAlloc memory to AlignedFree, a BSTR to FreeBSTR, and the plaintext of a SecureString to the zeroing function of its own width. Any other release corrupts the heap, crashes the process, or leaves the secret readable.");

    internal static readonly DiagnosticDescriptor LEAK403NativeFieldNotFreed = Create(
        id: "LEAK403",
        title: "Field holds unmanaged memory or a GC handle that nothing frees",
        messageFormat: "'{0}' holds {1} from '{2}' that '{3}' never frees; {4}",
        category: Categories.Native,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A type that keeps unmanaged memory or a GC handle in a field owns it: its Dispose method, its finalizer or, for a SafeHandle, its ReleaseHandle must free it, or every instance leaks it for good.");

    internal static readonly DiagnosticDescriptor LEAK201PrivateStaticCollectionGrows = Create(
        id: "LEAK201",
        title: "Private static collection only grows",
        messageFormat: "{0} only grows: {1}; {2}",
        category: Categories.StaticCollections,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A private static collection (or a collection held by a singleton) that code running after start-up adds to, and that its type never removes from, clears, replaces or bounds by a size check, keeps everything ever added to it for the life of the process: a cache keyed by callers' input, a list of every instance ever created, a buffer appended to on every call.");

    internal static readonly DiagnosticDescriptor LEAK202VisibleStaticCollectionGrows = Create(
        id: "LEAK202",
        title: "Static collection visible outside its type only grows",
        messageFormat: "{0} only grows: {1}; {2}",
        category: Categories.StaticCollections,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A static collection (or a collection held by a singleton) visible outside its type that code running after start-up adds to, and that nothing in the compilation removes from, clears, replaces or bounds by a size check, keeps everything ever added to it for the life of the process. Deciding this needs the whole compilation, so the diagnostic is reported at compilation end.",
        customTags: CompilationEndTag);

    internal static readonly DiagnosticDescriptor LEAK203StaticMemoCacheUnbounded = Create(
        id: "LEAK203",
        title: "Static cache keyed by values has no bound",
        messageFormat: "{0} has no bound: {1}; {2}",
        category: Categories.StaticCollections,
        defaultSeverity: DiagnosticSeverity.Info,
        description: "A static memo cache (or one held by a singleton) keyed by values (strings, numbers, structs, records) that computes what it stores from the key, and that nothing removes from, clears or bounds, holds one entry per distinct key its callers ever pass. That is harmless when the keys come from the program itself (names, shapes, configuration) and a leak when they come from data (requests, files, scripts); the analyzer cannot tell which, so this is a suggestion: bound the cache, or raise the rule's severity where every such cache must be bounded.");

    internal static readonly DiagnosticDescriptor LEAK301CapturingDelegateKeptAlive = Create(
        id: "LEAK301",
        title: "Capturing delegate is kept by a longer-lived place",
        messageFormat: "{0} keeps {1} alive {2}: {3}",
        category: Categories.Closures,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "A lambda, anonymous method, local function or method group that captures 'this' or a local keeps what it captures alive for as long as the delegate is kept. Stored in a static field, property or collection (directly, or by a method of your source it is passed to, or as what a value factory returns), given to a timer or an Rx timer subscription that is never disposed, registered on a cancellation token the type does not own without disposing the registration, registered with ThreadPool.RegisterWaitForSingleObject without unregistering, or added as a lambda to an event of a static or process-wide publisher by every call, it keeps the captured object graph alive for as long as that place lives.");

    internal static readonly DiagnosticDescriptor LEAK302SharedClosureKeepsLocal = Create(
        id: "LEAK302",
        title: "Long-lived lambda shares its closure with a local it does not use",
        messageFormat: "{0}, kept by {1}, keeps '{2}' alive via a shared closure {3}",
        category: Categories.Closures,
        defaultSeverity: DiagnosticSeverity.Warning,
        description: "The compiler puts all captured variables of one scope into one closure object, shared by every lambda that captures any of them. A lambda kept by a place that outlives the method (a static field or collection, a field or property of this object or of an object given to the method, a method that keeps it, a timer in a static member, a dropped token registration) therefore keeps alive every variable of its scope that any other lambda captured: a disposable or a large array or collection that only a short-lived lambda used stays reachable as long as the long-lived one.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity defaultSeverity,
        string description,
        params string[] customTags)
    {
        return new DiagnosticDescriptor(
            id: id,
            title: title,
            messageFormat: messageFormat,
            category: category,
            defaultSeverity: defaultSeverity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkRoot + id + ".md",
            customTags: customTags);
    }
}
