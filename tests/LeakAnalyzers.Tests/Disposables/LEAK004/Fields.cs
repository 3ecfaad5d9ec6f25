namespace LeakAnalyzers.Tests.Disposables.LEAK004;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Disposables.FieldNotDisposedAnalyzer, LeakAnalyzers.CodeFixes.Disposables.OverwrittenWhileOwnedCodeFix>;

public class Fields
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Leak004 => Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK004OverwrittenWhileOwned);

    [Fact]
    public Task RestartWithoutDisposingThePreviousTimer() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer;

                public void Restart(int period)
                {
                    {|#0:timer = {|#1:new Timer(_ => { }, null, 0, period)|}|};
                }

                public void Dispose() => timer?.Dispose();
            }
            """,
            Leak004.WithLocation(0).WithLocation(1)
                .WithMessage("'timer' is overwritten before its 'Timer' is disposed; it stays scheduled and keeps its callback alive"));

    [Fact]
    public Task CatchEmptiesTheMemberAfterAFailedUse() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Sockets;
            sealed class Connection : IDisposable
            {
                private Socket socket;

                public void Connect(string host)
                {
                    try
                    {
                        {|#1:socket = new Socket(SocketType.Stream, ProtocolType.Tcp)|};
                        socket.Connect(host, 389);
                    }
                    catch (SocketException)
                    {
                        {|#0:socket = null|};
                        throw;
                    }
                }

                public void Dispose() => socket?.Dispose();
            }
            """,
            Leak004.WithLocation(0).WithLocation(1)
                .WithMessage("'socket' is overwritten before its 'Socket' is disposed; the socket stays open until the finalizer runs"));

    [Theory]
    [InlineData("catch (SocketException) { socket?.Dispose(); socket = null; throw; }")]
    [InlineData("catch (SocketException) { Close(); throw; }")]
    [InlineData("finally { }")]
    public Task CatchThatReleasesTheMemberFirst(string handler) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System;
            using System.Net.Sockets;
            sealed class Connection : IDisposable
            {
                private Socket socket;

                public void Connect(string host)
                {
                    try
                    {
                        socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        socket.Connect(host, 389);
                    }
                    {{handler}}
                }

                private void Close() { socket?.Dispose(); socket = null; }
                public void Dispose() => Close();
            }
            """);

    [Fact]
    public Task RenewedThroughARefHelperThatDoesNotDisposeTheOldValue() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer;

                public void Restart() { Renew({|LEAK004:ref timer|}); }
                static void Renew(ref Timer t) { t = new Timer(_ => { }, null, 0, 1000); }
                public void Dispose() { timer?.Dispose(); }
            }
            """);

    [Theory]
    [InlineData("placeholder = new Item(); AddChild(placeholder);", false)]
    [InlineData("placeholder = new Item();", true)]
    public Task AMethodThatRunsAgainFindsOnlyWhatItsLastRunLeftOwned(string reload, bool reported) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System;
            using System.Collections.Generic;
            class Item : IDisposable
            {
                private readonly List<Item> children = new();
                private Item placeholder;
                public void Reload() { {{(reported ? reload.Replace("placeholder = new Item();", "{|LEAK004:placeholder = new Item()|};") : reload)}} }
                private void AddChild(Item item) => children.Add(item);
                public void Dispose() { foreach (var child in children) child.Dispose(); placeholder?.Dispose(); }
            }
            """);

    [Fact]
    public Task CreatedInConstructorReplacedLater() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer;
                public Poller() { timer = new Timer(_ => { }, null, 0, 1000); }
                public void Speed(int period) { {|LEAK004:timer = new Timer(_ => { }, null, 0, period)|}; }
                public void Dispose() => timer.Dispose();
            }
            """);

    [Fact]
    public Task ConstructorReplacesTheInitializersValue() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer = new Timer(_ => { });
                public Poller(int period) { {|LEAK004:timer = new Timer(_ => { }, null, 0, period)|}; }
                public void Dispose() => timer.Dispose();
            }
            """);

    [Fact]
    public Task AssignedInALoop() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            sealed class Reader : IDisposable
            {
                private Stream current;
                public void ReadAll(string[] paths) { foreach (var p in paths) { {|LEAK004:current = File.OpenRead(p)|}; current.ReadByte(); } }
                public void Dispose() => current?.Dispose();
            }
            """);

    [Theory]
    [InlineData("public void Start() { timer = new Timer(_ => { }, null, 0, 1000); }")]
    [InlineData("public void Restart() { timer?.Dispose(); timer = new Timer(_ => { }, null, 0, 1000); }")]
    [InlineData("public void Restart() { Stop(); timer = new Timer(_ => { }, null, 0, 1000); } void Stop() { timer?.Dispose(); timer = null; }")]
    [InlineData("public void Restart() { if (timer == null) { timer = new Timer(_ => { }, null, 0, 1000); } }")]
    [InlineData("public void Restart() { if (timer is not null) return; timer = new Timer(_ => { }, null, 0, 1000); }")]
    [InlineData("public Timer Reset() => timer ??= new Timer(_ => { }, null, 0, 1000);")]
    [InlineData("public void Reset(Timer given) { timer = given; } public void Renew() { timer = new Timer(_ => { }, null, 0, 1000); }")]
    [InlineData("public void Restart() { var old = Interlocked.Exchange(ref timer, new Timer(_ => { }, null, 0, 1000)); old?.Dispose(); }")]
    [InlineData("public void Start() { do { timer = new Timer(_ => { }, null, 0, 1000); } while (false); }")]
    [InlineData("public void Restart() { Renew(ref timer); } static void Renew(ref Timer t) { t?.Dispose(); t = new Timer(_ => { }, null, 0, 1000); }")]
    public Task SilentWhenThePreviousValueIsUnknownDisposedNullOrNotOwned(string member) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer;
                {{member}}
                public void Dispose() { timer?.Dispose(); }
            }
            """);

    [Theory]
    [InlineData("if (!Current.Handle.IsClosed) Current.Dispose();", false)]
    [InlineData("if (!Current.Handle.IsInvalid) { Current.Dispose(); }", false)]
    [InlineData("if (!Current.IsDisposed) Current.Dispose();", false)]
    [InlineData("if (Current.IsDisposed == false) Current.Dispose();", false)]
    [InlineData("if (Current.Handle.IsClosed) Current.Dispose();", true)]
    [InlineData("if (!Current.Busy) Current.Dispose();", true)]
    public Task APreviousValueAlreadyReleasedNeedsNoDispose(string release, bool reported) =>
        // LLamaSharp's embedder: the old context is disposed unless its handle is already closed.
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            using Microsoft.Win32.SafeHandles;
            sealed class NativeHandle : SafeHandleZeroOrMinusOneIsInvalid
            {
                public NativeHandle() : base(true) { }
                protected override bool ReleaseHandle() => true;
            }
            sealed class Context : IDisposable
            {
                public NativeHandle Handle { get; } = new NativeHandle();
                public bool IsDisposed { get; private set; }
                public bool Busy { get; set; }
                public void Dispose() { Handle.Dispose(); IsDisposed = true; }
            }
            sealed class Embedder : IDisposable
            {
                public Context Current { get; private set; } = new Context();
                public void Reset()
                {
                    {{release}}
                    {{(reported ? "{|LEAK004:Current = new Context()|}" : "Current = new Context()")}};
                }
                public void Dispose() => Current.Dispose();
            }
            """);

    [Fact]
    public Task FixDisposesThePreviousValue() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer;

                public void Restart(int period)
                {
                    {|LEAK004:this.timer = new Timer(_ => { }, null, 0, period)|};
                }

                public void Dispose() => timer?.Dispose();
            }
            """,
            """
            using System;
            using System.Threading;
            sealed class Poller : IDisposable
            {
                private Timer timer;

                public void Restart(int period)
                {
                    this.timer?.Dispose();
                    this.timer = new Timer(_ => { }, null, 0, period);
                }

                public void Dispose() => timer?.Dispose();
            }
            """);

    [Theory]
    [InlineData("private Stream stream = File.OpenRead(\"first\");", "public Log() { {|LEAK004:stream = File.OpenRead(\"log\")|}; }")]
    [InlineData("private Stream stream;", "public Log() { stream = File.OpenRead(\"first\"); {|LEAK004:stream = File.OpenRead(\"log\")|}; }")]
    [InlineData("private Stream stream;", "public Log(string[] paths) { foreach (var path in paths) { {|LEAK004:stream = File.OpenRead(path)|}; } }")]
    public Task ConstructorThatOverwritesWhatTheFieldAlreadyHoldsIsReported(string field, string constructor) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            using System.IO;
            sealed class Log : IDisposable
            {
                {{field}}
                {{constructor}}
                public void Dispose() => stream.Dispose();
            }
            """);

    [Fact]
    public Task ConstructorThatFillsAnEmptyFieldOnceIsSilent() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            sealed class Log : IDisposable
            {
                private Stream stream;
                private readonly Stream other;
                public Log(bool append) { stream = File.OpenRead("log"); other = append ? File.OpenRead("a") : File.OpenRead("b"); }
                public void Dispose() { stream.Dispose(); other.Dispose(); }
            }
            """);

    /// <summary>Known miss: the value a chained constructor stored is not followed into the chaining one.</summary>
    [Fact]
    public Task KnownMissValueStoredByAChainedConstructorIsNotFollowed() =>
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            sealed class Log : IDisposable
            {
                private Stream stream;
                public Log() : this(0) { stream = File.OpenRead("log"); }
                public Log(int unused) { stream = File.OpenRead("first"); }
                public void Dispose() => stream.Dispose();
            }
            """);

    /// <summary>SVG's <c>using (FontManager = new SvgFontManager()) { ...; FontManager = null; }</c>: the using keeps
    /// its own reference and disposes the value; emptying the member inside the block loses nothing. The same member
    /// overwritten outside a using is still reported.</summary>
    [Theory]
    [InlineData("using (Current = File.OpenRead(path)) { Render(); Current = null; }")]
    [InlineData("using (Current = File.OpenRead(path)) { Render(); Current = File.OpenRead(path + \".2\"); Current.Dispose(); }")]
    [InlineData("Current = File.OpenRead(path); Render(); {|LEAK004:Current = null|};")]
    public Task UsingOverAnAssignmentDisposesTheAssignedValue(string body) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System.IO;
            sealed class Document : System.IDisposable
            {
                internal Stream? Current { get; private set; }

                public void Dispose() => Current?.Dispose();

                public void Draw(string path)
                {
                    {{body}}
                }

                void Render() { }
            }
            """);
}
