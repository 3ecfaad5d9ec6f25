namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// Readers and writers whose only resource is the stream they wrap. Over a stream the method does not own, a reader
/// needs nothing and a writer needs a Flush; disposing either would close someone else's stream.
/// </summary>
public class Wrappers
{
    [Theory]
    [InlineData("var reader = new StreamReader(input); return reader.ReadLine();")]
    [InlineData("var reader = new BinaryReader(input); return reader.ReadString();")]
    [InlineData("var reader = new StreamReader(this.shared); return reader.ReadLine();")]
    [InlineData("var xml = XmlReader.Create(input); xml.Read(); return xml.Name;")]
    [InlineData("Stream data = this.source.BaseStream; var reader = new BinaryReader(data); return reader.ReadString();")]
    [InlineData("var writer = new StreamWriter(input); writer.Write(1); writer.Flush(); return null;")]
    [InlineData("var writer = XmlWriter.Create(input); writer.WriteStartElement(\"a\"); writer.Flush(); return null;")]
    [InlineData("var owned = File.OpenRead(\"x\"); using (owned) { var reader = new StreamReader(owned, System.Text.Encoding.UTF8, false, 1024, leaveOpen: true); return reader.ReadLine(); }")]
    public Task WrapperOverAStreamTheMethodDoesNotOwn(string body) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.Xml;
        class C
        {
            Stream shared = Stream.Null;
            BinaryReader source { get; } = new BinaryReader(Stream.Null);
            string M(Stream input)
            {
                {{body}}
            }
        }
        """);

    [Fact]
    public Task SourceSubclassOfAReaderOrWriterThatAddsNothingIsThatWrapper() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Text;
        class ByteReader : BinaryReader
        {
            public ByteReader(Stream stream) : base(stream) { }
            public int Position { get => (int)BaseStream.Position; set => BaseStream.Position = value; }
        }
        sealed class ImageReader : ByteReader
        {
            public ImageReader(Stream stream) : base(stream) { }
        }
        sealed class FlaggedWriter : BinaryWriter
        {
            public int Version { get; set; }
            public FlaggedWriter(Stream stream) : base(stream) { }
        }
        sealed class BigEndianReader(Stream stream) : BinaryReader(stream, Encoding.UTF8, true)
        {
            public override uint ReadUInt32() { var b = ReadBytes(4); Array.Reverse(b); return BitConverter.ToUInt32(b, 0); }
        }
        sealed class TeeReader : BinaryReader
        {
            private readonly Stream copy;
            public TeeReader(Stream stream, string path) : base(stream) { copy = File.Create(path); }
            protected override void Dispose(bool disposing) { copy.Dispose(); base.Dispose(disposing); }
        }
        sealed class Parser : BinaryReader
        {
            private readonly Image image = new Image();
            private Parser(Stream stream) : base(stream) { image.Stream = stream; }
            public static Image Parse(Stream stream)
            {
                var parser = new Parser(stream);
                parser.image.Size = parser.ReadInt32();
                return parser.image;
            }
        }
        sealed class Image : IDisposable
        {
            public Stream Stream;
            public int Size;
            public void Dispose() => Stream.Dispose();
        }
        sealed class MemoryWriter : BinaryWriter
        {
            public MemoryWriter() : base(new MemoryStream()) { }
            public byte[] ToArray() => ((MemoryStream)BaseStream).ToArray();
        }
        sealed class FileWriter : BinaryWriter
        {
            public FileWriter(string path) : base(File.Create(path)) { }
        }
        readonly struct Lent
        {
            public readonly Stream Value;
            public Lent(Stream value) => Value = value;
        }
        sealed class LentReader : ByteReader
        {
            public LentReader(Lent lent) : base(lent.Value) { }
        }
        static class Uses
        {
            public static int OverMemory(byte[] data) => new ImageReader(new MemoryStream(data)).ReadInt32();

            public static int OverWhatTheCallerLent(Lent lent) => new LentReader(lent).ReadInt32();

            public static byte[] InMemory()
            {
                var writer = new MemoryWriter();
                writer.Write(1);
                return writer.ToArray();
            }

            public static void ToAFile(string path)
            {
                var writer = {|LEAK001:new FileWriter(path)|};
                writer.Write(1);
            }

            public static int OverTheCallers(Stream input)
            {
                var reader = new ByteReader(input);
                return reader.ReadInt32();
            }

            public static byte[] WriteAll(int version)
            {
                var data = new MemoryStream();
                var writer = new FlaggedWriter(data) { Version = version };
                writer.Write(version);
                return data.ToArray();
            }

            public static uint LeftOpen(string path)
            {
                using var file = File.OpenRead(path);
                var reader = new BigEndianReader(file);
                return reader.ReadUInt32();
            }

            public static int OverAFileItOpens(string path)
            {
                var reader = {|LEAK001:new ImageReader(File.OpenRead(path))|};
                return reader.ReadInt32();
            }

            public static uint LeftOpenOverAFileNobodyCloses(string path)
            {
                var file = {|LEAK001:File.OpenRead(path)|};
                return new BigEndianReader(file).ReadUInt32();
            }

            public static int AddsAResource(Stream input, string path)
            {
                var reader = {|LEAK001:new TeeReader(input, path)|};
                return reader.ReadInt32();
            }
        }
        """);

    [Fact]
    public Task SourceWrapperMadeByAnExtensionOrOverAReaderOfItsInput() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Canvas : IDisposable
        {
            private readonly Stream target;
            public Canvas(Stream target) { this.target = target; }
            public void Fill(byte b) => target.WriteByte(b);
            public void Dispose() => target.Dispose();
        }
        sealed class BitReader : IDisposable
        {
            private readonly BinaryReader reader;
            public BitReader(Stream input) { reader = new BinaryReader(input); }
            public int Next() => reader.ReadByte();
            public void Dispose() => reader.Dispose();
        }
        sealed class Log : IDisposable
        {
            private readonly StreamWriter writer;
            public Log(string path) { writer = new StreamWriter(path); }
            public void Dispose() => writer.Dispose();
        }
        sealed class Inflater
        {
            private readonly BitReader input;
            public Inflater(BitReader input) { this.input = input; }
            public int First() => input.Next();
        }
        static class CanvasExtensions
        {
            public static Canvas High(this Stream target) { target.Flush(); return new Canvas(target); }
        }
        static class Uses
        {
            public static void OnPaint(Stream paintTarget)
            {
                var canvas = paintTarget.High();
                canvas.Fill(1);
            }

            public static int Decompress(Stream input) => new Inflater(new BitReader(input)).First();

            public static void OverAFileItOpens(string path)
            {
                var canvas = {|LEAK001:File.OpenWrite(path).High()|};
                canvas.Fill(1);
            }

            public static int DecompressAFile(string path) => new Inflater({|LEAK002:new BitReader(File.OpenRead(path))|}).First();

            public static void Write(string path)
            {
                var log = {|LEAK001:new Log(path)|};
            }
        }
        """);

    [Fact]
    public Task PrimaryConstructorParameterKeptByTheObject() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Holder(Stream stream) : IDisposable
        {
            public int Next() => stream.ReadByte();
            public void Dispose() => stream.Dispose();
        }
        sealed record Pair(Stream Left, Stream Right) : IDisposable
        {
            public void Dispose() { Left.Dispose(); Right.Dispose(); }
        }
        static class Uses
        {
            public static int Read(string path)
            {
                var file = File.OpenRead(path);
                using var holder = new Holder(file);
                return holder.Next();
            }

            public static void Both(string a, string b)
            {
                using var pair = new Pair(File.OpenRead(a), File.OpenRead(b));
            }
        }
        """);

    [Fact]
    public Task WriterOverABorrowedStreamThatIsNotFlushed() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            void M(Stream output, bool done)
            {
                var writer = {|LEAK001:new StreamWriter(output)|};
                writer.Write("header");
                if (done)
                {
                    writer.Flush();
                }
            }
        }
        """);

    [Fact]
    public Task SchemaReadOverANonOwningXmlReader() => Verify.VerifyAsync("""
        using System.IO;
        using System.Xml;
        using System.Xml.Schema;
        class C
        {
            XmlSchema M(string path)
            {
                using var stream = File.OpenRead(path);
                return XmlSchema.Read(XmlReader.Create(stream), null);
            }
        }
        """);

    /// <summary>
    /// Velopack's <c>XmlReader.Create(input, CreateSafeSettings())</c>: a reader over the caller's stream holds nothing
    /// of its own, whatever its settings. Settings that leave the input open (none, made here, by a source helper) keep
    /// it open; settings that close it (set here, by a helper, or given) would close the caller's stream if the reader
    /// were disposed, so leaving it undisposed is right too (OsmSharp's XML source). Over a stream the method opens, the
    /// settings decide who closes it (see the tests over File.OpenRead).
    /// </summary>
    [Theory]
    [InlineData("var xml = XmlReader.Create(input, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });")]
    [InlineData("var settings = Safe(true); var xml = XmlReader.Create(input, settings);")]
    [InlineData("var xml = XmlReader.Create(input, Safe(false));")]
    [InlineData("var settings = new XmlReaderSettings(); settings.CloseInput = false; var xml = XmlReader.Create(input, settings);")]
    [InlineData("var xml = XmlReader.Create(input, null);")]
    [InlineData("var xml = XmlReader.Create(input, new XmlReaderSettings { CloseInput = true });")]
    [InlineData("var settings = Safe(true); settings.CloseInput = true; var xml = XmlReader.Create(input, settings);")]
    [InlineData("var xml = XmlReader.Create(input, given);")]
    [InlineData("var xml = XmlReader.Create(input, Closing());")]
    [InlineData("var settings = new XmlReaderSettings(); Configure(settings); var xml = XmlReader.Create(input, settings);")]
    [InlineData("var xml = XmlReader.Create(input, Configured());")]
    public Task ReaderOverABorrowedStreamWithSettingsMadeHere(string create) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.Xml;
        class C
        {
            static XmlReaderSettings Safe(bool ignoreWhiteSpace)
            {
                var settings = new XmlReaderSettings { XmlResolver = null, IgnoreWhitespace = ignoreWhiteSpace };
                return settings;
            }

            static XmlReaderSettings Closing() => new XmlReaderSettings { CloseInput = true };

            static void Configure(XmlReaderSettings settings) => settings.CloseInput = true;

            static XmlReaderSettings Configured() { var settings = new XmlReaderSettings(); Configure(settings); return settings; }

            string M(Stream input, XmlReaderSettings given)
            {
                {{create}}
                xml.Read();
                return xml.Name;
            }
        }
        """);

    [Fact]
    public Task WrapperThatOwnsWhatTheMethodCreatedStillNeedsDisposal() => Verify.VerifyAsync("""
        using System.IO;
        using System.Xml;
        class C
        {
            string M(string path)
            {
                var reader = {|LEAK001:new StreamReader(File.OpenRead(path))|};
                var xml = {|LEAK001:XmlReader.Create(path)|};
                xml.Read();
                return reader.ReadLine();
            }
        }
        """);

    [Fact]
    public Task ConditionalWriterOverABorrowedStreamFlushedOnEveryPathIsSilent() => Verify.VerifyAsync("""
        using System.IO;
        using System.Text;
        static class Saver
        {
            public static void Save(Stream stream, Encoding? encoding, string text)
            {
                var writer = encoding != null ? new StreamWriter(stream, encoding) : new StreamWriter(stream);
                writer.Write(text);
                writer.Flush();
            }

            public static void SaveOwned(string path, Encoding? encoding, string text)
            {
                var writer = [|encoding != null ? new StreamWriter(path, false, encoding) : new StreamWriter(path)|];
                writer.Write(text);
                writer.Flush();
            }
        }
        """);

    [Fact]
    public Task WrapperOverAStreamSomeoneElseDisposesHoldsNothing() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        sealed class Bits { private readonly Stream s; public Bits(Stream s) { this.s = s; } public int Read() => s.ReadByte(); }
        static class Use
        {
            public static async Task<string> Contents(string path)
            {
                using var stream = File.OpenRead(path);
                return await new StreamReader(stream).ReadToEndAsync();
            }

            public static int Detect(Stream stream) { var buffered = new BufferedStream(stream); return buffered.ReadByte(); }
            public static int Decode(Stream stream) => new Bits(new BufferedStream(stream)).Read();
            public static byte[] Encode(int value) { var writer = new BinaryWriter(new MemoryStream()); writer.Write(value); return ((MemoryStream)writer.BaseStream).ToArray(); }
            public static void Write(Stream output) { var writer = new BinaryWriter(output); writer.Write(1); }
            public static int Own(string path) { var buffered = [|new BufferedStream(File.OpenRead(path))|]; return buffered.ReadByte(); }
        }
        """);

    [Fact]
    public Task RefStructWriterOverTheCallersBufferWriter() => Verify.VerifyAsync("""
        using System;
        using System.Buffers;
        public ref struct Utf8Writer<TBufferWriter> where TBufferWriter : IBufferWriter<byte>
        {
            private Span<byte> destination;
            private TBufferWriter output;
            private int written;
            public Utf8Writer(int sizeHint, TBufferWriter output)
            {
                this.output = output;
                destination = output.GetSpan(sizeHint);
                written = 0;
            }
            public void Append(ReadOnlySpan<byte> text)
            {
                text.CopyTo(destination.Slice(written));
                written += text.Length;
            }
            public void Flush()
            {
                if (written != 0)
                {
                    output.Advance(written);
                    written = 0;
                }
            }
            public void Dispose()
            {
                Flush();
                output = default!;
                destination = default;
            }
        }
        public static class Templates
        {
            public static void Format(IBufferWriter<byte> output, byte[] text)
            {
                var writer = new Utf8Writer<IBufferWriter<byte>>(text.Length, output);
                writer.Append(text);
                writer.Flush();
            }

            public static void FormatUnflushed(IBufferWriter<byte> output, byte[] text)
            {
                var writer = {|LEAK001:new Utf8Writer<IBufferWriter<byte>>(text.Length, output)|};
                writer.Append(text);
            }
        }
        """);

    [Fact]
    public Task PacketStreamThroughASourceBaseWithAFinishingHelper() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public abstract class BaseOutputStream : Stream
        {
            public sealed override bool CanRead => false;
            public sealed override bool CanSeek => false;
            public sealed override bool CanWrite => true;
            public sealed override long Length => throw new NotSupportedException();
            public sealed override long Position { get => 0; set { } }
            public override void Flush() { }
            public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public sealed override void SetLength(long value) => throw new NotSupportedException();
        }
        public class PacketStream : BaseOutputStream
        {
            private readonly Stream output;
            private byte[]? partial = new byte[64];
            public PacketStream(Stream output) => this.output = output;
            public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);
            public void Finish()
            {
                if (partial != null)
                {
                    output.Write(partial, 0, 1);
                    Array.Clear(partial, 0, partial.Length);
                    partial = null;
                }
            }
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    Finish();
                    output.Flush();
                    output.Dispose();
                }

                base.Dispose(disposing);
            }
        }
        public static class Packets
        {
            public static void Write(Stream stream, byte[] body)
            {
                var packet = new PacketStream(stream);
                packet.Write(body, 0, body.Length);
                packet.Finish();
            }

            public static void Save(string path, byte[] body)
            {
                var packet = {|LEAK001:new PacketStream(File.Create(path))|};
                packet.Write(body, 0, body.Length);
            }
        }
        """);

    [Fact]
    public Task StreamReleasedThroughTheDisposeOfASourceBase() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public class FilterStream : Stream
        {
            protected readonly Stream s;
            public FilterStream(Stream s) { this.s = s; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => 0;
            public override long Position { get; set; }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => s.Read(buffer, offset, count);
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            public override void Write(byte[] buffer, int offset, int count) { }
            protected void Detach(bool disposing) => base.Dispose(disposing);
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    s.Dispose();
                }

                base.Dispose(disposing);
            }
        }
        public class TagReader : FilterStream
        {
            private readonly bool leaveOpen;
            public TagReader(byte[] input) : this(new MemoryStream(input, false), false) { }
            public TagReader(Stream input, bool leaveOpen) : base(input) { this.leaveOpen = leaveOpen; }
            protected override void Dispose(bool disposing)
            {
                if (leaveOpen) base.Detach(disposing); else base.Dispose(disposing);
            }
            public int Tag() => ReadByte();
        }
        public static class Tags
        {
            public static int First(byte[] data) => new TagReader(data).Tag();
            public static int First(Stream stream) => new TagReader(stream, false).Tag();
            public static int First(string path) => {|LEAK002:new TagReader(File.OpenRead(path), false)|}.Tag();
        }
        """);

    [Fact]
    public Task StreamSubclassOverTheCallersStream() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public class PassThroughStream : Stream
        {
            private readonly Stream output;
            public PassThroughStream(Stream output) { this.output = output ?? throw new ArgumentNullException(nameof(output)); }
            public PassThroughStream(Stream output, int tag) : this(output) { this.output.WriteByte((byte)tag); }
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => 0; set { } }
            public override void Flush() => output.Flush();
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    output.Flush();
                    output.Dispose();
                }

                base.Dispose(disposing);
            }
        }
        public class PacketReader : PassThroughStream
        {
            public PacketReader(byte[] input) : base(new MemoryStream(input, false)) { }
            public PacketReader(Stream input) : base(input) { }
            public int Tag() => 0;
        }
        public static class Packets
        {
            public static void Save(Stream stream, byte[] body)
            {
                var packet = new PassThroughStream(stream, 3);
                packet.Write(body, 0, body.Length);
                stream.WriteByte(1);
            }

            public static int Tag(byte[] data) => new PacketReader(data).Tag();

            public static int Tag(Stream stream) => new PacketReader(stream).Tag();

            public static void Save(string path, byte[] body)
            {
                var packet = {|LEAK001:new PassThroughStream(File.Create(path))|};
                packet.Write(body, 0, body.Length);
            }
        }
        """);

    [Fact]
    public Task SourceFactoryOfAWrapperKeepingTwoViewsOfItsInput() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.IO;
        public static class Readers
        {
            public static Cursor AsCursor(this IDataReader reader) => new Cursor(reader);
            public static Cursor Open(IDbCommand command) => new Cursor(command.ExecuteReader());

            public static List<int> ReadAll(this IDataReader reader)
            {
                var cursor = reader.AsCursor();
                var list = new List<int>();
                while (cursor.Next()) list.Add(cursor.Current);
                return list;
            }

            public static int First(IDbCommand command)
            {
                var cursor = {|LEAK001:Open(command)|};
                return cursor.Next() ? cursor.Current : 0;
            }
        }
        public sealed class Cursor : IDisposable
        {
            private readonly IDataReader reader;
            private readonly DbDataReader? db;
            public Cursor(IDataReader reader) { this.reader = reader; db = reader as DbDataReader; }
            public bool Next() => reader.Read();
            public int Current => reader.GetInt32(0);
            public void Dispose() { if (db != null) db.Dispose(); else reader.Dispose(); }
        }
        """);

    [Fact]
    public Task SourceFactoryOfAWrapperOverAMemberItWasNotGiven() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        interface ILoggerFactory : IDisposable { }
        sealed class Settings { public Settings(ILoggerFactory factory) => LoggerFactory = factory; public ILoggerFactory LoggerFactory { get; } }
        sealed class Categorized : ILoggerFactory
        {
            private readonly ILoggerFactory inner;
            public Categorized(ILoggerFactory inner) { this.inner = Guard.NotNull(inner); }
            public void Dispose() => inner.Dispose();
        }
        static class Guard { public static T NotNull<T>(T value) where T : class => value ?? throw new ArgumentNullException(nameof(value)); }
        sealed class FileLoggerFactory : ILoggerFactory { private readonly Stream log = File.OpenWrite("log"); public void Dispose() => log.Dispose(); }
        sealed class Pool { private readonly ILoggerFactory factory; public Pool(ILoggerFactory factory) { this.factory = factory; } }
        static class Factories
        {
            public static ILoggerFactory ToInternal(this Settings settings) => new Categorized(settings.LoggerFactory);
            public static ILoggerFactory Wrap(ILoggerFactory factory) => new Categorized(factory);
        }
        static class Use
        {
            public static Pool Build(Settings settings) => new Pool(settings.ToInternal());
            public static void Made() { var made = new FileLoggerFactory(); var owner = [|Factories.Wrap(made)|]; }
        }
        """);

    [Fact]
    public Task ReaderMadeByASourceHelperOwnsWhatItWasGiven() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Text;
        class SwappingReader : BinaryReader
        {
            private bool swap = true;
            private byte[] scratch = new byte[8];
            public SwappingReader(Stream input, bool leaveOpen) : base(input, Encoding.UTF8, leaveOpen) { }
            public override int ReadInt32() { scratch[0] = 0; return swap ? 1 : base.ReadInt32(); }
        }
        static class EndianIO
        {
            public static BinaryReader Create(Stream input, bool bigEndian, bool leaveOpen)
            {
                if (input == null) throw new ArgumentNullException(nameof(input));
                return bigEndian ? new SwappingReader(input, leaveOpen) : new BinaryReader(input, Encoding.UTF8, leaveOpen);
            }

            public static StreamReader Text(Stream input) => new StreamReader(input);
        }
        sealed class Source
        {
            private readonly Stream stream;
            private BinaryReader reader;
            public Source(Stream stream) { this.stream = stream; reader = EndianIO.Create(stream, false, false); }
            public void Swap() { reader = EndianIO.Create(stream, true, false); }
            public int Next() => reader.ReadInt32();
        }
        static class Use
        {
            public static int InMemory(byte[] data) { var reader = EndianIO.Create(new MemoryStream(data), true, false); return reader.ReadUInt16(); }
            public static int Given(Stream input) { var reader = EndianIO.Create(input, true, false); return reader.ReadUInt16(); }
            public static string GivenText(Stream input) => EndianIO.Text(input).ReadToEnd();
            public static int OverAFile(string path) { var reader = [|EndianIO.Create(File.OpenRead(path), true, false)|]; return reader.ReadUInt16(); }
            public static string OverAFileText(string path) { var reader = [|EndianIO.Text(File.OpenRead(path))|]; return reader.ReadToEnd(); }
        }
        """);

    [Fact]
    public Task SourceWrapperWithTheDisposePatternOverWhatItWasNotGiven() => Verify.VerifyAsync("""
        using System;
        using System.Data;
        class Factory : IDisposable
        {
            public IDbConnection Connection { get; set; }
            public Factory(IDbConnection connection) { Connection = connection; }
            public int Count() => Connection.ConnectionTimeout;
            protected virtual void Dispose(bool disposing) { if (disposing) Connection.Dispose(); Connection = null; }
            public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }
        }
        class Query { public IDbConnection Connection { get; set; } }
        static class Extensions
        {
            public static int Count(this Query query) { var db = Create(query); return db.Count(); }
            public static int Direct(IDbConnection given) { var db = new Factory(given); return db.Count(); }
            internal static Factory Create(Query query) => new Factory(query.Connection);
        }
        class Holder : IDisposable
        {
            public System.IO.Stream Inner { get; }
            public Holder(System.IO.Stream inner) { Inner = inner; }
            protected virtual void Dispose(bool disposing) { if (disposing) Inner.Dispose(); }
            public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }
        }
        static class Holders
        {
            public static long Given(System.IO.Stream given) { var holder = new Holder(given); return holder.Inner.Length; }
            public static long Opened(string path) { var holder = [|new Holder(System.IO.File.OpenRead(path))|]; return holder.Inner.Length; }
        }
        """);

    [Fact]
    public Task ReaderOverAParameterSeenThroughACastOrATypeTest() => Verify.VerifyAsync("""
        using System.IO;
        static class Errors
        {
            public static string Cast(object content)
            {
                var stream = content as Stream;
                var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }

            public static string Pattern(object content)
            {
                if (content is Stream stream)
                {
                    var reader = new StreamReader(stream);
                    return reader.ReadToEnd();
                }

                return null;
            }

            public static int Negated(object x, object y)
            {
                if (x is not Stream first || y is not Stream second)
                {
                    return 0;
                }

                var a = new BinaryReader(first);
                var b = new BinaryReader(second);
                return a.ReadByte() - b.ReadByte();
            }

            public static string Opened(object content)
            {
                var stream = content as Stream ?? File.OpenRead("fallback");
                var reader = [|new StreamReader(stream)|];
                return reader.ReadToEnd();
            }
        }
        """);

    [Fact]
    public Task SourceWrapperOverWhatItsCreatorReleasesOwnsNothing() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading;
        class ApiClient : IDisposable { private readonly Stream stream = File.OpenRead("x"); public void Dispose() => stream.Dispose(); }
        class RestClient : IDisposable
        {
            private readonly SemaphoreSlim stateLock = new SemaphoreSlim(1, 1);
            internal ApiClient Api { get; }
            internal RestClient(ApiClient api) { Api = api ?? throw new ArgumentNullException(nameof(api)); }
            public void Dispose() { Api.Dispose(); stateLock.Dispose(); }
        }
        class LoggingClient : IDisposable
        {
            private readonly Stream log = File.OpenWrite("log");
            internal ApiClient Api { get; }
            internal LoggingClient(ApiClient api) { Api = api; }
            public void Dispose() { Api.Dispose(); log.Dispose(); }
        }
        sealed class SocketClient : IDisposable
        {
            private readonly ApiClient api;
            public RestClient Rest { get; }
            public SocketClient() { api = new ApiClient(); Rest = new RestClient(api); }
            public void Dispose() => api.Dispose();

            public static void Borrowed(ApiClient given) { var rest = new RestClient(given); }
            public static void OwnedHere() { var made = new ApiClient(); var rest = [|new RestClient(made)|]; }
            public static void WithAResourceOfItsOwn(ApiClient given) { var logging = [|new LoggingClient(given)|]; }
        }
        """);

    [Theory]
    [InlineData("var text = new StringWriter(); var xml = new XmlTextWriter(text); xml.WriteStartElement(\"a\"); xml.Flush(); return text.ToString();")]
    [InlineData("using var text = new StringWriter(); var xml = new XmlTextWriter(text); xml.WriteStartElement(\"a\"); xml.Flush(); return text.ToString();")]
    [InlineData("var xml = new XmlTextReader(new StringReader(input)); xml.Read(); return xml.Name;")]
    [InlineData("var xml = new XmlTextReader(new StreamReader(stream)); xml.Read(); return xml.Name;")]
    [InlineData("var xml = new XmlTextWriter(output); xml.WriteStartElement(\"a\"); xml.Flush(); return null;")]
    public Task TextWrapperOverAnInMemoryOrBorrowedTextReaderOrWriter(string body) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.Xml;
        class C
        {
            string M(string input, Stream stream, TextWriter output)
            {
                {{body}}
            }
        }
        """);

    [Fact]
    public Task TextWrapperOverAFileItOpensIsOwned() => Verify.VerifyAsync("""
        using System.IO;
        using System.Xml;
        class C
        {
            string M(string path)
            {
                var xml = {|LEAK001:new XmlTextReader(new StreamReader(path))|};
                xml.Read();
                return xml.Name;
            }
        }
        """);

    [Theory]
    [InlineData("var text = new StringWriter(); var code = new IndentedTextWriter(text); code.WriteLine(\"class C\"); return text.ToString();")]
    [InlineData("using var stream = new MemoryStream(); var json = new Utf8JsonWriter(stream); json.WriteStartObject(); json.WriteEndObject(); json.Flush(); return Encoding.UTF8.GetString(stream.ToArray());")]
    [InlineData("var buffer = new ArrayBufferWriter<byte>(); var json = new Utf8JsonWriter(buffer); JsonSerializer.Serialize(json, 42); return Encoding.UTF8.GetString(buffer.WrittenSpan);")]
    [InlineData("var json = new Utf8JsonWriter(output); json.WriteNumberValue(1); json.Flush(); return null;")]
    public Task IndentingAndJsonWritersOverWhatTheMethodDoesNotOwn(string body) => Verify.VerifyAsync($$"""
        using System.Buffers;
        using System.CodeDom.Compiler;
        using System.IO;
        using System.Text;
        using System.Text.Json;
        class C
        {
            string M(Stream output)
            {
                {{body}}
            }
        }
        """);

    [Theory]
    [InlineData("var json = {|LEAK001:new Utf8JsonWriter(output)|}; json.WriteNumberValue(1);")]
    [InlineData("var json = {|LEAK001:new Utf8JsonWriter({|LEAK002:File.OpenWrite(path)|})|}; json.WriteNumberValue(1); json.Flush();")]
    public Task JsonWriterNotFlushedOrOverAFileItOpens(string body) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.Text.Json;
        class C
        {
            void M(Stream output, string path)
            {
                {{body}}
            }
        }
        """);

    [Theory]
    [InlineData("var handler = factory.CreateHandler(\"api\"); var invoker = new HttpMessageInvoker(handler, disposeHandler: true); return invoker.SendAsync(request, default);")]
    [InlineData("var client = new HttpClient(shared); return client.SendAsync(request);")]
    public Task ClientOverAHandlerTheMethodDoesNotOwn(string body) => Verify.VerifyAsync($$"""
        using System.Net.Http;
        using System.Threading.Tasks;
        public interface IHandlerFactory { HttpMessageHandler CreateHandler(string name); }
        class C
        {
            private readonly HttpMessageHandler shared = new SocketsHttpHandler();
            Task<HttpResponseMessage> Send(IHandlerFactory factory, HttpRequestMessage request)
            {
                {{body}}
            }
        }
        """.Replace("new SocketsHttpHandler()", "null"));

    [Fact]
    public Task ClientOverAHandlerItCreatesIsOwned() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class C
        {
            Task<HttpResponseMessage> Send(HttpRequestMessage request)
            {
                var client = {|LEAK001:new HttpClient(new SocketsHttpHandler())|};
                return client.SendAsync(request);
            }
        }
        """);

    [Fact]
    public Task WrapperOfALibraryThatLeavesItsInputOpenByItsFlag()
    {
        // TechnitiumLibrary's OffsetStream, seen through metadata: ownsStream defaults to false.
        var test = new Verify.Test
        {
            TestCode = """
                using System.IO;
                using System.Threading.Tasks;
                static class Download
                {
                    public static async Task CopyLog(string path, Stream output, long limit)
                    {
                        using var file = File.OpenRead(path);
                        var window = new Lib.OffsetStream(file, 0, limit);
                        await window.CopyToAsync(output);
                    }

                    public static async Task CopyOwned(Stream input, Stream output, long limit)
                    {
                        var window = {|LEAK001:new Lib.OffsetStream(input, 0, limit, ownsStream: true)|};
                        await window.CopyToAsync(output);
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(Verifiers.TestSetup.CompileLibrary("Lib", """
            using System.IO;
            namespace Lib
            {
                public class OffsetStream : Stream
                {
                    private readonly Stream stream;
                    private readonly bool ownsStream;
                    public OffsetStream(Stream stream, long offset = 0, long length = 0, bool readOnly = false, bool ownsStream = false) { this.stream = stream; this.ownsStream = ownsStream; }
                    protected override void Dispose(bool disposing) { if (disposing && ownsStream) stream.Dispose(); base.Dispose(disposing); }
                    public override bool CanRead => true;
                    public override bool CanSeek => false;
                    public override bool CanWrite => false;
                    public override long Length => 0;
                    public override long Position { get; set; }
                    public override void Flush() { }
                    public override int Read(byte[] buffer, int offset, int count) => stream.Read(buffer, offset, count);
                    public override long Seek(long offset, SeekOrigin origin) => 0;
                    public override void SetLength(long value) { }
                    public override void Write(byte[] buffer, int offset, int count) { }
                }
            }
            """));
        return test.RunAsync();
    }

    /// <summary>
    /// A writer over the stream the method returns (snowflake's encryption of an upload) must leave it open: a
    /// CryptoStream finished with FlushFinalBlock holds nothing else (it never disposes the transform it is given).
    /// A GZipStream keeps native deflate state until disposed, so over the same stream it is still reported: it
    /// wants <c>leaveOpen: true</c> and a dispose.
    /// </summary>
    [Fact]
    public Task WriterOverTheStreamTheMethodReturns() => Verify.VerifyAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Security.Cryptography;
        class C
        {
            Stream Encrypt(Stream input, ICryptoTransform transform, string path)
            {
                var target = new FileStream(path, FileMode.Create);
                var cipher = new CryptoStream(target, transform, CryptoStreamMode.Write);
                input.CopyTo(cipher);
                cipher.FlushFinalBlock();
                target.Position = 0;
                return target;
            }

            Stream Compress(Stream input, string path)
            {
                var target = new FileStream(path, FileMode.Create);
                var zip = {|LEAK001:new GZipStream(target, CompressionMode.Compress)|};
                input.CopyTo(zip);
                zip.Flush();
                target.Position = 0;
                return target;
            }

            Stream Unfinished(Stream input, string path)
            {
                var target = new FileStream(path, FileMode.Create);
                var writer = {|LEAK001:new StreamWriter(target)|};
                writer.Write(input.Length);
                return target;
            }
        }
        """);

    /// <summary>
    /// Reader and writer members over <c>ssl as Stream ?? ns</c> (RethinkDb's socket wrapper), streams the type closes
    /// itself: either side is a member the wrapper does not own, so the wrappers hold nothing to dispose. Over a
    /// stream made right there, the wrapper owns it.
    /// </summary>
    [Fact]
    public Task WrapperMembersOverEitherOfTwoStreamMembers() => Verify.VerifyAsync("""
        using System.IO;
        using System.Net.Security;
        using System.Net.Sockets;
        class Connection
        {
            private NetworkStream ns;
            private SslStream ssl;
            private BinaryWriter bw;
            private BinaryReader br;
            private BinaryReader {|LEAK003:made|};

            public void Connect(Socket socket, bool secure)
            {
                ns = new NetworkStream(socket, ownsSocket: true);
                if (secure) ssl = new SslStream(ns, leaveInnerStreamOpen: false);
                bw = new BinaryWriter(ssl as Stream ?? ns);
                br = new BinaryReader(secure ? ssl : ns);
                made = new BinaryReader(ssl as Stream ?? new MemoryStream(new byte[4]) as Stream ?? File.OpenRead("x"));
            }

            public void Close()
            {
                ssl?.Dispose();
                ns.Dispose();
            }
        }
        """);

    /// <summary>
    /// An XmlTextWriter over the caller's TextWriter writes straight into it (OpenSim's scene saver flushes the caller's
    /// writer): it needs neither a dispose nor a flush of its own. Over a stream it makes a buffering writer of its own.
    /// An XmlReader made with CloseInput over a reader of a stream the type was given (OsmSharp's source) must not be
    /// disposed either: it would close the caller's stream.
    /// </summary>
    [Fact]
    public Task XmlWritersAndReadersOverWhatTheCodeDoesNotOwn() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Text;
        using System.Xml;
        static class Saver
        {
            public static void Save(string[] names, TextWriter output)
            {
                var writer = new XmlTextWriter(output);
                foreach (var n in names) { writer.WriteElementString("item", n); }
                output.Flush();
            }

            public static string First(string path)
            {
                var xml = {|LEAK001:XmlReader.Create(File.OpenRead(path), new XmlReaderSettings { CloseInput = true })|};
                xml.Read();
                return xml.Name;
            }

            public static void SaveTo(string[] names, Stream output)
            {
                var writer = {|LEAK001:new XmlTextWriter(output, Encoding.UTF8)|};
                foreach (var n in names) { writer.WriteElementString("item", n); }
            }
        }

        class Source : IDisposable
        {
            private readonly Stream stream;
            private XmlReader reader;
            public Source(Stream stream) => this.stream = stream;
            public void Reset()
            {
                var settings = new XmlReaderSettings { CloseInput = true };
                stream.Seek(0, SeekOrigin.Begin);
                var text = new StreamReader(stream, Encoding.UTF8);
                reader = XmlReader.Create(text, settings);
            }

            public bool MoveNext() { if (reader == null) Reset(); return reader.Read(); }
            public void Dispose() { }
        }
        """);

    /// <summary>
    /// Writers over a stream another object keeps, flushed by <c>XmlDocument.Save(writer)</c> (EPPlus's parts), and a
    /// CryptoStream made to read over a stream a using disposes: nothing of their own is left. A CryptoStream made to
    /// write over the caller's stream and never finished still is.
    /// </summary>
    [Fact]
    public Task WritersFlushedByXmlSaveAndCryptoStreamsThatOnlyRead() => Verify.VerifyAsync("""
        using System.IO;
        using System.Security.Cryptography;
        using System.Text;
        using System.Xml;
        sealed class Part
        {
            private MemoryStream stream;
            public Stream GetStream() => stream ??= new MemoryStream();
        }

        static class Saver
        {
            public static void Save(Part part, XmlDocument xml)
            {
                var writer = new StreamWriter(part.GetStream());
                xml.Save(writer);
            }

            public static void SaveXml(Part part, XmlDocument xml)
            {
                var writer = new XmlTextWriter(part.GetStream(), Encoding.UTF8);
                xml.Save(writer);
            }

            public static byte[] First16(byte[] data, ICryptoTransform decryptor)
            {
                var result = new byte[16];
                using (var input = new MemoryStream(data))
                {
                    var crypto = new CryptoStream(input, decryptor, CryptoStreamMode.Read);
                    crypto.Read(result, 0, 16);
                }

                return result;
            }

            public static void Append(byte[] data, ICryptoTransform encryptor, Stream output)
            {
                var crypto = {|LEAK001:new CryptoStream(output, encryptor, CryptoStreamMode.Write)|};
                crypto.Write(data, 0, data.Length);
            }
        }
        """);
}
