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

    /// <summary>The same method with a call between the tests that reaches the only writer of the field (directly,
    /// through another member, or through a property setter), a field another instance may write, and a field a
    /// lambda writes: the second test may disagree with the first.</summary>
    [Theory]
    [InlineData("Open(Mode.Active);", "public void Open(Mode mode) => _mode = mode;")]
    [InlineData("Reset();", "public void Open(Mode mode) => _mode = mode; void Reset() { Open(Mode.Passive); }")]
    [InlineData("Current = Mode.Active;", "Mode Current { get => _mode; set => _mode = value; }")]
    [InlineData("", "public void CopyTo(Ftp other) => other._mode = _mode;")]
    [InlineData("", "public System.Action Switch => () => _mode = Mode.Active;")]
    public Task FieldACallOrSomeoneElseMayWriteIsReported(string between, string writer) => Verify.VerifyAsync($$"""
        using System.Net;
        using System.Net.Sockets;
        enum Mode { Active, Passive }
        class Ftp
        {
            private Mode _mode = Mode.Passive;

            {{writer}}

            public int Read()
            {
                TcpClient? client = null;
                if (_mode == Mode.Active)
                {
                    client = new TcpClient("localhost", 20);
                }
                else
                {
                    client = new TcpClient("localhost", 21);
                }

                {{between}}
                if (_mode == Mode.Active)
                {
                    {|LEAK004:client = new TcpClient("localhost", 22)|};
                }

                var b = client.GetStream().ReadByte();
                client.Dispose();
                return b;
            }
        }
        """);
}
