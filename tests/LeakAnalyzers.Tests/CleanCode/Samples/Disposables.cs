// Leak-free code written the way real services are: every disposable it creates is disposed or handed over.
// Every analyzer of the package must stay silent on this file.
#nullable enable
namespace CleanCode.Disposables
{
    using System;
    using System.Buffers;
    using System.Collections.Concurrent;
    using System.Collections.Generic;
    using System.IO;
    using System.IO.Compression;
    using System.Linq;
    using System.Net.Http;
    using System.Net.Sockets;
    using System.Security.Cryptography;
    using System.Text;
    using System.Text.Json;
    using System.Threading;
    using System.Threading.Tasks;

    public sealed class ReportWriter
    {
        public async Task WriteAsync(string path, IEnumerable<string> lines, CancellationToken cancellationToken)
        {
            await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using var writer = new StreamWriter(stream, Encoding.UTF8);
            foreach (var line in lines)
            {
                await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            }
        }

        public string ReadAll(string path)
        {
            using (var reader = new StreamReader(File.OpenRead(path)))
            {
                return reader.ReadToEnd();
            }
        }

        public byte[] Compress(byte[] data)
        {
            var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(data, 0, data.Length);
            }

            return output.ToArray();
        }

        public string Hash(string path)
        {
            using var sha = SHA256.Create();
            using var stream = File.OpenRead(path);
            return Convert.ToHexString(sha.ComputeHash(stream));
        }

        public Stream OpenForCaller(string path) => File.OpenRead(path);

        public Stream OpenBuffered(string path)
        {
            var file = File.OpenRead(path);
            return new BufferedStream(file);
        }

        public bool TryOpen(string path, out Stream? stream)
        {
            if (!File.Exists(path))
            {
                stream = null;
                return false;
            }

            stream = File.OpenRead(path);
            return true;
        }

        public int FirstByteOrDefault(string path, bool skip)
        {
            FileStream? stream = null;
            try
            {
                stream = new FileStream(path, FileMode.Open);
                return skip ? -1 : stream.ReadByte();
            }
            finally
            {
                stream?.Dispose();
            }
        }

