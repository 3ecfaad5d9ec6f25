namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

/// <summary>Code being typed: the analyzer must not throw, and reports what it can still see.</summary>
public class Broken
{
    [Theory]
    [InlineData("using System.Collections.Generic; static class C { private static List<int> x = new(); static void M() { x.Add( } }")]
    [InlineData("using System.Collections.Generic; static class C { private static Dictionary<Missing, int> x = new(); static void M(Missing m) { x[m] = 1; } }")]
    [InlineData("using System.Collections.Generic; static class C { private static List<int> x; static void M() { x. } }")]
    [InlineData("static class C { private static UnknownList x = new(); static void M() { x.Add(1); } }")]
    [InlineData("using System.Collections.Generic; static class C { private static List<int> x = new(); static void M() { x.Add(1); x.Remove(; } }")]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Fact]
    public Task StillReportsBesideAnError() =>
        new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;
                static class C
                {
                    private static readonly List<string> [|names|] = new();
                    public static void M(string n) { names.Add(n); Missing(); }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();
}
