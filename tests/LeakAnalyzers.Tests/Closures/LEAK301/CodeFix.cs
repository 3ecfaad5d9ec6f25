namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Fix = LeakAnalyzers.CodeFixes.Closures.DisposeRegistrationCodeFix;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer, LeakAnalyzers.CodeFixes.Closures.DisposeRegistrationCodeFix>;

public class CodeFix
{
    /// <summary>A registration dropped in a method that awaits afterwards: the place of the <c>using</c> fix.</summary>
    private const string AwaitingRequest = """
        using System.Threading;
        using System.Threading.Tasks;

        class Request
        {
            void Cancel() { }
            public async Task SendAsync(CancellationToken token) { token.Register([|() => Cancel()|]); await Task.Delay(1); }
        }
        """;

    [Fact]
    public Task DroppedRegistrationBecomesAUsingLocal() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Request
            {
                void Cancel() { }

                public async Task SendAsync(CancellationToken cancellationToken)
                {
                    // abort the request when the caller gives up
                    cancellationToken.Register([|() => Cancel()|]);
                    await Task.Delay(10);
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class Request
            {
                void Cancel() { }

                public async Task SendAsync(CancellationToken cancellationToken)
                {
                    // abort the request when the caller gives up
                    using var registration = cancellationToken.Register(() => Cancel());
                    await Task.Delay(10);
                }
            }
            """);

    [Fact]
    public Task FixAllNamesEachRegistration() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Request
                {
                    void Cancel() { }
                    void Log() { }

                    public async Task SendAsync(CancellationToken token)
                    {
                        token.Register([|() => Cancel()|]);
                        token.Register([|Log|]);
                        await Task.Delay(10);
                    }

                    public async Task ReceiveAsync(CancellationToken token)
                    {
                        token.Register([|() => Cancel()|]);
                        await foreach (var item in Items()) { }
                    }

                    static async System.Collections.Generic.IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Request
                {
                    void Cancel() { }
                    void Log() { }

                    public async Task SendAsync(CancellationToken token)
                    {
                        using var registration = token.Register(() => Cancel());
                        using var registration2 = token.Register(Log);
                        await Task.Delay(10);
                    }

                    public async Task ReceiveAsync(CancellationToken token)
                    {
                        using var registration3 = token.Register(() => Cancel());
                        await foreach (var item in Items()) { }
                    }

                    static async System.Collections.Generic.IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenNothingIsAwaitedAfterwards() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;

                class Request
                {
                    void Cancel() { }
                    public void Send(CancellationToken token) { token.Register([|() => Cancel()|]); }
                }
                """,
            FixedCode = """
                using System.Threading;

                class Request
                {
                    void Cancel() { }
                    public void Send(CancellationToken token) { token.Register([|() => Cancel()|]); }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenOnlyALambdaAwaitsAfterwards()
    {
        // The lambda runs later, on its own: a using local would end the registration when Start returns.
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class Worker
            {
                void Stop() { }
                public void Start(CancellationToken token) { token.Register([|() => Stop()|]); Task.Run(async () => await Task.Delay(1000)); }
            }
            """;
        return new Verify.Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    [Fact]
    public Task NoUsingFixWhenTheCallbackStopsWhatTheMethodStarted() =>
        // The registration is how the caller stops the processor after this method returns (CryptoExchange.Net's
        // ProcessQueuedAsync): a using local would end it at the return, and cancelling would stop nothing.
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Processor
                {
                    public Task StartAsync() => Task.CompletedTask;
                    public Task StopAsync() => Task.CompletedTask;
                }

                static class Helpers
                {
                    public static async Task ProcessAsync(CancellationToken ct)
                    {
                        var processor = new Processor();
                        await processor.StartAsync();
                        ct.Register([|async () => await processor.StopAsync()|]);
                        await Task.Delay(1);
                    }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Processor
                {
                    public Task StartAsync() => Task.CompletedTask;
                    public Task StopAsync() => Task.CompletedTask;
                }

                static class Helpers
                {
                    public static async Task ProcessAsync(CancellationToken ct)
                    {
                        var processor = new Processor();
                        await processor.StartAsync();
                        ct.Register([|async () => await processor.StopAsync()|]);
                        await Task.Delay(1);
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixForATimer() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Poller
                {
                    int polls;
                    Timer timer;
                    public async Task StartAsync() { timer = new Timer([|_ => polls++|], null, 0, 1000); await Task.Delay(1); }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class Poller
                {
                    int polls;
                    Timer timer;
                    public async Task StartAsync() { timer = new Timer([|_ => polls++|], null, 0, 1000); await Task.Delay(1); }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixBeforeCSharp8() =>
        new Verify.Test
        {
            TestCode = AwaitingRequest,
            FixedCode = AwaitingRequest,
            LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        }.RunAsync();

    // ---- The field fix: a registration made in a constructor lives as long as the object ----

    [Fact]
    public Task ConstructorRegistrationGoesToAFieldAndANewDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            sealed class Poller
            {
                public Poller(CancellationToken token) { token.Register([|() => Stop()|]); }
                void Stop() { }
            }
            """,
            """
            using System;
            using System.Threading;

            sealed class Poller : IDisposable
            {
                private readonly CancellationTokenRegistration registration;

                public Poller(CancellationToken token) { registration = token.Register(() => Stop()); }
                void Stop() { }

                public void Dispose()
                {
                    registration.Dispose();
                }
            }
            """);

    [Fact]
    public Task UnsealedTypeWithoutIDisposableGetsAPublicDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            class Connection
            {
                private readonly string name;

                public Connection(string name, CancellationToken shutdown)
                {
                    this.name = name;
                    shutdown.Register([|Close|]);
                }

                public void Close() { }
            }
            """,
            """
            using System.Threading;

            class Connection : System.IDisposable
            {
                private readonly string name;
                private readonly CancellationTokenRegistration registration;

                public Connection(string name, CancellationToken shutdown)
                {
                    this.name = name;
                    registration = shutdown.Register(Close);
                }

                public void Close() { }

                public void Dispose()
                {
                    registration.Dispose();
                }
            }
            """);

    [Fact]
    public Task AddsToAnExistingDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            using System.Threading;

            sealed class Session : IDisposable
            {
                private readonly Stream stream;

                public Session(Stream stream, CancellationToken token)
                {
                    this.stream = stream;
                    token.Register([|() => stream.Close()|]);
                }

                public void Dispose() => stream.Dispose();
            }
            """,
            """
            using System;
            using System.IO;
            using System.Threading;

            sealed class Session : IDisposable
            {
                private readonly Stream stream;
                private readonly CancellationTokenRegistration registration;

                public Session(Stream stream, CancellationToken token)
                {
                    this.stream = stream;
                    registration = token.Register(() => stream.Close());
                }

                public void Dispose()
                {
                    registration.Dispose();
                    stream.Dispose();
                }
            }
            """);

    [Fact]
    public Task AddsToAnExistingDisposeBoolUnderDisposing() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            class Worker : IDisposable
            {
                public Worker(CancellationToken token) { token.Register([|() => Abort()|]); }

                void Abort() { }

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        Abort();
                    }
                }
            }
            """,
            """
            using System;
            using System.Threading;

            class Worker : IDisposable
            {
                private readonly CancellationTokenRegistration registration;

                public Worker(CancellationToken token) { registration = token.Register(() => Abort()); }

                void Abort() { }

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        registration.Dispose();
                        Abort();
                    }
                }
            }
            """);

    [Fact]
    public Task OverridesTheBaseDisposeBool() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            abstract class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected virtual void Dispose(bool disposing) { }
            }

            class Listener : Component
            {
                public Listener(CancellationToken token) { token.Register([|() => Stop()|]); }
                void Stop() { }
            }
            """,
            """
            using System;
            using System.Threading;

            abstract class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected virtual void Dispose(bool disposing) { }
            }

            class Listener : Component
            {
                private readonly CancellationTokenRegistration registration;

                public Listener(CancellationToken token) { registration = token.Register(() => Stop()); }
                void Stop() { }

                protected override void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        registration.Dispose();
                    }

                    base.Dispose(disposing);
                }
            }
            """);

    [Fact]
    public Task NameClashesWithMembersLocalsAndParametersAreAvoided() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;

            sealed class Relay
            {
                private object registration;

                public Relay(CancellationToken token, string registration2)
                {
                    var registration3 = registration2;
                    token.Register([|() => Forward(registration3)|]);
                }

                void Forward(string value) { }
            }
            """,
            """
            using System.Threading;

            sealed class Relay : System.IDisposable
            {
                private object registration;
                private readonly CancellationTokenRegistration registration4;

                public Relay(CancellationToken token, string registration2)
                {
                    var registration3 = registration2;
                    registration4 = token.Register(() => Forward(registration3));
                }

                void Forward(string value) { }

                public void Dispose()
                {
                    registration4.Dispose();
                }
            }
            """);

