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
}
