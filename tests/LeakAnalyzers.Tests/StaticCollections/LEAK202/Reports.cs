namespace LeakAnalyzers.Tests.StaticCollections.LEAK202;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.StaticCollections.VisibleStaticCollectionGrowsAnalyzer>;

public class Reports
{
    [Fact]
    public Task InternalRegistry() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Connection
            {
                internal static readonly List<Connection> {|#0:Open|} = new();
                public Connection() { {|#1:Open.Add(this)|}; }
            }
            """,
            Verify.Diagnostic("LEAK202").WithLocation(0).WithLocation(1).WithArguments(
                "'Open'",
                "every 'Connection' adds itself",
                "each one stays alive until the process ends"));

    [Fact]
    public Task RegistrationApiCalledOnEveryRequest() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public static class Plugins
            {
                internal static readonly List<Func<string, string>> [|Resolvers|] = new();
                public static void AddResolver(Func<string, string> resolver) => Resolvers.Add(resolver);
            }
            public class Handler
            {
                private readonly string prefix = "x";
                public void OnRequest() => Plugins.AddResolver(path => prefix + path);
            }
            """);

    [Fact]
    public Task FluentSettingCalledOnEveryRequest() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            public sealed class Headers
            {
                public static Headers Default { get; } = new Headers();
                private Headers() { }
                internal readonly List<string> [|Names|] = new List<string>();
                public Headers With(string name) { Names.Add(name); return this; }
            }
            public class Handler
            {
                public void OnRequest(string user) => Headers.Default.With("X-User-" + user);
            }
            """);

    [Fact]
    public Task RegistryOfObjectsTheCallerGives() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            public sealed class Session { }
            public static class Sessions
            {
                internal static readonly Dictionary<string, Session> [|Open|] = new();
                public static void Register(string id, Session session) => Open[id] = session;
            }
            """);

    [Fact]
    public Task PrivateFieldOfATypeWithNestedTypes() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            class Outer
            {
                private static readonly List<string> [|log|] = new();
                public class Inner { public void Write(string s) => log.Add(s); }
            }
            """);

    [Fact]
    public Task InternalHelperCalledAfterStartUp() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            static class Plugins
            {
                public static readonly List<string> [|Names|] = new();
                internal static void Register(string name) => Names.Add(name);
            }

            class Host
            {
                public void Load(string plugin) => Plugins.Register(plugin);
            }
            """);

    [Fact]
    public Task AddedUnderAGuardThatIsNotOncePerProcess() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            public static class Log
            {
                public static readonly List<string> {|LEAK202:Lines|} = new();
            }
            public class Writer
            {
                private static bool enabled = true;
                private bool done;
                public void Write(string line)
                {
                    if (enabled) Log.Lines.Add(line);
                    if (!done) { Log.Lines.Add(line); }
                }
            }
            """);
}
