namespace LeakAnalyzers.Tests.StaticCollections.LEAK202;

using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    LeakAnalyzers.StaticCollections.VisibleStaticCollectionGrowsAnalyzer,
    LeakAnalyzers.CodeFixes.StaticCollections.UseConditionalWeakTableCodeFix>;

public class CodeFix
{
    [Fact]
    public Task InternalCacheInOneDocument() => new Verify.Test
    {
        // LEAK202 is reported at compilation end (deciding it needs every use in the compilation), so the library
        // calls it non-local and, by default, refuses a fix for it: the IDE offers such fixes from the error list
        // with full-solution analysis, and dotnet format applies them, as the rule's page says.
        CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        TestCode = """
        using System.Collections.Concurrent;

        sealed class Document { }

        static class Outlines
        {
            internal static readonly ConcurrentDictionary<Document, string[]> [|Cache|] = new ConcurrentDictionary<Document, string[]>();

            public static string[] Of(Document document) => Cache.GetOrAdd(document, Compute);

            private static string[] Compute(Document document) => new string[0];
        }
        """,
        FixedCode = """
        using System.Collections.Concurrent;
        using System.Runtime.CompilerServices;

        sealed class Document { }

        static class Outlines
        {
            internal static readonly ConditionalWeakTable<Document, string[]> Cache = new ConditionalWeakTable<Document, string[]>();

            public static string[] Of(Document document) => Cache.GetValue(document, Compute);

            private static string[] Compute(Document document) => new string[0];
        }
        """,
    }.RunAsync();
}
