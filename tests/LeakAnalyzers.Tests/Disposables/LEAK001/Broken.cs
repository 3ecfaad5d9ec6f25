namespace LeakAnalyzers.Tests.Disposables.LEAK001;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.LocalNotDisposedAnalyzer>;

/// <summary>Code being typed: the analyzer must not throw, and reports what it can still see.</summary>
public class Broken
{
    [Theory]
    [InlineData("class C { void M(string p) { var s = new System.IO.FileStream(")]
    [InlineData("class C { void M(string p) { var s = new System.IO.FileStream(p, System.IO.FileMode.Open) if (s. }")]
    [InlineData("class C { void M() { var s = new UnknownType(); s.Dispose(); } }")]
    [InlineData("class C { void M() { var s = Unknown.Open(); } }")]
    [InlineData("class C { void M(string p) { using var = new System.IO.FileStream(p); } }")]
    [InlineData("class C { void M() { var s = new System.IO.FileStream(; return s }")]
    [InlineData("class C { System.IO.Stream M(string p) { var s = [|new System.IO.FileStream(p, System.IO.FileMode.Open)|]; goto missing; } }")]
    [InlineData("")]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Fact]
    public Task StillReportsBesideAnError() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    int M(string path)
                    {
                        var stream = [|new FileStream(path, FileMode.Open)|];
                        Missing(stream.ReadByte());
                        return stream.ReadByte();
                    }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();

    [Fact]
    public Task VeryLongMethod()
    {
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            body.Append("        if (x > ").Append(i).Append(") { x += s.ReadByte(); }\n");
        }

        return Verify.VerifyAnalyzerAsync(
            "using System.IO;\nclass C\n{\n    int M(string p, int x)\n    {\n        using var s = File.OpenRead(p);\n" + body + "        return x;\n    }\n}\n");
    }
}
