namespace LeakAnalyzers.Tests.StaticCollections.LEAK203;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.VisibleStaticCollectionGrowsAnalyzer>;

public class VisibleScope
{
    [Fact]
    public Task PublicCacheFilledFromAnotherType() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            public static class ExpressionCache
            {
                public static readonly ConcurrentDictionary<string, object> {|#0:Parsed|} = new();
            }

            public class Parser
            {
                public object Parse(string text) => {|#1:ExpressionCache.Parsed.GetOrAdd(text, t => new object())|};
            }
            """,
            Verify.Diagnostic("LEAK203").WithLocation(0).WithLocation(1).WithArguments(
                "'Parsed'",
                "'Parse' adds an entry per new 'text'",
                "every entry stays until the process ends"));
}
