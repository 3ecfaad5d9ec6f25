namespace LeakAnalyzers.Shared;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// What LeakAnalyzers knows about the world's disposables, one table per concept.
/// Names are full metadata names (<see cref="SymbolNames"/>). Users extend every table from .editorconfig
/// (<see cref="LeakOptions"/>); the rule pages document the keys.
/// </summary>
internal static class KnownApis
{
    /// <summary>GCHandle, which the unmanaged family tracks and the shared delegate model reads (a handle roots what it is given).</summary>
    internal const string GCHandleType = "System.Runtime.InteropServices.GCHandle";

    /// <summary><c>GCHandle.Alloc</c>, by <see cref="SymbolNames.MemberKey"/>.</summary>
    internal const string GCHandleAlloc = GCHandleType + ".Alloc";

    /// <summary>Disposable types whose Dispose releases nothing that matters: an undisposed instance is not a leak.</summary>
    internal static readonly ImmutableArray<string> NoDisposalTypes = ImmutableArray.Create(
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task`1",
        "System.IO.MemoryStream",
        "System.IO.StringReader",
        "System.IO.StringWriter",
        "System.Data.DataTable",
        "System.Data.DataSet",
        "System.Data.DataView",
        "System.Data.DataColumn",

        // A WebClient makes a request per call and keeps nothing open between calls; a random number generator of
        // today's runtime holds no handle.
        "System.Net.WebClient",
        "System.Security.Cryptography.RandomNumberGenerator",

        // Dispose only stops the activity (a trace span): one left running is a tracing bug, not a held resource.
        "System.Diagnostics.Activity",

        // A stream over memory someone else owns: Dispose only marks it closed, it never frees the memory.
        "System.IO.UnmanagedMemoryStream",

        // HTTP content made of bytes already in memory: Dispose drops a buffer the collector takes anyway.
        "System.Net.Http.StringContent",
        "System.Net.Http.ByteArrayContent",
        "System.Net.Http.FormUrlEncodedContent",
        "System.Net.Http.ReadOnlyMemoryContent",
        "System.Net.Http.Json.JsonContent",

        // Rx subjects: Dispose only drops the observer list and makes later calls throw; an undisposed subject
        // holds nothing once nothing references it.
        "System.Reactive.Subjects.Subject`1",
        "System.Reactive.Subjects.BehaviorSubject`1",
        "System.Reactive.Subjects.AsyncSubject`1",

        // An in-memory cache: it scans for expired entries on access, with no timer; Dispose only marks it disposed
        // (entries' own disposables are evicted or collected with it, as they would be on Dispose).
        "Microsoft.Extensions.Caching.Memory.MemoryCache",

        // vs-threading's async semaphore holds no unmanaged resource; its documentation says it need not be disposed.
        "Microsoft.VisualStudio.Threading.AsyncSemaphore");

    /// <summary>
    /// Abstract bases whose own Dispose releases nothing: a subclass declared in source releases only what it adds
    /// (a <c>Stream</c> view over a buffer, a <c>MemoryPool</c> whose <c>Dispose(bool)</c> is empty). A value typed as
    /// the base still needs disposal: what it is at run time may hold anything.
    /// </summary>
    internal static readonly ImmutableHashSet<string> BasesReleasingNothing = ImmutableHashSet.Create(
        "System.IO.Stream",
        "System.IO.TextReader",
        "System.IO.TextWriter",
        "System.Buffers.MemoryPool`1",
        "System.Buffers.MemoryManager`1",

        // Its Dispose frees only the buffer it made itself (LoadIntoBuffer's MemoryStream): a content of your own that
        // writes an object while it is sent holds managed memory, like the framework's JsonContent.
        "System.Net.Http.HttpContent",

        // Crypto bases: their Dispose only clears the key or hash arrays they hold; a managed subclass that keeps
        // its state in its own fields releases nothing by being disposed.
        "System.Security.Cryptography.SymmetricAlgorithm",
        "System.Security.Cryptography.AsymmetricAlgorithm",
        "System.Security.Cryptography.HashAlgorithm",
        "System.Security.Cryptography.KeyedHashAlgorithm");

    /// <summary>
    /// Framework methods that return the object given as their first argument: casts that only change the static
    /// type. What happens to their result happens to that object.
    /// </summary>
    internal static readonly ImmutableHashSet<string> ReturnsItsArgument = ImmutableHashSet.Create(
        "System.Runtime.CompilerServices.Unsafe.As",
        "System.Linq.Enumerable.AsEnumerable");

    /// <summary>
    /// Calls, not named Dispose or Close, that release what their receiver holds: the type's Dispose does nothing
    /// more (<c>TcpListener.Dispose</c> is <c>Stop()</c>; <c>System.Timers.Timer.Stop</c> disposes its timer).
    /// </summary>
    internal static readonly ImmutableHashSet<string> ReleasingCalls = ImmutableHashSet.Create(
        "System.Net.Sockets.TcpListener.Stop",
        "System.Net.HttpListener.Abort",
        "System.Timers.Timer.Stop",

        // Clear() is Dispose() on these crypto bases (AsymmetricAlgorithm.Clear is Dispose(false): not listed).
        "System.Security.Cryptography.SymmetricAlgorithm.Clear",
        "System.Security.Cryptography.HashAlgorithm.Clear",

        // BackgroundService.Dispose only cancels the token source StopAsync has already cancelled.
        "Microsoft.Extensions.Hosting.BackgroundService.StopAsync");

