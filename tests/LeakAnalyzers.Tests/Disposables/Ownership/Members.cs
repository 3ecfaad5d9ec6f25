namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// Members a type creates and owns (LEAK003, LEAK004): properties only the type can set, whatever their getter's
/// accessibility; members typed object or an interface; guarded and null-checked assignments.
/// </summary>
public class Members
{
    [Theory]
    [InlineData("public Stream {|LEAK003:Stream|} { get; } = File.OpenRead(\"log\");")]
    [InlineData("public Stream {|LEAK003:Stream|} { get; private set; } = File.OpenRead(\"log\");")]
    [InlineData("internal Stream {|LEAK003:Stream|} { get; } = File.OpenRead(\"log\");")]
    public Task PropertyOnlyTheTypeSetsIsOwned(string property) => Verify.VerifyAsync($$"""
        using System.IO;
        sealed class Log
        {
            {{property}}
        }
        """);

    [Theory]
    [InlineData("public Stream Stream { get; set; } = File.OpenRead(\"log\");")]
    [InlineData("public Stream Stream { get; init; } = File.OpenRead(\"log\");")]
    [InlineData("public Stream Stream { get; } = File.OpenRead(\"log\"); public void Dispose() => Stream.Dispose();")]
    public Task PropertyOthersSetOrTheTypeDisposesIsNotReported(string property) => Verify.VerifyAsync($$"""
        using System.IO;
        sealed class Log : System.IDisposable
        {
            {{property}}
            void System.IDisposable.Dispose() { }
        }
        """);

