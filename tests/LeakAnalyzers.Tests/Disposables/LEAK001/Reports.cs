namespace LeakAnalyzers.Tests.Disposables.LEAK001;

using System.Threading.Tasks;
using LeakAnalyzers.Disposables;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.LocalNotDisposedAnalyzer>;

public class Reports
{
    [Fact]
    public Task LeftWhenItsDisposeGuardIsOn() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Runtime.InteropServices;
            public struct Entry : IDisposable
            {
                public int Handle { get; set; }
                public bool IsSet => Handle != 0;
                void IDisposable.Dispose() { if (IsSet) { Native.Release(Handle); Handle = 0; } }
            }
            static class Native
            {
                [DllImport("iokit")] public static extern int Lookup(string path);
                [DllImport("iokit")] public static extern int Release(int entry);
                [DllImport("iokit")] public static extern int Read(int entry);
            }
            static class Uses
            {
                public static int? Read(string path)
                {
                    var entry = [|new Entry { Handle = Native.Lookup(path) }|];
                    if (entry.IsSet)
                    {
                        return Native.Read(entry.Handle);
                    }

                    return null;
                }
            }
            """);

    /// <summary>A finally that disposes only on the side of a null test where the local is null releases nothing;
    /// on the other side it is disposed (the silent twin).</summary>
    [Theory]
    [InlineData("if (s == null) { s?.Dispose(); }", true)]
    [InlineData("if (s is null) { Console.WriteLine(); } else { Console.Write(0); }", true)]
    [InlineData("if (s != null) { s.Dispose(); }", false)]
    [InlineData("if (s is not null) { s.Dispose(); } else { Console.WriteLine(); }", false)]
    [InlineData("try { Console.WriteLine(); } finally { s?.Dispose(); }", false)]
    [InlineData("try { Console.WriteLine(); } catch (Exception) { s?.Dispose(); throw; } finally { s?.Dispose(); }", false)]
    public Task FinallyThatDisposesOnlyWhereTheLocalIsNull(string release, bool reported) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            using System.IO;
            class C
            {
                long M(string p)
                {
                    FileStream s = null;
                    try
                    {
                        s = {{(reported ? "[|new FileStream(p, FileMode.Open)|]" : "new FileStream(p, FileMode.Open)")}};
                        return s.Length;
                    }
                    finally
                    {
                        {{release}}
                    }
                }
            }
            """);

    [Fact]
    public Task NeverDisposed() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                int M(string path)
                {
                    var stream = [|new FileStream(path, FileMode.Open)|];
                    return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task NetworkStreamOwningASocketTheMethodMade() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Net.Sockets;
            class C
            {
                int M(string host)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    socket.Connect(host, 80);
                    var stream = [|new NetworkStream(socket, ownsSocket: true)|];
                    return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task CapturedByLambdasThatOnlyUseIt() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class Sender
            {
                delegate void Outcome(object o);
                void SendInternal(object message, Outcome callback, object state) { }

                public object SendSync(object message, int timeout)
                {
                    var acked = [|new ManualResetEvent(false)|];
                    object outcome = null;
                    Outcome callback = o => { outcome = o; acked.Set(); };
                    SendInternal(message, callback, acked);
                    if (!acked.WaitOne(timeout)) throw new TimeoutException();
                    return outcome;
                }

                public void Accept(CancellationToken server, CancellationToken client)
                {
                    var linked = [|CancellationTokenSource.CreateLinkedTokenSource(server, client)|];
                    _ = Task.Run(() => Task.Delay(1000, linked.Token));
                    _ = Task.Run(() => linked?.Token.IsCancellationRequested == true);
                }
            }
            """);

    [Fact]
    public Task CapturedByLocalFunctionsTheMethodOnlyCalls() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            static class Waiter
            {
                public static async Task<int> WaitAsync(CancellationToken cancellationToken)
                {
                    var tcs = new TaskCompletionSource<int>();
                    var linked = [|CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)|];
                    void OnValue(int v) { linked.Cancel(); tcs.TrySetResult(v); }
                    OnValue(1);
                    return await tcs.Task;
                }

                public static int OnlyReads(string path)
                {
                    var stream = [|File.OpenRead(path)|];
                    int Read() => stream.ReadByte();
                    return Read();
                }

                public static int ClosedByALocalFunction(string path)
                {
                    var stream = File.OpenRead(path);
                    int Read() => stream.ReadByte();
                    void Close() => stream.Dispose();
                    var first = Read();
                    Close();
                    return first;
                }

                public static Func<int> TurnedIntoADelegate(string path)
                {
                    var stream = File.OpenRead(path);
                    int Read() => stream.ReadByte();
                    return Read;
                }

                public static void PassedOnByALocalFunction(string path, Action<Stream> keep)
                {
                    var stream = File.OpenRead(path);
                    void Give() => keep(stream);
                    Give();
                }
            }
            """);

    [Fact]
    public Task MessageNamesTheLocalAndTheConsequence() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class C
            {
                int M(string path)
                {
                    var stream = {|#0:new FileStream(path, FileMode.Open)|};
                    return stream.ReadByte();
                }
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK001LocalNotDisposed).WithLocation(0)
                .WithMessage("'stream' is created here and never disposed; its file handle stays open until the finalizer runs"));

    [Fact]
    public Task DisposedOnOneBranchOnly() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class C
            {
                void M(bool flag)
                {
                    var source = {|#0:new CancellationTokenSource(5000)|};
                    if (flag)
                    {
                        source.Dispose();
                    }
                }
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK001LocalNotDisposed).WithLocation(0)
                .WithMessage("'source' is created here and not disposed on every path; its timer and registrations live until it is collected"));

    [Fact]
    public Task DisposedOnlyInCatch() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                int M(string path)
                {
                    var stream = [|new FileStream(path, FileMode.Open)|];
                    try
                    {
                        return stream.ReadByte();
                    }
                    catch (IOException)
                    {
                        stream.Dispose();
                        throw;
                    }
                }
            }
            """);

    [Fact]
    public Task EarlyReturnWithoutDispose() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                int M(string path, bool skip)
                {
                    var stream = [|new FileStream(path, FileMode.Open)|];
                    if (skip)
                    {
                        return 0;
                    }

                    var b = stream.ReadByte();
                    stream.Dispose();
                    return b;
                }
            }
            """);

    [Fact]
    public Task CreatedInLoopAndNotDisposed() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                void M(string[] paths)
                {
                    foreach (var path in paths)
                    {
                        var stream = [|File.OpenRead(path)|];
                        stream.ReadByte();
                    }
                }
            }
            """);

    [Fact]
    public Task WrapperWithLeaveOpenDoesNotTakeOwnership() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Text;
            class C
            {
                string M(string path)
                {
                    var stream = [|new FileStream(path, FileMode.Open)|];
                    using var reader = new StreamReader(stream, Encoding.UTF8, true, 1024, leaveOpen: true);
                    return reader.ReadToEnd();
                }
            }
            """);

    [Fact]
    public Task HandlerKeptByClientWithDisposeHandlerFalse() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            class C
            {
                HttpClient M()
                {
                    var handler = [|new HttpClientHandler()|];
                    return new HttpClient(handler, disposeHandler: false);
                }
            }
            """);

    [Fact]
    public Task KnownFactoryResult() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(HttpClient client)
                {
                    var response = [|await client.GetAsync("https://example.com", HttpCompletionOption.ResponseHeadersRead)|];
                    return await response.Content.ReadAsStringAsync();
                }
            }
            """);

    [Fact]
    public Task SourceFactoryResult() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                Stream Open(string path) => new FileStream(path, FileMode.Open);

                int M(string path)
                {
                    var stream = [|Open(path)|];
                    return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task MustDisposeResourceAttributeByName() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            sealed class MustDisposeResourceAttribute : Attribute { }
            sealed class Lease : IDisposable { public void Dispose() { } }
            class Pool
            {
                [MustDisposeResource]
                public Lease Take() => Lease();
                Lease Lease() => null;
            }
            class C
            {
                void M(Pool pool)
                {
                    var lease = [|pool.Take()|];
                }
            }
            """);

    [Fact]
    public Task ConditionalCreationOrNull() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                void M(string path, bool open)
                {
                    var stream = [|open ? new FileStream(path, FileMode.Open) : null|];
                    stream?.ReadByte();
                }
            }
            """);

    [Fact]
    public Task PassedOnlyToABorrowingFrameworkMethod() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                void M(string path, Stream destination)
                {
                    var source = [|File.OpenRead(path)|];
                    source.CopyTo(destination);
                }
            }
            """);

    [Fact]
    public Task InsideLambda() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            class C
            {
                Func<int> M(string path) => () =>
                {
                    var stream = [|new FileStream(path, FileMode.Open)|];
                    return stream.ReadByte();
                };
            }
            """);

    [Fact]
    public Task InsideLocalFunction() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                int M(string path)
                {
                    return Read();

                    int Read()
                    {
                        var stream = [|new FileStream(path, FileMode.Open)|];
                        return stream.ReadByte();
                    }
                }
            }
            """);

    [Fact]
    public Task CreatedInCatchHandler() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            class C
            {
                void M(string path)
                {
                    try
                    {
                        Console.WriteLine(path);
                    }
                    catch (Exception)
                    {
                        var log = [|File.AppendText("error.log")|];
                        log.WriteLine(path);
                    }
                }
            }
            """);

    [Fact]
    public Task TopLevelStatements() =>
        new Verify.Test
        {
            TestState = { OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication },
            TestCode = """
                using System.IO;
                var stream = [|File.OpenRead("data.bin")|];
                System.Console.WriteLine(stream.ReadByte());
                """,
        }.RunAsync();

    [Fact]
    public Task UserFactoryFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                namespace Shop
                {
                    class Connections
                    {
                        Stream cached = Stream.Null;
                        public Stream Open() => cached;
                    }

                    class C
                    {
                        void M(Connections connections)
                        {
                            var connection = [|connections.Open()|];
                            connection.ReadByte();
                        }
                    }
                }
                """,
            EditorConfig = """
                root = true
                [*.cs]
                leak_analyzers.factory_methods = Shop.Connections.Open
                """,
        }.RunAsync();

    [Fact]
    public Task ExtensionReceiverIsBorrowedUnlessConfiguredAsTransfer() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            static class Janitor { public static void Adopt(this Stream stream) { } }
            class C
            {
                void M(string path) { var s = [|File.OpenRead(path)|]; s.Adopt(); }
            }
            """);

    [Fact]
    public Task BorrowingMethodFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                namespace Shop
                {
                    static class Inspector { public static void Inspect(Stream stream) { } }
                    class C
                    {
                        void M(string path) { var s = [|File.OpenRead(path)|]; Inspector.Inspect(s); }
                    }
                }
                """,
            EditorConfig = """
                root = true
                [*.cs]
                leak_analyzers.borrowing_methods = Shop.Inspector.Inspect
                """,
        }.RunAsync();

    [Fact]
    public Task SeverityFromEditorConfig() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    void M(string path)
                    {
                        var stream = {|#0:File.OpenRead(path)|};
                    }
                }
                """,
            ExpectedDiagnostics = { Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK001LocalNotDisposed).WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .WithArguments("stream", "never disposed", "its file handle stays open until the finalizer runs") },
            EditorConfig = """
                root = true
                [*.cs]
                dotnet_diagnostic.LEAK001.severity = error
                """,
        }.RunAsync();

    [Fact]
    public Task BodyTooLargeForAGraphStillReportsWhatNoPathDisposes()
    {
        // About 3,000 locals of 12 operations each: over FlowBudget.MaxOperations, so no control-flow graph is built.
        // Locals disposed on one path only are not judged there; locals never disposed are still reported.
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            if (i % 1000 == 0)
            {
                body.Append($"        var leak{i} = [|new FileStream(path, FileMode.Open)|];\n        leak{i}.ReadByte();\n");
                body.Append($"        var branch{i} = new FileStream(path, FileMode.Open);\n        if (flag) {{ branch{i}.Dispose(); }}\n");
            }
            else
            {
                body.Append($"        var s{i} = new FileStream(path, FileMode.Open);\n        s{i}.ReadByte();\n        s{i}.Dispose();\n");
            }
        }

        Assert.True(LeakAnalyzers.Shared.FlowBudget.MaxOperations < 3000 * 12);
        return new Verify.Test
        {
            TestCode = "using System.IO;\nclass C\n{\n    void M(string path, bool flag)\n    {\n" + body + "    }\n}\n",

            // The generated-code and #pragma reruns compile the large body twice more and check nothing new here.
            TestBehaviors = Microsoft.CodeAnalysis.Testing.TestBehaviors.SkipGeneratedCodeCheck | Microsoft.CodeAnalysis.Testing.TestBehaviors.SkipSuppressionCheck,
        }.RunAsync();
    }
    [Fact]
    public Task SafeHandleReturnedByANativeImport() =>
        // SteamKit's IORegistryEntryCreateCFProperty: the marshaller makes a new handle object that owns what it wraps.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Runtime.InteropServices;
            using Microsoft.Win32.SafeHandles;
            class CFTypeRef : SafeHandle
            {
                public CFTypeRef() : base(IntPtr.Zero, ownsHandle: true) { }
                protected override bool ReleaseHandle() => Native.CFRelease(handle) == 0;
                public override bool IsInvalid => handle == IntPtr.Zero;
            }
            class Borrowed : SafeHandle
            {
                public Borrowed() : base(IntPtr.Zero, false) { }
                protected override bool ReleaseHandle() => true;
                public override bool IsInvalid => handle == IntPtr.Zero;
            }
            static class Native
            {
                [DllImport("CoreFoundation")] public static extern int CFRelease(IntPtr h);
                [DllImport("IOKit")] public static extern CFTypeRef IORegistryEntryCreateCFProperty(uint entry, IntPtr key, IntPtr allocator, uint options);
                [DllImport("IOKit")] public static extern Borrowed IORegistryEntryGetName(uint entry);
                [DllImport("CoreFoundation")] public static extern int CFStringGetLength(CFTypeRef s);
                [DllImport("CoreFoundation")] public static extern int CFStringGetLength(Borrowed s);
                [DllImport("kernel32")] public static extern SafeFileHandle CreateFileW(string name, uint access, uint share, IntPtr security, uint mode, uint flags, IntPtr template);
            }
            class Probe
            {
                int Serial(uint entry, IntPtr key)
                {
                    var value = [|Native.IORegistryEntryCreateCFProperty(entry, key, IntPtr.Zero, 0)|];
                    return Native.CFStringGetLength(value);
                }

                int Name(uint entry) => Native.CFStringGetLength(Native.IORegistryEntryGetName(entry));

                int Disposed(uint entry, IntPtr key)
                {
                    using var value = Native.IORegistryEntryCreateCFProperty(entry, key, IntPtr.Zero, 0);
                    return Native.CFStringGetLength(value);
                }

                bool Opened(string name)
                {
                    var handle = [|Native.CreateFileW(name, 0, 0, IntPtr.Zero, 3, 0, IntPtr.Zero)|];
                    return handle.IsInvalid;
                }
            }
            """);
}
