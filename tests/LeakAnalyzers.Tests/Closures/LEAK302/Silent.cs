namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer>;

public class Silent
{
    [Fact]
    public Task ClosureAlreadyHeldByAPublisherTheLongLivedLambdaCaptures() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public class Source
            {
                public event EventHandler Changed;
                public bool Busy => false;
                public byte[] Read() => new byte[16];
            }
            public class Aggregate
            {
                private readonly List<Func<bool>> busy = new();
                private int total;
                public void Add(Source source)
                {
                    var last = new byte[1 << 20];
                    Action update = () => { total += last.Length; last = source.Read(); };
                    busy.Add(() => source.Busy);
                    source.Changed += (sender, e) => update();
                    update();
                }
            }
            """);

    [Fact]
    public Task BothLambdasShortLived() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Linq;
            using System.Threading.Tasks;
            class Report
            {
                public Task<int> Run(int[] values, int limit)
                {
                    var buffer = new byte[1024];
                    var count = values.Count(v => v > limit);
                    return Task.Run(() => buffer.Length + count);
                }
            }
            """);

    [Fact]
    public Task LongLivedLambdaInAnotherBlock() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public Task Load(string name)
                {
                    var buffer = new byte[1 << 20];
                    var task = Task.Run(() => buffer[0] = 1);
                    {
                        var label = name.ToUpperInvariant();
                        describe = () => label;
                    }
                    return task;
                }
            }
            """);

    [Fact]
    public Task OtherVariableOwnsNothing() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public Task Load(string name, int size)
                {
                    var task = Task.Run(() => Console.WriteLine(size));
                    describe = () => name;
                    return task;
                }
            }
            """);

    [Fact]
    public Task LongLivedLambdaUsesTheVariableItself() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<int> length;
                public Task Load()
                {
                    var buffer = new byte[16];
                    var task = Task.Run(() => buffer[0] = 1);
                    length = () => buffer.Length;
                    return task;
                }
            }
            """);

    [Fact]
    public Task RegistrationDisposedAndStaticLambdas() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Uploader
            {
                static System.Func<int> zero;
                public async Task UploadAsync(Stream source, CancellationToken token)
                {
                    var completion = new TaskCompletionSource<bool>();
                    using var registration = token.Register(() => completion.TrySetCanceled());
                    await Task.Run(() => source.CopyTo(Stream.Null));
                    zero = static () => 0;
                }
            }
            """);

    [Fact]
    public Task LongLivedLambdaCapturesOnlyThis() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class View
            {
                static Action refresh;
                int n;
                public Task Show()
                {
                    var buffer = new byte[16];
                    refresh = () => n++;
                    return Task.Run(() => buffer[0] = 1);
                }
            }
            """);
    [Fact]
    public Task VariableAlreadyReachedThroughWhatTheLongLivedLambdaCaptures() =>
        // Jint's cross-realm transform: the port handler captures a controller made with the engine.
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            public sealed class Engine : IDisposable { public void Dispose() { } }
            public sealed class Port { public Action<object> Handler; }
            public sealed class Controller
            {
                private readonly Engine engine;
                public Controller(Engine engine) => this.engine = engine;
                public void Enqueue(object o) { }
            }
            public static class Transform
            {
                public static void SetUp(Func<Engine> open, Port port, Action<Func<object>> setPull)
                {
                    var engine = open();
                    var controller = new Controller(engine);
                    port.Handler = data => controller.Enqueue(data);
                    setPull(() => engine);
                }
            }
            """);
}