    [Fact]
    public Task TwoRegistrationsGetAFieldEachAndOneDispose()
    {
        // One at a time, the second fix adds to the Dispose the first one made; Fix All writes one Dispose in order.
        static string Fixed(string disposedFirst, string disposedSecond) => $$"""
            using System;
            using System.Threading;

            sealed class Link : IDisposable
            {
                private readonly CancellationTokenRegistration registration;
                private readonly CancellationTokenRegistration registration2;

                public Link(CancellationToken first, CancellationToken second)
                {
                    registration = first.Register(() => Drop());
                    registration2 = second.Register(Drop);
                }

                void Drop() { }

                public void Dispose()
                {
                    {{disposedFirst}}.Dispose();
                    {{disposedSecond}}.Dispose();
                }
            }
            """;

        return new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading;

                sealed class Link
                {
                    public Link(CancellationToken first, CancellationToken second)
                    {
                        first.Register([|() => Drop()|]);
                        second.Register([|Drop|]);
                    }

                    void Drop() { }
                }
                """,
            FixedCode = Fixed("registration2", "registration"),
            BatchFixedCode = Fixed("registration", "registration2"),
        }.RunAsync();
    }

    [Fact]
    public Task ConditionalRegistrationGetsANullableField() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            sealed class Dialog
            {
                public Dialog(CancellationToken? cancelToken) { cancelToken?.Register([|() => Close()|]); }
                void Close() { }
            }
            """,
            """
            using System;
            using System.Threading;

            sealed class Dialog : IDisposable
            {
                private readonly CancellationTokenRegistration? registration;

                public Dialog(CancellationToken? cancelToken) { registration = cancelToken?.Register(() => Close()); }
                void Close() { }

                public void Dispose()
                {
                    registration?.Dispose();
                }
            }
            """);

