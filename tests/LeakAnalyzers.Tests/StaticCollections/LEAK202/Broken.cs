namespace LeakAnalyzers.Tests.StaticCollections.LEAK202;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.VisibleStaticCollectionGrowsAnalyzer>;

/// <summary>Code being typed: the analyzer must not throw, and reports what it can still see.</summary>
public class Broken
{
    [Theory]
    [InlineData("using System.Collections.Generic; public static class C { public static List<int> X = new(); } class D { void M() { C.X.Add( } }")]
    [InlineData("using System.Collections.Generic; public static class C { public static Dictionary<Missing, int> X = new(); } class D { void M(Missing m) { C.X[m] = 1; } }")]
    [InlineData("using System.Collections.Generic; public static class C { public static List<int> X; } class D { void M() { C.X. } }")]
    [InlineData("public static class C { public static UnknownList X = new(); } class D { void M() { C.X.Add(1); } }")]
    [InlineData("using System.Collections.Generic; public static class C { public static List<int> X = new(); static void M() { X.Add(1); X.Remove(; } }")]
    [InlineData("using System.Collections.Generic; public static class C { public static List<int> X { get => ; } static void M() { X.Add(1); } }")]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();

    [Fact]
    public Task StillReportsBesideAnError() =>
        new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;
                public static class C
                {
                    public static readonly List<string> [|Names|] = new();
                }

                class D
                {
                    void M(string n) { C.Names.Add(n); Missing(); }
                }
                """,
            AllowCompilerErrors = true,
        }.RunAsync();

    [Fact]
    public Task ManyCollectionsAndWrites()
    {
        var body = new System.Text.StringBuilder();
        body.Append("using System.Collections.Generic;\npublic static class Many\n{\n");
        for (var i = 0; i < 300; i++)
        {
            body.Append("    public static readonly List<string> F").Append(i).Append(" = new();\n");
            body.Append("    public static void M").Append(i).Append("(string s) { F").Append(i).Append(".Add(s); F").Append(i).Append(".Remove(s); }\n");
        }

        body.Append("}\n");
        return Verify.VerifyAnalyzerAsync(body.ToString());
    }
}
