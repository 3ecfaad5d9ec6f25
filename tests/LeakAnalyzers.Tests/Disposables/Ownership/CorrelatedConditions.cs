namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// The same stable condition tested where the value is created and where it is disposed: every run takes both tests
/// the same way, so the path that creates and then skips the disposal does not exist. A condition the method can
/// change between the tests (a flag it writes, a field a call may change, a different condition) does not count.
/// </summary>
public class CorrelatedConditions
{
    [Theory]
    [InlineData("bool compress", "compress", "if (compress) { s!.Dispose(); }")]
    [InlineData("bool compress", "compress", "if (!compress) { return; } s!.Dispose();")]
    [InlineData("string? path", "path != null", "if (path is not null) { s!.Dispose(); }")]
    [InlineData("string? path", "!(path is null)", "if (path == null) { return; } s!.Dispose();")]
    public Task SameStableConditionTwiceIsOnePath(string parameter, string createWhen, string dispose) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            void M({{parameter}}, Stream output)
            {
                Stream? s = null;
                if ({{createWhen}})
                {
                    s = new FileStream("x", FileMode.Create);
                }

                output.Flush();
                {{dispose}}
            }
        }
        """);

    [Fact]
    public Task LocalFlagAndReadonlyFieldAreStable() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            private readonly bool pooled;

            C(bool pooled) => this.pooled = pooled;

            void M(string p)
            {
                var zip = p.EndsWith(".gz");
                Stream? s = null;
                Stream? t = null;
                if (zip) { s = new FileStream(p, FileMode.Open); }
                if (pooled) { t = new FileStream(p + "2", FileMode.Open); }
                System.Console.WriteLine(p);
                if (pooled) { t!.Dispose(); }
                if (zip) { s!.Dispose(); }
            }
        }
        """);

    [Theory]
    [InlineData("bool compress, bool dispose", "compress", "dispose", "")]
    [InlineData("bool compress", "compress", "compress", "compress = false;")]
    [InlineData("bool compress", "compress", "compress", "System.Action a = () => compress = false; a();")]
    [InlineData("string? path", "path != null", "path != null", "path = null;")]
    public Task ConditionThatDiffersOrChangesIsReported(string parameter, string createWhen, string disposeWhen, string between) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            void M({{parameter}})
            {
                Stream? s = null;
                if ({{createWhen}})
                {
                    s = {|LEAK001:new FileStream("x", FileMode.Create)|};
                }

                {{between}}
                if ({{disposeWhen}})
                {
                    s!.Dispose();
                }
            }
        }
        """);

    [Fact]
    public Task FieldACallMayChangeIsReported() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            private bool open;

            void Close() => open = false;

            void M()
            {
                Stream? s = null;
                if (open) { s = {|LEAK001:new FileStream("x", FileMode.Create)|}; }
                Close();
                if (open) { s!.Dispose(); }
            }
        }
        """);

    /// <summary>DOLSharp's FTP client: one private mode field, tested against the same constant twice, with calls in
    /// between that never write it (only Open does, and the method does not reach Open).</summary>
    [Theory]
    [InlineData("_mode == Mode.Active")]
    [InlineData("_mode is Mode.Active")]
    [InlineData("Mode.Active == this._mode")]
    public Task PrivateFieldComparedWithTheSameConstantIsOnePath(string active) => Verify.VerifyAsync($$"""
        using System.Net;
        using System.Net.Sockets;
        enum Mode { Active, Passive }
        class Ftp
        {
            private Mode _mode = Mode.Passive;

            public void Open(Mode mode) => _mode = mode;

            int Send(string command) => command.Length;

            public int Read()
            {
                TcpListener? listener = null;
                TcpClient? client = null;
                if ({{active}})
                {
                    listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                }
                else
                {
                    client = new TcpClient("localhost", 21);
                }

                Send("LIST");
                if ({{active}})
                {
                    client = listener!.AcceptTcpClient();
                }

                var b = client!.GetStream().ReadByte();
                client.Dispose();
                if ({{active}}) { listener!.Stop(); }
                return b;
            }
        }
        """);

    /// <summary>
    /// A stream opened under a mode test and disposed under the same test: silent when nothing can write the field
    /// between the tests, reported when something may. A call reaching the only writer (directly, through another
    /// member, a property setter or getter), another instance or a lambda writing it, an await or an event raised in
    /// between (another caller, or a subscriber, may run a writer).
    /// </summary>
    [Theory]
    [InlineData("", "", false)]
    [InlineData("Send();", "void Send() { }", false)]
    [InlineData("Open(Mode.Active);", "public void Open(Mode mode) => _mode = mode;", true)]
    [InlineData("Reset();", "public void Open(Mode mode) => _mode = mode; void Reset() { Open(Mode.Passive); }", true)]
    [InlineData("Current = Mode.Active;", "Mode Current { get => _mode; set => _mode = value; }", true)]
    [InlineData("var flipped = Flip;", "Mode Flip { get { _mode = Mode.Passive; return _mode; } }", true)]
    [InlineData("", "public void CopyTo(Ftp other) => other._mode = _mode;", true)]
    [InlineData("", "public System.Action Switch => () => _mode = Mode.Active;", true)]
    [InlineData("System.Threading.Thread.Sleep(1); Changed?.Invoke(this, System.EventArgs.Empty);", "public event System.EventHandler Changed; public void Open(Mode mode) => _mode = mode;", true)]
    public Task FieldSomethingMayWriteBetweenTheTests(string between, string writer, bool reported) => Verify.VerifyAsync($$"""
        using System.IO;
        enum Mode { Active, Passive }
        class Ftp
        {
            private Mode _mode = Mode.Passive;

            {{writer}}

            public int Read(string p)
            {
                Stream s = null;
                if (_mode == Mode.Active)
                {
                    s = {{(reported ? "{|LEAK001:File.OpenRead(p)|}" : "File.OpenRead(p)")}};
                }

                {{between}}
                var r = 0;
                if (_mode == Mode.Active)
                {
                    r = s.ReadByte();
                    s.Dispose();
                }

                return r;
            }
        }
        """);

    /// <summary>An await between the tests, with a public writer: another caller may switch the mode meanwhile.</summary>
    [Fact]
    public Task FieldWrittenByAPublicMemberAcrossAnAwaitIsReported() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        enum Mode { Active, Passive }
        class Ftp
        {
            private Mode _mode = Mode.Passive;
            public void Open(Mode mode) => _mode = mode;
            public async Task<int> ReadAsync(string p)
            {
                Stream s = null;
                if (_mode == Mode.Active) { s = {|LEAK001:File.OpenRead(p)|}; }
                await Task.Delay(10);
                var r = 0;
                if (_mode == Mode.Active) { r = s.ReadByte(); s.Dispose(); }
                return r;
            }
        }
        """);
}
