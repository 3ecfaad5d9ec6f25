namespace LeakAnalyzers.Tests.Disposables.LEAK004;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Disposables.LocalNotDisposedAnalyzer, LeakAnalyzers.CodeFixes.Disposables.OverwrittenWhileOwnedCodeFix>;

public class Locals
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Leak004 => Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK004OverwrittenWhileOwned);

    [Fact]
    public Task ReportsOverwriteWithTheOldCreationAsAdditionalLocation() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class C
            {
                void M(string a, string b)
                {
                    var stream = {|#1:new FileStream(a, FileMode.Open)|};
                    {|#0:stream = new FileStream(b, FileMode.Open)|};
                    stream.Dispose();
                }
            }
            """,
            Leak004.WithLocation(0).WithLocation(1)
                .WithMessage("'stream' is overwritten before its 'FileStream' is disposed; its file handle stays open until the finalizer runs"));

    [Fact]
    public Task ReportsAssignmentInLoop() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class C
            {
                void M(string[] paths)
                {
                    Stream current = null;
                    foreach (var path in paths)
                    {
                        {|#0:current = {|#1:File.OpenRead(path)|}|};
                        current.ReadByte();
                    }

                    current?.Dispose();
                }
            }
            """,
            Leak004.WithLocation(0).WithLocation(1).WithArguments("current", "FileStream", "its file handle stays open until the finalizer runs"));

    [Theory]
    [InlineData("void M(string a, string b) { var s = new FileStream(a, FileMode.Open); s.Dispose(); s = new FileStream(b, FileMode.Open); s.Dispose(); }")]
    [InlineData("void M(string[] ps) { Stream s = null; foreach (var p in ps) { s?.Dispose(); s = File.OpenRead(p); s.ReadByte(); } s?.Dispose(); }")]
    [InlineData("void M(string a, bool b) { FileStream s = null; if (b) { s = new FileStream(a, FileMode.Open); } s?.Dispose(); }")]
    [InlineData("Stream f; void M(string a, string b) { var s = new FileStream(a, FileMode.Open); f = s; s = new FileStream(b, FileMode.Open); s.Dispose(); }")]
    [InlineData("void M(string a, string b) { var s = new FileStream(a, FileMode.Open); if (s != null) { s.Dispose(); } s = new FileStream(b, FileMode.Open); s.Dispose(); }")]
    [InlineData("Stream M(string a) { Stream s = null; do { s = File.OpenRead(a); } while (false); return s; }")]
    public Task SilentWhenTheOldValueIsDisposedNullOrHandedOver(string member) =>
        Verify.VerifyAnalyzerAsync("using System.IO;\nclass C { " + member + " }");

    [Fact]
    public Task LoopDeclarationIsLeak001NotLeak004() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class C
            {
                void M(string[] paths)
                {
                    foreach (var path in paths)
                    {
                        var stream = {|#0:File.OpenRead(path)|};
                        stream.ReadByte();
                    }
                }
            }
            """,
            Verify.Diagnostic(LeakAnalyzers.Descriptors.LEAK001LocalNotDisposed).WithLocation(0)
                .WithArguments("stream", "never disposed", "its file handle stays open until the finalizer runs"));

    [Fact]
    public Task FixDisposesThePreviousValue() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    void M(string[] paths)
                    {
                        Stream current = null;
                        foreach (var path in paths)
                        {
                            {|LEAK004:current = File.OpenRead(path)|};
                            current.ReadByte();
                        }

                        current?.Dispose();
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                class C
                {
                    void M(string[] paths)
                    {
                        Stream current = null;
                        foreach (var path in paths)
                        {
                            current?.Dispose();
                            current = File.OpenRead(path);
                            current.ReadByte();
                        }

                        current?.Dispose();
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task FixAllInDocument() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    void M(string a, string b, string c)
                    {
                        var stream = File.OpenRead(a);
                        {|LEAK004:stream = File.OpenRead(b)|};
                        {|LEAK004:stream = File.OpenRead(c)|};
                        stream.Dispose();
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                class C
                {
                    void M(string a, string b, string c)
                    {
                        var stream = File.OpenRead(a);
                        stream?.Dispose();
                        stream = File.OpenRead(b);
                        stream?.Dispose();
                        stream = File.OpenRead(c);
                        stream.Dispose();
                    }
                }
                """,
        }.RunAsync();
}