    /// <summary>
    /// Property assignments that release what their receiver holds, as <see cref="ReleasingCalls"/> do:
    /// <c>timer.Enabled = false</c> is <c>timer.Stop()</c>, which disposes the timer's underlying timer.
    /// </summary>
    internal static readonly ImmutableHashSet<string> ReleasingPropertySets = ImmutableHashSet.Create(
        "System.Timers.Timer.Enabled=False");

    /// <summary>
    /// Types whose Dispose releases something only after one of their members was used, or when constructed with
    /// one of some arguments: a <c>SemaphoreSlim</c> creates its wait handle only when <c>AvailableWaitHandle</c> is
    /// read, and its Dispose frees only that handle; a <c>BlockingCollection</c> without a bound holds semaphores
    /// without wait handles (until a static <c>TakeFromAny</c>-style method asks for them) and token sources without
    /// timers. Such a type needs no disposal where the code that can reach it (the creating type) never names the
    /// member, and the creation passes none of the arguments.
    /// </summary>
    internal static readonly ImmutableArray<(string Type, ImmutableArray<string> Members, ImmutableArray<string> Parameters)> NoDisposalUnlessUsed = ImmutableArray.Create(
        ("System.Threading.SemaphoreSlim", ImmutableArray.Create("AvailableWaitHandle"), ImmutableArray<string>.Empty),
        // The slim events make their kernel event only when WaitHandle is read; a Barrier's two events never expose one.
        ("System.Threading.ManualResetEventSlim", ImmutableArray.Create("WaitHandle"), ImmutableArray<string>.Empty),
        ("System.Threading.CountdownEvent", ImmutableArray.Create("WaitHandle"), ImmutableArray<string>.Empty),
        ("System.Threading.Barrier", ImmutableArray<string>.Empty, ImmutableArray<string>.Empty),
        // A reader-writer lock makes its events only under contention, and never exposes them: finalizable wait
        // handles that die with the lock, like the slim events' (its Dispose closes them sooner, nothing more).
        ("System.Threading.ReaderWriterLockSlim", ImmutableArray<string>.Empty, ImmutableArray<string>.Empty),
        // A timer component that is never started holds no timer: it makes one when enabled.
        ("System.Timers.Timer", ImmutableArray.Create("Start", "Enabled", "BeginInit"), ImmutableArray<string>.Empty),
        ("System.Windows.Forms.Timer", ImmutableArray.Create("Start", "Enabled"), ImmutableArray<string>.Empty),
        ("System.Collections.Concurrent.BlockingCollection`1",
            ImmutableArray.Create("TakeFromAny", "TryTakeFromAny", "AddToAny", "TryAddToAny"),
            ImmutableArray.Create("boundedCapacity")),
        // A token source without a timeout owns no timer and no wait handle: its Dispose releases nothing that outlives
        // it, unless its token's WaitHandle is read (a kernel event) or CancelAfter starts a timer.
        ("System.Threading.CancellationTokenSource",
            ImmutableArray.Create("WaitHandle", "CancelAfter"),
            ImmutableArray.Create("delay", "millisecondsDelay")));

