namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>Framework calls with ownership rules of their own.</summary>
public class KnownCalls
{
    private const string Forms = """
        namespace System.Windows.Forms
        {
            public class Control : System.IDisposable
            {
                public void Show() { }
                protected virtual void DestroyHandle() { }
                public void Dispose() => System.GC.SuppressFinalize(this);
                ~Control() { }
            }

            public class Form : Control
            {
                public System.Windows.Forms.DialogResult ShowDialog() => default;
            }

            public enum DialogResult { None }
        }
        """;

    [Fact]
    public Task ShownFormDisposesItselfWhenClosed() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                using System.Windows.Forms;
                class C
                {
                    void Open()
                    {
                        var form = new Form();
                        form.Show();
                    }

                    void OpenMain()
                    {
                        // Show is declared on Control: a form shown still closes and disposes itself.
                        var main = new MainForm();
                        main.Show();
                    }

                    void Ask()
                    {
                        var dialog = {|LEAK001:new Form()|};
                        dialog.ShowDialog();
                    }

                    void ShowAControl()
                    {
                        var control = {|LEAK001:new Control()|};
                        control.Show();
                    }

                    void OpenThroughAHelper(Presenter presenter)
                    {
                        var form = new MainForm();
                        presenter.Present(form);
                    }

                    void OnlyNamedByAHelper(Presenter presenter)
                    {
                        var form = {|LEAK001:new MainForm()|};
                        presenter.Name(form);
                    }

                    DialogResult AskModal() => new Modal().ShowDialog();
                }

                sealed class MainForm : Form { }

                sealed class Modal : Form
                {
                    protected override void DestroyHandle() { base.DestroyHandle(); Dispose(); }
                }

