namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// What a source type's Dispose releases, read from its source: a Dispose guarded by a flag only constructors set,
/// a subclass of a type that needs no disposal, a partial Dispose, a method that disposes its own object, and a
/// singleton whose members live as long as the process.
/// </summary>
public class WhatDisposeReleases
{
    // A pooled array not given back is only garbage; the flag guards the release of native memory.
    private const string PooledBuffer = """
        using System;
        using System.Runtime.InteropServices;
        readonly struct Payload : IDisposable
        {
            private readonly bool pooled;
            public Payload(byte[] data) => Data = data;
            public Payload(byte[] data, bool pooled = false) { Data = data; this.pooled = pooled; Native = pooled ? Marshal.AllocHGlobal(data.Length) : IntPtr.Zero; }
            public byte[] Data { get; }
            public IntPtr Native { get; }
            public void Dispose()
            {
                if (pooled)
                    Marshal.FreeHGlobal(Native);
            }
        }
        """;

    [Theory]
    [InlineData("new Payload(new byte[4])")]
    [InlineData("new Payload(new byte[4], pooled: false)")]
    [InlineData("new Payload(new byte[4], false)")]
    public Task DisposeGuardedByAFlagTheConstructorLeavesFalseReleasesNothing(string creation) => Verify.VerifyAsync($$"""
        {{PooledBuffer}}
        static class Sender
        {
            public static int Send() { var payload = {{creation}}; return payload.Data.Length; }
        }
        """);

    [Fact]
    public Task TypeWhoseDisposeOnlyClosesReadersOverNewMemory() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public class ByteBuffer : IDisposable
        {
            private BinaryWriter writer;
            private BinaryReader reader;
            public ByteBuffer() => writer = new BinaryWriter(new MemoryStream());
            public ByteBuffer(byte[] data) => reader = new BinaryReader(new MemoryStream(data));
            public void Write(byte[] data) => writer.Write(data);
            public byte[] Data() => ((MemoryStream)writer.BaseStream).ToArray();
            public void Dispose()
            {
                writer?.Dispose();
                reader?.Dispose();
            }
        }
        public class FileBuffer : IDisposable
        {
            private BinaryWriter writer;
            public FileBuffer(string path) => writer = new BinaryWriter(File.Create(path));
            public void Write(byte[] data) => writer.Write(data);
            public void Dispose() => writer?.Dispose();
        }
        public static class Packets
        {
            public static byte[] Frame(byte[] header)
            {
                var buffer = new ByteBuffer();
                buffer.Write(header);
                return buffer.Data();
            }

            public static void Save(string path, byte[] header)
            {
                var buffer = {|LEAK001:new FileBuffer(path)|};
                buffer.Write(header);
            }
        }
        """);

    [Fact]
    public Task SubclassOfACompiledMemoryStreamSubclassWithoutADispose()
    {
        // DOLSharp's packets: GSUDPPacketOut (source) : PacketOut (another project of the build) : MemoryStream.
        var test = new Verify.Test
        {
            TestCode = """
                using System.IO;
                public class UdpPacketOut : Net.PacketOut
                {
                    public UdpPacketOut(byte code) : base(64) { WriteByte(code); }
                }
                public interface IPeer { void Send(Stream packet); }
                public static class Handler
                {
                    public static void Broadcast(IPeer[] peers, ushort session)
                    {
                        var packet = new UdpPacketOut(0xA9);
                        packet.WriteShort(session);
                        foreach (var peer in peers) peer.Send(packet);
                    }

                    public static long Log(string path)
                    {
                        var file = {|LEAK001:new Net.FilePacket(path)|};
                        return file.Length;
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Net", """
            using System.IO;
            namespace Net
            {
                public class PacketOut : MemoryStream
                {
                    public PacketOut(int capacity) : base(capacity) { }
                    public void WriteShort(ushort v) { WriteByte((byte)(v >> 8)); WriteByte((byte)v); }
                }

                public class FilePacket : MemoryStream
                {
                    private readonly FileStream log;
                    public FilePacket(string path) => log = File.Create(path);
                    protected override void Dispose(bool disposing) { if (disposing) log.Dispose(); base.Dispose(disposing); }
                }
            }
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task SubclassBuiltThroughTheBaseConstructorThatOpensNothing() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public class Storage : IDisposable
        {
            private Stream? file;
            protected object? node;
            public Storage(string path) { file = File.OpenRead(path); node = file; }
            protected Storage(object node) { this.node = node; }
            ~Storage() { Dispose(); }
            public int Size => node == null ? 0 : 1;
            public void Dispose()
            {
                if (file == null) return;
                file.Dispose();
                file = null;
            }
        }
        public sealed class Attachment : Storage
        {
            public Attachment(Storage message) : base(message) { }
        }
        public sealed class Document : Storage
        {
            public Document(string path) : base(path) { }
        }
        public static class Reader
        {
            public static int AttachmentSize(Storage message) => new Attachment(message).Size;
            public static int DocumentSize(string path) => {|LEAK002:new Document(path)|}.Size;
        }
        """);

    [Fact]
    public Task FinalizerThatOnlyCallsADisposeThatReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.Runtime.InteropServices;
        public class ReadLineOp : IDisposable
        {
            private bool disposed;
            private byte[] buffer;
            public event EventHandler Completed;
            public ReadLineOp(byte[] buffer) { this.buffer = buffer; }
            ~ReadLineOp() { Dispose(); }
            public void Dispose()
            {
                if (disposed) return;
                disposed = true;
                buffer = null;
                Completed = null;
            }
            public int Capacity => buffer.Length;
        }
        public class NativeOp : IDisposable
        {
            private IntPtr memory = Marshal.AllocHGlobal(64);
            ~NativeOp() => Dispose(false);
            public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }
            protected virtual void Dispose(bool disposing) => Marshal.FreeHGlobal(memory);
            public int Size => 64;
        }
        public class HandleOp : IDisposable
        {
            private byte[] buffer = new byte[8];
            ~HandleOp() { Dispose(); Release(); }
            public void Dispose() => buffer = null;
            private static void Release() { }
            public int Size => buffer.Length;
        }
        public static class Reader
        {
            public static int Line()
            {
                var op = new ReadLineOp(new byte[32000]);
                return op.Capacity;
            }

            public static int Native()
            {
                var op = {|LEAK001:new NativeOp()|};
                return op.Size;
            }

            public static int Handle()
            {
                var op = {|LEAK001:new HandleOp()|};
                return op.Size;
            }
        }
        """);

    [Fact]
    public Task TypeWhoseWriterIsOverItsOwnNewMemoryStreamField() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public class Inflater : IDisposable
        {
            private readonly MemoryStream outputStream;
            private readonly BinaryWriter output;
            public Inflater(byte[] data)
            {
                outputStream = new MemoryStream();
                output = new BinaryWriter(outputStream);
                output.Write(data);
            }
            public byte[] Result => outputStream.ToArray();
            public void Dispose()
            {
                output.Dispose();
                outputStream.Dispose();
            }
        }
        public class Spooler : IDisposable
        {
            private readonly Stream spool;
            private readonly BinaryWriter output;
            public Spooler(string path)
            {
                spool = File.Create(path);
                output = new BinaryWriter(spool);
            }
            public void Write(byte[] data) => output.Write(data);
            public void Dispose()
            {
                output.Dispose();
                spool.Dispose();
            }
        }
        public static class Codec
        {
            public static byte[] Inflate(byte[] data) => new Inflater(data).Result;

            public static void Spool(string path, byte[] data)
            {
                var spooler = {|LEAK001:new Spooler(path)|};
                spooler.Write(data);
            }
        }
        """);

    [Fact]
    public Task DisposeGuardedByAFlagTheCallerSetsTrueIsOwned() => Verify.VerifyAsync($$"""
        {{PooledBuffer}}
        static class Sender
        {
            public static int Send() { var payload = {|LEAK001:new Payload(new byte[4], pooled: true)|}; return payload.Data.Length; }
        }
        """);

    [Theory]
    [InlineData("if (!ownsStream) return;\n stream.Dispose();")]
    [InlineData("if (!ownsStream) { return; }\n stream.Dispose();")]
    [InlineData("if (ownsStream && stream != null) stream.Dispose();")]
    public Task GuardSpellings(string body) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Reader : IDisposable
        {
            private readonly Stream stream;
            private readonly bool ownsStream;
            public Reader(Stream stream, bool ownsStream) { this.stream = stream; this.ownsStream = ownsStream; }
            public int Next() => stream.ReadByte();
            public void Dispose()
            {
                {{body}}
            }
        }
        static class Use
        {
            public static int Borrow(Stream input) { var reader = new Reader(input, ownsStream: false); return reader.Next(); }
            public static int Own(string path) { var reader = {|LEAK001:new Reader(File.OpenRead(path), ownsStream: true)|}; return reader.Next(); }
        }
        """);