        public int ParseCount(string json)
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("count").GetInt32();
        }
    }

    public sealed class PriceClient : IDisposable
    {
        private readonly HttpClient http;
        private readonly bool ownsHttp;
        private readonly SemaphoreSlim gate = new SemaphoreSlim(4);
        private readonly CancellationTokenSource stopping = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        private Timer? refresh;

        public PriceClient(HttpClient http)
        {
            this.http = http;
        }

        public PriceClient()
        {
            http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
            ownsHttp = true;
        }

        public void StartRefreshing(TimeSpan every)
        {
            refresh?.Dispose();
            refresh = new Timer(_ => { }, null, TimeSpan.Zero, every);
        }

        public async Task<decimal> GetAsync(string symbol, CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var both = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, timeout.Token);
            await gate.WaitAsync(both.Token);
            try
            {
                using var response = await http.GetAsync("https://example.com/" + symbol, both.Token);
                response.EnsureSuccessStatusCode();
                var text = await response.Content.ReadAsStringAsync(both.Token);
                return decimal.Parse(text);
            }
            finally
            {
                gate.Release();
            }
        }

        public void Dispose()
        {
            refresh?.Dispose();
            stopping.Dispose();
            gate.Dispose();
            if (ownsHttp)
            {
                http.Dispose();
            }
        }
    }

    public class Connection : IDisposable
    {
        private readonly Socket socket;
        private readonly NetworkStream stream;
        private bool disposed;

        public Connection(Socket socket)
        {
            this.socket = socket;
            stream = new NetworkStream(socket, ownsSocket: false);
        }

        public static Connection Open(string host, int port)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(host, port);
                return new Connection(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public int Read(byte[] buffer) => stream.Read(buffer, 0, buffer.Length);

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposed)
            {
                return;
            }

            if (disposing)
            {
                stream.Dispose();
                socket.Dispose();
            }

            disposed = true;
        }
    }

    public sealed class ConnectionPool : IDisposable
    {
        private readonly ConcurrentBag<Connection> idle = new ConcurrentBag<Connection>();
        private readonly List<IDisposable> owned = new List<IDisposable>();

        public Connection Rent(string host) => idle.TryTake(out var connection) ? connection : Connection.Open(host, 80);

        public void Return(Connection connection) => idle.Add(connection);

        public void Track(string path) => owned.Add(File.OpenRead(path));

        public void Dispose()
        {
            foreach (var connection in idle)
            {
                connection.Dispose();
            }

            foreach (var item in owned)
            {
                item.Dispose();
            }
        }
    }

    public sealed class Lease : IDisposable
    {
        private readonly ConnectionPool pool;
        private readonly Connection connection;

        public Lease(ConnectionPool pool, Connection connection)
        {
            this.pool = pool;
            this.connection = connection;
        }

        public void Dispose() => pool.Return(connection);
    }

    public static class PoolUser
    {
        public static int ReadFirst(ConnectionPool pool, string host)
        {
            var connection = pool.Rent(host);
            using var lease = new Lease(pool, connection);
            var buffer = ArrayPool<byte>.Shared.Rent(16);
            try
            {
                return connection.Read(buffer);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public static IEnumerable<string> ReadLines(string path)
        {
            using var reader = File.OpenText(path);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                yield return line;
            }
        }

        public static int CountWords(string text)
        {
            var reader = new StringReader(text);
            return reader.ReadToEnd().Split(' ').Length;
        }

        public static Task<int> RunAsync(Func<int> work) => Task.Run(work);

        public static async Task<string> DownloadAsync(IHttpClientFactoryLike factory, string url)
        {
            var client = factory.CreateClient("prices");
            return await client.GetStringAsync(url);
        }

        public static string Describe(IServiceProvider services)
        {
            var service = (IDisposable?)services.GetService(typeof(IDisposable));
            return service?.ToString() ?? "none";
        }

        public static void Copy(string from, string to)
        {
            using var source = File.OpenRead(from);
            using var destination = File.Create(to);
            source.CopyTo(destination);
        }

        public static Stream Choose(string path, bool compressed)
        {
            Stream file = File.OpenRead(path);
            return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
        }

        public static int Sum(IEnumerable<int> values) => values.Where(v => v > 0).Sum();
    }

    // A payload that returns its buffer to the pool only when it rented it: built over a plain array, it holds nothing.
    public readonly struct Payload : IDisposable
    {
        private readonly bool rented;

        public Payload(byte[] data) => Data = data;

        public Payload(byte[] data, bool rented = false)
        {
            Data = data;
            this.rented = rented;
        }

        public byte[] Data { get; }

        public static Payload Rent(int size) => new(ArrayPool<byte>.Shared.Rent(size), rented: true);

        public void Dispose()
        {
            if (rented)
            {
                ArrayPool<byte>.Shared.Return(Data);
            }
        }
    }

    public static class PayloadSender
    {
        public static int Send(Stream output, string text)
        {
            var payload = new Payload(Encoding.UTF8.GetBytes(text));
            output.Write(payload.Data, 0, payload.Data.Length);
            using var pooled = Payload.Rent(16);
            return payload.Data.Length + pooled.Data.Length;
        }
    }

    // A builder over a pooled buffer whose ToString returns the buffer: the caller ends it by reading the result.
    public sealed class PooledStringBuilder : IDisposable
    {
        private char[] buffer = ArrayPool<char>.Shared.Rent(64);
        private int length;

        public PooledStringBuilder Append(string text)
        {
            if (length + text.Length > buffer.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent((length + text.Length) * 2);
                Array.Copy(buffer, larger, length);
                ArrayPool<char>.Shared.Return(buffer);
                buffer = larger;
            }

            text.CopyTo(0, buffer, length, text.Length);
            length += text.Length;
            return this;
        }

        public override string ToString()
        {
            var result = new string(buffer, 0, length);
            Dispose();
            return result;
        }

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(buffer);
            buffer = Array.Empty<char>();
            length = 0;
        }

        public static string Join(IEnumerable<string> parts)
        {
            var builder = new PooledStringBuilder();
            foreach (var part in parts)
            {
                builder.Append(part).Append(",");
            }

            return builder.ToString();
        }
    }

    // A process-wide registry: one instance, built by its own static initializer, holding its lock for the process.
    public sealed class ProviderRegistry
    {
        private readonly ReaderWriterLockSlim gate = new();
        private readonly Dictionary<string, Func<string>> providers = new();

        private ProviderRegistry()
        {
        }

        public static ProviderRegistry Instance { get; } = new();

        public string? Resolve(string name)
        {
            gate.EnterReadLock();
            try
            {
                return providers.TryGetValue(name, out var provider) ? provider() : null;
            }
            finally
            {
                gate.ExitReadLock();
            }
        }
    }

    // A writer that only changes the encoding of a StringWriter holds nothing to release.
    public sealed class Utf8StringWriter : StringWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public static string Describe(object value)
        {
            var writer = new Utf8StringWriter();
            writer.Write(value);
            return writer.ToString();
        }
    }

    public interface IHttpClientFactoryLike
    {
        HttpClient CreateClient(string name);
    }
}

