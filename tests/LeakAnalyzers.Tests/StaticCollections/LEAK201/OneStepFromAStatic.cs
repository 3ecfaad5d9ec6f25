namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

/// <summary>Collections held by an object that a static holds, collections grown by replacement, removals of the key just read, bounded tuple keys.</summary>
public class OneStepFromAStatic
{
    [Fact]
    public Task ListOfAStaticReadonlyInstance() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Visitor
            {
                public static readonly Visitor Instance = new();
                private readonly List<string> {|#0:members|} = new();
                public void Visit(string member) => {|#1:members.Add(member)|};
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "The process-long 'Visitor.members'",
                "'Visit' adds to it",
                "every element stays until the process ends"));

    /// <summary>
    /// AutoMapper's IfNotNull visitor (a public leak fix): the static field is typed as the framework base class, and
    /// the instance it holds is a source subclass whose list gets every node it ever visits.
    /// </summary>
    [Fact]
    public Task ListOfASourceSubclassHeldByAStaticTypedAsItsBase() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq.Expressions;
            static class ExpressionExtensions
            {
                private static readonly ExpressionVisitor IfNullVisitor = new IfNotNullVisitor();
                public static Expression IfNotNull(this Expression expression) => IfNullVisitor.Visit(expression);

                internal class IfNotNullVisitor : ExpressionVisitor
                {
                    private readonly IList<MemberExpression> {|#0:updated|} = new List<MemberExpression>();
                    protected override Expression VisitMember(MemberExpression node)
                    {
                        if (updated.Contains(node))
                        {
                            return base.VisitMember(node);
                        }

                        {|#1:updated.Add(node)|};
                        return node;
                    }
                }
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "The process-long 'IfNotNullVisitor.updated'",
                "'VisitMember' adds to it",
                "every element stays until the process ends"));

    /// <summary>The fixed version makes a new visitor for every call: its list lives as long as that call.</summary>
    [Fact]
    public Task ListOfAVisitorMadePerCallIsSilent() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq.Expressions;
            static class ExpressionExtensions
            {
                public static Expression IfNotNull(this Expression expression) => new IfNotNullVisitor().Visit(expression);

                internal class IfNotNullVisitor : ExpressionVisitor
                {
                    private readonly IList<MemberExpression> updated = new List<MemberExpression>();
                    protected override Expression VisitMember(MemberExpression node)
                    {
                        updated.Add(node);
                        return node;
                    }
                }
            }
            """);

    [Fact]
    public Task CacheInstanceHeldByAnotherTypesStaticFieldRemovesOnlyTheKeyItReads() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            class MemoryCache
            {
                private readonly Dictionary<string, (object Value, DateTime Expires)> {|#0:entries|} = new();

                public object Get(string key)
                {
                    if (entries.TryGetValue(key, out var entry))
                    {
                        if (entry.Expires > DateTime.UtcNow)
                        {
                            return entry.Value;
                        }

                        entries.Remove(key);
                    }

                    return null;
                }

                public void Set(string key, object value, TimeSpan life) => {|#1:entries[key] = (value, DateTime.UtcNow + life)|};
            }

            static class Caches
            {
                public static readonly MemoryCache Pages = new MemoryCache();
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "The process-long 'MemoryCache.entries'",
                "'Set' adds an entry per new 'key'",
                "every entry stays until the process ends"));

    [Theory]
    [InlineData("var source = Sources[key]; Sources.Remove(key); return source;")]
    [InlineData("if (Sources.TryGetValue(key, out var source)) { Sources.Remove(key); return source; } return null;")]
    [InlineData("if (!Sources.TryGetValue(key, out var source)) return null; Sources.Remove(key); return source;")]
    public Task RemovalThatTakesTheEntryItReadBoundsTheCollection(string take) =>
        Verify.VerifyAnalyzerAsync(
            $$"""
            using System.Collections.Generic;
            static class Loader
            {
                private static readonly Dictionary<string, object> Sources = new();
                public static void Register(string key, object source) => Sources.Add(key, source);
                public static object? Take(string key)
                {
                    {{take}}
                }
            }
            """);

    [Fact]
    public Task MultimapThatDropsAnEmptiedEntryIsBounded() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Enlistments
            {
                private static readonly Dictionary<string, List<int>> ByTransaction = new();
                public static void Enlist(string transaction, int connection)
                {
                    if (!ByTransaction.TryGetValue(transaction, out var list))
                        ByTransaction[transaction] = list = new List<int>();
                    list.Add(connection);
                }
                public static void Unenlist(string transaction, int connection)
                {
                    var list = ByTransaction[transaction];
                    list.Remove(connection);
                    if (list.Count == 0)
                        ByTransaction.Remove(transaction);
                }
            }
            """);

    [Fact]
    public Task CacheOfAContainerSingletonIsNotJudgedLikeAStaticOne() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            namespace Microsoft.Extensions.DependencyInjection
            {
                public interface IServiceCollection { }
                public static class ServiceCollectionServiceExtensions
                {
                    public static IServiceCollection AddSingleton<TService, TImplementation>(this IServiceCollection services) where TImplementation : class, TService => services;
                }
            }
            namespace App
            {
                using Microsoft.Extensions.DependencyInjection;
                public interface ITypeNames { System.Type Resolve(string name); }
                sealed class TypeNames : ITypeNames
                {
                    private readonly ConcurrentDictionary<string, System.Type> resolved = new();
                    public System.Type Resolve(string name) => resolved.GetOrAdd(name, n => System.Type.GetType(n)!);
                }
                static class Startup
                {
                    public static void Configure(IServiceCollection services) => services.AddSingleton<ITypeNames, TypeNames>();
                }
            }
            """);

    [Fact]
    public Task ImmutableDictionaryReplacedOnEveryAdd() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Immutable;
            static class Names
            {
                private static ImmutableDictionary<string, int> {|#0:ids|} = ImmutableDictionary<string, int>.Empty;
                public static void Remember(string name, int id) => {|#1:ids = ids.SetItem(name, id)|};
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "'ids'",
                "'Remember' adds an entry per new 'name'",
                "every entry stays until the process ends"));

    [Fact]
    public Task ImmutableInterlockedTryAdd() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Immutable;
            static class Names
            {
                private static ImmutableDictionary<string, int> [|ids|] = ImmutableDictionary<string, int>.Empty;
                public static bool Remember(string name, int id) => ImmutableInterlocked.TryAdd(ref ids, name, id);
            }
            """);

    [Fact]
    public Task ArrayReplacedByItselfPlusOne() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Linq;
            static class Hooks
            {
                private static string[] [|names|] = new string[0];
                public static void Add(string name) => names = names.Append(name).ToArray();
            }
            """);

    [Fact]
    public Task CompareExchangeOfItselfPlusOne() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Immutable;
            using System.Threading;
            static class Hooks
            {
                private static ImmutableList<string> [|names|] = ImmutableList<string>.Empty;
                public static void Add(string name)
                {
                    var old = names;
                    Interlocked.CompareExchange(ref names, names.Add(name), old);
                }
            }
            """);
}