    /// <summary>
    /// Whether <paramref name="type"/> is in <see cref="NoDisposalUnlessUsed"/> and the source of
    /// <paramref name="user"/> (the type that creates and holds it) never names one of its members that make Dispose matter.
    /// </summary>
    internal static bool ReleasesNothingIn(ITypeSymbol type, INamedTypeSymbol user, ImmutableArray<IArgumentOperation> arguments, string? holder = null)
    {
        var name = SymbolNames.FullMetadataName(type);
        foreach (var (entry, members, parameters) in NoDisposalUnlessUsed)
        {
            if (entry != name)
            {
                continue;
            }

            foreach (var argument in arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter is { } parameter && parameters.Contains(parameter.Name))
                {
                    return false;
                }
            }

            foreach (var reference in user.DeclaringSyntaxReferences)
            {
                foreach (var token in reference.GetSyntax().DescendantTokens())
                {
                    // Named as a member (`x.WaitHandle`, `x?.CancelAfter(...)`), not as a type (`WaitHandle handle`).
                    if (members.Contains(token.ValueText) && IsMemberName(token) && (holder is null || OnHolder(token, holder, type.Name)) &&
                        !IsImmediateCancel(token))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>cts.CancelAfter(TimeSpan.Zero)</c> or <c>CancelAfter(0)</c>: a cancellation that runs the callbacks off the
    /// calling thread; its timer fires at once and is gone, as after <c>Cancel()</c>.
    /// </summary>
    private static bool IsImmediateCancel(SyntaxToken token) =>
        token.ValueText == "CancelAfter" &&
        token.Parent?.Parent?.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } &&
        arguments[0].Expression switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax literal => literal.Token.ValueText == "0",
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero", Expression: var type } =>
                type is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax { Identifier.ValueText: "TimeSpan" } or
                    Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TimeSpan" },
            _ => false,
        };

    /// <summary>
    /// The member is reached from the variable or member that holds the value (<c>cts.CancelAfter(...)</c>,
    /// <c>_input?.Token.WaitHandle</c>), not from another one of the same type.
    /// </summary>
    private static bool OnHolder(SyntaxToken token, string holder, string typeName)
    {
        var receiver = token.Parent?.Parent switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Expression,
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax binding =>
                binding.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalAccessExpressionSyntax>()?.Expression,
            _ => null,
        };

        // A static member (`BlockingCollection<int>.TakeFromAny(all, ...)`) reaches every value of the type.
        if (receiver is null or Microsoft.CodeAnalysis.CSharp.Syntax.GenericNameSyntax ||
            (receiver is Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple && simple.Identifier.ValueText == typeName))
        {
            return true;
        }

        // `_source?.Token.WaitHandle`: the receiver starts with `.Token`, bound to what the `?.` tests.
        var conditional = receiver.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalAccessExpressionSyntax>();
        return Names(receiver, holder) || (conditional is not null && conditional.WhenNotNull.Span.Contains(receiver.Span) && Names(conditional.Expression, holder));

        static bool Names(SyntaxNode expression, string holder)
        {
            foreach (var name in expression.DescendantTokens())
            {
                if (name.ValueText == holder && name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static bool IsMemberName(SyntaxToken token) =>
        token.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax name &&
        ((name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access && ReferenceEquals(access.Name, name)) ||
         name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax);

    /// <summary>
    /// Interfaces whose implementations need no disposal when a method creates one itself: enumerators implement
    /// IDisposable for iterators' finally blocks, and a hand-made enumerator (often a struct) releases nothing.
    /// </summary>
    internal static readonly ImmutableArray<string> NoDisposalInterfaces = ImmutableArray.Create(
        "System.Collections.IEnumerator");

    /// <summary>
    /// Framework methods that keep a disposable argument although its parameter is not generic:
    /// <c>Timer.Dispose(WaitHandle)</c> signals the handle later, so the caller cannot close it now.
    /// </summary>
    internal static readonly ImmutableArray<string> StoringMethods = ImmutableArray.Create(
        "System.Threading.Timer.Dispose",
        "System.Threading.Timer.DisposeAsync");

    /// <summary>
    /// Calls after which the object disposes itself: a non-modal WinForms form shown with <c>Show()</c> is disposed
    /// by the framework when it is closed (a modal one, shown with <c>ShowDialog()</c>, is not).
    /// </summary>
    internal static readonly ImmutableArray<string> SelfReleasingCalls = ImmutableArray.Create(
        "System.Windows.Forms.Form.Show");

    /// <summary>A call of <see cref="SelfReleasingCalls"/> on an object of that type (or a type derived from it).</summary>
    internal static bool IsSelfReleasingCall(IMethodSymbol method, ITypeSymbol? receiverType)
    {
        // Show() and Show(owner): a form shown without a modal loop closes and disposes itself.
        if (method.Name != "Show" || method.Parameters.Length > 1)
        {
            return false;
        }

        // Form.Show() is Control.Show(): what makes it self-releasing is the receiver being a Form.
        return ShowReleases(receiverType ?? method.ContainingType);
    }

    /// <summary>A type (a WinForms form) on which <c>Show</c> hands the object to its own close, which disposes it.</summary>
    internal static bool ShowReleases(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SelfReleasingCalls.Contains(SymbolNames.MemberKey(current, "Show")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Readers and writers whose only resource is the stream, reader or socket they wrap (their Dispose closes it and frees
    /// nothing of their own). Over a stream the method does not own, a reader needs nothing and a writer needs only
    /// a Flush: disposing either would close a stream that belongs to someone else.
    /// </summary>
    internal static readonly ImmutableArray<(string Type, bool IsWriter)> PureWrappers = ImmutableArray.Create(
        ("System.IO.StreamReader", false),
        ("System.IO.BinaryReader", false),
        ("System.IO.StreamWriter", true),

        // A BinaryWriter writes through to its stream at once; a BufferedStream's buffer is managed memory (a caller
        // that writes through one still has to flush it, which this table does not check).
        ("System.IO.BinaryWriter", false),
        ("System.IO.BufferedStream", false),
        ("System.Net.Http.StreamContent", false),

        // Over a socket: it owns the socket only when told to (ownsSocket: true), and buffers nothing.
        ("System.Net.Sockets.NetworkStream", false),

        // Over a TextReader or TextWriter: Json.NET's reader and writer close it (CloseInput, CloseOutput) and hold
        // nothing else; the same for the XML text reader and writer over one.
        ("Newtonsoft.Json.JsonTextReader", false),
        ("Newtonsoft.Json.JsonTextWriter", true),
        ("System.Xml.XmlTextReader", false),
        ("System.Xml.XmlTextWriter", true),

        // Over a stream: its Dispose writes the final block and closes the stream; it never disposes the transform it
        // is given. Over a stream it must not close, FlushFinalBlock is all it needs.
        ("System.Security.Cryptography.CryptoStream", true),

        // Writes straight through to its inner writer (an indent is all it adds): like a BinaryWriter.
        ("System.CodeDom.Compiler.IndentedTextWriter", false),

        // Over a stream or a buffer writer: its Dispose flushes and returns managed buffers; it never closes the output.
        ("System.Text.Json.Utf8JsonWriter", true),

        // Over a message handler: all they hold is the handler (a factory's handler is the factory's to end).
        ("System.Net.Http.HttpMessageInvoker", false),
        ("System.Net.Http.HttpClient", false));

    /// <summary>
    /// A writer of <see cref="PureWrappers"/> that, made this way, keeps nothing to flush: an XmlTextWriter over a
    /// TextWriter writes straight into it (over a stream it makes a buffering StreamWriter of its own), and a
    /// CryptoStream made to read (<c>CryptoStreamMode.Read</c>, 0) writes nothing.
    /// </summary>
    internal static bool WriterNeedsNoFlush(string wrapper, ITypeSymbol inputType, IObjectCreationOperation construction) =>
        wrapper switch
        {
            "System.Xml.XmlTextWriter" => SymbolNames.FullMetadataName(inputType) == "System.IO.TextWriter",
            "System.Security.Cryptography.CryptoStream" => System.Linq.Enumerable.Any(construction.Arguments, a => a.Parameter?.Type.Name == "CryptoStreamMode" && a.Value.ConstantValue is { HasValue: true, Value: 0 }),
            _ => false,
        };

    /// <summary>Calls that flush the writer they are given before they return (<c>JsonSerializer.Serialize(writer, value)</c>).</summary>
    internal static readonly ImmutableHashSet<string> FlushingCalls = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "System.Text.Json.JsonSerializer.Serialize",

        // Save(TextWriter) writes through an XmlTextWriter it flushes, which flushes the TextWriter; Save(XmlWriter)
        // flushes the writer it is given.
        "System.Xml.XmlDocument.Save");

    /// <summary>
    /// Containers whose Dispose only disposes what was put in them, and the members that put it there: an
    /// <c>HttpRequestMessage</c> holds its <c>Content</c>, a <c>CompositeDisposable</c> what was added. Made empty
    /// and never given anything it would own, a container holds nothing.
    /// </summary>
    internal static readonly ImmutableArray<(string Type, string Fill)> Containers = ImmutableArray.Create(
        ("System.Net.Http.HttpRequestMessage", "Content"),
        ("System.Reactive.Disposables.CompositeDisposable", "Add"));

    /// <summary>
    /// Factories of readers and writers that never close what they are given unless settings say so:
    /// <c>XmlReader.Create(stream)</c> (CloseInput is false by default) holds nothing of its own, and
    /// <c>XmlWriter.Create(stream)</c> needs only a Flush.
    /// </summary>
    internal static readonly ImmutableArray<(string Member, bool IsWriter)> NonOwningWrapperFactories = ImmutableArray.Create(
        ("System.Xml.XmlReader.Create", false),
        ("System.Xml.XmlWriter.Create", true));

    /// <summary>
    /// Calls and properties whose result carries the resources of the object they are called on:
    /// <c>TcpClient.GetStream()</c> returns a stream that owns the client's socket, and <c>TcpClient.Client</c> is
    /// that socket. When that result is stored, returned or given to an owner, the object's resources go with it.
    /// </summary>
    internal static readonly ImmutableArray<string> ResourceViews = ImmutableArray.Create(
        "System.Net.Sockets.TcpClient.GetStream",
        "System.Net.Sockets.TcpClient.Client",
        "System.Net.Sockets.UdpClient.Client",

        // The response stream is the response's connection: closing either one releases it (the documented contract
        // of WebResponse), so `using (var stream = response.GetResponseStream())` ends the response's duty.
        "System.Net.WebResponse.GetResponseStream",
        "System.Net.HttpWebResponse.GetResponseStream",
        "System.Net.FtpWebResponse.GetResponseStream",
        "System.Net.FileWebResponse.GetResponseStream",

        // The same for HttpClient: a response's content is what it holds, and the content's stream is the connection.
        "System.Net.Http.HttpResponseMessage.Content",
        "System.Net.Http.HttpContent.ReadAsStream",
        "System.Net.Http.HttpContent.ReadAsStreamAsync",

        // A Memory<T> made by a memory manager holds the manager itself: it is how a manager is handed out.
        "System.Buffers.MemoryManager`1.Memory");

    /// <summary>The member is one of <see cref="ResourceViews"/>.</summary>
    internal static bool IsResourceView(ISymbol member) =>
        member.ContainingType is { } type && ResourceViews.Contains(SymbolNames.MemberKey(type, member.Name));

    /// <summary>
    /// Calls whose result keeps the object it was called on, and that the object's Dispose would end: an instrument
    /// keeps its meter (<c>Instrument.Meter</c>), and disposing the meter stops every instrument it made. A meter whose
    /// instrument is stored in a member lives as long as that member, on purpose.
    /// </summary>
    internal static readonly ImmutableHashSet<string> ResultsKeepingTheirReceiver = ImmutableHashSet.Create(
        "System.Diagnostics.Metrics.Meter.CreateCounter",
        "System.Diagnostics.Metrics.Meter.CreateUpDownCounter",
        "System.Diagnostics.Metrics.Meter.CreateHistogram",
        "System.Diagnostics.Metrics.Meter.CreateGauge",
        "System.Diagnostics.Metrics.Meter.CreateObservableCounter",
        "System.Diagnostics.Metrics.Meter.CreateObservableUpDownCounter",
        "System.Diagnostics.Metrics.Meter.CreateObservableGauge");

    /// <summary>
    /// Factories called for what they do, not for what they return: <c>Process.Start(url)</c> launches a program (or
    /// opens a document), and the <c>Process</c> it returns holds only the child's process handle, which its
    /// finalizer closes. A result thrown away by such a call is not reported (LEAK002); one kept in a local or a field
    /// is judged as any owned value.
    /// </summary>
    internal static readonly ImmutableHashSet<string> CalledForTheirEffect = ImmutableHashSet.Create(
        "System.Diagnostics.Process.Start");

    /// <summary>
    /// Interface members whose implementation hands what it returns to the caller: the asynchronous programming
    /// model's <c>EndXxx</c> method closes <c>IAsyncResult.AsyncWaitHandle</c>, so an <c>IAsyncResult</c> that returns
    /// its wait handle from it has handed it over.
    /// </summary>
    internal static readonly ImmutableHashSet<string> MembersHandingOverTheirValue = ImmutableHashSet.Create(
        "System.IAsyncResult.AsyncWaitHandle");

    /// <summary>Structs that may hold the object that made them (a <c>Memory&lt;T&gt;</c> over a <c>MemoryManager&lt;T&gt;</c>).</summary>
    internal static readonly ImmutableHashSet<string> ViewsOfTheirSource = ImmutableHashSet.Create(
        "System.Memory`1",
        "System.ReadOnlyMemory`1",
        "System.Buffers.ReadOnlySequence`1");

    /// <summary>
    /// Collections whose enumerator creates a new disposable for every item: each item of
    /// <c>foreach (ManagementObject o in searcher.Get())</c> is a new object that holds a COM reference, the caller's to dispose.
    /// </summary>
    internal static readonly ImmutableArray<string> OwnedItemCollections = ImmutableArray.Create(
        "System.Management.ManagementObjectCollection");

    /// <summary>Methods whose result the caller owns and must dispose (factories). Matched on the declaring type, its base types and its interfaces.</summary>
    internal static readonly ImmutableArray<string> FactoryMethods = ImmutableArray.Create(
        "System.IO.File.Create",
        "System.IO.File.Open",
        "System.IO.File.OpenRead",
        "System.IO.File.OpenWrite",
        "System.IO.File.OpenText",
        "System.IO.File.CreateText",
        "System.IO.File.AppendText",
        "System.IO.File.OpenHandle",
        "System.IO.FileInfo.Create",
        "System.IO.FileInfo.Open",
        "System.IO.FileInfo.OpenRead",
        "System.IO.FileInfo.OpenWrite",
        "System.IO.FileInfo.OpenText",
        "System.IO.FileInfo.CreateText",
        "System.IO.FileInfo.AppendText",
        "System.IO.Compression.ZipFile.Open",
        "System.IO.Compression.ZipFile.OpenRead",
        "System.IO.Compression.ZipArchiveEntry.Open",
        "System.IO.MemoryMappedFiles.MemoryMappedFile.CreateNew",
        "System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile",
        "System.IO.MemoryMappedFiles.MemoryMappedFile.CreateOrOpen",
        "System.IO.MemoryMappedFiles.MemoryMappedFile.OpenExisting",
        "System.IO.MemoryMappedFiles.MemoryMappedFile.CreateViewAccessor",
        "System.IO.MemoryMappedFiles.MemoryMappedFile.CreateViewStream",
        "System.Threading.CancellationTokenSource.CreateLinkedTokenSource",
        "System.Diagnostics.Process.Start",
        "System.Diagnostics.ActivitySource.StartActivity",
        "System.Net.Http.HttpClient.GetAsync",
        "System.Net.Http.HttpClient.PostAsync",
        "System.Net.Http.HttpClient.PutAsync",
        "System.Net.Http.HttpClient.PatchAsync",
        "System.Net.Http.HttpClient.DeleteAsync",
        "System.Net.Http.HttpClient.GetStreamAsync",
        "System.Net.Http.HttpMessageInvoker.SendAsync",
        "System.Net.Http.HttpMessageInvoker.Send",
        "System.Net.WebRequest.GetResponse",
        "System.Net.WebRequest.GetRequestStream",
        "System.Net.Sockets.Socket.Accept",
        "System.Net.Sockets.Socket.AcceptAsync",
        "System.Net.Sockets.TcpListener.AcceptTcpClient",
        "System.Net.Sockets.TcpListener.AcceptTcpClientAsync",
        "System.Net.Sockets.TcpListener.AcceptSocket",
        "System.Net.Sockets.TcpListener.AcceptSocketAsync",
        "System.Data.IDbConnection.CreateCommand",
        "System.Data.IDbConnection.BeginTransaction",
        "System.Data.IDbCommand.ExecuteReader",
        "System.Data.Common.DbConnection.CreateCommand",
        "System.Data.Common.DbConnection.BeginTransaction",
        "System.Data.Common.DbConnection.BeginTransactionAsync",
        "System.Data.Common.DbCommand.ExecuteReader",
        "System.Data.Common.DbCommand.ExecuteReaderAsync",
        "System.Data.Common.DbProviderFactory.CreateConnection",
        "System.Data.Common.DbProviderFactory.CreateCommand",
        "System.Security.Cryptography.HashAlgorithm.Create",
        "System.Security.Cryptography.SHA1.Create",
        "System.Security.Cryptography.SHA256.Create",
        "System.Security.Cryptography.SHA384.Create",
        "System.Security.Cryptography.SHA512.Create",
        "System.Security.Cryptography.MD5.Create",
        "System.Security.Cryptography.IncrementalHash.CreateHash",
        "System.Security.Cryptography.IncrementalHash.CreateHMAC",
        "System.Security.Cryptography.Aes.Create",
        "System.Security.Cryptography.RSA.Create",
        "System.Security.Cryptography.ECDsa.Create",
        "System.Security.Cryptography.ECDiffieHellman.Create",
        "System.Security.Cryptography.RandomNumberGenerator.Create",
        "System.Security.Cryptography.SymmetricAlgorithm.CreateEncryptor",
        "System.Security.Cryptography.SymmetricAlgorithm.CreateDecryptor",
        "System.Security.Cryptography.X509Certificates.X509Certificate2.GetRSAPrivateKey",
        "System.Security.Cryptography.X509Certificates.X509Certificate2.GetRSAPublicKey",
        "System.Security.Cryptography.X509Certificates.X509Certificate2.GetECDsaPrivateKey",
        "System.Security.Cryptography.X509Certificates.X509Certificate2.GetECDsaPublicKey",
        "System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey",
        "System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPublicKey",
        "System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPrivateKey",
        "System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPublicKey",
        "System.Xml.XmlReader.Create",
        "System.Xml.XmlWriter.Create",
        "System.Text.Json.JsonDocument.Parse",
        "System.Text.Json.JsonDocument.ParseAsync",
        "System.Text.Json.JsonDocument.ParseValue",
        "System.Buffers.MemoryPool`1.Rent",
        "System.Activator.CreateInstance",
        "System.Reflection.ConstructorInfo.Invoke",
        "System.Windows.Controls.PasswordBox.get_SecurePassword",
        "System.IObservable`1.Subscribe",
        "System.ObservableExtensions.Subscribe");

    /// <summary>
    /// Methods whose result, once awaited, is the value of one of their arguments (<c>Task.FromResult(x)</c>) or what
    /// the delegate in that argument returns (<c>Task.Run(() =&gt; new X())</c>): member key and argument ordinal.
    /// </summary>
    internal static readonly ImmutableArray<(string Member, int Argument)> ResultCarriers = ImmutableArray.Create(
        ("System.Threading.Tasks.Task.FromResult", 0),
        ("System.Threading.Tasks.ValueTask.FromResult", 0),
        ("System.Threading.Tasks.Task.Run", 0),
        ("System.Threading.Tasks.TaskFactory.StartNew", 0),
        ("System.Threading.Tasks.TaskFactory`1.StartNew", 0));

    /// <summary>
    /// Methods that write their second argument into the first (a ref) and return what the first held:
    /// <c>Interlocked.Exchange(ref field, new X())</c> owns the new value in the variable and hands back the old one.
    /// </summary>
    internal static readonly ImmutableArray<string> ExchangeMethods = ImmutableArray.Create(
        "System.Threading.Interlocked.Exchange");

    /// <summary>The ref argument of an exchange whose new value is its second argument; null for anything else.</summary>
    internal static IArgumentOperation? ExchangedValue(IArgumentOperation location) =>
        location.Parameter is { Ordinal: 0, RefKind: RefKind.Ref } &&
        location.Parent is IInvocationOperation { Arguments.Length: 2 } exchange &&
        exchange.TargetMethod.ContainingType is { } type &&
        ExchangeMethods.Contains(SymbolNames.MemberKey(type, exchange.TargetMethod.Name))
            ? (exchange.Arguments[0].Parameter?.Ordinal == 1 ? exchange.Arguments[0] : exchange.Arguments[1])
            : null;

    /// <summary>An exchange whose result (the variable's old value) the code goes on to use.</summary>
    internal static bool ReturnsOldValue(IArgumentOperation location) =>
        ExchangedValue(location) is not null &&
        location.Parent is { } exchange &&
        Operations.ParentSkippingConversions(exchange, out _) is not (IExpressionStatementOperation or null) and not ISimpleAssignmentOperation { Target: IDiscardOperation };

    /// <summary>The argument whose value a call's awaited result is, for the methods of <see cref="ResultCarriers"/>.</summary>
    internal static int? IsResultCarrier(IMethodSymbol method)
    {
        if (method.ContainingType is not { } type || method.Name is not ("FromResult" or "Run" or "StartNew"))
        {
            return null;
        }

        var key = SymbolNames.MemberKey(type, method.Name);
        foreach (var (member, argument) in ResultCarriers)
        {
            if (member == key)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>Methods and properties whose result is lent: the caller must not dispose it.</summary>
    internal static readonly ImmutableArray<string> LendingMethods = ImmutableArray.Create(
        "System.Net.Sockets.TcpClient.GetStream",
        "System.Net.Http.HttpContent.ReadAsStreamAsync",
        "System.Net.Http.HttpContent.ReadAsStream",
        "System.IServiceProvider.GetService",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService",
        "Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService",
        "System.Buffers.ArrayPool`1.Rent");

    /// <summary>
    /// Constructors and methods that take ownership of a disposable argument and dispose it with themselves,
    /// unless a flag argument says otherwise.
    /// </summary>
    internal static readonly ImmutableArray<OwnershipTransfer> OwnershipTransfers = ImmutableArray.Create(
        OwnershipTransfer.UnlessFlag("System.IO.StreamReader..ctor", "leaveOpen", flagValueThatKeepsOwnership: true),
        OwnershipTransfer.UnlessFlag("System.IO.StreamWriter..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.BinaryReader..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.BinaryWriter..ctor", "leaveOpen", true),
        OwnershipTransfer.Always("System.IO.BufferedStream..ctor"),

        // The thread-safe wrappers dispose what they wrap.
        OwnershipTransfer.Always("System.IO.TextWriter.Synchronized"),
        OwnershipTransfer.Always("System.IO.TextReader.Synchronized"),
        OwnershipTransfer.Always("System.IO.Stream.Synchronized"),
        OwnershipTransfer.UnlessFlag("System.IO.Compression.GZipStream..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.Compression.DeflateStream..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.Compression.BrotliStream..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.Compression.ZLibStream..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.Compression.ZipArchive..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.Security.Cryptography.CryptoStream..ctor", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile", "leaveOpen", true),
        OwnershipTransfer.UnlessFlag("System.Net.Security.SslStream..ctor", "leaveInnerStreamOpen", true),
        OwnershipTransfer.UnlessFlag("System.Net.Security.NegotiateStream..ctor", "leaveInnerStreamOpen", true),
        OwnershipTransfer.OnlyWithFlag("System.Net.Sockets.NetworkStream..ctor", "ownsSocket", flagValueThatTakesOwnership: true),
        OwnershipTransfer.UnlessFlag("System.Net.Http.HttpClient..ctor", "disposeHandler", false),
        OwnershipTransfer.UnlessFlag("System.Net.Http.HttpMessageInvoker..ctor", "disposeHandler", false),
        OwnershipTransfer.Always("System.Net.Http.DelegatingHandler..ctor"),
        OwnershipTransfer.Always("System.Net.Http.StreamContent..ctor"),
        OwnershipTransfer.Always("System.Net.Http.MultipartContent.Add"),
        OwnershipTransfer.Always("System.Net.Http.MultipartFormDataContent.Add"),
        OwnershipTransfer.Always("System.Net.Mail.Attachment..ctor"),
        OwnershipTransfer.Always("System.Net.Mail.AlternateView..ctor"),
        OwnershipTransfer.Always("System.Net.Mail.LinkedResource..ctor"),
        OwnershipTransfer.Always("System.Resources.ResourceReader..ctor"),
        OwnershipTransfer.Always("System.Resources.ResourceWriter..ctor"),
        OwnershipTransfer.Always("System.Resources.ResourceSet..ctor"),
        OwnershipTransfer.Always("System.Xml.XmlTextReader..ctor"),
        OwnershipTransfer.Always("System.Xml.XmlTextWriter..ctor"),
        OwnershipTransfer.Always("System.IO.FileStream..ctor"),

        // A pipe stream built over a SafePipeHandle owns it (its Dispose closes the handle), as a FileStream does.
        OwnershipTransfer.Always("System.IO.Pipes.NamedPipeServerStream..ctor"),
        OwnershipTransfer.Always("System.IO.Pipes.NamedPipeClientStream..ctor"),
        OwnershipTransfer.Always("System.IO.Pipes.AnonymousPipeServerStream..ctor"),
        OwnershipTransfer.Always("System.IO.Pipes.AnonymousPipeClientStream..ctor"),

        // The main form of a message loop is shown modelessly and disposed when it closes, as Show() does.
        OwnershipTransfer.Always("System.Windows.Forms.Application.Run"),

        // A GCHandle roots its target for whoever holds the handle (native code, usually, which frees the handle and
        // ends the target in its destroy callback): the object is handed over with the handle.
        OwnershipTransfer.Always("System.Runtime.InteropServices.GCHandle.Alloc"),

        // A PEReader disposes its stream unless PEStreamOptions.LeaveOpen says otherwise (an enum flag the table
        // cannot read: with it, the caller's stream counts as taken, a miss rather than a false alarm).
        OwnershipTransfer.Always("System.Reflection.PortableExecutable.PEReader..ctor"),

        // Rx's `subscription.DisposeWith(composite)` (and ReactiveUI's older copy) adds the subscription to the
        // composite, which disposes it.
        OwnershipTransfer.Always("System.Reactive.Disposables.Fluent.DisposableExtensions.DisposeWith"),
        OwnershipTransfer.Always("ReactiveUI.DisposableMixins.DisposeWith"));

    /// <summary>What an undisposed instance costs, by the first matching base type; used in messages.</summary>
    internal static readonly ImmutableArray<(string Type, string Consequence)> Consequences = ImmutableArray.Create(
        ("System.IO.FileStream", "its file handle stays open until the finalizer runs"),
        ("System.Net.Http.HttpResponseMessage", "its connection is not returned to the pool until it is collected"),
        ("System.Net.Http.HttpClient", "its connections and sockets stay open"),
        ("System.Net.Http.HttpMessageHandler", "its connections and sockets stay open"),
        ("System.Threading.CancellationTokenSource", "its timer and registrations live until it is collected"),
        ("System.Threading.Timer", "it stays scheduled and keeps its callback alive"),
        ("System.Timers.Timer", "it stays scheduled and keeps its handlers alive"),
        ("System.Diagnostics.Process", "its process handle stays open until the finalizer runs"),
        ("System.Net.Sockets.Socket", "the socket stays open until the finalizer runs"),
        ("System.Net.Sockets.TcpClient", "the socket stays open until the finalizer runs"),
        ("System.Data.Common.DbConnection", "the connection is not returned to the pool"),
        ("System.Data.Common.DbDataReader", "the reader keeps its connection busy"),
        ("System.Data.Common.DbCommand", "the command keeps its resources until it is collected"),
        ("System.Threading.WaitHandle", "its wait handle stays allocated until the finalizer runs"),
        ("System.Threading.SemaphoreSlim", "its wait handle, if one was created, stays allocated"),
        ("System.Threading.ManualResetEventSlim", "its wait handle, if one was created, stays allocated"),
        ("System.Threading.CountdownEvent", "its wait handle, if one was created, stays allocated"),
        ("System.Runtime.InteropServices.SafeHandle", "the handle stays open until the finalizer runs"),
        ("System.IO.Stream", "it and what it wraps stay open until a finalizer runs"),
        ("System.IO.TextReader", "the stream it reads stays open until a finalizer runs"),
        ("System.IO.TextWriter", "its stream stays open, unflushed"),
        ("System.Text.Json.JsonDocument", "its pooled buffers are never returned to the pool"),
        ("System.Security.Cryptography.SymmetricAlgorithm", "its key stays in memory until it is collected"),
        ("System.Security.Cryptography.HashAlgorithm", "its native hash handle stays open until the finalizer runs"),
        ("System.Security.Cryptography.DeriveBytes", "its password stays in memory until it is collected"),
        ("System.Security.Cryptography.AsymmetricAlgorithm", "its native key handle stays open until the finalizer runs"));

    internal const string DefaultConsequence = "what it holds is released only by a finalizer, if it has one";

    /// <summary>A struct has no finalizer: what its Dispose would release is never released.</summary>
    internal const string DefaultValueTypeConsequence = "what its Dispose would release is never released";
}

/// <summary>A constructor or method that takes ownership of its disposable arguments, and the flag parameter that can say otherwise.</summary>
internal sealed class OwnershipTransfer
{
    private OwnershipTransfer(string member, string? flagParameter, bool flagValueThatKeepsOwnership, bool takesByDefault)
    {
        Member = member;
        FlagParameter = flagParameter;
        FlagValueThatKeepsOwnership = flagValueThatKeepsOwnership;
        TakesByDefault = takesByDefault;
    }

    /// <summary><c>Type.Member</c> or <c>Type..ctor</c>.</summary>
    internal string Member { get; }

    /// <summary>A bool parameter (<c>leaveOpen</c>, <c>disposeHandler</c>) that decides whether ownership moves.</summary>
    internal string? FlagParameter { get; }

    /// <summary>The flag value with which the caller keeps ownership.</summary>
    internal bool FlagValueThatKeepsOwnership { get; }

    /// <summary>Whether ownership moves when the flag is not passed.</summary>
    internal bool TakesByDefault { get; }

    internal static OwnershipTransfer Always(string member) => new(member, null, false, takesByDefault: true);

    internal static OwnershipTransfer UnlessFlag(string member, string flagParameter, bool flagValueThatKeepsOwnership) =>
        new(member, flagParameter, flagValueThatKeepsOwnership, takesByDefault: true);

    internal static OwnershipTransfer OnlyWithFlag(string member, string flagParameter, bool flagValueThatTakesOwnership) =>
        new(member, flagParameter, !flagValueThatTakesOwnership, takesByDefault: false);
}