namespace CleanCode.Disposables.Protocols
{
    using System;
    using System.Collections.Generic;
    using System.Data;
    using System.Data.Common;
    using System.Diagnostics;
    using System.IO;
    using System.Net.Sockets;
    using System.Security.Cryptography;
    using System.Threading;

    // An asynchronous-programming-model operation: EndRead closes the wait handle it hands out.
    public sealed class LineReader
    {
        private readonly Stream stream;

        public LineReader(Stream stream) => this.stream = stream;

        public IAsyncResult BeginRead(byte[] buffer, AsyncCallback? callback, object? state) => new ReadOperation(stream, buffer, callback, state);

        public int EndRead(IAsyncResult result)
        {
            var operation = (ReadOperation)result;
            operation.AsyncWaitHandle.WaitOne();
            operation.AsyncWaitHandle.Close();
            return operation.Count;
        }

        private sealed class ReadOperation : IAsyncResult
        {
            private readonly ManualResetEvent done = new ManualResetEvent(false);

            public ReadOperation(Stream stream, byte[] buffer, AsyncCallback? callback, object? state)
            {
                AsyncState = state;
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    Count = stream.Read(buffer, 0, buffer.Length);
                    IsCompleted = true;
                    done.Set();
                    callback?.Invoke(this);
                });
            }

            public int Count { get; private set; }

            public object? AsyncState { get; }

            public WaitHandle AsyncWaitHandle => done;

            public bool CompletedSynchronously => false;

