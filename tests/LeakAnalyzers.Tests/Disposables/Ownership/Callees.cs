namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// A disposable handed to a source method or constructor: the callee's body says whether it borrows it (the caller
/// must still dispose it), keeps it without owning it (the same), or takes ownership (the caller is done).
/// </summary>
public class Callees
{
    [Theory]
    [InlineData("void Use(Stream s) { s.WriteByte(1); }", "Use(s);")]
    [InlineData("static long Size(Stream s) => s.Length;", "Size(s);")]
    [InlineData("void Use(Stream s) { if (s == null) { return; } Copy(s); } static void Copy(Stream s) => s.Flush();", "Use(s);")]
    [InlineData("sealed class Reader { readonly Stream stream; public Reader(Stream stream) { this.stream = stream; } public int Next() => stream.ReadByte(); }", "new Reader(s).Next();")]
    [InlineData("sealed class Session : System.IDisposable { readonly Stream log; readonly Stream own = new BufferedStream(Stream.Null); public Session(Stream log) => this.log = log; public void Dispose() => own.Dispose(); }", "var session = new Session(s); session.Dispose();")]
    [InlineData("sealed class Parser { readonly Stream input; public Parser(Stream input) { this.input = input; } public int Parse() => input.ReadByte(); }", "var parser = new Parser(s); parser.Parse();")]
    [InlineData("void Use(Stream s) { var alias = s; alias.Flush(); }", "Use(s);")]
    [InlineData("void Use(Stream s) { if (s == null) throw new System.ArgumentNullException(nameof(s)); s.Flush(); }", "Use(s);")]
    [InlineData("void Use(Stream s) { System.ArgumentNullException.ThrowIfNull(s, nameof(s)); s.Flush(); }", "Use(s);")]
    [InlineData("void Load(Stream s) { Read(new BinaryReader(s)); } static int Read(BinaryReader r) => r.ReadInt32();", "Load(s);")]
    [InlineData("int Load(Stream s) { var r = new StreamReader(s); return r.Read(); }", "Load(s);")]
    public Task CallerStillOwnsWhatACalleeBorrowsOrOnlyKeeps(string callee, string call) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{callee}}
            void M(string p)
            {
                var s = {|LEAK001:new FileStream(p, FileMode.Open)|};
                {{call}}
            }
        }
        """);

    [Theory]
    [InlineData("void Close(Stream s) { s.Dispose(); }", "Close(s);")]
    [InlineData("void Close(Stream s) => s?.Dispose();", "Close(s);")]
    [InlineData("void Close(Stream s) { using (s) { s.Flush(); } }", "Close(s);")]
    [InlineData("void Close(Stream s) { using var owned = s; owned.Flush(); }", "Close(s);")]
    [InlineData("void Close(Stream s) => Inner(s); static void Inner(Stream s) => s.Dispose();", "Close(s);")]
    [InlineData("int Load(Stream s) { using var r = new BinaryReader(s); return r.ReadInt32(); }", "Load(s);")]
    [InlineData("sealed class Owner : System.IDisposable { readonly Stream s; public Owner(Stream s) { this.s = s; } public void Dispose() => s.Dispose(); }", "using (new Owner(s)) { }")]
    [InlineData("sealed class Owner : System.IDisposable { Stream S { get; } public Owner(Stream s) => S = s; public void Dispose() => S?.Dispose(); }", "using (new Owner(s)) { }")]
    [InlineData("sealed class Owner : System.IDisposable { readonly StreamReader r; public Owner(Stream s) { r = new StreamReader(s); } public void Dispose() => r.Dispose(); }", "using (new Owner(s)) { }")]
    [InlineData("sealed class Owner : StreamReader { public Owner(Stream s) : base(s) { } }", "using (new Owner(s)) { }")]
    [InlineData("sealed class Owner : System.IDisposable { readonly Stream s; public Owner(Stream s) { this.s = s; } public void Dispose() => Stop(); void Stop() { s.Close(); } }", "using (new Owner(s)) { }")]
    public Task CalleeThatTakesOwnershipEndsTheDuty(string callee, string call) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{callee}}
            void M(string p)
            {
                var s = new FileStream(p, FileMode.Open);
                {{call}}
            }
        }
        """);

    [Theory]
    [InlineData("leaveOpen: false", false)]
    [InlineData("false", false)]
    [InlineData("leaveOpen: true", true)]
    [InlineData("true", true)]
    public Task LeaveOpenFlagOfASourceConstructor(string argument, bool callerKeepsIt) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        sealed class Framed : IDisposable
        {
            private readonly Stream inner;
            private readonly bool leaveOpen;
            public Framed(Stream inner, bool leaveOpen = false) { this.inner = inner; this.leaveOpen = leaveOpen; }
            public void Dispose() { if (!leaveOpen) { inner.Dispose(); } }
        }
        class C
        {
            void M(string p)
            {
                var s = {{(callerKeepsIt ? "{|LEAK001:" : string.Empty)}}new FileStream(p, FileMode.Open){{(callerKeepsIt ? "|}" : string.Empty)}};
                using (new Framed(s, {{argument}})) { }
            }
        }
        """);

    [Fact]
    public Task DefaultedLeaveOpenAndOwnsFlags() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Framed : IDisposable
        {
            private readonly Stream inner;
            private readonly bool leaveOpen;
            public Framed(Stream inner, bool leaveOpen = false) { this.inner = inner; this.leaveOpen = leaveOpen; }
            public void Dispose() { if (!leaveOpen) { inner.Dispose(); } }
        }
        sealed class Pipe : IDisposable
        {
            private readonly Stream stream;
            private readonly bool ownsStream;
            public Pipe(Stream stream, bool ownsStream = false) { this.stream = stream; this.ownsStream = ownsStream; }
            public Pipe(Stream stream, int size) : this(stream, ownsStream: true) { }
            public void Dispose() { if (ownsStream) { stream.Dispose(); } }
        }
        class C
        {
            void M(string p)
            {
                var a = new FileStream(p, FileMode.Open);
                using (new Framed(a)) { }

                var b = {|LEAK001:new FileStream(p, FileMode.Open)|};
                using (new Pipe(b)) { }

                var c = new FileStream(p, FileMode.Open);
                using (new Pipe(c, ownsStream: true)) { }

                var d = new FileStream(p, FileMode.Open);
                using (new Pipe(d, 4096)) { }
            }
        }
        """);

    [Fact]
    public Task FlagPassedOnByAVariableCannotBeTold() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Framed : IDisposable
        {
            private readonly Stream inner;
            private readonly bool leaveOpen;
            public Framed(Stream inner, bool leaveOpen) { this.inner = inner; this.leaveOpen = leaveOpen; }
            public void Dispose() { if (!leaveOpen) { inner.Dispose(); } }
        }
        class C
        {
            void M(string p, bool keep)
            {
                var s = new FileStream(p, FileMode.Open);
                using (new Framed(s, keep)) { }
            }
        }
        """);

    [Theory]
    [InlineData("readonly System.Collections.Generic.List<Stream> all = new(); void Keep(Stream s) => all.Add(s);", "Keep(s);")]
    [InlineData("static Stream last; void Keep(Stream s) => last = s;", "Keep(s);")]
    [InlineData("void Keep(Stream s) => System.Threading.Tasks.Task.Run(() => s.Dispose());", "Keep(s);")]
    [InlineData("void Keep(Stream s) { if (s.Length > 0) s.Dispose(); else Other(s); } static void Other(Stream s) { }", "Keep(s);")]
    [InlineData("public virtual void Use(Stream s) { s.Flush(); }", "Use(s);")]
    [InlineData("void Use(Stream s) { s = null; }", "Use(s);")]
    public Task CalleeThatMayKeepItIsNotJudged(string callee, string call) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{callee}}
            void M(string p)
            {
                var s = new FileStream(p, FileMode.Open);
                {{call}}
            }
        }
        """);

    [Fact]
    public Task ExtensionThatWrapsItsReceiverHandsItOver() => Verify.VerifyAsync("""
        using System.IO;
        static class Streams
        {
            public static StreamReader Wrap(this Stream s) => new StreamReader(s);
        }
        class C
        {
            string M(string p)
            {
                var s = File.OpenRead(p);
                using var reader = s.Wrap();
                return reader.ReadToEnd();
            }

            string Leaky(string p)
            {
                var s = File.OpenRead(p);
                var reader = {|LEAK001:s.Wrap()|};
                return reader.ReadToEnd();
            }
        }
        """);

    [Fact]
    public Task HandlesResourceDisposalBeatsInference() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        [AttributeUsage(AttributeTargets.Parameter)] sealed class HandlesResourceDisposalAttribute : Attribute { }
        class C
        {
            void Queue([HandlesResourceDisposal] Stream s) { }
            void M(string p)
            {
                var s = new FileStream(p, FileMode.Open);
                Queue(s);
            }
        }
        """);

    [Fact]
    public Task KeeperThatLeavesTakesTheValueAlong() => Verify.VerifyAsync("""
        using System.IO;
        sealed class Parser { readonly Stream input; public Parser(Stream input) { this.input = input; } public int Parse() => input.ReadByte(); }
        sealed class Pair<T> { public Pair(T first, T second) { First = first; Second = second; } public T First { get; } public T Second { get; } }
        static class Pair { public static Pair<T> Create<T>(T first, T second) => new Pair<T>(first, second); }
        sealed class C : System.IDisposable
        {
            private readonly Pair<Stream> pair;
            public C(string a, string b)
            {
                var first = File.OpenRead(a);
                var second = File.OpenRead(b);
                pair = Pair.Create<Stream>(first, second);
            }

            public C(string a) => pair = Pair.Create<Stream>(File.OpenRead(a), File.OpenRead(a));

            public static Parser Open(string p)
            {
                var s = File.OpenRead(p);
                var parser = new Parser(s);
                return parser;
            }

            public static void Drop(string p) => Pair.Create<Stream>({|LEAK002:File.OpenRead(p)|}, {|LEAK002:File.OpenRead(p)|});

            public static int ReadOnce(string p) => new Parser({|LEAK002:File.OpenRead(p)|}).Parse();

            public void Dispose()
            {
                pair.First.Dispose();
                pair.Second.Dispose();
            }
        }
        """);

    [Fact]
    public Task StoredInThisObjectByAnotherMethodIsHandedOver() => Verify.VerifyAsync("""
        using System.IO;
        public class C
        {
            private Stream stream;
            public C(string p)
            {
                var temp = File.OpenRead(p);
                Keep(temp);
            }

            private void Keep(Stream s) { stream = s; }
            public int Read() => stream.ReadByte();
        }
        """);

    [Fact]
    public Task KeeperThatHidesWhatItKeeps() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public class Session
        {
            private readonly IDisposable resource;
            public Session(IDisposable resource) => this.resource = resource;
            public override string ToString() => resource.ToString();
        }

        public class Exposing
        {
            private readonly IDisposable resource;
            public Exposing(IDisposable resource) => this.resource = resource;
            public IDisposable Resource => resource;
        }

        // Couchbase's singleton factory hands its field out through `??=`.
        public class Singleton
        {
            private readonly Func<object> make;
            private object instance;
            public Singleton(object instance) => this.instance = instance;
            public Singleton(Func<object> make) => this.make = make;
            public object Create() => instance ??= make();
        }

        public class C
        {
            public Session Open(string p) => new Session({|LEAK002:File.OpenRead(p)|});
            public Exposing Expose(string p) => new Exposing(File.OpenRead(p));
            public Singleton Register(string p) => new Singleton(File.OpenRead(p));
        }
        """);

    [Fact]
    public Task KeeperRootedByTheCallMadeOnIt() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;
        static class Native { public static void SetSlot(IntPtr handle) { } }
        class Binding
        {
            private readonly Stream target;
            public Binding(Stream target) { this.target = target; }
            public IntPtr Alloc() { var handle = GCHandle.Alloc(this); Native.SetSlot(GCHandle.ToIntPtr(handle)); return GCHandle.ToIntPtr(handle); }
            public int Peek() => target.ReadByte();
        }
        abstract class ExtensionType
        {
            public virtual IntPtr Register() { var slot = Marshal.AllocHGlobal(8); SetupGc(slot); return slot; }
            private void SetupGc(IntPtr slot) { var handle = GCHandle.Alloc(this); Native.SetSlot(GCHandle.ToIntPtr(handle)); }
        }
        sealed class EventBinding : ExtensionType
        {
            private readonly Stream target;
            public EventBinding(Stream target) { this.target = target; }
        }
        static class Use
        {
            public static IntPtr Bind(string path) => new Binding(File.OpenRead(path)).Alloc();
            public static IntPtr BindEvent(string path) => new EventBinding(File.OpenRead(path)).Register();
            public static int Probe(string path) => new Binding({|LEAK002:File.OpenRead(path)|}).Peek();
        }
        """);

    [Fact]
    public Task KeptByTheObjectBeingBuilt() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public abstract class Channel
        {
            private readonly Stream stream;
            protected Channel(Stream stream) => this.stream = stream;
            public int Read() => stream.ReadByte();
        }

        public sealed class FileChannel : Channel
        {
            public FileChannel(string path) : base(File.OpenRead(path)) { }
        }

        // What `: this(...)` gives the other constructor to keep, this object creates and owns.
        public sealed class Reader
        {
            private readonly Stream {|LEAK003:stream|};
            public Reader(string path) : this(File.OpenRead(path)) { }
            private Reader(Stream stream) => this.stream = stream;
            public int Read() => stream.ReadByte();
        }

        public sealed class OwningReader : IDisposable
        {
            private readonly Stream stream;
            public OwningReader(string path) : this(File.OpenRead(path)) { }
            private OwningReader(Stream stream) => this.stream = stream;
            public int Read() => stream.ReadByte();
            public void Dispose() => stream.Dispose();
        }
        """);

    [Fact]
    public Task WriterOverTheCallersStreamFlushedByASourceCallee() => Verify.VerifyAsync("""
        using System.IO;
        using System.Text;
        public class Document
        {
            public void Save(Stream output)
            {
                var writer = new StreamWriter(output, Encoding.UTF8);
                Save(writer);
            }

            public void SaveDraft(Stream output)
            {
                var writer = {|LEAK001:new StreamWriter(output, Encoding.UTF8)|};
                Write(writer);
            }

            public void Save(StreamWriter writer) => Save((TextWriter)writer);

            public void Save(TextWriter writer)
            {
                Write(writer);
                writer.Flush();
            }

            private static void Write(TextWriter writer) => writer.Write("<html/>");
        }
        """);

    [Fact]
    public Task RawHandlesTakenOverBySafeHandles() => Verify.VerifyAsync("""
        using System;
        using System.Diagnostics;
        using Microsoft.Win32.SafeHandles;
        public static class Launcher
        {
            // The safe handle takes the process's handle: the caller gets it back as the owner.
            public static SafeProcessHandle Owning(Process p) => new SafeProcessHandle(p.Handle, true);
            public static SafeProcessHandle Viewing(Process p) => new SafeProcessHandle(p.Handle, false);

            public static SafeProcessHandle StartDetached(string exe) => Owning(Process.Start(exe));
            public static SafeProcessHandle StartViewed(string exe) => Viewing({|LEAK002:Process.Start(exe)|});
        }
        public sealed class TokenProvider : IDisposable
        {
            private readonly SafeAccessTokenHandle token = new SafeAccessTokenHandle(IntPtr.Zero);
            private SafeAccessTokenHandle Token() => token;
            // A second wrapper over a handle the provider owns: disposing it would close the provider's token.
            public void Run(Action action) => Impersonate(new SafeAccessTokenHandle(Token().DangerousGetHandle()), action);
            private static void Impersonate(SafeAccessTokenHandle handle, Action action) => action();
            public void Dispose() => token.Dispose();
        }
        """);

    /// <summary>
    /// The callee wraps what it is given in a reader it never disposes (AssetsTools' class-database loader): the
    /// reader closes nothing, so the stream the caller opened inline is still the caller's, and leaks there. The callee's
    /// own reader is not reported, since it wraps only what the callee borrows: one leak, one diagnostic.
    /// </summary>
    [Fact]
    public Task StreamOpenedInlineForALoaderThatDropsItsReader() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        using System.IO;
        public sealed class Loader
        {
            public List<int> Load(Stream stream)
            {
                var items = new List<int>();
                Fill(items, new BinaryReader(stream));
                return items;
            }

            private static void Fill(List<int> items, BinaryReader reader)
            {
                var n = reader.ReadInt32();
                for (var i = 0; i < n; i++) items.Add(reader.ReadInt32());
            }

            public List<int> Load(string path) => Load({|LEAK002:File.OpenRead(path)|});

            public List<int> LoadClosed(string path)
            {
                using var stream = File.OpenRead(path);
                return Load(stream);
            }
        }
        """);
}