                sealed class Presenter
                {
                    public void Present(Form form) => form.Show();
                    public string Name(Form form) => form.ToString();
                }
                """,
                ("Forms.cs", Forms),
            },
        },
    }.RunAsync();

    [Fact]
    public Task ResourcesThatLeaveThroughAStreamThatOwnsThem() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Sockets;
        sealed class CrossPlatformSocket : IDisposable
        {
            private readonly Socket socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            public Stream GetStream() => new NetworkStream(socket, ownsSocket: true);
            public void Dispose() => socket.Dispose();
        }
        sealed class Channel : IDisposable
        {
            private Stream stream;
            public void Connect(string host)
            {
                var socket = new CrossPlatformSocket();
                stream = socket.GetStream();
                var client = new TcpClient(host, 80);
                stream = client.GetStream();
            }

            public int Peek()
            {
                var client = {|LEAK001:new TcpClient("host", 80)|};
                return client.GetStream().ReadByte();
            }

            public void Dispose() => stream?.Dispose();
        }
        """);

    [Fact]
    public Task ClosingTheResponseStreamReleasesTheResponse() => Verify.VerifyAsync("""
        #pragma warning disable SYSLIB0014
        using System.IO;
        using System.Net;
        sealed class Discovery
        {
            public string Read(string url)
            {
                var response = WebRequest.Create(url).GetResponse();
                using (var stream = response.GetResponseStream())
                using (var reader = new StreamReader(stream))
                {
                    return reader.ReadToEnd();
                }
            }

            public string ReadHttp(string url)
            {
                var response = (HttpWebResponse)WebRequest.Create(url).GetResponse();
                using var reader = new StreamReader(response.GetResponseStream());
                return reader.ReadToEnd();
            }

            public string Scan(string url) => ReadFrom(WebRequest.Create(url).GetResponse());

            public long Length(string url) => Measure({|LEAK002:WebRequest.Create(url).GetResponse()|});

            public long Peek(string url)
            {
                var response = {|LEAK001:WebRequest.Create(url).GetResponse()|};
                return response.ContentLength;
            }

            private static string ReadFrom(WebResponse response)
            {
                using var stream = response.GetResponseStream();
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }

            private static long Measure(WebResponse response) => response.GetResponseStream().Length;
        }
        """);

    [Fact]
    public Task DisposingTheContentStreamReleasesTheResponse() => Verify.VerifyAsync("""
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        static class Fetch
        {
            public static async Task<string> Text(HttpClient client, string url)
            {
                var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var stream = await response.Content.ReadAsStreamAsync();
                using var reader = new StreamReader(stream);
                return await reader.ReadToEndAsync();
            }

            public static async Task<string> Type(HttpClient client, string url)
            {
                var response = {|LEAK001:await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead)|};
                return response.Content.Headers.ContentType?.MediaType;
            }
        }
        """);

    [Fact]
    public Task SynchronizedWrapperDisposesWhatItWraps() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public sealed class FileLog : IDisposable
        {
            private readonly string path;
            private TextWriter writer;
            public FileLog(string path) => this.path = path;
            public void Open()
            {
                var file = File.AppendText(path);
                file.AutoFlush = true;
                writer = TextWriter.Synchronized(file);
            }

            public void Peek()
            {
                var file = {|LEAK001:File.AppendText(path)|};
                file.WriteLine();
            }

            public void Dispose() => writer?.Dispose();
        }
        """);

    [Fact]
    public Task StreamOverTheSocketOfAConnectionTheMethodWasGiven() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading.Tasks;
        sealed class ClientConnection : IDisposable
        {
            private readonly Socket socket;
            public ClientConnection(Socket socket) { this.socket = socket; }
            public Stream GetStream() => new NetworkStream(socket, ownsSocket: true);
            public void Dispose() => socket.Close();
        }
        sealed class Server
        {
            public async Task Accept(Socket accepted)
            {
                using var connection = new ClientConnection(accepted);
                await Handshake(connection);
            }

            public int Probe(Socket accepted)
            {
                var connection = new ClientConnection(accepted);
                var stream = {|LEAK001:connection.GetStream()|};
                return stream.ReadByte();
            }

            private static async Task<bool> Handshake(ClientConnection connection)
            {
                var stream = connection.GetStream();
                var buffer = new byte[3];
                return await stream.ReadAsync(buffer, 0, buffer.Length) == 3;
            }
        }
        """);

    [Fact]
    public Task BlockingCollectionWithoutABoundOrAnyWaitHandle() => Verify.VerifyAsync("""
        using System.Collections.Concurrent;
        sealed class Queue
        {
            private readonly BlockingCollection<int> items = new BlockingCollection<int>();
            private readonly BlockingCollection<int> {|LEAK003:bounded|} = new BlockingCollection<int>(boundedCapacity: 10);
            public void Add(int value) { items.Add(value); bounded.Add(value); }
        }

        sealed class Fan
        {
            private readonly BlockingCollection<int> {|LEAK003:first|} = new BlockingCollection<int>();
            public void Add(int value) => first.Add(value);
            public static int Take(BlockingCollection<int>[] all) => BlockingCollection<int>.TakeFromAny(all, out var item) + item;
        }
        """);

    [Fact]
    public Task SubscriptionsThatKeepNothingAlive() => Verify.VerifyAsync("""
        using System;
        sealed class Feed : IObservable<int>
        {
            public IDisposable Subscribe(IObserver<int> observer) => new Token();
            private sealed class Token : IDisposable { public void Dispose() => GC.SuppressFinalize(this); ~Token() { } }
        }
        sealed class Observer : IObserver<int>
        {
            public Observer(Action<int> onNext) { }
            public void OnCompleted() { }
            public void OnError(Exception error) { }
            public void OnNext(int value) { }
        }
        sealed class View
        {
            private readonly Feed own = new Feed();
            private int count;
            public View(Feed injected)
            {
                _ = injected.Subscribe(new Observer(static value => Console.WriteLine(value)));
                own.Subscribe(new Observer(value => count += value));
                var local = new Feed();
                local.Subscribe(new Observer(value => count += value));
                {|LEAK002:injected.Subscribe(new Observer(value => count += value))|};
            }
        }
        """);

    private const string Management = """
        namespace System.Management
        {
            public class ManagementBaseObject : System.IDisposable
            {
                public object this[string name] => name;
                public void Dispose() => System.GC.SuppressFinalize(this);
                ~ManagementBaseObject() { }
            }

            public class ManagementObject : ManagementBaseObject { }

            public sealed class ManagementObjectCollection : System.Collections.IEnumerable, System.IDisposable
            {
                public System.Collections.IEnumerator GetEnumerator() => new object[0].GetEnumerator();
                public void Dispose() => System.GC.SuppressFinalize(this);
                ~ManagementObjectCollection() { }
            }

            public sealed class ManagementObjectSearcher : System.IDisposable
            {
                public ManagementObjectSearcher(string query) { }
                public ManagementObjectCollection Get() => new ManagementObjectCollection();
                public void Dispose() => System.GC.SuppressFinalize(this);
                ~ManagementObjectSearcher() { }
            }
        }
        """;

    [Fact]
    public Task EveryItemOfAManagementQueryIsNew() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                using System.Management;
                class C
                {
                    string Names(ManagementObjectCollection results)
                    {
                        var names = "";
                        foreach (ManagementObject {|LEAK001:item|} in results)
                        {
                            names += item["Name"];
                        }

                        return names;
                    }

                    string Disposed(ManagementObjectCollection results)
                    {
                        var names = "";
                        foreach (ManagementObject item in results)
                        {
                            using (item)
                            {
                                names += item["Name"];
                            }
                        }

                        return names;
                    }
                }
                """,
                ("Management.cs", Management),
            },
        },
    }.RunAsync();

    [Fact]
    public Task BackgroundServiceStoppedInAFinally()
    {
        // The hosting abstractions as a build sees them: a reference assembly without bodies.
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;
                sealed class QueueHost : Microsoft.Extensions.Hosting.BackgroundService
                {
                    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(-1, stoppingToken);
                }
                sealed class Tracker
                {
                    public async Task RunAsync(CancellationToken token)
                    {
                        var host = new QueueHost();
                        await host.StartAsync(token);
                        try { await Task.Delay(1000, token); }
                        finally { await host.StopAsync(token); }
                    }

                    public async Task StartOnlyAsync(CancellationToken token)
                    {
                        var host = {|LEAK001:new QueueHost()|};
                        await host.StartAsync(token);
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Microsoft.Extensions.Hosting.Abstractions", """
            using System.Threading;
            using System.Threading.Tasks;
            namespace Microsoft.Extensions.Hosting
            {
                public abstract class BackgroundService : System.IDisposable
                {
                    private CancellationTokenSource stopping;
                    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
                    public virtual Task StartAsync(CancellationToken token) { stopping = new CancellationTokenSource(); return ExecuteAsync(stopping.Token); }
                    public virtual Task StopAsync(CancellationToken token) { stopping?.Cancel(); return Task.CompletedTask; }
                    public virtual void Dispose() => stopping?.Cancel();
                }
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task MeterKeptByTheInstrumentStoredInAMember() => Verify.VerifyAsync("""
        using System.Diagnostics.Metrics;
        static class Diagnostics
        {
            static Diagnostics()
            {
                var meter = new Meter("Player");
                Resolved = meter.CreateCounter<long>("resolved-tracks");
                Latency = meter.CreateHistogram<double>("latency");
            }

            public static Counter<long> Resolved { get; }
            public static Histogram<double> Latency { get; }

            public static void Once()
            {
                var meter = {|LEAK001:new Meter("Once")|};
                var counter = meter.CreateCounter<long>("calls");
                counter.Add(1);
            }
        }
        """);

    [Fact]
    public Task HandlesThatOwnNothingOrWereEmptiedByHand() =>
        // FASTER gives a non-owning SafeFileHandle to CreateIoCompletionPort; SharpPcap frees a failed program's
        // memory itself, empties the handle and drops it.
        Verify.VerifyAsync("""
            using System;
            using System.Runtime.InteropServices;
            using Microsoft.Win32.SafeHandles;
            public sealed class Program : SafeHandleZeroOrMinusOneIsInvalid
            {
                public Program() : base(true) => SetHandle(Marshal.AllocHGlobal(16));
                protected override bool ReleaseHandle() { Marshal.FreeHGlobal(handle); return true; }
                [DllImport("pcap")] private static extern int pcap_compile(IntPtr pcap, Program program, string filter);
                [DllImport("kernel32")] private static extern IntPtr CreateIoCompletionPort(SafeFileHandle file, IntPtr port, UIntPtr key, uint threads);
                public static IntPtr Port() => CreateIoCompletionPort(new SafeFileHandle(new IntPtr(-1), false), IntPtr.Zero, UIntPtr.Zero, 4);
                public static IntPtr OwnedPort() => CreateIoCompletionPort({|LEAK002:new SafeFileHandle(new IntPtr(-1), true)|}, IntPtr.Zero, UIntPtr.Zero, 4);
                public static Program TryCreate(IntPtr pcap, string filter)
                {
                    var program = new Program();
                    if (pcap_compile(pcap, program, filter) < 0)
                    {
                        Marshal.FreeHGlobal(program.handle);
                        program.SetHandle(IntPtr.Zero);
                        program = null;
                    }

                    return program;
                }
            }
            """);

    /// <summary>
    /// PdfSharpCore: <c>aes.Clear()</c> and <c>sha.Clear()</c> are Dispose on SymmetricAlgorithm and HashAlgorithm.
    /// <c>rsa.Clear()</c> is Dispose(false) on AsymmetricAlgorithm, which is not the owner's release.
    /// </summary>
    [Fact]
    public Task CryptoClearIsDisposeForSymmetricAndHashAlgorithms() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class C
        {
            byte[] Hash(byte[] data) { var sha = SHA256.Create(); var h = sha.ComputeHash(data); sha.Clear(); return h; }
            int Key() { var aes = Aes.Create(); aes.KeySize = 256; var n = aes.Key.Length; aes.Clear(); return n; }
            int Rsa() { var rsa = {|LEAK001:RSA.Create()|}; var n = rsa.KeySize; rsa.Clear(); return n; }
        }
        """);

    /// <summary>
    /// TiffLibrary's converter factories: <c>return Unsafe.As&lt;IWriter&lt;T&gt;&gt;(new Converter(...))</c> returns the
    /// new converter itself (a cast), so the caller owns it. Dropped after the cast, it still leaks.
    /// </summary>
    [Fact]
    public Task UnsafeAsReturnsTheObjectItIsGiven() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Runtime.CompilerServices;
        sealed class Converter : IDisposable
        {
            private readonly Stream output = File.OpenWrite("out");
            public void Dispose() => output.Dispose();
        }
        static class Factory
        {
            public static IDisposable Create() => Unsafe.As<IDisposable>(new Converter());
            public static void Drop() => Unsafe.As<IDisposable>({|LEAK002:new Converter()|});
        }
        """);

    /// <summary>
    /// Couchbase's certificate factory returns <c>new X509Certificate2Collection(new X509Certificate2(...))</c>: the
    /// collection keeps the certificate and the caller gets both. Read and dropped, the certificate is still reported.
    /// </summary>
    [Fact]
    public Task FrameworkCollectionBuiltFromTheObjectKeepsIt() => Verify.VerifyAsync("""
        using System.Security.Cryptography.X509Certificates;
        static class Certificates
        {
        #pragma warning disable SYSLIB0057
            public static X509Certificate2Collection Load(string path) => new X509Certificate2Collection(new X509Certificate2(path));
            public static int Count(string path) => new X509Certificate2Collection({|LEAK002:new X509Certificate2(path)|}).Count;
        #pragma warning restore SYSLIB0057
        }
        """);

    /// <summary>
    /// <c>MemoryMappedFile.CreateFromFile(stream, ..., leaveOpen: false)</c> closes the stream with the map (questdb's
    /// watermark file): clearing the local after it loses nothing. With <c>leaveOpen: true</c> the stream is still the
    /// caller's.
    /// </summary>
    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public Task MemoryMappedFileFromAStreamTakesItUnlessLeftOpen(string leaveOpen, bool callerKeepsIt) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.IO.MemoryMappedFiles;
        class C
        {
            MemoryMappedFile Open(string path)
            {
                var fs = {{(callerKeepsIt ? "{|LEAK001:" : string.Empty)}}new FileStream(path, FileMode.OpenOrCreate){{(callerKeepsIt ? "|}" : string.Empty)}};
                fs.SetLength(64);
                var map = MemoryMappedFile.CreateFromFile(fs, null, 64, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: {{leaveOpen}});
                return map;
            }
        }
        """);

    /// <summary>
    /// <c>Application.Run(new MainForm())</c>, every WinForms Program.Main: the main form is shown modelessly and
    /// disposed when it closes. A form made and only shown modally is still the caller's.
    /// </summary>
    [Fact]
    public Task MainFormOfTheMessageLoopIsDisposedWhenItCloses() => Verify.VerifyAsync("""
        namespace System.Windows.Forms
        {
            public class Form : System.ComponentModel.Component { public int ShowDialog() => 0; }
            public static class Application { public static void Run(Form mainForm) { } }
        }

        namespace App
        {
            using System.Windows.Forms;
            public class MainForm : Form { }
            public class AboutBox : Form { }
            public static class Program
            {
                public static void Main()
                {
                    var about = {|LEAK001:new AboutBox()|};
                    about.ShowDialog();
                    Application.Run(new MainForm());
                }
            }
        }
        """);

    /// <summary>
    /// A view that carries an owned local's resources (<c>response.GetResponseStream()</c>, <c>client.GetStream()</c>)
    /// takes its duty: when nothing releases the source by name, the view must be disposed (fortnox's API client read
    /// the response through an XmlSerializer and closed neither). Releasing the source, or the view, or returning the
    /// view is enough.
    /// </summary>
    [Fact]
    public Task ViewThatCarriesTheDutyOfWhatItWasTakenFrom() => Verify.VerifyAsync("""
        using System.IO;
        using System.Net;
        using System.Net.Sockets;
        using System.Xml.Serialization;
        public class Auth { public string Token = ""; }
        public class C
        {
            public string Token(string url)
            {
                var request = WebRequest.Create(url);
                var response = request.GetResponse();
                var body = {|LEAK001:response.GetResponseStream()|};
                var auth = (Auth)new XmlSerializer(typeof(Auth)).Deserialize(body);
                return auth.Token;
            }

            public string Closed(string url)
            {
                var response = WebRequest.Create(url).GetResponse();
                var body = response.GetResponseStream();
                var text = new StreamReader(body).ReadToEnd();
                response.Close();
                return text;
            }

            public string ViewDisposed(string url)
            {
                var response = WebRequest.Create(url).GetResponse();
                using var body = response.GetResponseStream();
                return new StreamReader(body).ReadToEnd();
            }

            public void Ping(string host)
            {
                var client = new TcpClient(host, 80);
                var stream = {|LEAK001:client.GetStream()|};
                stream.WriteByte(1);
            }

            public Stream Open(string host)
            {
                var client = new TcpClient(host, 80);
                var stream = client.GetStream();
                return stream;
            }
        }
        """);
}
