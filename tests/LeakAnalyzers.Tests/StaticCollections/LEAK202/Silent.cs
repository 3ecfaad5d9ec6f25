namespace LeakAnalyzers.Tests.StaticCollections.LEAK202;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.VisibleStaticCollectionGrowsAnalyzer>;

public class Silent
{
    [Fact]
    public Task RegistrationApiOfBehavioursNobodyCallsAfterStartUp() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public delegate object Resolver(string path);
            public abstract class Codec { }
            public static class Plugins
            {
                internal static readonly List<Resolver> Resolvers = new();
                internal static readonly Dictionary<string, Type> Filters = new();
                internal static readonly Dictionary<string, Codec> Codecs = new();
                public static void AddResolver(Resolver resolver) { if (resolver != null) Resolvers.Insert(0, resolver); }
                public static void AddFilter(string name, Type filter) => Filters[name] = filter;
                public static void AddCodec(string mime, Codec codec) => Codecs.Add(mime, codec);
            }
            """);

    [Fact]
    public Task FluentConfigurationOfASingleton() =>
        // LLamaSharp's native library configuration: With* settings the application writes before loading.
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            public sealed class LibraryConfig
            {
                public static LibraryConfig Default { get; } = new LibraryConfig();
                private LibraryConfig() { }
                private readonly List<string> searchDirectories = new List<string>();
                public bool Loaded { get; internal set; }
                public LibraryConfig WithSearchDirectory(string directory)
                {
                    if (Loaded) throw new InvalidOperationException("loaded");
                    searchDirectories.Add(directory);
                    return this;
                }
                internal string[] Gather() => searchDirectories.Concat(new[] { "./" }).ToArray();
            }
            """);

    [Fact]
    public Task ClearedInAnotherType() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            public static class Errors
            {
                public static readonly List<string> Recent = new();
                public static void Report(string error) => Recent.Add(error);
            }

            public class Dashboard
            {
                public void Reset() => Errors.Recent.Clear();
            }
            """);

    [Fact]
    public Task FilledOnlyFromStartUpHelpersInOtherTypes() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Converters
            {
                internal static readonly Dictionary<string, string> ByName = new();
                static Converters() { Defaults.Fill(); }
            }

            static class Defaults
            {
                internal static void Fill() { Converters.ByName["int"] = "Int32"; Converters.ByName["string"] = "String"; }
            }
            """);

    [Fact]
    public Task PublicTypeKeyedCache() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            public static class Factories
            {
                public static readonly ConcurrentDictionary<Type, Func<object>> ByType = new();
                public static object Create(Type type) => ByType.GetOrAdd(type, t => () => Activator.CreateInstance(t)!)();
            }
            """);

    [Fact]
    public Task PrivateFieldsAreLeak201s() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class C
            {
                private static readonly List<string> names = new();
                public static void Add(string n) => names.Add(n);
            }
            """);

    [Fact]
    public Task ReturnedToCallers() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            public static class Registry
            {
                internal static readonly List<string> Items = new();
                public static void Add(string s) => Items.Add(s);
                public static List<string> All() => Items;
            }
            """);

    [Theory]
    [InlineData("Interlocked.CompareExchange(ref registered, 1, 0) == 0", "")]
    [InlineData("Interlocked.Exchange(ref registered, 1) == 0", "")]
    [InlineData("Interlocked.Increment(ref registered) == 1", "")]
    [InlineData("!done", "done = true;")]
    [InlineData("done == false", "done = true;")]
    public Task AddedUnderAOncePerProcessGuard(string guard, string set) =>
        Verify.VerifyAnalyzerAsync($$"""
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            public static class Converters
            {
                public static readonly ConcurrentBag<Func<Type, object?>> All = new();
            }
            public class Builder
            {
                private static int registered;
                private static bool done;
                public object Build()
                {
                    if ({{guard}})
                    {
                        {{set}}
                        Converters.All.Add(t => t == typeof(Guid) ? Guid.Empty : null);
                    }

                    return new object();
                }
            }
            """);

    [Fact]
    public Task KeyedByConstantsAtEveryCallOfAPublicMethodOfAnInternalType() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Concurrent;
            internal static class Natives
            {
                internal static readonly ConcurrentDictionary<string, object> Exports = new();
                public static object Export(string name) => Exports.GetOrAdd(name, n => new object());
            }
            public class Client
            {
                public object Shutdown() => Natives.Export(nameof(Shutdown));
                public object Timeout() => Natives.Export("timeout");
            }
            """);
}