    [Fact]
    public Task NestedRecordAndGenericTypesAreFixed() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;

            static class Outer
            {
                public sealed record Job<T>(T Value)
                {
                    public Job(T value, CancellationToken token) : this(value) { token.Register([|() => Cancel()|]); }
                    void Cancel() { }
                }
            }
            """,
            """
            using System;
            using System.Threading;

            static class Outer
            {
                public sealed record Job<T>(T Value) : IDisposable
                {
                    private readonly CancellationTokenRegistration registration;

                    public Job(T value, CancellationToken token) : this(value) { registration = token.Register(() => Cancel()); }
                    void Cancel() { }

                    public void Dispose()
                    {
                        registration.Dispose();
                    }
                }
            }
            """);

    // ---- Which fix is offered where ----

    [Fact]
    public Task AwaitingMethodGetsOnlyTheUsingFix() =>
        new Verify.Test
        {
            TestCode = AwaitingRequest,
            FixedCode = AwaitingRequest.Replace("token.Register([|() => Cancel()|])", "using var registration = token.Register(() => Cancel())", System.StringComparison.Ordinal),
            CodeActionEquivalenceKey = Fix.UsingEquivalenceKey,
            NotOfferedEquivalenceKeys = { Fix.FieldEquivalenceKey },
        }.RunAsync();

    [Fact]
    public Task ConstructorWithALaterAsyncLambdaGetsOnlyTheFieldFix() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                sealed class Pump
                {
                    private readonly Task loop;

                    public Pump(CancellationToken token)
                    {
                        token.Register([|() => Stop()|]);
                        loop = Task.Run(async () => await Task.Delay(1000));
                    }

                    void Stop() { }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                sealed class Pump : IDisposable
                {
                    private readonly Task loop;
                    private readonly CancellationTokenRegistration registration;

                    public Pump(CancellationToken token)
                    {
                        registration = token.Register(() => Stop());
                        loop = Task.Run(async () => await Task.Delay(1000));
                    }

                    void Stop() { }

                    public void Dispose()
                    {
                        registration.Dispose();
                    }
                }
                """,
            CodeActionEquivalenceKey = Fix.FieldEquivalenceKey,
            NotOfferedEquivalenceKeys = { Fix.UsingEquivalenceKey },
        }.RunAsync();

    [Fact]
    public Task FixAllOfOneKindLeavesTheOtherKind()
    {
        const string source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            sealed class Client
            {
                public Client(CancellationToken lifetime) { lifetime.Register([|() => Close()|]); }

                public async Task SendAsync(CancellationToken token) { token.Register([|() => Close()|]); await Task.Delay(1); }

                void Close() { }
            }
            """;
        return Task.WhenAll(
            new Verify.Test
            {
                TestCode = source,
                FixedCode = """
                    using System;
                    using System.Threading;
                    using System.Threading.Tasks;

                    sealed class Client : IDisposable
                    {
                        private readonly CancellationTokenRegistration registration;

                        public Client(CancellationToken lifetime) { registration = lifetime.Register(() => Close()); }

                        public async Task SendAsync(CancellationToken token) { token.Register([|() => Close()|]); await Task.Delay(1); }

                        void Close() { }

                        public void Dispose()
                        {
                            registration.Dispose();
                        }
                    }
                    """,
                CodeActionEquivalenceKey = Fix.FieldEquivalenceKey,
            }.RunAsync(),
            new Verify.Test
            {
                TestCode = source,
                FixedCode = """
                    using System;
                    using System.Threading;
                    using System.Threading.Tasks;

                    sealed class Client
                    {
                        public Client(CancellationToken lifetime) { lifetime.Register([|() => Close()|]); }

                        public async Task SendAsync(CancellationToken token) { using var registration = token.Register(() => Close()); await Task.Delay(1); }

                        void Close() { }
                    }
                    """,
                CodeActionEquivalenceKey = Fix.UsingEquivalenceKey,
            }.RunAsync());
    }

    [Theory]
    [InlineData("public void Start(CancellationToken token) { token.Register([|() => Stop()|]); }")]
    [InlineData("public static void Attach(Poller poller, CancellationToken token) { token.Register([|() => poller.Stop()|]); }")]
    [InlineData("public Poller(CancellationToken token) { Action hook = () => { token.Register([|() => Stop()|]); }; hook(); }")]
    [InlineData("public Poller(CancellationToken token) { Hook(); void Hook() { token.Register([|() => Stop()|]); } }")]
    [InlineData("public Poller(CancellationToken token, string[] names) { foreach (var name in names) { token.Register([|() => Stop()|]); } }")]
    [InlineData("public Poller(CancellationToken token) { for (var i = 0; i < 2; i++) token.Register([|() => Stop()|]); }")]
    [InlineData("public Poller(CancellationToken token) { _ = token.Register([|() => Stop()|]); }")]
    [InlineData("public Poller(CancellationToken token) => token.Register([|() => Stop()|]);")]
    public Task NoFieldFixOutsideCodeThatRunsOncePerObject(string member)
    {
        var source = $$"""
            using System;
            using System.Threading;

            sealed class Poller
            {
                {{member}}
                public void Stop() { }
            }
            """;
        return new Verify.Test { TestCode = source, FixedCode = source, NotOfferedEquivalenceKeys = { Fix.FieldEquivalenceKey } }.RunAsync();
    }

    [Fact]
    public Task FieldFixWorksBesideACompilerError() =>
        new Verify.Test
        {
            TestCode = """
                using System.Threading;

                sealed class Poller
                {
                    public Poller(CancellationToken token) { token.Register([|() => Stop()|]); {|CS0103:Missing|}(); }
                    void Stop() { }
                }
                """,
            FixedCode = """
                using System.Threading;

                sealed class Poller : System.IDisposable
                {
                    private readonly CancellationTokenRegistration registration;

                    public Poller(CancellationToken token) { registration = token.Register(() => Stop()); {|CS0103:Missing|}(); }
                    void Stop() { }

                    public void Dispose()
                    {
                        registration.Dispose();
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFieldFixInAStruct()
    {
        const string source = """
            using System.Threading;

            struct Watch
            {
                private readonly int[] ticks;
                public Watch(CancellationToken token) { var counts = new int[1]; ticks = counts; token.Register([|() => counts[0] = 0|]); }
            }
            """;
        return new Verify.Test { TestCode = source, FixedCode = source, NotOfferedEquivalenceKeys = { Fix.FieldEquivalenceKey } }.RunAsync();
    }

    [Fact]
    public Task NoFieldFixWhenDisposeIsOutOfReach()
    {
        // The base's Dispose is not virtual: nothing to add to or override, and a second IDisposable would not be called.
        const string source = """
            using System;
            using System.Threading;

            class Resource : IDisposable { public void Dispose() { } }

            sealed class Lease : Resource
            {
                public Lease(CancellationToken token) { token.Register([|() => Release()|]); }
                void Release() { }
            }
            """;
        return new Verify.Test { TestCode = source, FixedCode = source, NotOfferedEquivalenceKeys = { Fix.FieldEquivalenceKey } }.RunAsync();
    }

    [Fact]
    public Task NoFieldFixWhenDisposeIsInAnotherFileOfAPartialType()
    {
        const string source = """
            using System.Threading;

            sealed partial class Feed
            {
                public Feed(CancellationToken token) { token.Register([|() => Close()|]); }
                void Close() { }
            }
            """;
        const string disposePart = "sealed partial class Feed : System.IDisposable { public void Dispose() { } }";
        return new Verify.Test
        {
            TestState = { Sources = { source, ("Feed.Dispose.cs", disposePart) } },
            FixedState = { Sources = { source, ("Feed.Dispose.cs", disposePart) } },
            NotOfferedEquivalenceKeys = { Fix.FieldEquivalenceKey },
        }.RunAsync();
    }
}
