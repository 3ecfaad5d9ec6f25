namespace LeakAnalyzers.Tests.StaticCollections.LEAK201;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.PrivateStaticCollectionGrowsAnalyzer>;

public class Reports
{
    [Fact]
    public Task KeyedByANumberConvertedFromAnyString() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Parsed
            {
                private static readonly Dictionary<int, string> [|seen|] = new();
                public static void Add(string text) => seen[Convert.ToInt32(text)] = text;
            }
            """);

    [Fact]
    public Task InstanceRegistry() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Widget
            {
                private static readonly List<Widget> {|#0:all|} = new();

                public Widget() { {|#1:all.Add(this)|}; }
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "'all'",
                "every 'Widget' adds itself",
                "each one stays alive until the process ends"));

    [Fact]
    public Task BagOnlyAddedTo() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            class ServerRegistry
            {
                private static readonly ConcurrentBag<string> {|#0:servers|} = new ConcurrentBag<string>();

                public void Start(string name) { {|#1:servers.Add(name)|}; }
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "'servers'",
                "'Start' adds to it",
                "every element stays until the process ends"));

    [Fact]
    public Task StringBuilderUsedAsABuffer() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Text;
            class Tracer
            {
                private static readonly StringBuilder [|log|] = new StringBuilder();

                public void Trace(string message) => log.AppendLine(message);
            }
            """);

    [Fact]
    public Task ObjectKeysFromParameters() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Tags
            {
                private static readonly Dictionary<object, int> [|counts|] = new();

                public void Tag(object item) { counts[item] = 1; }
            }
            """);

    [Fact]
    public Task LambdaInAStaticInitializerRunsLater() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Recorder
            {
                private static readonly Queue<int> [|seen|] = new();
                public static readonly Action<int> Record = x => seen.Enqueue(x);
            }
            """);

    [Fact]
    public Task HelperCalledAfterStartUp() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Names
            {
                private static readonly List<string> [|names|] = new();

                static Names() { Register("a"); }

                public static void Use(string name) => Register(name);

                private static void Register(string name) => names.Add(name);
            }
            """);

    [Fact]
    public Task KeyMixingAReflectionNameWithInput() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Names
            {
                private static readonly Dictionary<string, Type> [|byName|] = new();

                public static void Register(Type type, string tenant) => byName[type.FullName + "/" + tenant] = type;
            }
            """);

    [Fact]
    public Task CollectionHeldByASingleton() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            sealed class Telemetry
            {
                public static readonly Telemetry Instance = new Telemetry();
                private readonly List<string> {|#0:events|} = new();

                private Telemetry() { events.Add("started"); }

                public void Track(string name) => {|#1:events.Add(name)|};
            }
            """,
            Verify.Diagnostic("LEAK201").WithLocation(0).WithLocation(1).WithArguments(
                "The process-long 'Telemetry.events'",
                "'Track' adds to it",
                "every element stays until the process ends"));

    [Fact]
    public Task GenericCacheKeyedByAnUnconstrainedTypeParameter() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Concurrent;
            static class Interned<T> where T : notnull
            {
                private static readonly ConcurrentDictionary<T, T> [|values|] = new();
                public static T Intern(T value) => values.GetOrAdd(value, value);
            }
            """);
    [Fact]
    public Task RegistrationHelperReachedFromCodeThatRunsLater() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public abstract class PayloadReader { }
            public sealed class EchoReader : PayloadReader { }
            public class PayloadRegistry
            {
                private static readonly Dictionary<string, PayloadReader> [|readers|] = new();
                public static void Register(string name, PayloadReader reader) => RegisterInternal(name, reader);
                public void OnConnected(int session) => Register("echo-" + session, new EchoReader());
                private static void RegisterInternal(string name, PayloadReader reader) => readers[name] = reader;
            }
            """);
}
