namespace LeakAnalyzers.Tests.StaticCollections.LEAK202;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    LeakAnalyzers.StaticCollections.VisibleStaticCollectionGrowsAnalyzer,
    LeakAnalyzers.CodeFixes.StaticCollections.UseConditionalWeakTableCodeFix>;

public class CodeFix
{
    [Fact]
    public Task InternalCacheInOneDocument() => Verify.VerifyCodeFixAsync("""
        using System.Collections.Concurrent;

        sealed class Document { }

        static class Outlines
        {
            internal static readonly ConcurrentDictionary<Document, string[]> [|Cache|] = new ConcurrentDictionary<Document, string[]>();

            public static string[] Of(Document document) => Cache.GetOrAdd(document, Compute);

            private static string[] Compute(Document document) => new string[0];
        }
        """, """
        using System.Collections.Concurrent;
        using System.Runtime.CompilerServices;

        sealed class Document { }

        static class Outlines
        {
            internal static readonly ConditionalWeakTable<Document, string[]> Cache = new ConditionalWeakTable<Document, string[]>();

            public static string[] Of(Document document) => Cache.GetValue(document, Compute);

            private static string[] Compute(Document document) => new string[0];
        }
        """);
}