            public bool IsCompleted { get; private set; }
        }
    }

    // A reusable operation object: its finalizer runs Dispose, which only lets go of managed references.
    public sealed class ReadLineOperation : IDisposable
    {
        private bool disposed;
        private byte[]? buffer;

        public ReadLineOperation(int size) => buffer = new byte[size];

        ~ReadLineOperation()
        {
            Dispose();
        }

        public event EventHandler? Completed;

        public int Capacity => buffer?.Length ?? 0;

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            buffer = null;
            Completed = null;
        }

        public static int DefaultCapacity() => new ReadLineOperation(4096).Capacity;
    }

    // Opening a link in the browser: a launch, made for its effect.
    public static class Links
    {
        public static void Open(string url) => Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
    }

    // A cursor over the caller's reader: it keeps the reader twice (as it is and as a DbDataReader) and must not close it.
    public sealed class RowCursor : IDisposable
    {
        private readonly IDataReader reader;
        private readonly DbDataReader? db;

        public RowCursor(IDataReader reader)
        {
            this.reader = reader;
            db = reader as DbDataReader;
        }

        public bool Next() => reader.Read();

        public int Current => reader.GetInt32(0);

        public void Dispose()
        {
            if (db != null)
            {
                db.Dispose();
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    public static class RowCursors
    {
        public static RowCursor AsCursor(this IDataReader reader) => new RowCursor(reader);

        public static List<int> ReadAll(this IDataReader reader)
        {
            var cursor = reader.AsCursor();
            var rows = new List<int>();
            while (cursor.Next())
            {
                rows.Add(cursor.Current);
            }

            return rows;
        }
    }

    // An adapter that owns its log source and listens to it: the subscription ends with the source.
    public interface ILogSource : IObservable<string>, IDisposable
    {
    }

    public sealed class LogAdapter : IDisposable, IObserver<string>
    {
        private readonly ILogSource source;
        private readonly List<string> lines = new List<string>();

        public LogAdapter(ILogSource source)
        {
            this.source = source ?? throw new ArgumentNullException(nameof(source));
            this.source.Subscribe(this);
        }

        public IReadOnlyList<string> Lines => lines;

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(string value) => lines.Add(value);

        public void Dispose() => source.Dispose();
    }

    // An inflater whose writer works over its own new memory stream: dropping it holds nothing but managed memory.
    public sealed class Inflater : IDisposable
    {
        private readonly MemoryStream output;
        private readonly BinaryWriter writer;

        public Inflater(byte[] data)
        {
            output = new MemoryStream();
            writer = new BinaryWriter(output);
            writer.Write(data);
        }

        public byte[] Result => output.ToArray();

        public void Dispose()
        {
            writer.Dispose();
            output.Dispose();
        }

        public static byte[] Inflate(byte[] data) => new Inflater(data).Result;
    }

    // An FTP-style transfer: one mode field decides both where the data connection comes from and whether it is
    // accepted later; the listener is stopped and the client disposed on the path that made them.
    public enum TransferMode { Active, Passive }

    public sealed class DataChannel
    {
        private TransferMode mode = TransferMode.Passive;

        public void Configure(TransferMode value) => mode = value;

        private static void Send(string command) => Console.WriteLine(command);

        public int ReadFirstByte(string host)
        {
            System.Net.Sockets.TcpListener? listener = null;
            TcpClient? client = null;
            if (mode == TransferMode.Active)
            {
                listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
                listener.Start();
            }
            else
            {
                client = new TcpClient(host, 20);
            }

            Send("RETR");
            if (mode == TransferMode.Active)
            {
                client = listener!.AcceptTcpClient();
            }

            try
            {
                return client!.GetStream().ReadByte();
            }
            finally
            {
                client!.Dispose();
                if (mode == TransferMode.Active)
                {
                    listener!.Stop();
                }
            }
        }
    }

    // A logger factory handing out the logger itself, or a blocking wrapper that owns it, through interfaces.
    public interface IEventLog
    {
        void Write(string message);

        IEventLog Blocking(TimeSpan timeout);
    }

    public interface IOwnedEventLog : IEventLog, IDisposable
    {
        IEventLog Log { get; }
    }

    internal sealed class FileEventLog : IOwnedEventLog
    {
        private readonly StreamWriter writer = new StreamWriter(Path.GetTempFileName());

        public IEventLog Log => this;

        public void Write(string message) => writer.WriteLine(message);

        public IEventLog Blocking(TimeSpan timeout) => new BlockingEventLog(this, timeout);

        public void Dispose() => writer.Dispose();
    }

    internal sealed class BlockingEventLog : IEventLog, IDisposable
    {
        private readonly FileEventLog inner;
        private readonly TimeSpan timeout;

        public BlockingEventLog(FileEventLog inner, TimeSpan timeout)
        {
            this.inner = inner;
            this.timeout = timeout;
        }

        public void Write(string message) => inner.Write(message + timeout);

        public IEventLog Blocking(TimeSpan other) => new BlockingEventLog(inner, other);

        public void Dispose() => inner.Dispose();
    }

    public static class EventLogs
    {
        public static IEventLog Create(TimeSpan? timeout)
        {
            IOwnedEventLog log = new FileEventLog();
            return timeout.HasValue ? log.Blocking(timeout.Value) : log.Log;
        }
    }

    // Crypto objects released with Clear(), secrets wiped by Dispose, and XML read from the caller's stream.
    public static class Secrets
    {
        public static byte[] Digest(byte[] data)
        {
            var sha = SHA256.Create();
            var hash = sha.ComputeHash(data);
            sha.Clear();
            return hash;
        }

        public static System.Xml.Linq.XDocument LoadSafe(Stream input)
        {
            var settings = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null };
            var reader = System.Xml.XmlReader.Create(input, settings);
            return System.Xml.Linq.XDocument.Load(reader);
        }

        public static int TagOf(ReadOnlySpan<byte> data)
        {
            var tlv = new SecretValue(data);
            return tlv.Length;
        }
    }

    public sealed class SecretValue : IDisposable
    {
        private readonly byte[] bytes;

        public SecretValue(ReadOnlySpan<byte> value) => bytes = value.ToArray();

        public int Length => bytes.Length;

        public void Dispose() => Array.Clear(bytes, 0, bytes.Length);
    }
}

namespace CleanCode.Disposables.Lifetimes
{
    using System;
    using System.Collections.Concurrent;
    using System.IO;
    using System.Security.Cryptography;
    using System.Threading;
    using System.Threading.Tasks;

    // A pending request that removes itself from the registry when its answer arrives; callers only await it.
    public sealed class PendingReplies
    {
        private readonly ConcurrentDictionary<int, PendingReply> pending = new();
        private int next;

        public int Register(PendingReply reply)
        {
            var id = Interlocked.Increment(ref next);
            pending[id] = reply;
            return id;
        }

        public void Forget(int id) => pending.TryRemove(id, out _);

        public void Answer(int id, string value)
        {
            if (pending.TryGetValue(id, out var reply))
            {
                reply.Complete(value);
            }
        }

        public Task<string> AskAsync(Func<int, ValueTask> send)
        {
            var reply = new PendingReply(this);
            _ = send(reply.Id);
            return reply.Task;
        }
    }

    public sealed class PendingReply : IDisposable
    {
        private readonly PendingReplies owner;
        private readonly TaskCompletionSource<string> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PendingReply(PendingReplies owner)
        {
            this.owner = owner;
            Id = owner.Register(this);
        }

        public int Id { get; }

        public Task<string> Task => completion.Task;

        public void Complete(string value)
        {
            completion.TrySetResult(value);
            Dispose();
        }

        public void Dispose() => owner.Forget(Id);
    }

    // Segment files rolled over by a method that releases the current one through a copy before the next is opened.
    public sealed class SegmentedLog : IDisposable
    {
        private readonly string directory;
        private FileStream? current;
        private int segment;

        public SegmentedLog(string directory)
        {
            this.directory = directory;
            current = File.Create(Path.Combine(directory, "0.log"));
        }

        public void Roll()
        {
            CloseCurrent();
            current = File.Create(Path.Combine(directory, (++segment).ToString() + ".log"));
        }

        private void CloseCurrent()
        {
            if (current == null)
            {
                return;
            }

            try
            {
                current.Flush();
            }
            finally
            {
                var closing = current;
                current = null;
                closing.Dispose();
            }
        }

        public void Dispose() => CloseCurrent();
    }

    public static class Sealing
    {
        // The caller gets the encrypted file; the cipher stream must leave it open, so it is only finished.
        public static Stream SealToTempFile(Stream input, ICryptoTransform transform, string tempPath)
        {
            var target = new FileStream(tempPath, FileMode.Create, FileAccess.ReadWrite);
            try
            {
                var cipher = new CryptoStream(target, transform, CryptoStreamMode.Write);
                input.CopyTo(cipher);
                cipher.FlushFinalBlock();
                target.Position = 0;
                return target;
            }
            catch
            {
                target.Dispose();
                throw;
            }
        }

        // The map closes the file stream it is given when leaveOpen is false.
        public static System.IO.MemoryMappedFiles.MemoryMappedFile MapFile(string path, long size)
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            stream.SetLength(size);
            return System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(
                stream, null, size, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        }
    }
}
