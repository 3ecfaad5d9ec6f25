namespace LeakAnalyzers.Tests.Disposables.LEAK002;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.DisposableDroppedAnalyzer>;

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

    [Theory]
    [InlineData("DisposedImmediately", "void M(string p) { File.Create(p).Dispose(); }")]
    [InlineData("UsingResource", "void M(string p) { using (File.Create(p)) { } }")]
    [InlineData("WrapperTakesOwnership", "StreamReader M(string p) => new StreamReader(new FileStream(p, FileMode.Open));")]
    [InlineData("FluentReturnsDisposable", "sealed class B : IDisposable { public B With() => this; public void Dispose() { } } B M() => new B().With();")]
    [InlineData("StoredInCollection", "List<IDisposable> l = new(); void M() { l.Add(new CancellationTokenSource()); }")]
    [InlineData("GivenToSourceMethod", "void Keep(IDisposable d) { } void M() { Keep(new CancellationTokenSource()); }")]
    [InlineData("TaskThrownAway", "void M() { Task.Run(() => { }); }")]
    [InlineData("LentValueThrownAway", "Stream s = Stream.Null; Stream Get() => s; void M() { _ = Get(); }")]
    [InlineData("MemoryStreamReceiver", "byte[] M() => new MemoryStream().ToArray();")]
    [InlineData("LambdaReturnsCreation", "Func<Stream> M(string p) => () => new FileStream(p, FileMode.Open);")]
    [InlineData("AssignedToField", "Stream f; void M(string p) { f = File.OpenRead(p); }")]
    [InlineData("Returned", "Stream M(string p) => File.OpenRead(p);")]
    [InlineData("LocalHandledByLeak001", "void M(string p) { var s = File.OpenRead(p); s.Dispose(); }")]
    [InlineData("CallReturningTaskOfDisposable", "Task<HttpResponseMessage> M(HttpRequestMessage r) => new HttpClient().SendAsync(r);")]
    [InlineData("AwaitedAndKept", "async Task<HttpResponseMessage> M(HttpClient c) => await c.GetAsync(\"x\");")]
    public Task DoesNotReport(string name, string member)
    {
        Assert.NotNull(name);
        return Verify.VerifyAnalyzerAsync(Usings + "class C { " + member + " }");
    }
    [Fact]
    public Task WriterOverABorrowedStreamFlushedByItsKeeperInAMember() => Verify.VerifyAnalyzerAsync("""
        using System.IO;
        interface ICodeWriter { void Write(short code, object value); void Flush(); }
        sealed class TextCodeWriter : ICodeWriter
        {
            private readonly TextWriter writer;
            public TextCodeWriter(TextWriter writer) { this.writer = writer; }
            public void Write(short code, object value) { writer.WriteLine(code); writer.WriteLine(value); }
            public void Flush() => writer.Flush();
        }
        public sealed class DxfWriter
        {
            private ICodeWriter chunk;
            public void Write(Stream stream)
            {
                chunk = new TextCodeWriter(new StreamWriter(stream));
                chunk.Write(0, "EOF");
                chunk.Flush();
            }
        }
        """);

    [Fact]
    public Task WriterOverABorrowedStreamFlushedByItsKeeper() => Verify.VerifyAnalyzerAsync("""
        using System.IO;
        sealed class CodeWriter
        {
            private readonly TextWriter writer;
            public CodeWriter(TextWriter writer) { this.writer = writer; }
            public void Write(short code, object value) { writer.WriteLine(code); writer.WriteLine(value); }
            public void Flush() => this.writer.Flush();
        }
        static class Layers
        {
            public static void Write(Stream stream, string name)
            {
                var chunk = new CodeWriter(new StreamWriter(stream));
                chunk.Write(0, "LAYERS");
                chunk.Write(1, name);
                chunk.Flush();
            }
        }
        """);

    [Fact]
    public Task ReceiverOfAnExtensionFromAnotherAssemblyThatMayReturnIt()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System;
                using Engines;
                static class Setup
                {
                    public static Engine Make(string address) => new Engine().WithRemote(address);

                    public static Engine Configured(string address)
                    {
                        var engine = new Engine().WithRemote(address);
                        return engine;
                    }

                    public static int Count(string address) => {|#0:new Engine()|}.CountParts(address);
                }
                """,
        };
        test.TestState.AdditionalProjects["Engines"].Sources.Add(("Engine.cs", """
            using System;
            using System.IO;
            namespace Engines
            {
                public sealed class Engine : IDisposable
                {
                    private readonly Stream log = File.OpenWrite("log");
                    public void Dispose() => log.Dispose();
                }

                public static class EngineExtensions
                {
                    public static Engine WithRemote(this Engine engine, string address) => engine;
                    public static int CountParts(this Engine engine, string address) => address.Length;
                }
            }
            """));
        test.TestState.AdditionalProjectReferences.Add("Engines");
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("'new Engine'", "only lent to 'CountParts'", "what it holds is released only by a finalizer, if it has one"));
        return test.RunAsync();
    }
    [Fact]
    public Task FormShownWithoutAModalLoop() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            namespace System.Windows.Forms
            {
                public interface IWin32Window { }
                public class Control : IDisposable { private readonly System.IO.Stream handle = System.IO.File.OpenRead("h"); public void Show() { } public void Dispose() => handle.Dispose(); }
                public class Form : Control { public void Show(IWin32Window owner) { } public int ShowDialog() => 0; }
            }
            namespace App
            {
                using System.Windows.Forms;
                class Splash : Form { }
                class Editor : Form { public void ShowEditor() { Show(); } }
                class Panel : Control { }
                static class Use
                {
                    public static void ShowSplash() => new Splash().Show();
                    public static void ShowOwned(IWin32Window owner) => new Splash().Show(owner);
                    public static void ShowEditor() => new Editor().ShowEditor();
                    public static int Modal() => [|new Splash()|].ShowDialog();
                    public static void NotAForm() => [|new Panel()|].Show();
                }
            }
            """);

    [Fact]
    public Task GivenToAFrameworkBaseConstructor() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Resources;
            using System.Collections.ObjectModel;
            class Set : ResourceSet { public Set(string path) : base(new ResourceReader(File.OpenRead(path))) { } }
            class Streams : Collection<Stream> { public Streams(string path) : base(new[] { File.OpenRead(path) }) { } }
            static class Use { public static object Read(string path) { using var set = new ResourceSet(File.OpenRead(path)); return set.GetObject("x"); } }
            """);

    [Fact]
    public Task CallsOnANullReceiverMakeNothing() =>
        // ImageSharp's AotCompilerTools: generic seeds for the AOT compiler, never run; every receiver is null.
        Verify.VerifyAnalyzerAsync("""
            using System;
            public sealed class Img<T> : IDisposable
            {
                private readonly System.IO.FileStream file = System.IO.File.OpenRead("pixels");
                public Img<TOther> CloneAs<TOther>(object config) => new Img<TOther>();
                public void Dispose() => file.Dispose();
            }
            public sealed class Converter<T> { public Img<T> GetPixelBuffer(object profile) => new Img<T>(); }
            static class AotTools
            {
                static void Seed<T>()
                {
                    Img<T> img = default;
                    img.CloneAs<int>(default);
                    img.CloneAs<long>(null);
                    default(Converter<T>).GetPixelBuffer(default);
                    ((Converter<T>)null).GetPixelBuffer(null);
                }

                static void Used<T>(Img<T> given)
                {
                    Img<T> img = null;
                    if (given != null) img = given;
                    [|img.CloneAs<int>(default)|];
                }
            }
            """);
    [Fact]
    public Task DroppedTokenOfASourceThatKeepsObserversWeakly() =>
        // Handlebars.Net's ObservableList: Subscribe adds the observer to a collection of weak references.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            public sealed class WeakCollection<T> where T : class
            {
                private readonly List<WeakReference<T>> store = new List<WeakReference<T>>();
                public void Add(T value)
                {
                    foreach (var slot in store)
                    {
                        if (!slot.TryGetTarget(out _)) { slot.SetTarget(value); return; }
                    }

                    store.Add(new WeakReference<T>(value));
                }
                public void Remove(T value) => store.RemoveAll(w => !w.TryGetTarget(out var t) || ReferenceEquals(t, value));
            }
            public sealed class Unsubscriber<T> : IDisposable
            {
                private readonly WeakCollection<IObserver<T>> from; private readonly IObserver<T> observer;
                public Unsubscriber(WeakCollection<IObserver<T>> from, IObserver<T> observer) { this.from = from; this.observer = observer; }
                public void Dispose() => from.Remove(observer);
            }
            public sealed class StrongList<T> : IObservable<T>
            {
                private readonly List<IObserver<T>> observers = new List<IObserver<T>>();
                public IDisposable Subscribe(IObserver<T> observer) { observers.Add(observer); return new Unsubscriber<T>(null, observer); }
            }
            public sealed class ObservableList<T> : IObservable<T>, IObserver<T>
            {
                private readonly WeakCollection<IObserver<T>> observers = new WeakCollection<IObserver<T>>();
                public IDisposable Subscribe(IObserver<T> observer)
                {
                    if (observer == null) throw new ArgumentNullException(nameof(observer));
                    observers.Add(observer);
                    return new Unsubscriber<T>(observers, observer);
                }
                public void OnNext(T value) { }
                public void OnError(Exception error) { }
                public void OnCompleted() { }
            }
            public sealed class Formatter : IObserver<int>
            {
                public Formatter(ObservableList<int> providers, StrongList<int> strong, IObservable<int> any)
                {
                    providers.Subscribe(this);
                    ((IObservable<int>)providers).Subscribe(this);
                    [|strong.Subscribe(this)|];
                    [|any.Subscribe(this)|];
                }
                public void OnNext(int value) { }
                public void OnError(Exception error) { }
                public void OnCompleted() { }
            }
            """);
    [Fact]
    public Task AConstructorThatGivesItselfToAnotherObject() =>
        // OpenMcdf's RootContext: its constructor switches the site to itself; the storage disposes the site's context.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            sealed class Site { private Context current; internal Context Context => current; internal void Switch(Context c) { current = c; } }
            sealed class Context : IDisposable
            {
                internal static readonly List<Context> All = new();
                private readonly Stream stream;
                public Context(Site site, Stream stream) { site.Switch(this); this.stream = stream; }
                public Context(Stream stream, bool register) { if (register) All.Add(this); this.stream = stream; }
                public Context(Stream stream) { Console.WriteLine(this); this.stream = stream; }
                public void Dispose() => stream.Dispose();
            }
            sealed class Storage : IDisposable
            {
                private readonly Site site;
                private Storage(Site site) { this.site = site; }
                public static Storage Open(string path)
                {
                    Site site = new();
                    _ = new Context(site, File.OpenRead(path));
                    new Context(File.OpenRead(path), register: true);
                    [|new Context(File.OpenRead(path))|];
                    return new Storage(site);
                }
                public void Dispose() => site.Context.Dispose();
            }
            """);

    [Fact]
    public Task ProcessStartedForItsEffect() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Diagnostics;
            static class Links
            {
                public static void Open(string url) => Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
                public static void Explore(string folder) { Process.Start("explorer.exe", folder); }
                public static void Info() { _ = Process.Start("msinfo32.exe"); }
            }
            """);

    [Fact]
    public Task SubscriptionToASourceThisObjectDisposes() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            public interface ILogSource : IObservable<string>, IDisposable { }
            public sealed class Sink : IObserver<string>
            {
                public void OnCompleted() { }
                public void OnError(Exception error) { }
                public void OnNext(string value) => Console.WriteLine(value);
            }
            public sealed class Adapter : IDisposable
            {
                private readonly ILogSource logSource;
                private readonly Sink sink = new Sink();
                public Adapter(ILogSource logSource)
                {
                    this.logSource = logSource ?? throw new ArgumentNullException(nameof(logSource));
                    this.logSource.Subscribe(this.sink);
                }
                public void Dispose() => this.logSource.Dispose();
            }
            public sealed class Listener
            {
                private readonly ILogSource logSource;
                private readonly Sink sink = new Sink();
                public Listener(ILogSource logSource)
                {
                    this.logSource = logSource;
                    [|this.logSource.Subscribe(this.sink)|];
                }
            }
            """);

    [Fact]
    public Task DiscardedIntoAUsing() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            static class Fonts
            {
                private static Stream Open(string path) => File.OpenRead(path);
                public static void Touch(string path)
                {
                    using (_ = Open(path))
                    {
                    }

                    _ = [|Open(path)|];
                }
            }
            """);
}