    [Fact]
    public Task PublicGetOnlyPropertyOverwrittenWhileOwned() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Log : IDisposable
        {
            public Stream Stream { get; private set; } = File.OpenRead("log");
            public void Reopen() => {|LEAK004:Stream = File.OpenRead("log")|};
            public void Dispose() => Stream.Dispose();
        }
        """);

    [Fact]
    public Task MemberTypedObjectOrAnInterface() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        sealed class Holder
        {
            private readonly object {|LEAK003:state|} = File.OpenRead("state");
            private readonly IEnumerable<int> numbers = new List<int>();
            private readonly object gate = new object();
            public override string ToString() => state.ToString() + numbers + gate;
        }
        """);

    [Fact]
    public Task MemberTypedObjectDisposedThroughACastOrPattern() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Holder : IDisposable
        {
            private readonly object state = File.OpenRead("state");
            private readonly object other = File.OpenRead("other");
            public void Dispose()
            {
                (state as IDisposable)?.Dispose();
                if (other is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task SiblingNullGuardIsNotAnOverwrite() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Sockets;
        sealed class Sender : IDisposable
        {
            public Sender(Socket socket) { }
            public void Dispose() => GC.SuppressFinalize(this);
            ~Sender() { }
        }
        sealed class Client : IDisposable
        {
            private Socket socket;
            private Sender sender;
            public Client() { }
            public Client(Socket given) { socket = given; sender = new Sender(given); }
            public void Connect()
            {
                if (socket == null)
                {
                    socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    sender = new Sender(socket);
                }
            }

            public void Dispose()
            {
                sender?.Dispose();
                socket?.Dispose();
            }
        }
        """);

    [Theory]
    [InlineData("this.stream == null")]
    [InlineData("ReferenceEquals(this.stream, null)")]
    [InlineData("Equals(this.stream, null)")]
    [InlineData("object.ReferenceEquals(null, this.stream)")]
    [InlineData("this.stream is null")]
    public Task AssignmentWhenTheMemberIsNull(string test) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Lazy : IDisposable
        {
            private Stream stream;
            public Stream Get()
            {
                if ({{test}})
                {
                    stream = File.OpenRead("x");
                }

                return stream;
            }

            public void Dispose() => stream?.Dispose();
        }
        """);

    [Fact]
    public Task MemberLentByAGetterIsStillTheTypes() => Verify.VerifyAsync("""
        using System.IO;
        sealed class Log
        {
            private readonly Stream {|LEAK003:stream|} = File.OpenRead("log");
            public Stream Stream => stream;
            public Stream GetStream() { return stream; }
        }
        """);

    [Fact]
    public Task MemberHandedOverByAMethodThatResetsIt() => Verify.VerifyAsync("""
        using System.IO;
        sealed class Log
        {
            private Stream stream = File.OpenRead("log");
            public Stream Detach()
            {
                var detached = stream;
                stream = null;
                return detached;
            }
        }
        """);

    [Fact]
    public Task PropertyThatWrapsAField() => Verify.VerifyAsync("""
        using System.IO;
        public class C
        {
            private Stream {|LEAK003:stream|};
            public C()
            {
                this.Stream = File.OpenRead("a");
                {|LEAK004:this.Stream = File.OpenRead("b")|};
            }

            public Stream Stream
            {
                get { return this.stream; }
                private set { this.stream = value; }
            }
        }
        """);

    [Fact]
    public Task PrivateConstructorOfAStaticFactory() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public sealed class Log
        {
            private readonly Stream {|LEAK003:stream|};
            private Log(Stream stream) => this.stream = stream;
            public static Log Open(string path) => new Log(File.OpenWrite(path));
            public void Write(byte b) => stream.WriteByte(b);
        }

        public sealed class Shared
        {
            private readonly Stream stream;
            private Shared(Stream stream) => this.stream = stream;
            public static Shared Open(string path) => new Shared({|LEAK002:File.OpenWrite(path)|});
            public static Shared Over(Stream given) => new Shared(given);
            public void Write(byte b) => stream.WriteByte(b);
        }
        """);

    [Fact]
    public Task SetUpThatRunsBeforeEveryTest() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                using NUnit.Framework;
                using System.IO;
                public class Tests
                {
                    private Stream {|LEAK003:stream|};
                    [SetUp]
                    public void SetUp() => {|LEAK004:stream = File.OpenRead("data")|};
                }

                public class TornDown
                {
                    private Stream stream;
                    [SetUp]
                    public void SetUp() => stream = File.OpenRead("data");
                    [TearDown]
                    public void TearDown() => stream?.Dispose();
                }
                """,
                ("NUnit.cs", "namespace NUnit.Framework { public sealed class SetUpAttribute : System.Attribute { } public sealed class TearDownAttribute : System.Attribute { } }"),
            },
        },
    }.RunAsync();

    [Fact]
    public Task DisposedThroughAGetterThatReturnsIt() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public sealed class C : IDisposable
        {
            private Stream stream = File.OpenRead("x");
            public Stream Calculated => this.stream;
            public void Dispose() => Calculated?.Dispose();
        }
        """);

    [Fact]
    public Task FieldBehindAPublicSetterIsNotOnlyTheTypes() => Verify.VerifyAsync("""
        using System.IO;
        public class C
        {
            private Stream stream;
            public C() => this.Stream = File.OpenRead("x");
            public Stream Stream
            {
                get { return this.stream; }
                set { this.stream = value; }
            }
        }
        """);

    [Fact]
    public Task LazyGetterLendsWhatItCreates() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public sealed class C
        {
            private Stream {|LEAK003:stream|};
            private Stream {|LEAK003:other|};
            public Stream Stream => this.stream ?? (this.stream = File.OpenRead("x"));
            public Stream Other => other ??= File.OpenRead("y");
        }
        """);

    [Fact]
    public Task LazyMethodThatAlsoEmptiesTheFieldLendsWhatItReturns() => Verify.VerifyAsync("""
        using System.IO;
        public class Shape
        {
            private Stream path;
            private bool dirty = true;
            public virtual Stream Path()
            {
                if (path == null || dirty)
                {
                    path = new MemoryStream(new byte[4]);
                    if (path.Length == 0) path = null;
                    dirty = false;
                }

                return path;
            }

            public long Bounds => Path().Length;

            public Stream Detach()
            {
                var detached = path;
                path = null;
                return detached;
            }

            public long Peek() => {|LEAK002:Detach()|}.Length;
        }
        """);

    [Fact]
    public Task CallbacksThatRunEveryTimeTheirSourceFires() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public sealed class Watcher : IDisposable
        {
            private Stream stream;
            private Stream other;
            private Stream third;
            public Watcher(IObservable<int> ticks)
            {
                this.Changed += (o, e) => {|LEAK004:this.stream = File.OpenRead("a")|};
                this.Changed += OnChanged;
                ticks.Subscribe(new Observer(_ => { }));
                this.Changed += (o, e) =>
                {
                    this.third?.Dispose();
                    this.third = File.OpenRead("c");
                };
            }

            public event EventHandler Changed;

            private void OnChanged(object sender, EventArgs e) => {|LEAK004:other = File.OpenRead("b")|};

            public void Dispose()
            {
                stream?.Dispose();
                other?.Dispose();
                third?.Dispose();
            }

            private sealed class Observer : IObserver<int>
            {
                public Observer(Action<int> next) { }
                public void OnCompleted() { }
                public void OnError(Exception error) { }
                public void OnNext(int value) { }
            }
        }
        """);

    [Fact]
    public Task OverrideOfAPropertyTheBaseDisposes() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public abstract class Source : IDisposable
        {
            public abstract Stream Stream { get; }
            public void Dispose() => Stream.Dispose();
        }

        public sealed class FileSource : Source
        {
            public override Stream Stream { get; } = File.OpenRead("data");
        }

        public abstract class Quiet
        {
            public abstract Stream Stream { get; }
        }

        public sealed class FileQuiet : Quiet
        {
            public override Stream {|LEAK003:Stream|} { get; } = File.OpenRead("data");
        }
        """);

    /// <summary>
    /// The method that ends a member copies it to a local, clears the member and disposes the copy in a finally
    /// (ParquetSharp's row-group writer): the member is released before it is written again. A copy of another member
    /// disposed instead still leaves it open.
    /// </summary>
    [Fact]
    public Task MemberDisposedThroughALocalCopyBeforeItIsReplaced() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading;
        public sealed class Groups : IDisposable
        {
            private readonly string dir;
            private FileStream group;
            private FileStream index;
            private FileStream log;
            private int n;

            public Groups(string dir)
            {
                this.dir = dir;
                group = File.Create(Path.Combine(dir, "0"));
                index = File.Create(Path.Combine(dir, "i"));
                log = File.Create(Path.Combine(dir, "l"));
            }

            public void Next()
            {
                EndGroup();
                group = File.Create(Path.Combine(dir, (++n).ToString()));
                EndIndex();
                index = File.Create(Path.Combine(dir, "i" + n));
                EndLogWrongly();
                {|LEAK004:log = File.Create(Path.Combine(dir, "l" + n))|};
            }

            private void EndGroup()
            {
                if (group == null) return;
                try
                {
                    group.Flush();
                }
                finally
                {
                    var g = group;
                    group = null;
                    g.Dispose();
                }
            }

            private void EndIndex() => Interlocked.Exchange(ref index, null)?.Dispose();

            private void EndLogWrongly()
            {
                var g = index;
                log.Flush();
                g?.Dispose();
            }

            public void Dispose()
            {
                EndGroup();
                EndIndex();
                log.Dispose();
            }
        }
        """);

    /// <summary>
    /// A member held through an interface and released by the interface's <c>Clear()</c>, where every class of the
    /// compilation that implements it ends its object with that call (its Dispose is <c>Clear().Wait()</c>): the
    /// owner's <c>Clear().Wait()</c> is its release (Downloader's download service). When one implementation's
    /// Dispose does more than the call, the call is not a release.
    /// </summary>
    [Fact]
    public Task MemberReleasedThroughTheInterfaceCallItsDisposeConsistsOf() => Verify.VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        public interface IService { Task Clear(); void Start(); }
        public class Service : IService, IDisposable
        {
            private CancellationTokenSource cts;
            public void Start() => cts = new CancellationTokenSource(1000);
            public Task Clear() { cts?.Dispose(); return Task.CompletedTask; }
            public void Dispose() => Clear().Wait();
        }

        public interface IStore { void Flush(); }
        public class Store : IStore, IDisposable
        {
            private readonly System.IO.FileStream file = System.IO.File.Create("store");
            public void Flush() => file.Flush();
            public void Dispose() { Flush(); file.Dispose(); }
        }

        public sealed class Holder : IDisposable
        {
            private readonly IService service;
            private readonly IStore {|LEAK003:store|};
            public Holder()
            {
                service = new Service();
                store = new Store();
            }

            public void Run() => service.Start();
            public void Dispose()
            {
                service.Clear().Wait();
                store.Flush();
            }
        }
        """);

    /// <summary>
    /// A smart-pointer struct whose Dispose may not be called (LibHac's UniqueRef): its owner ends it with
    /// <c>Destroy()</c>, which reaches <c>var old = _value; _value = value; old?.Dispose();</c> and so disposes every
    /// member the struct's Dispose releases. A holder whose method disposes the member and then makes a new one
    /// restarts it: calling that method is no release.
    /// </summary>
    [Fact]
    public Task MemberEndedByAMethodThatDisposesAllItsDisposeReleases() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public struct UniqueRef<T> : IDisposable where T : class, IDisposable
        {
            private T value;
            public UniqueRef(T value) { this.value = value; }
            public readonly T Get => value;
            [Obsolete("Use Destroy", true)]
            public void Dispose() { value?.Dispose(); }
            public void Destroy() { Reset(); }
            public void Reset() => Reset(null);
            public void Reset(T next)
            {
                T old = value;
                value = next;
                old?.Dispose();
            }
        }

        public sealed class Rolling : IDisposable
        {
            private FileStream file = File.Create("r");
            public void Roll() { file.Dispose(); file = File.Create("r2"); }
            public void Dispose() => file.Dispose();
        }

        public sealed class Reader : IDisposable
        {
            private UniqueRef<Stream> source;
            private readonly Rolling {|LEAK003:log|} = new Rolling();
            public Reader(string path) { source = new UniqueRef<Stream>(File.OpenRead(path)); }
            public int Next() => source.Get.ReadByte();
            public void Dispose()
            {
                source.Destroy();
                log.Roll();
            }
        }
        """);
}