    [Theory]
    [InlineData("if (leaveOpen) return;\n stream.Dispose();")]
    [InlineData("if (!leaveOpen) stream.Dispose();")]
    [InlineData("if (!leaveOpen && stream != null) stream.Dispose();")]
    public Task FlagThatStopsTheReleaseSetTrueReleasesNothing(string body) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Reader : IDisposable
        {
            private readonly Stream stream;
            private readonly bool leaveOpen;
            public Reader(Stream stream, bool leaveOpen = false) { this.stream = stream; this.leaveOpen = leaveOpen; }
            public int Next() => stream.ReadByte();
            public void Dispose()
            {
                {{body}}
            }
        }
        static class Use
        {
            public static int Borrow(Stream input) { var reader = new Reader(input, leaveOpen: true); return reader.Next(); }
            public static int Own(string path) { var reader = {|LEAK001:new Reader(File.OpenRead(path))|}; return reader.Next(); }
            public static int OwnSaidSo(string path) { var reader = {|LEAK001:new Reader(File.OpenRead(path), false)|}; return reader.Next(); }
        }
        """);

    [Fact]
    public Task StreamSubclassWhoseCloseIsGuardedByAFlagTheChainedConstructorSetsTrue() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class CountingStream : Stream
        {
            private readonly Stream inner;
            private readonly bool leaveOpen;
            public CountingStream(Stream inner) : this(inner, true) { }
            public CountingStream(Stream inner, bool leaveOpen) { this.inner = inner; this.leaveOpen = leaveOpen; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => inner.Length;
            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override void Close()
            {
                base.Close();
                if (!leaveOpen) inner.Close();
            }
        }
        sealed class Entry : IDisposable
        {
            private readonly Stream archive;
            private Stream? current;
            private Stream? {|LEAK003:owned|};
            public Entry(Stream archive) => this.archive = archive;
            public void Next() => current = new CountingStream(archive);
            public void NextOwned(string path) => owned = new CountingStream(File.OpenRead(path), false);
            public int Read() => current!.ReadByte() + owned!.ReadByte();
            public void Dispose() => archive.Dispose();
        }
        """);

    [Theory]
    [InlineData("private bool pooled; public void Pool() => pooled = true;")] // set outside a constructor
    [InlineData("public bool pooled;")] // anyone may set it
    [InlineData("private readonly bool pooled = Environment.ProcessorCount > 1;")] // not a constant
    public Task GuardOthersMaySetIsNotTrusted(string flag) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Holder : IDisposable
        {
            {{flag}}
            private readonly Stream stream = Stream.Null;
            public Holder() { }
            public void Dispose()
            {
                if (pooled) stream.Dispose();
            }
        }
        static class Use
        {
            public static string Make() { var holder = {|LEAK001:new Holder()|}; return holder.ToString(); }
        }
        """);

    [Fact]
    public Task DisposeThatReleasesOutsideTheGuardIsOwned() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Holder : IDisposable
        {
            private readonly bool pooled;
            private readonly Stream log = File.OpenWrite("log");
            public Holder(bool pooled = false) => this.pooled = pooled;
            public void Dispose()
            {
                if (pooled) Console.WriteLine("returned");
                log.Dispose();
            }
        }
        static class Use
        {
            public static string Make() { var holder = {|LEAK001:new Holder()|}; return holder.ToString(); }
        }
        """);

    [Fact]
    public Task SubclassOfATypeThatNeedsNoDisposalReleasesNothing() => Verify.VerifyAsync("""
        using System.IO;
        using System.Text;
        sealed class Utf8StringWriter : StringWriter
        {
            public override Encoding Encoding => Encoding.UTF8;
        }
        sealed class TrackingWriter : StringWriter
        {
            protected override void Dispose(bool disposing) { base.Dispose(disposing); }
        }
        static class Use
        {
            public static string Write()
            {
                var writer = new Utf8StringWriter();
                writer.Write("x");
                var tracking = new TrackingWriter();
                tracking.Write("y");
                return writer.ToString() + tracking;
            }
        }
        """);

    [Fact]
    public Task SubclassThatAddsAResourceIsOwned() => Verify.VerifyAsync("""
        using System.IO;
        sealed class TeeWriter : StringWriter
        {
            private readonly Stream copy = File.OpenWrite("copy");
            protected override void Dispose(bool disposing) { copy.Dispose(); base.Dispose(disposing); }
        }
        static class Use
        {
            public static string Write() { var writer = {|LEAK001:new TeeWriter()|}; writer.Write("x"); return writer.ToString(); }
        }
        """);

    [Fact]
    public Task RxSubjectsNeedNoDisposal() => Verify.VerifyAsync("""
        using System;
        namespace System.Reactive.Subjects
        {
            public sealed class Subject<T> : IObservable<T>, IDisposable
            {
                public IDisposable Subscribe(IObserver<T> observer) => this;
                public void OnNext(T value) { }
                public void Dispose() => Release();
                private void Release() { }
            }
        }
        sealed class Feed
        {
            private readonly System.Reactive.Subjects.Subject<int> changes = new System.Reactive.Subjects.Subject<int>();
            public IObservable<int> Changes => changes;
            public void Publish(int value) { changes.OnNext(value); var local = new System.Reactive.Subjects.Subject<int>(); local.OnNext(value); }
        }
        """);

    [Fact]
    public Task PartialDisposeIsReadFromItsImplementation() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed partial class Session : IDisposable
        {
            private readonly Stream stream = File.OpenRead("session");
            public int Next() => stream.ReadByte();
            public partial void Dispose();
        }
        sealed partial class Session
        {
            public partial void Dispose() => Close(stream);
            private static void Close(Stream s) => s.Dispose();
        }
        sealed partial class Cache : IDisposable
        {
            private readonly MemoryStream buffer = new MemoryStream();
            public partial void Dispose();
        }
        sealed partial class Cache
        {
            public partial void Dispose() { buffer.Dispose(); }
        }
        static class Use
        {
            public static long Fill() { var cache = new Cache(); return cache.GetHashCode(); }
        }
        """);

    [Fact]
    public Task MethodThatDisposesItsObjectReleasesIt() => Verify.VerifyAsync("""
        using System;
        using System.Buffers;
        using System.Threading.Tasks;
        sealed class PooledBuilder : IDisposable
        {
            private char[] chars = ArrayPool<char>.Shared.Rent(256);
            private int length;
            public PooledBuilder Append(char c) { chars[length++] = c; return this; }
            public override string ToString()
            {
                var text = new string(chars, 0, length);
                Dispose();
                return text;
            }
            public void Dispose() { ArrayPool<char>.Shared.Return(chars); chars = Array.Empty<char>(); }
        }
        sealed class Connection : IAsyncDisposable
        {
            private readonly System.IO.Stream stream = System.IO.File.OpenRead("c");
            public Task OpenAsync() => Task.CompletedTask;
            public async Task CloseAsync() { await stream.FlushAsync(); await DisposeAsync(); }
            public ValueTask DisposeAsync() => stream.DisposeAsync();
        }
        static class Use
        {
            public static string Build()
            {
                var builder = new PooledBuilder();
                builder.Append('a').Append('b');
                return builder.ToString();
            }
            public static string Inline() => new PooledBuilder().Append('x').ToString();
            public static async Task Talk()
            {
                var connection = new Connection();
                await connection.OpenAsync();
                await connection.CloseAsync();
            }
        }
        """);

    [Fact]
    public Task MethodThatDisposesItsObjectOnlyWhenItFailsDoesNotReleaseIt() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Connection : IDisposable
        {
            private readonly Stream stream = File.OpenRead("c");
            public void Open()
            {
                try { stream.ReadByte(); }
                catch { Dispose(); throw; }
            }
            public void Later(Action<Action> schedule) => schedule(() => Dispose());
            public void Dispose() => stream.Dispose();
        }
        static class Use
        {
            public static void Talk()
            {
                var connection = {|LEAK001:new Connection()|};
                connection.Open();
                connection.Later(a => a());
            }
        }
        """);

    [Theory]
    [InlineData("public static readonly Registry Instance = new Registry();")]
    [InlineData("public static Registry Instance { get; } = new();")]
    [InlineData("private static readonly Lazy<Registry> instance = new Lazy<Registry>(() => new Registry()); public static Registry Instance => instance.Value;")]
    [InlineData("private static Registry? instance; public static Registry Instance => instance ??= new Registry();")]
    public Task SingletonMembersLiveAsLongAsTheProcess(string accessor) => Verify.VerifyAsync($$"""
        #nullable enable
        using System;
        using System.Threading;
        sealed class Registry
        {
            {{accessor}}
            private readonly Timer gate = new Timer(_ => { });
            private Registry() { }
            public void Touch() { gate.Change(0, 1000); }
        }
        """);

    [Theory]
    [InlineData("public static readonly Registry Default = new Registry(); public static Registry Create() => new Registry();")] // made per call too
    [InlineData("public static readonly Func<Registry> Factory = () => new Registry();")] // a factory, not an instance
    [InlineData("public static Registry Instance => new Registry();")] // a getter that builds one per read
    [InlineData("public static readonly Registry Default = new Registry(); public Registry(int size) : this() { }")] // anyone may build one
    public Task TypesThatAreNotSingletonsStillOwnTheirMembers(string members) => Verify.VerifyAsync($$"""
        using System;
        using System.Threading;
        sealed class Registry
        {
            {{members}}
            private readonly Timer {|LEAK003:gate|} = new Timer(_ => { });
            private Registry() { }
            public void Touch() { gate.Change(0, 1000); }
        }
        """);

    [Theory]
    [InlineData(": EventSource", "log")]
    [InlineData(": Microsoft.Extensions.Hosting.IHostedService", "log")]
    [InlineData("", "{|LEAK003:log|}")] // the same type, not known to live as long as the process
    public Task MembersOfProcessLongTypesAreNotReported(string baseList, string declared) => Verify.VerifyAsync($$"""
        using System.Diagnostics.Tracing;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        namespace Microsoft.Extensions.Hosting
        {
            public interface IHostedService
            {
                Task StartAsync(CancellationToken cancellationToken);
                Task StopAsync(CancellationToken cancellationToken);
            }
        }
        sealed class Journal {{baseList}}
        {
            private readonly Stream {{declared}} = File.OpenWrite("journal.log");
            public Task StartAsync(CancellationToken cancellationToken) => log.WriteAsync(new byte[1], 0, 1, cancellationToken);
            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """);

    [Theory]
    [InlineData("services.AddSingleton<ICache, Cache>();", "")]
    [InlineData("services.AddTransient<ICache, Cache>();", "{|LEAK003:gate|}")]
    public Task MembersOfAContainerSingletonAreNotReported(string registration, string reported) => Verify.VerifyAsync($$"""
        using System.Threading;
        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceCollection { }
            public static class ServiceCollectionServiceExtensions
            {
                public static IServiceCollection AddSingleton<TService, TImplementation>(this IServiceCollection services) where TImplementation : class, TService => services;
                public static IServiceCollection AddTransient<TService, TImplementation>(this IServiceCollection services) where TImplementation : class, TService => services;
            }
        }
        namespace App
        {
            using Microsoft.Extensions.DependencyInjection;
            interface ICache { void Touch(); }
            sealed class Cache : ICache
            {
                private readonly Timer {{(reported.Length == 0 ? "gate" : reported)}} = new Timer(_ => { });
                public void Touch() { gate.Change(0, 1000); }
            }
            static class Startup
            {
                public static void Configure(IServiceCollection services) { {{registration}} }
            }
        }
        """);

    [Fact]
    public Task SubclassesOfBasesWhoseDisposeReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.Buffers;
        using System.IO;
        sealed class CountingView : Stream
        {
            public long Written { get; private set; }
            public override void Write(byte[] buffer, int offset, int count) => Written += count;
            public override void Flush() { }
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => Written;
            public override long Position { get => Written; set { } }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) { }
        }
        sealed class SharedPool : MemoryPool<byte>
        {
            public override int MaxBufferSize => int.MaxValue;
            public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => Shared.Rent(minBufferSize);
            protected override void Dispose(bool disposing) { }
        }
        sealed class FileView : Stream
        {
            private readonly Stream file = File.OpenRead("data");
            public override void Write(byte[] buffer, int offset, int count) { }
            public override void Flush() { }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => 0;
            public override long Position { get => 0; set { } }
            public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            protected override void Dispose(bool disposing) { file.Dispose(); base.Dispose(disposing); }
        }
        static class Use
        {
            public static long Count(Stream source) { var view = new CountingView(); source.CopyTo(view); return view.Written; }
            public static int Size() { var pool = new SharedPool(); return pool.MaxBufferSize; }
            public static int First() { var view = {|LEAK001:new FileView()|}; return view.ReadByte(); }
        }
        """);

    [Fact]
    public Task CallsOnAMemberThatNeedsNoDisposalReleaseNothing() => Verify.VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        sealed class Gate : IDisposable
        {
            private readonly SemaphoreSlim semaphore = new SemaphoreSlim(1);
            public Task WaitAsync() => semaphore.WaitAsync();
            public void Dispose() { semaphore.Release(); semaphore.Dispose(); }
        }
        sealed class Consumer
        {
            private readonly Gate gate = new Gate();
            public Task RunAsync() => gate.WaitAsync();
        }
        """);

    [Fact]
    public Task StructOrSealedClassThatOnlyEndsAScopeOnWhatItWasGivenReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.Threading;
        sealed class Connector : IDisposable
        {
            private readonly Timer keepAlive = new Timer(_ => { }, null, Timeout.Infinite, Timeout.Infinite);
            public Scope Begin() { keepAlive.Change(Timeout.Infinite, Timeout.Infinite); return new Scope(this); }
            public Session Open() => new Session(this);
            public void End() => keepAlive.Change(1000, 1000);
            public void Dispose() => keepAlive.Dispose();
        }
        readonly struct Scope : IDisposable
        {
            private readonly Connector connector;
            public Scope(Connector connector) => this.connector = connector;
            public void Dispose() => connector.End();
        }
        sealed class Undo : IDisposable
        {
            private readonly Connector connector;
            public Undo(Connector connector) => this.connector = connector;
            public void Dispose() => connector.End();
        }
        sealed class Session : IDisposable
        {
            private readonly Connector connector;
            private readonly Timer idle = new Timer(_ => { }, null, Timeout.Infinite, Timeout.Infinite);
            public Session(Connector connector) => this.connector = connector;
            public void Dispose() { connector.End(); idle.Dispose(); }
        }
        static class Command
        {
            public static void Run(Connector connector)
            {
                connector.Begin();
                new Undo(connector);
                var session = {|LEAK001:connector.Open()|};
            }
        }
        """);

    [Fact]
    public Task StreamSubclassThatOnlyTellsWhatItWasGivenReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Pipe
        {
            private readonly End reader;
            private readonly Stream {|LEAK003:file|};
            private bool closed;
            public Pipe(string path) { reader = new End(this); file = new Spill(File.OpenWrite(path)); }
            public Stream Reader => reader;
            private void Close() => closed = true;
            private sealed class End : Stream
            {
                private readonly Pipe pipe;
                private int readTimeout = -1;
                public End(Pipe pipe) => this.pipe = pipe;
                public override int ReadTimeout { get => readTimeout; set => readTimeout = value; }
                public override bool CanRead => true;
                public override bool CanSeek => false;
                public override bool CanWrite => false;
                public override long Length => 0;
                public override long Position { get => 0; set => throw new NotSupportedException(); }
                public override void Flush() { }
                public override int Read(byte[] buffer, int offset, int count) => 0;
                public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
                public override void SetLength(long value) => throw new NotSupportedException();
                public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
                protected override void Dispose(bool disposing)
                {
                    if (disposing) pipe.Close();
                    base.Dispose(disposing);
                }
            }
            private sealed class Spill : Stream
            {
                private readonly Stream inner;
                public Spill(Stream inner) => this.inner = inner;
                public override bool CanRead => false;
                public override bool CanSeek => false;
                public override bool CanWrite => true;
                public override long Length => inner.Length;
                public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
                public override void Flush() => inner.Flush();
                public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
                public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
                public override void SetLength(long value) => throw new NotSupportedException();
                public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
                protected override void Dispose(bool disposing)
                {
                    if (disposing) inner.Dispose();
                    base.Dispose(disposing);
                }
            }
        }
        """);

    [Fact]
    public Task DisposeGuardedByAMemberTheConstructorLeavesNull() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Buffer : IDisposable
        {
            private byte[]? bytes;
            private readonly Stream? spill;
            public Buffer(byte[] array) { bytes = array; }
            public Buffer(int size) { spill = File.Create("spill"); bytes = new byte[size]; }
            public void Write(byte b) => bytes![0] = b;
            public void Dispose()
            {
                var rented = bytes;
                bytes = null;
                if (rented != null && spill != null) spill.Dispose();
            }
        }
        sealed class Lease : IDisposable
        {
            private readonly IDisposable? owner;
            public Lease() { }
            public Lease(IDisposable owner) { this.owner = owner; }
            public void Dispose() => owner?.Dispose();
        }
        static class Use
        {
            public static void Wrap(byte[] target) { var buffer = new Buffer(target); buffer.Write(1); }
            public static void Rent() { var buffer = {|LEAK001:new Buffer(16)|}; buffer.Write(1); }
            public static string Empty() { var lease = new Lease(); return lease.ToString()!; }
        }
        """.Replace("byte[]?", "byte[]").Replace("Stream?", "Stream").Replace("IDisposable?", "IDisposable"));

    [Fact]
    public Task CloseWithArgumentsReleasesTheMember() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;
        class Connection : IDisposable
        {
            private FileStream handle;
            public void Open(string path) => handle = File.OpenRead(path);
            internal Task Close(bool async) { handle?.Dispose(); handle = null; return Task.CompletedTask; }
            public void Dispose() => Close(async: false).GetAwaiter().GetResult();
        }
        sealed class Replication : IAsyncDisposable
        {
            private readonly Connection connection = new Connection();
            public void Open(string path) => connection.Open(path);
            public async ValueTask DisposeAsync() => await connection.Close(async: true);
        }
        """);

    [Fact]
    public Task AwaitedAsyncMethodThatReturnsItsReceiverCarriesIt() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;
        sealed class Connection : IDisposable
        {
            private readonly Stream stream = File.OpenRead("c");
            public async Task<Connection> OpenAsync() { await stream.FlushAsync(); return this; }
            public void Dispose() => stream.Dispose();
        }
        static class Factory
        {
            public static async Task<Connection> CreateAsync() { var c = new Connection(); return await c.OpenAsync(); }
            public static async Task<Connection> CreateConfiguredAsync() { var c = new Connection(); return await c.OpenAsync().ConfigureAwait(false); }
            public static async Task<int> LeakAsync() { var c = {|LEAK001:new Connection()|}; await c.OpenAsync(); return 1; }
        }
        """);

    [Fact]
    public Task FrameworkStaticFactoryKeepsWhatItIsGiven() => Verify.VerifyAsync("""
        using System.Net.Security;
        using System.Security.Cryptography.X509Certificates;
        static class Certificates
        {
            public static SslStreamCertificateContext Load(string path)
            {
                var certificate = new X509Certificate2(path);
                return SslStreamCertificateContext.Create(certificate, null);
            }
            public static bool Check(string path)
            {
                var certificate = {|LEAK001:new X509Certificate2(path)|};
                return certificate.Verify();
            }
        }
        """);

    [Fact]
    public Task ChainedAssignmentGivesTheValueASecondName() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        sealed class Counting : DelegatingHandler
        {
            public Counting(HttpMessageHandler inner) : base(inner) { }
        }
        static class Channel
        {
            public static HttpMessageInvoker Create(HttpMessageHandler handler, bool log)
            {
                Counting counting;
                handler = counting = new Counting(handler);
                if (log) Console.WriteLine(counting.InnerHandler);
                return new HttpMessageInvoker(handler, disposeHandler: true);
            }
        }
        sealed class Retry : IDisposable
        {
            private Stream active;
            public async Task RunAsync(string path)
            {
                while (true)
                {
                    Stream current;
                    current = active = File.OpenRead(path);
                    if (current.Length > 0) return;
                    await Task.Delay(10);
                    current.Dispose();
                }
            }
            public void Dispose() => active?.Dispose();
        }
        """);

    [Fact]
    public Task AStructHasNoFinalizerToFallBackOn() => Verify.VerifyAsync(
        """
        using System;
        using System.Runtime.InteropServices;
        struct NativeBlock : IDisposable
        {
            private IntPtr memory;
            public NativeBlock(int size) => memory = Marshal.AllocHGlobal(size);
            public void Dispose() { Marshal.FreeHGlobal(memory); memory = IntPtr.Zero; }
        }
        static class Use
        {
            public static void Fill() { var block = {|#0:new NativeBlock(64)|}; block.ToString(); }
        }
        """,
        Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK001LocalNotDisposed).WithLocation(0)
            .WithArguments("block", "never disposed", "what its Dispose would release is never released"));

    [Theory]
    [InlineData("if (last is not { IsDisposed: true }) last = new Column();", "last")]
    [InlineData("if (last == null || !last.IsDisposed) last = new Column();", "last")]
    [InlineData("if (last == null) last = new Column();", "{|LEAK003:last|}")] // lazily made, lent, never disposed
    public Task FieldKeptToRecycleWhatCallersDispose(string recycle, string declared) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Column : IDisposable
        {
            private Stream spill;
            public bool IsDisposed { get; private set; }
            public void Spill(string path) => spill ??= File.Create(path);
            public void Dispose() { spill?.Dispose(); IsDisposed = true; }
        }
        sealed class Reader
        {
            private Column {{declared}};
            public Column Next()
            {
                {{recycle}}
                return last;
            }
        }
        """);

    [Fact]
    public Task MemberMadeAnewAndHandedToTheCallerIsTheCallers() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Batch : IDisposable
        {
            private readonly Stream log = File.OpenWrite("batch");
            public void Dispose() => log.Dispose();
        }
        sealed class Connection
        {
            private Batch current;
            private Batch {|LEAK003:shared|};
            public Batch Begin()
            {
                if (current != null) throw new InvalidOperationException();
                current = new Batch();
                return current;
            }
            public Batch Shared()
            {
                if (shared == null) shared = new Batch();
                return shared;
            }
        }
        """);

    [Fact]
    public Task CallsThatReleaseWithoutTheName() => Verify.VerifyAsync("""
        using System;
        using System.Net;
        using System.Net.Sockets;
        sealed class Server
        {
            private TcpListener listener;
            public void Start(int port) { listener = new TcpListener(IPAddress.Loopback, port); listener.Start(); }
            public void Stop() => listener.Stop();
        }
        sealed class Listener : IDisposable
        {
            private readonly Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            private bool closed;
            private void Close(bool force) { if (closed) return; closed = true; socket.Close(); }
            public void Abort() => Close(true);
            void IDisposable.Dispose() { if (closed) return; Close(true); }
        }
        sealed class Host
        {
            private readonly Listener http = new Listener();
            public void Abort() => http.Abort();
        }
        """);

    [Fact]
    public Task ManagedSubclassOfACryptoBaseReleasesNothing() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        sealed class XorHash : HashAlgorithm
        {
            private byte state;
            public override void Initialize() => state = 0;
            protected override void HashCore(byte[] array, int ibStart, int cbSize) { for (var i = 0; i < cbSize; i++) state ^= array[ibStart + i]; }
            protected override byte[] HashFinal() => new[] { state };
        }
        static class Use
        {
            public static byte[] Hash(byte[] data) { var hash = new XorHash(); return hash.ComputeHash(data); }
            public static byte[] Sha(byte[] data) { var sha = {|LEAK001:SHA256.Create()|}; return sha.ComputeHash(data); }
        }
        """);

    [Fact]
    public Task AwaitedAsyncHelperThatReturnsItsArgumentCarriesIt() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        static class Files
        {
            private static async Task<T> Checked<T>(T stream) where T : Stream { await Task.Yield(); return stream; }
            public static async Task<Stream> OpenAsync(string path) { var s = File.OpenRead(path); return await Checked(s); }
        }
        """);

    [Fact]
    public Task WriterOverAStreamThatNeedsNoDisposal() => Verify.VerifyAsync("""
        using System.IO;
        static class Snapshots
        {
            public static byte[] Write(string text)
            {
                var buffer = new MemoryStream();
                var writer = new StreamWriter(buffer);
                writer.Write(text);
                writer.Flush();
                return buffer.ToArray();
            }
            public static string Read(byte[] bytes)
            {
                var reader = new StreamReader(new MemoryStream(bytes));
                return reader.ReadToEnd();
            }
            public static void Log(string path, string text)
            {
                var writer = {|LEAK001:new StreamWriter(File.OpenWrite(path))|};
                writer.Write(text);
                writer.Flush();
            }
        }
        """);

    [Fact]
    public Task IncrementalHashFactoriesCreateWhatTheCallerOwns() => Verify.VerifyAsync("""
        using System;
        using System.Security.Cryptography;
        sealed class Signer : IDisposable
        {
            private readonly IncrementalHash {|LEAK003:mac|};
            public Signer(byte[] key) => mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            public byte[] Sign(byte[] data) { mac.AppendData(data); return mac.GetHashAndReset(); }
            public void Dispose() { }
        }
        static class Hashes
        {
            public static byte[] Sha(byte[] data) { var hash = {|LEAK001:IncrementalHash.CreateHash(HashAlgorithmName.SHA256)|}; hash.AppendData(data); return hash.GetHashAndReset(); }
        }
        """);

    [Fact]
    public Task DefaultStructWhoseDisposeTestsItsHandleForZeroHoldsNothing() => Verify.VerifyAsync("""
        using System;
        using System.Runtime.InteropServices;
        struct NativeStrings : IDisposable
        {
            public IntPtr Strings;
            public static NativeStrings Build(int n)
            {
                var r = new NativeStrings();
                r.Strings = Marshal.AllocHGlobal(IntPtr.Size * n);
                return r;
            }

            public void Dispose()
            {
                if (Strings != IntPtr.Zero) Marshal.FreeHGlobal(Strings);
                Strings = IntPtr.Zero;
            }
        }
        static class Use
        {
            public static void Push(int n)
            {
                var array = new NativeStrings();
                try
                {
                    array = NativeStrings.Build(n);
                }
                finally
                {
                    array.Dispose();
                }
            }

            public static void Leak(int n)
            {
                var array = [|NativeStrings.Build(n)|];
                Console.WriteLine(array.Strings);
            }
        }
        """);

    [Fact]
    public Task ContainerNeverGivenAnythingItOwnsHoldsNothing() => Verify.VerifyAsync("""
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        static class Api
        {
            public static async Task<HttpResponseMessage> Get(HttpClient client)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "http://localhost/x");
                request.Headers.Add("Accept", "text/plain");
                return await client.SendAsync(request);
            }

            public static async Task<HttpResponseMessage> Post(HttpClient client, Stream callerBody)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/x");
                request.Content = new StreamContent(callerBody);
                return await client.SendAsync(request);
            }

            public static async Task<HttpResponseMessage> Upload(HttpClient client, string path)
            {
                var request = [|new HttpRequestMessage(HttpMethod.Post, "http://localhost/x")|];
                request.Content = new StreamContent(File.OpenRead(path));
                return await client.SendAsync(request);
            }
        }
        """);

    [Fact]
    public Task HttpContentMadeOfBytesInMemoryHoldsNothing() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        static class Api
        {
            public static async Task<string> Post(HttpClient client, string json, Dictionary<string, string> form)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/x") { Headers = { Authorization = null }, Content = new StringContent(json) };
                var body = new FormUrlEncodedContent(form);
                var bytes = new ByteArrayContent(new byte[4]);
                using var response = await client.SendAsync(request);
                return await response.Content.ReadAsStringAsync() + body.Headers + bytes.Headers;
            }

            public static async Task<string> Upload(HttpClient client, string path)
            {
                var request = {|LEAK001:new HttpRequestMessage(HttpMethod.Post, "http://localhost/x")|};
                request.Content = new StreamContent(File.OpenRead(path));
                using var response = await client.SendAsync(request);
                return response.ReasonPhrase ?? "";
            }
        }
        """);

    [Fact]
    public Task ContainerHoldsNothingUntilItsFirstFill() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        namespace System.Reactive.Disposables
        {
            public sealed class CompositeDisposable : IDisposable
            {
                private readonly System.Collections.Generic.List<IDisposable> items = new();
                public void Add(IDisposable item) => items.Add(item);
                public void Dispose() { foreach (var item in items) item.Dispose(); }
            }
        }
        namespace App
        {
            using System.Reactive.Disposables;
            static class Api
            {
                // Left before the first Add: nothing was owned yet.
                public static IDisposable Watch(bool enabled, Func<IDisposable> subscribe)
                {
                    var subscriptions = new CompositeDisposable();
                    if (!enabled)
                    {
                        return EmptyDisposable.Instance;
                    }

                    subscriptions.Add(subscribe());
                    return subscriptions;
                }

                // Left after an Add on one path: that path loses what was added.
                public static IDisposable Leaky(bool enabled, Func<IDisposable> subscribe)
                {
                    var subscriptions = [|new CompositeDisposable()|];
                    subscriptions.Add(subscribe());
                    if (!enabled)
                    {
                        return EmptyDisposable.Instance;
                    }

                    return subscriptions;
                }

                // The request owns its content only from the assignment on: the early return loses nothing.
                public static async Task<HttpResponseMessage?> Upload(HttpClient client, string path, bool skip)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/x");
                    if (skip)
                    {
                        return null;
                    }

                    request.Content = new StreamContent(File.OpenRead(path));
                    using (request)
                    {
                        return await client.SendAsync(request);
                    }
                }

                // Filled, then the method leaves without disposing on the failure branch.
                public static async Task<HttpResponseMessage?> Send(HttpClient client, string path, bool skip)
                {
                    var request = [|new HttpRequestMessage(HttpMethod.Post, "http://localhost/x")|];
                    request.Content = new StreamContent(File.OpenRead(path));
                    if (skip)
                    {
                        return null;
                    }

                    using (request)
                    {
                        return await client.SendAsync(request);
                    }
                }
            }

            sealed class EmptyDisposable : IDisposable
            {
                public static readonly EmptyDisposable Instance = new EmptyDisposable();
                public void Dispose() { }
            }
        }
        """);

    [Fact]
    public Task DisposeThatOnlyClearsCollectionsReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        sealed class Line : IDisposable
        {
            public Dictionary<object, double> Items { get; } = new Dictionary<object, double>();
            private readonly List<int> physics = new List<int>();
            private byte[]? blocks = new byte[16];
            public void Add(object o) => Items[o] = 1;
            public void Dispose() { Items.Clear(); physics.Clear(); blocks = null; }
        }
        sealed class Logged : IDisposable
        {
            private readonly List<string> lines = new List<string>();
            private readonly Stream log = File.OpenWrite("log");
            public void Dispose() { lines.Clear(); log.Dispose(); }
        }
        static class Layout
        {
            public static int Arrange(object[] children)
            {
                var line = new Line();
                foreach (var child in children) line.Add(child);
                var logged = {|LEAK001:new Logged()|};
                return line.Items.Count + logged.GetHashCode();
            }
        }
        """);

    [Fact]
    public Task ArraysGivenBackToAPoolOfTheProjectsOwn() => Verify.VerifyAsync("""
        using System;
        using System.Buffers;
        using System.IO;
        sealed class LocalPool<T> : ArrayPool<T>
        {
            public static new LocalPool<T> Shared { get; } = new LocalPool<T>();
            public override T[] Rent(int minimumLength) => new T[minimumLength];
            public override void Return(T[] array, bool clearArray = false) { }
        }
        sealed class NotAPool<T>
        {
            public static NotAPool<T> Shared { get; } = new NotAPool<T>();
            public void Return(T[] array) { }
        }
        ref struct SpanWriter
        {
            private byte[]? rented;
            private Span<byte> buffer;
            public SpanWriter(Span<byte> initial) { buffer = initial; rented = null; }
            public SpanWriter(int capacity) { rented = LocalPool<byte>.Shared.Rent(capacity); buffer = rented; }
            public void Write(byte b) => buffer[0] = b;
            public void Dispose()
            {
                var toReturn = rented;
                this = default;
                if (toReturn != null)
                {
                    LocalPool<byte>.Shared.Return(toReturn);
                }
            }
        }
        sealed class Lease : IDisposable
        {
            private readonly byte[] bytes = new byte[16];
            private readonly Stream log = File.OpenWrite("log");
            public void Dispose() { NotAPool<byte>.Shared.Return(bytes); log.Dispose(); }
        }
        static class Packets
        {
            public static void Send()
            {
                var small = new SpanWriter(stackalloc byte[10]);
                small.Write(1);
                var big = new SpanWriter(100);
                big.Write(2);
                var lease = {|LEAK001:new Lease()|};
                lease.ToString();
            }
        }
        """);

    [Fact]
    public Task TypeWhoseDisposeOnlyReturnsAPooledArrayHoldsNothing() => Verify.VerifyAsync("""
        using System;
        using System.Buffers;
        using System.IO;
        sealed class ByteBuilder : IDisposable
        {
            private byte[]? buffer;
            public ByteBuilder(int size) { buffer = ArrayPool<byte>.Shared.Rent(size); }
            public void Append(byte b) => buffer![0] = b;
            public void Dispose() { if (buffer != null) { ArrayPool<byte>.Shared.Return(buffer); buffer = null; } }
        }
        sealed class PooledFile : IDisposable
        {
            private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(16);
            private readonly Stream file = File.OpenRead("data");
            public void Dispose() { ArrayPool<byte>.Shared.Return(buffer); file.Dispose(); }
        }
        sealed class Engine
        {
            private readonly ByteBuilder builder = new ByteBuilder(1024);
            private readonly PooledFile {|LEAK003:file|} = new PooledFile();
            public void Read() => builder.Append(1);
        }
        """);

    [Fact]
    public Task MethodThatMovesOutEverythingDisposeReleasesEndsTheObject() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Message { public void ReturnToPool() { } public void Attach(Stream? handles) { } }
        ref struct Writer
        {
            private Message message;
            private Stream? handles;
            public Writer(string path) { message = new Message(); handles = File.OpenRead(path); }
            public void Write(int value) { }
            public Message CreateMessage() { var h = handles; var m = message; message = null!; handles = null; m.Attach(h); return m; }
            public Message Peek() { handles = null; return message; }
            public void Dispose() { message?.ReturnToPool(); handles?.Dispose(); }
        }
        static class Use
        {
            public static Message Make(string path) { var writer = new Writer(path); writer.Write(1); return writer.CreateMessage(); }
            public static Message Look(string path) { var writer = [|new Writer(path)|]; writer.Write(1); return writer.Peek(); }
        }
        """);

    [Fact]
    public Task StructMadeByItsImplicitConstructorHoldsNothingUntilFilled() => Verify.VerifyAsync("""
        using System;
        using System.Runtime.InteropServices;
        struct Strings { public IntPtr Items; public int Count; public void Reset() { Items = IntPtr.Zero; Count = 0; } }
        struct ManagedStrings : IDisposable
        {
            public Strings Array;
            public static ManagedStrings Build(int n)
            {
                var built = new ManagedStrings();
                built.Array.Items = Marshal.AllocHGlobal(IntPtr.Size * n);
                built.Array.Count = n;
                return built;
            }

            public void Dispose()
            {
                for (var i = 0; i < Array.Count; i++) { Marshal.FreeHGlobal(Marshal.ReadIntPtr(Array.Items, i * IntPtr.Size)); }
                Marshal.FreeHGlobal(Array.Items);
                Array.Reset();
            }
        }
        struct Initialized : IDisposable
        {
            public IntPtr Handle = Marshal.AllocHGlobal(8);
            public Initialized() { }
            public void Dispose() => Marshal.FreeHGlobal(Handle);
        }
        static class Native
        {
            static int Connect(ref Strings headers) => 0;
            public static void Push(int n)
            {
                var array = new ManagedStrings();
                try { array = ManagedStrings.Build(n); Connect(ref array.Array); }
                finally { array.Dispose(); }
            }

            public static void Empty() { var none = new ManagedStrings(); Connect(ref none.Array); }
            public static void Leak(int n) { var array = [|ManagedStrings.Build(n)|]; Connect(ref array.Array); }
            public static void Made() { var made = [|new Initialized()|]; Console.WriteLine(made.Handle); }
        }
        """);

    [Fact]
    public Task BufferedHttpResponseHoldsOnlyMemory() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;
        sealed class Client
        {
            private readonly HttpClient client;
            public Client(HttpClient client) => this.client = client;
            public async Task<int> Post(string url, string body)
            {
                var response = await client.PostAsync(url, new StringContent(body));
                return (int)response.StatusCode + (await response.Content.ReadAsStringAsync()).Length;
            }

            public async Task Heartbeat(string url) => await client.GetAsync(url);

            public async Task<long?> Stream(string url)
            {
                var response = [|await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead)|];
                return response.Content.Headers.ContentLength;
            }
        }
        """);

    [Fact]
    public Task MemoryOfAMemoryManagerCarriesTheManager() => Verify.VerifyAsync("""
        using System;
        using System.Buffers;
        public sealed class Proxy : MemoryManager<byte>
        {
            private readonly MemoryManager<byte> inner;
            public Proxy(MemoryManager<byte> inner) => this.inner = inner;
            public override Span<byte> GetSpan() => inner.GetSpan();
            public override MemoryHandle Pin(int elementIndex = 0) => inner.Pin(elementIndex);
            public override void Unpin() => inner.Unpin();
            protected override void Dispose(bool disposing) => ((IDisposable)inner).Dispose();
        }
        public static class Slices
        {
            public static Memory<byte> Direct(MemoryManager<byte> m) => new Proxy(m).Memory;
            public static Memory<byte> ViaLocal(MemoryManager<byte> m) { var proxy = new Proxy(m); return proxy.Memory; }
            public static int Length(MemoryManager<byte> m) { var proxy = {|LEAK001:new Proxy(m)|}; return proxy.Memory.Length; }
        }
        """);

    [Fact]
    public Task HttpContentOfYourOwnThatAddsNoResourceHoldsNothing() => Verify.VerifyAsync("""
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Threading.Tasks;
        public class ObjectContent<T> : HttpContent
        {
            private readonly T value;
            public ObjectContent(T value) => this.value = value;
            protected override Task SerializeToStreamAsync(Stream stream, TransportContext context) => System.Text.Json.JsonSerializer.SerializeAsync(stream, value);
            protected override bool TryComputeLength(out long length) { length = 0; return false; }
        }
        public class FileContent : HttpContent
        {
            private readonly FileStream file = File.OpenRead("upload.bin");
            protected override Task SerializeToStreamAsync(Stream stream, TransportContext context) => file.CopyToAsync(stream);
            protected override bool TryComputeLength(out long length) { length = 0; return false; }
            protected override void Dispose(bool disposing) { if (disposing) { file.Dispose(); } base.Dispose(disposing); }
        }
        public static class Use
        {
            public static long? Sizes()
            {
                var value = new ObjectContent<int>(1);
                var file = {|LEAK001:new FileContent()|};
                return value.Headers.ContentLength + file.Headers.ContentLength;
            }
        }
        """);

    [Fact]
    public Task TokenRunningOnlyHarmlessLambdasHoldsNothing() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        public class Scope : IDisposable
        {
            private readonly Action close;
            public Scope(Action open, Action close) { this.close = close; open(); }
            public void Dispose() => close();
        }
        public class VirtualScope : IDisposable
        {
            private readonly Action close;
            public VirtualScope(Action close) => this.close = close;
            public virtual void Dispose() => close();
        }
        public sealed class Settings
        {
            public int Mode;
            private readonly List<string> items = new();
            private readonly Stream log = Stream.Null;
            public IDisposable ModeScope(int value) { var old = Mode; return new Scope(() => Mode = value, () => Mode = old); }
            public IDisposable Add(string item) { items.Add(item); return new Scope(() => { }, () => items.Remove(item)); }
            public IDisposable Lease() => new Scope(() => { }, () => log.Dispose());
            public IDisposable Track(string item) { items.Add(item); return new Scope(() => { }, () => Forget(item)); }
            public IDisposable Close() => new Scope(() => { }, () => Shut());
            private void Forget(string item) => items.Remove(item);
            private void Shut() => log.Close();
        }
        public static class Use
        {
            public static void Run(Settings settings)
            {
                settings.ModeScope(3);
                settings.Add("ping");
                {|LEAK002:settings.Lease()|};
                settings.Track("pong");
                {|LEAK002:settings.Close()|};
                {|LEAK002:new VirtualScope(() => { })|};
            }
        }
        """);

    [Fact]
    public Task BufferedResponseReturnedByASourceWrapperHoldsOnlyMemory() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class Client
        {
            private readonly HttpClient client;
            public Client(HttpClient client) => this.client = client;
            internal virtual Task<HttpResponseMessage> Get(string url) => client.GetAsync(url);
            private async Task<HttpResponseMessage> Fetch(string url) => await client.GetAsync(url).ConfigureAwait(false);
            private Task<HttpResponseMessage> Open(string url) => client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);

            public async Task<string> ReadId(string url)
            {
                var response = await Get(url).ConfigureAwait(false);
                var fetched = await Fetch(url);
                return await response.Content.ReadAsStringAsync() + fetched.StatusCode;
            }

            public async Task<long?> Length(string url)
            {
                var response = [|await Open(url)|];
                return response.Content.Headers.ContentLength;
            }
        }
        """);

    [Fact]
    public Task ContainerReturnedEmptyByASourceFactoryHoldsNothing() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        class Client
        {
            private readonly HttpClient client;
            public Client(HttpClient client) => this.client = client;

            private static async Task<HttpRequestMessage> BuildAsync(Uri uri, HttpContent content)
            {
                await Task.Yield();
                var message = new HttpRequestMessage(HttpMethod.Post, uri);
                message.Content = content;
                return message;
            }

            private static HttpRequestMessage Get(Uri uri)
            {
                var message = new HttpRequestMessage(HttpMethod.Get, uri);
                message.Headers.Add("Accept", "application/json");
                return message;
            }

            private static HttpRequestMessage Direct(Uri uri) => new HttpRequestMessage(HttpMethod.Get, uri);

            private static HttpRequestMessage Upload(Uri uri, string path)
            {
                var message = new HttpRequestMessage(HttpMethod.Post, uri);
                message.Content = new StreamContent(File.OpenRead(path));
                return message;
            }

            public async Task<int> Retry(Uri uri, string body)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    HttpRequestMessage request = await BuildAsync(uri, new StringContent(body));
                    using var response = await client.SendAsync(request);
                    using var again = await client.SendAsync(Get(uri));
                    var direct = Direct(uri);
                    using var third = await client.SendAsync(direct);
                    if (response.IsSuccessStatusCode && again.IsSuccessStatusCode) return attempt;
                }

                return -1;
            }

            public async Task<int> Send(Uri uri, string path)
            {
                var request = [|Upload(uri, path)|];
                using var response = await client.SendAsync(request);
                return (int)response.StatusCode;
            }
        }
        """);

    // Over a stream the method opens: the flag the chain passes decides whether the wrapper owns it. (Over the caller's
    // stream, either way, the wrapper holds nothing of its own: see WrapperOverTheCallersStreamThroughAChainedConstructor.)
    [Theory]
    [InlineData(": this(inner, false)", "new Scoped(inner)", false)]
    [InlineData(": this(inner, owns)", "new Scoped(inner, false, 0)", false)]
    [InlineData(": this(inner, true)", "new Scoped(inner)", true)]
    [InlineData(": this(inner, owns)", "new Scoped(inner, true, 0)", true)]
    public Task GuardFlagSetThroughAChainedConstructor(string chain, string creation, bool owned) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Scoped : IDisposable
        {
            private readonly Stream inner;
            private readonly bool shouldDispose;
            public Scoped(Stream inner) {{(chain.Contains("owns") ? ": this(inner, true)" : chain)}} { }
            public Scoped(Stream inner, bool owns, int unused) {{(chain.Contains("owns") ? chain : ": this(inner, owns)")}} { }
            public Scoped(Stream inner, bool shouldDispose) { this.inner = inner; this.shouldDispose = shouldDispose; }
            public int Next() => inner.ReadByte();
            public void Dispose() { if (shouldDispose) inner.Dispose(); }
        }
        static class Use
        {
            public static int Read(string path)
            {
                var inner = {{(owned ? "File.OpenRead(path)" : "{|LEAK001:File.OpenRead(path)|}")}};
                var scoped = {{(owned ? "{|LEAK001:" + creation + "|}" : creation)}};
                return scoped.Next();
            }
        }
        """);

    // Through a base constructor that chains again, or straight to the one that stores the stream.
    [Theory]
    [InlineData(": base(inner, true)")]
    [InlineData(": base(inner)")]
    public Task WrapperOverTheCallersStreamThroughAChainedConstructor(string chain) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        class Owner : IDisposable
        {
            private readonly Stream inner;
            public Owner(Stream inner) { this.inner = inner; }
            public Owner(Stream inner, bool owns) : this(inner) { }
            public void Dispose() => inner.Dispose();
        }
        sealed class Scoped : Owner
        {
            public Scoped(Stream inner) {{chain}} { }
            public int Next() => 0;
        }
        static class Use
        {
            public static int Read(Stream inner) { var scoped = new Scoped(inner); return scoped.Next(); }
            public static int Open(string path) { var scoped = {|LEAK001:new Scoped(File.OpenRead(path))|}; return scoped.Next(); }
        }
        """);

    [Fact]
    public Task PrivateUndoTokenWithAnAutoPropertyHoldsNothing() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        class TagSet : HashSet<string>
        {
            public new IDisposable Add(string item) { base.Add(item); return new Undo(this, item); }
            public IDisposable Track(string item) => new Tracker(this, item);

            private class Undo : IDisposable
            {
                private readonly TagSet items;
                public Undo(TagSet items, string value) { this.items = items; Value = value; }
                public string Value { get; private set; }
                public void Dispose() { if (items.Contains(Value)) items.Remove(Value); }
            }

            private class Tracker : IDisposable
            {
                private readonly TagSet items;
                public Tracker(TagSet items, string value) { this.items = items; Log = File.CreateText(value); }
                public StreamWriter Log { get; private set; }
                public void Dispose() { items.Remove(""); Log.Dispose(); }
            }
        }
        static class Use
        {
            public static void Mark(TagSet tags) { tags.Add("critical"); {|LEAK002:tags.Track("log")|}; }
        }
        """);

    // A buffer struct whose Dispose releases its one memory owner, copied to a local first.
    private const string SpanAndMemory = """
        using System;
        using System.Buffers;
        using System.IO;
        public struct SpanAndMemory : IDisposable
        {
            public IMemoryOwner<byte> Memory;
            public int Length;
            public SpanAndMemory(IMemoryOwner<byte> memory, int length) { Memory = memory; Length = length; }
            public static SpanAndMemory Empty(int length) => new() { Length = length, Memory = default };
            public void Dispose() { var m = Memory; Memory = null; m?.Dispose(); }
        }
        """;

    [Theory]
    [InlineData("mem.Memory?.Dispose();")]
    [InlineData("mem.Memory.Dispose();")]
    [InlineData("mem.Dispose();")]
    public Task DisposingTheOnlyMemberTheDisposeReleasesReleasesTheObject(string release) => Verify.VerifyAsync($$"""
        {{SpanAndMemory}}
        static class Reader
        {
            public static int Read(int n)
            {
                var mem = new SpanAndMemory(MemoryPool<byte>.Shared.Rent(n), n);
                try { return mem.Length; }
                finally { {{release}} }
            }
        }
        """);

    [Fact]
    public Task DisposingOneOfTwoReleasedMembersDoesNotReleaseTheObject() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Pair : IDisposable
        {
            public Stream First, Second;
            public Pair(string a, string b) { First = File.OpenRead(a); Second = File.OpenRead(b); }
            public void Dispose() { First.Dispose(); Second.Dispose(); }
        }
        static class Use
        {
            public static long Size(string a, string b)
            {
                var pair = {|LEAK001:new Pair(a, b)|};
                try { return pair.First.Length + pair.Second.Length; }
                finally { pair.First.Dispose(); }
            }
        }
        """);

    [Fact]
    public Task ReadingTheOnlyReleasedMemberIsNotARelease() => Verify.VerifyAsync($$"""
        {{SpanAndMemory}}
        static class Reader
        {
            public static int Read(int n)
            {
                var mem = {|LEAK001:new SpanAndMemory(MemoryPool<byte>.Shared.Rent(n), n)|};
                return mem.Memory.Memory.Length;
            }
        }
        """);

    [Fact]
    public Task ObjectInitializerThatEmptiesEveryReleasedMemberHoldsNothing() => Verify.VerifyAsync($$"""
        {{SpanAndMemory}}
        public abstract class Device : IDisposable { public abstract void Dispose(); }
        public sealed class NullDevice : Device { public override void Dispose() { } }
        public sealed class FileDevice : Device
        {
            private readonly FileStream file;
            public FileDevice(string path) { file = File.OpenWrite(path); }
            public override void Dispose() => file.Dispose();
        }
        public sealed class Settings : IDisposable
        {
            public Device Log { get; set; }
            public Device ObjectLog { get; set; }
            public int Size { get; set; }
            public Settings(string dir) { ObjectLog = dir == null ? new NullDevice() : new FileDevice(dir + "/objects"); }
            public void Dispose() { Log?.Dispose(); ObjectLog?.Dispose(); }
        }
        static class Use
        {
            public static int Empty() { var mem = SpanAndMemory.Empty(16); return mem.Length; }
            public static int InMemory() { var settings = new Settings(null) { Size = 10, Log = new NullDevice(), ObjectLog = new NullDevice() }; return settings.Size; }
            public static int OneOnDisk(string path) { var settings = {|LEAK001:new Settings(null) { Size = 10, Log = new FileDevice(path), ObjectLog = new NullDevice() }|}; return settings.Size; }
            public static int ConstructorOpensTheOther(string dir) { var settings = {|LEAK001:new Settings(dir) { Size = 10, Log = new NullDevice() }|}; return settings.Size; }
        }
        """);

    [Fact]
    public Task DisposeThatOnlySetsAFlagAndWaitsForWorkInFlightReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;
        sealed class WorkQueue<T> : IDisposable
        {
            private readonly ConcurrentQueue<T> queue = new();
            private readonly Action<T> work;
            private int pending;
            private bool disposed;
            public WorkQueue(Action<T> work) { this.work = work; }
            public void Dispose() { disposed = true; while (Volatile.Read(ref pending) != 0) Thread.Yield(); }
            public bool Enqueue(T item)
            {
                Interlocked.Increment(ref pending);
                if (disposed) { Interlocked.Decrement(ref pending); return false; }
                queue.Enqueue(item);
                _ = Task.Run(() => { while (queue.TryDequeue(out var next)) work(next); Interlocked.Decrement(ref pending); });
                return true;
            }
        }
        sealed class CheckpointManager
        {
            private readonly WorkQueue<long> deletions = new WorkQueue<long>(Console.WriteLine);
            public void Commit(long prior) => deletions.Enqueue(prior);
            public static void Once(long prior) { var queue = new WorkQueue<long>(Console.WriteLine); queue.Enqueue(prior); }
        }
        """);

    /// <summary>
    /// AudioSwitcher's observer: Dispose only sets a stop flag with <c>Interlocked.Exchange</c>, so there is nothing to
    /// dispose. Exchanging a handle out of a field (to free it) is a release: that type still needs disposal.
    /// </summary>
    [Fact]
    public Task DisposeThatOnlyExchangesAFlagReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Threading;
        sealed class DelegateObserver<T> : IObserver<T>, IDisposable
        {
            private readonly Action<T> onNext;
            private int isStopped;
            public DelegateObserver(Action<T> onNext) => this.onNext = onNext;
            public void Dispose() { Interlocked.Exchange(ref isStopped, 1); }
            public void OnNext(T value) { if (isStopped == 0) onNext(value); }
            public void OnError(Exception error) => Interlocked.Exchange(ref isStopped, 1);
            public void OnCompleted() => Interlocked.CompareExchange(ref isStopped, 1, 0);
        }
        sealed class Buffer : IDisposable
        {
            private IntPtr memory = Marshal.AllocHGlobal(64);
            public void Dispose() => Marshal.FreeHGlobal(Interlocked.Exchange(ref memory, IntPtr.Zero));
        }
        static class Observers
        {
            public static IDisposable Subscribe<T>(IObservable<T> source, Action<T> onNext) => source.Subscribe(new DelegateObserver<T>(onNext));
            public static int Size() { var buffer = {|LEAK001:new Buffer()|}; return 64; }
        }
        """);

    /// <summary>
    /// Yubico's TLV objects: Dispose only wipes a managed byte array (secret hygiene), which releases nothing. A type
    /// that also disposes a member that needs it still needs disposal.
    /// </summary>
    [Fact]
    public Task DisposeThatOnlyWipesAManagedArrayReleasesNothing() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Security.Cryptography;
        sealed class Tlv : IDisposable
        {
            private readonly byte[] bytes;
            private readonly int[] scratch = new int[4];
            private bool disposed;
            public Tlv(ReadOnlySpan<byte> value) => bytes = value.ToArray();
            public ReadOnlyMemory<byte> Value => bytes;
            public void Dispose()
            {
                if (disposed) return;
                CryptographicOperations.ZeroMemory(bytes);
                Array.Clear(scratch, 0, scratch.Length);
                disposed = true;
            }
        }
        sealed class Logged : IDisposable
        {
            private readonly byte[] bytes = new byte[8];
            private readonly Stream log = File.OpenWrite("log");
            public void Dispose() { CryptographicOperations.ZeroMemory(bytes); log.Dispose(); }
        }
        static class Tlvs
        {
            public static byte[] Unpack(ReadOnlySpan<byte> data) { var tlv = new Tlv(data); return tlv.Value.ToArray(); }
            public static int Log() { var logged = {|LEAK001:new Logged()|}; return 1; }
        }
        """);

    // pythonnet's NewReference: Dispose gives the reference back through a static call; Steal moves it out.
    private const string NewReference = """
        using System;
        static class Native
        {
            public static void IncRef(IntPtr p) { }
            public static void DecRef(IntPtr p) { }
            public static void SetItemStealing(IntPtr list, int index, IntPtr stolen) { }
        }
        static class Stolen
        {
            public static IntPtr Take(ref IntPtr pointer) { var taken = pointer; pointer = IntPtr.Zero; return taken; }
            public static IntPtr Peek(ref IntPtr pointer) => pointer;
        }
        ref struct NewReference
        {
            private IntPtr pointer;
            public NewReference(IntPtr p) { Native.IncRef(p); pointer = p; }
            public IntPtr DangerousMoveToPointer() { var moved = pointer; pointer = IntPtr.Zero; return moved; }
            public IntPtr Steal() => Stolen.Take(ref pointer);
            public IntPtr Borrow() => Stolen.Peek(ref pointer);
            public void Dispose() { if (pointer != IntPtr.Zero) { Native.DecRef(pointer); pointer = IntPtr.Zero; } }
        }
        """;

    [Theory]
    [InlineData("Native.SetItemStealing(list, 0, new NewReference(item).DangerousMoveToPointer());")]
    [InlineData("Native.SetItemStealing(list, 0, new NewReference(item).Steal());")]
    [InlineData("var reference = new NewReference(item); Native.SetItemStealing(list, 0, reference.Steal());")]
    public Task MovingOutTheHandleADisposeFreesThroughAStaticCallEndsTheDuty(string body) => Verify.VerifyAsync($$"""
        {{NewReference}}
        static class Use
        {
            public static void Add(IntPtr list, IntPtr item) { {{body}} }
        }
        """);

    [Fact]
    public Task ReadingTheHandleThroughARefHelperThatKeepsItIsNotAMove() => Verify.VerifyAsync($$"""
        {{NewReference}}
        static class Use
        {
            public static void Add(IntPtr list, IntPtr item) { var reference = {|LEAK001:new NewReference(item)|}; Native.SetItemStealing(list, 0, reference.Borrow()); }
        }
        """);

    [Fact]
    public Task SafeHandleThatOnlyTheMarshallerFillsIsAnInvalidSentinelWhenMadeWithNew() => Verify.VerifyAsync("""
        using System;
        using System.Runtime.InteropServices;
        class TypeRef : SafeHandle
        {
            public TypeRef() : base(IntPtr.Zero, ownsHandle: true) { }
            public override bool IsInvalid => handle == IntPtr.Zero;
            protected override bool ReleaseHandle() { Native.Release(handle); handle = IntPtr.Zero; return true; }
            public static TypeRef None => new TypeRef();
        }
        class OwnedRef : SafeHandle
        {
            public OwnedRef() : base(IntPtr.Zero, ownsHandle: true) { }
            public OwnedRef(IntPtr existing) : base(IntPtr.Zero, ownsHandle: true) { SetHandle(existing); }
            public override bool IsInvalid => handle == IntPtr.Zero;
            protected override bool ReleaseHandle() { Native.Release(handle); return true; }
        }
        static class Native
        {
            public static void Release(IntPtr handle) { }
            [DllImport("CoreFoundation")] public static extern TypeRef SessionCreate(TypeRef allocator);
            [DllImport("CoreFoundation")] public static extern OwnedRef Wrap(OwnedRef allocator);
        }
        static class Probe
        {
            public static bool Run()
            {
                using var session = Native.SessionCreate(TypeRef.None);
                var none = new TypeRef();
                var owned = {|LEAK001:new OwnedRef()|};
                return !session.IsInvalid && none.IsInvalid && owned.IsInvalid;
            }
        }
        """);

    [Theory]
    [InlineData("Runtime.Steals(new NewReference(item).Steal());", false)]
    [InlineData("Runtime.Keep(new NewReference(item).DangerousMoveToPointer());", false)]
    [InlineData("var reference = new NewReference(item); Runtime.Steals(reference.StealNullable());", false)]
    [InlineData("var reference = {|LEAK001:new NewReference(item)|}; Runtime.Keep(reference.IsNull() ? IntPtr.Zero : item);", true)]
    public Task MovingOutEveryHandleEndsTheDutyWhenDisposeCannotBeRead(string body, bool reported) => Verify.VerifyAsync($$"""
        using System;
        readonly struct StolenReference
        {
            internal readonly IntPtr Pointer;
            private StolenReference(IntPtr pointer) { Pointer = pointer; }
            public static StolenReference TakeNullable(ref IntPtr pointer) { var stolen = pointer; pointer = IntPtr.Zero; return new StolenReference(stolen); }
        }
        static class Runtime
        {
            public static void IncRef(IntPtr pointer) { }
            public static void XDecref(StolenReference reference) { }
            public static void Steals(StolenReference reference) { }
            public static void Keep(IntPtr pointer) { }
        }
        ref struct NewReference
        {
            private IntPtr pointer;
            public NewReference(IntPtr address) { Runtime.IncRef(address); pointer = address; }
            public bool IsNull() => pointer == IntPtr.Zero;
            public IntPtr DangerousMoveToPointer() { if (this.IsNull()) throw new NullReferenceException(); var moved = this.pointer; this.pointer = IntPtr.Zero; return moved; }
            public StolenReference StealNullable() => StolenReference.TakeNullable(ref this.pointer);
            public StolenReference Steal() { if (this.IsNull()) throw new NullReferenceException(); return this.StealNullable(); }
            public void Dispose() { if (this.IsNull()) { return; } Runtime.XDecref(this.Steal()); }
        }
        static class Use
        {
            public static void Add(IntPtr item) { {{body}} }
        }
        """ + (reported ? string.Empty : "\n"));
}
