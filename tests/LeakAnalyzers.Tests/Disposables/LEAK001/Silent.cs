namespace LeakAnalyzers.Tests.Disposables.LEAK001;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.LocalNotDisposedAnalyzer>;

/// <summary>What LEAK001 must not report: disposal on every path, hand-overs, borrowed values, things that need no disposal.</summary>
public class Silent
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task PipeStreamTakesTheHandleItIsGiven() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO.Pipes;
            using Microsoft.Win32.SafeHandles;
            class Server
            {
                static SafePipeHandle Open(IntPtr raw) => new SafePipeHandle(raw, true);

                public NamedPipeServerStream Create(IntPtr raw)
                {
                    var handle = Open(raw);
                    var pipe = new NamedPipeServerStream(PipeDirection.InOut, true, false, handle);
                    handle = null;
                    return pipe;
                }
            }
            """);

    [Fact]
    public Task SafeHandleLeftOnlyWhenItIsInvalid() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            using System.Runtime.InteropServices;
            using Microsoft.Win32.SafeHandles;
            public sealed class SnapshotHandle : SafeHandleZeroOrMinusOneIsInvalid
            {
                private SnapshotHandle() : base(true) { }
                protected override bool ReleaseHandle() => Native.CloseHandle(handle);
            }
            static class Native
            {
                [DllImport("kernel32.dll")] public static extern SnapshotHandle CreateToolhelp32Snapshot(uint flags, int pid);
                [DllImport("kernel32.dll")] public static extern bool CloseHandle(IntPtr h);
                [DllImport("kernel32.dll")] public static extern bool Module32First(SnapshotHandle h, ref int entry);
            }
            static class Modules
            {
                public static IEnumerable<int> Of(int processId)
                {
                    var entry = 0;
                    var snapshot = Native.CreateToolhelp32Snapshot(0x8, processId);
                    if (snapshot.IsInvalid)
                    {
                        yield break;
                    }

                    using (snapshot)
                    {
                        if (Native.Module32First(snapshot, ref entry)) yield return entry;
                    }
                }
            }
            """);

    [Fact]
    public Task LeftOnlyWhenEqualToASentinelOrWhenItsDisposeGuardIsOff() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Runtime.InteropServices;
            using Microsoft.Win32.SafeHandles;
            public sealed class Device : SafeHandleZeroOrMinusOneIsInvalid
            {
                private Device() : base(true) { }
                private Device(IntPtr h, bool owns) : base(owns) { SetHandle(h); }
                public static Device Zero => new Device(IntPtr.Zero, false);
                protected override bool ReleaseHandle() { Native.Unref(handle); return true; }
                public override bool Equals(object o) => o is Device d && d.handle == handle;
                public override int GetHashCode() => handle.GetHashCode();
                public static bool operator ==(Device a, Device b) => a is null ? b is null : b is not null && a.handle == b.handle;
                public static bool operator !=(Device a, Device b) => !(a == b);
            }
            public struct Entry : IDisposable
            {
                public int Handle { get; set; }
                public bool IsSet => Handle != 0;
                void IDisposable.Dispose() { if (IsSet) { Native.Release(Handle); Handle = 0; } }
            }
            static class Native
            {
                [DllImport("usb")] public static extern Device Parent(IntPtr device);
                [DllImport("usb")] public static extern void Unref(IntPtr device);
                [DllImport("iokit")] public static extern int Lookup(string path);
                [DllImport("iokit")] public static extern int Release(int entry);
                [DllImport("iokit")] public static extern int Read(int entry);
            }
            public sealed class Usb : IDisposable
            {
                private readonly Device device;
                private Usb(Device device) { this.device = device; }
                public void Dispose() => device.Dispose();
                public static Usb Parent(IntPtr self)
                {
                    var parent = Native.Parent(self);
                    if (parent == Device.Zero)
                    {
                        return null;
                    }

                    return new Usb(parent);
                }

                public static int? Read(string path)
                {
                    var entry = new Entry { Handle = Native.Lookup(path) };
                    if (!entry.IsSet)
                    {
                        return null;
                    }

                    using (entry)
                    {
                        return Native.Read(entry.Handle);
                    }
                }
            }
            """);

    [Fact]
    public Task SemaphoreSlimWhoseWaitHandleIsNeverRead() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            class Worker
            {
                public void Run()
                {
                    var gate = new SemaphoreSlim(1);
                    gate.Wait();
                    gate.Release();
                }
            }
            """);

    [Theory]
    [InlineData("ActivityOnlyStops", "void M() { var activity = new System.Diagnostics.Activity(\"work\"); activity.Start(); }")]
    [InlineData("UnmanagedMemoryStreamOverBorrowedMemory", "unsafe int M(byte* p, int n) { var s = new UnmanagedMemoryStream(p, n); var r = new BinaryReader(s); return r.ReadByte(); }")]
    [InlineData("WebClientKeepsNothingBetweenCalls", "string M(string url) { var client = new System.Net.WebClient(); return client.DownloadString(url); }")]
    [InlineData("RandomNumberGeneratorHoldsNoHandle", "int M() { var rng = System.Security.Cryptography.RandomNumberGenerator.Create(); var b = new byte[4]; rng.GetBytes(b); return b[0]; }")]
    [InlineData("UsingDeclaration", "int M(string p) { using var s = new FileStream(p, FileMode.Open); return s.ReadByte(); }")]
    [InlineData("UsingStatement", "int M(string p) { using (var s = new FileStream(p, FileMode.Open)) { return s.ReadByte(); } }")]
    [InlineData("UsingExistingLocal", "int M(string p) { var s = new FileStream(p, FileMode.Open); using (s) { return s.ReadByte(); } }")]
    [InlineData("AwaitUsing", "async Task M(string p) { await using var s = new FileStream(p, FileMode.Open); await s.WriteAsync(new byte[1]); }")]
    [InlineData("TryFinally", "int M(string p) { var s = new FileStream(p, FileMode.Open); try { return s.ReadByte(); } finally { s.Dispose(); } }")]
    [InlineData("TryFinallyNullConditional", "int M(string p) { FileStream s = null; try { s = new FileStream(p, FileMode.Open); return s.ReadByte(); } finally { s?.Dispose(); } }")]
    [InlineData("TryFinallyDisposeAsync", "async Task M(string p) { var s = new FileStream(p, FileMode.Open); try { await s.WriteAsync(new byte[1]); } finally { await s.DisposeAsync(); } }")]
    [InlineData("DisposedOnEveryBranch", "int M(string p, bool b) { var s = new FileStream(p, FileMode.Open); if (b) { s.Dispose(); return 0; } s.Close(); return 1; }")]
    [InlineData("DisposedInLoop", "void M(string[] ps) { foreach (var p in ps) { var s = new FileStream(p, FileMode.Open); s.ReadByte(); s.Dispose(); } }")]
    [InlineData("NullCheckedConditional", "void M(string p, bool b) { var s = b ? new FileStream(p, FileMode.Open) : null; if (s != null) { s.Dispose(); } }")]
    [InlineData("IsNotNullPattern", "void M(string p, bool b) { var s = b ? new FileStream(p, FileMode.Open) : null; if (s is not null) { s.Dispose(); } }")]
    [InlineData("ConditionalUnderUsing", "void M(string p, bool b) { using var s = b ? new FileStream(p, FileMode.Open) : null; }")]
    [InlineData("ThrowPathIsNotFollowed", "int M(string p, bool b) { var s = new FileStream(p, FileMode.Open); if (b) throw new InvalidOperationException(); s.Dispose(); return 1; }")]
    [InlineData("Returned", "Stream M(string p) { var s = new FileStream(p, FileMode.Open); return s; }")]
    [InlineData("ReturnedInTuple", "(Stream, int) M(string p) { var s = new FileStream(p, FileMode.Open); return (s, 1); }")]
    [InlineData("YieldReturned", "IEnumerable<Stream> M(string p) { var s = new FileStream(p, FileMode.Open); yield return s; }")]
    [InlineData("StoredInField", "Stream f; void M(string p) { var s = new FileStream(p, FileMode.Open); f = s; }")]
    [InlineData("StoredInCollection", "List<Stream> l = new(); void M(string p) { var s = new FileStream(p, FileMode.Open); l.Add(s); }")]
    [InlineData("StoredInDictionaryIndexer", "Dictionary<string, Stream> d = new(); void M(string p) { var s = new FileStream(p, FileMode.Open); d[p] = s; }")]
    [InlineData("OutParameter", "void M(string p, out Stream o) { var s = new FileStream(p, FileMode.Open); o = s; }")]
    [InlineData("ObjectInitializerProperty", "class H { public Stream S { get; set; } } H M(string p) { var s = new FileStream(p, FileMode.Open); return new H { S = s }; }")]
    [InlineData("WrapperTakesOwnership", "string M(string p) { var s = new FileStream(p, FileMode.Open); using var r = new StreamReader(s); return r.ReadToEnd(); }")]
    [InlineData("HttpClientTakesHandler", "HttpClient M() { var h = new HttpClientHandler(); return new HttpClient(h); }")]
    [InlineData("PassedToSourceMethodThatKeepsIt", "System.Collections.Generic.List<Stream> kept = new(); void Keep(Stream s) { kept.Add(s); } void M(string p) { var s = new FileStream(p, FileMode.Open); Keep(s); }")]
    [InlineData("PassedToSourceConstructor", "sealed class W : IDisposable { readonly Stream s; public W(Stream s) { this.s = s; } public void Dispose() => s.Dispose(); } W M(string p) { var s = new FileStream(p, FileMode.Open); return new W(s); }")]
    [InlineData("CapturedByLambda", "Action M(string p) { var s = new FileStream(p, FileMode.Open); return () => s.Dispose(); }")]
    [InlineData("CapturedByLambdaThatDisposesIt", "void M(CancellationToken a, CancellationToken b) { var l = CancellationTokenSource.CreateLinkedTokenSource(a, b); _ = Task.Run(async () => { try { await Task.Delay(1, l.Token); } finally { l.Dispose(); } }); }")]
    [InlineData("CapturedByLambdaReturned", "Func<string, Task<string>> M() { var h = new HttpClient(); return u => h.GetStringAsync(u); }")]
    [InlineData("CapturedByLambdaReturnedThroughALocal", "Func<string, Task<string>> M() { var h = new HttpClient(); Func<string, Task<string>> f = u => h.GetStringAsync(u); return f; }")]
    [InlineData("CapturedByLambdaStoredInAField", "Action a; void M() { var h = new HttpClient(); a = () => h.CancelPendingRequests(); }")]
    [InlineData("CapturedByLambdaThatPassesItOn", "void Take(Stream s) { } void M(string p) { var s = new FileStream(p, FileMode.Open); _ = Task.Run(() => Take(s)); }")]
    [InlineData("GivenToTaskCompletionSource", "void M(string p, TaskCompletionSource<Stream> t) { var s = new FileStream(p, FileMode.Open); t.SetResult(s); }")]
    [InlineData("InterlockedExchangeIntoField", "Stream f; void M(string p) { var s = new FileStream(p, FileMode.Open); Interlocked.Exchange(ref f, s)?.Dispose(); }")]
    [InlineData("TimerStateArgument", "Timer timer; void M(string p) { var s = new FileStream(p, FileMode.Open); timer = new Timer(o => ((Stream)o).Dispose(), s, 100, Timeout.Infinite); }")]
    [InlineData("Task", "void M() { var t = Task.Run(() => { }); t.Wait(); }")]
    [InlineData("TaskOfADisposableNotAwaited", "int M(string p) { var t = Task.Run(() => new FileStream(p, FileMode.Open)); return t.Id; }")]
    [InlineData("MemoryStream", "byte[] M() { var s = new MemoryStream(); s.WriteByte(1); return s.ToArray(); }")]
    [InlineData("StringWriter", "string M() { var w = new StringWriter(); w.Write(1); return w.ToString(); }")]
    [InlineData("Parameter", "int M(Stream s) { var local = s; return local.ReadByte(); }")]
    [InlineData("LentByServiceProvider", "object M(IServiceProvider sp) { var s = (IDisposable)sp.GetService(typeof(IDisposable)); return s; }")]
    [InlineData("LentByTcpClient", "int M(System.Net.Sockets.TcpClient c) { var s = c.GetStream(); return s.ReadByte(); }")]
    [InlineData("HandedToNativeCodeThroughAGCHandle", "IntPtr M(string p) { var s = new FileStream(p, FileMode.Open); return System.Runtime.InteropServices.GCHandle.ToIntPtr(System.Runtime.InteropServices.GCHandle.Alloc(s)); }")]
    [InlineData("HandedToNativeCodeThroughAHelperThatAllocatesAGCHandle", "static IntPtr ToHandle(object o) => System.Runtime.InteropServices.GCHandle.ToIntPtr(System.Runtime.InteropServices.GCHandle.Alloc(o)); IntPtr M(string p) { var s = new FileStream(p, FileMode.Open); return ToHandle(s); }")]
    [InlineData("NetworkStreamNotOwningItsSocket", "int M(System.Net.Sockets.Socket socket) { var s = new System.Net.Sockets.NetworkStream(socket, false); return s.ReadByte(); }")]
    [InlineData("NetworkStreamOverABorrowedSocket", "int M(System.Net.Sockets.Socket socket) { var s = new System.Net.Sockets.NetworkStream(socket); return s.ReadByte(); }")]
    [InlineData("NonFactoryMethodResult", "Stream f = Stream.Null; Stream Get() => f; int M() { var s = Get(); return s.ReadByte(); }")]
    [InlineData("StructEnumerator", "struct E : IEnumerator<int> { public int Current => 0; object System.Collections.IEnumerator.Current => 0; public bool MoveNext() => false; public void Reset() { } public void Dispose() { } } void M() { var e = new E(); while (e.MoveNext()) { } }")]
    [InlineData("TimerDisposeWithWaitHandle", "void M(Timer t) { var h = new ManualResetEvent(false); if (t.Dispose(h) && !h.WaitOne(100)) { return; } h.Close(); }")]
    [InlineData("SwallowedExceptionPath", "Dictionary<string, IDisposable> d = new(); void M(string p) { try { var s = new FileStream(p, FileMode.Open); lock (d) { d[p] = s; } } catch (IOException) { } }")]
    public Task DoesNotReport(string name, string member)
    {
        Assert.NotNull(name);
        return Verify.VerifyAnalyzerAsync(Usings + "class C { " + member + " }");
    }

    [Fact]
    public Task CapturedByACallbackACalleeKeepsForGood() =>
        // LLamaSharp's native log callback: the builder must live as long as the callback the static field keeps.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Text;
            using System.Threading;
            public delegate void LogCallback(int level, string message);
            public static class NativeLog
            {
                private static LogCallback stored;
                public static void SetCallback(LogCallback callback) => stored = callback;
                public static void Run(LogCallback callback) => callback(0, "once");
                public static void UseLogger(Action<string> sink)
                {
                    var builder = new ThreadLocal<StringBuilder>(() => new StringBuilder());
                    SetCallback((level, message) => sink(builder.Value.Append(message).ToString()));
                }
                public static void LogOnce(Action<string> sink)
                {
                    var builder = [|new ThreadLocal<StringBuilder>(() => new StringBuilder())|];
                    Run((level, message) => sink(builder.Value.Append(message).ToString()));
                }
            }
            """);

    [Fact]
    public Task CapturedByACallbackRootedByAGCHandleOrKeptUntilReplaced() =>
        // A native log callback rooted by a static GCHandle that the next SetCallback frees: until then the builder
        // must live as long as the callback. A weak handle roots nothing.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Runtime.InteropServices;
            using System.Text;
            using System.Threading;
            public delegate void LogCallback(int level, string message);
            public static class NativeLog
            {
                private static GCHandle? current;
                private static GCHandle weak;
                private static LogCallback last;
                public static void SetCallback(LogCallback callback)
                {
                    current?.Free();
                    current = null;
                    if (callback != null)
                        current = GCHandle.Alloc(callback);
                }
                public static void Replace(LogCallback callback)
                {
                    last = callback;
                }
                public static void Clear() => last = null;
                public static void Watch(LogCallback callback) => weak = GCHandle.Alloc(callback, GCHandleType.Weak);
                public static void UseLogger(Action<string> sink)
                {
                    var builder = new ThreadLocal<StringBuilder>(() => new StringBuilder());
                    SetCallback((level, message) => sink(builder.Value.Append(message).ToString()));
                }
                public static void UseReplaced(Action<string> sink)
                {
                    var builder = new ThreadLocal<StringBuilder>(() => new StringBuilder());
                    Replace((level, message) => sink(builder.Value.Append(message).ToString()));
                }
                public static void UseWeak(Action<string> sink)
                {
                    var builder = [|new ThreadLocal<StringBuilder>(() => new StringBuilder())|];
                    Watch((level, message) => sink(builder.Value.Append(message).ToString()));
                }
            }
            """);

    [Fact]
    public Task ReleasedThroughAPublicDisposeOverload() =>
        // ClickHouseClient's session: Dispose() and DisposeAsync() both call the public Dispose(bool async).
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            public sealed class Session : IDisposable, IAsyncDisposable
            {
                private readonly Stream stream = File.OpenRead("session");
                public void Dispose() => Dispose(false).AsTask().GetAwaiter().GetResult();
                public ValueTask DisposeAsync() => Dispose(true);
                public async ValueTask Dispose(bool async) { if (async) await stream.DisposeAsync(); else stream.Dispose(); }
                public int Read() => stream.ReadByte();
            }
            static class Client
            {
                public static async Task<int> Execute(bool async)
                {
                    var session = new Session();
                    try { return session.Read(); }
                    finally { await session.Dispose(async); }
                }
            }
            """);

    [Fact]
    public Task AReaderOverAStreamTheMethodDisposesInAFinally() =>
        // Disqord's REST client: the stream is disposed in the finally around the reader made over it.
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Text;
            using System.Threading.Tasks;
            static class Client
            {
                static async Task<Stream> OpenAsync(string path) { await Task.Yield(); return File.OpenRead(path); }
                public static async Task<string> ReadAsync(string path, bool text)
                {
                    var stream = await OpenAsync(path);
                    try
                    {
                        if (text)
                        {
                            var reader = new StreamReader(stream, Encoding.UTF8);
                            return await reader.ReadToEndAsync();
                        }

                        return stream.ReadByte().ToString();
                    }
                    finally
                    {
                        await stream.DisposeAsync();
                    }
                }
            }
            """);

    [Fact]
    public Task TheOnlyMemberItsDisposeReleasesIsHandedOver() =>
        // ImageSharp: a frame whose Dispose only disposes its PixelBuffer returns that buffer; a buffer whose Dispose
        // only disposes its memory group gives the group to the image that will own it.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            public sealed class MemoryGroup : IDisposable { private readonly Stream s = File.OpenRead("m"); public void Dispose() => s.Dispose(); }
            public sealed class Buffer2D : IDisposable
            {
                public MemoryGroup Group { get; } = new MemoryGroup();
                public int Width;
                public void Dispose() => Group.Dispose();
            }
            public sealed class Frame : IDisposable
            {
                public Buffer2D PixelBuffer { get; } = new Buffer2D();
                public void Dispose() => PixelBuffer.Dispose();
            }
            public sealed class Image : IDisposable
            {
                private readonly MemoryGroup group;
                public Image(MemoryGroup group) => this.group = group;
                public void Dispose() => group.Dispose();
            }
            static class Decoder
            {
                public static Buffer2D Decode() { var frame = new Frame(); return frame.PixelBuffer; }
                public static Image Load() { var buffer = new Buffer2D(); return new Image(buffer.Group); }
                public static int Width() { var buffer = [|new Buffer2D()|]; return buffer.Width; }
            }
            """);

    [Fact]
    public Task HandlesResourceDisposalAttributeByName() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            sealed class HandlesResourceDisposalAttribute : Attribute { }
            class Registry
            {
                public void Track([HandlesResourceDisposal] IDisposable item) { }
            }
            class C
            {
                void M(Registry registry, string path)
                {
                    var stream = new FileStream(path, FileMode.Open);
                    registry.Track(stream);
                }
            }
            """);

    [Fact]
    public Task NoDisposalTypeFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                namespace Shop
                {
                    sealed class InMemoryLog : System.IDisposable { public void Dispose() { } }
                    class C
                    {
                        void M() { var log = new InMemoryLog(); }
                    }
                }
                """,
            EditorConfig = """
                root = true
                [*.cs]
                leak_analyzers.LEAK001.no_disposal_types = Shop.InMemoryLog
                """,
        }.RunAsync();

    [Fact]
    public Task OwnershipTransferFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                namespace Shop
                {
                    static class Janitor { public static void Adopt(this Stream stream) { } }
                    class C
                    {
                        void M(string path) { var s = File.OpenRead(path); s.Adopt(); }
                    }
                }
                """,
            EditorConfig = """
                root = true
                [*.cs]
                leak_analyzers.ownership_transfer_methods = Shop.Janitor.Adopt
                """,
        }.RunAsync();

    [Fact]
    public Task SeverityNoneSilences() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C { void M(string p) { var s = File.OpenRead(p); } }
                """,
            EditorConfig = """
                root = true
                [*.cs]
                dotnet_diagnostic.LEAK001.severity = none
                """,
        }.RunAsync();
}
