namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer>;

public class Reports
{
    [Fact]
    public Task ClosureHeldByAPublisherTheLongLivedLambdaDoesNotCapture() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            public class Source
            {
                public event EventHandler Changed;
                public byte[] Read() => new byte[16];
            }
            public class Aggregate
            {
                private readonly List<Func<int>> counts = new();
                private int total;
                public void Add(Source source, int weight)
                {
                    var {|#2:last|} = new byte[1 << 20];
                    Action update = {|#1:() => { total += last.Length; last = source.Read(); }|};
                    counts.Add({|#0:() => weight|});
                    source.Changed += (sender, e) => update();
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda",
                "'counts'",
                "last",
                "as long as this 'Aggregate' lives"));

    [Fact]
    public Task StaticFactoryKeepsTheBufferOfATaskRunLambda() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            static class Loader
            {
                static Func<string> describe;
                public static Task Load(string name)
                {
                    var {|#2:buffer|} = new byte[1 << 20];
                    var task = Task.Run({|#1:() => buffer[0] = 1|});
                    var label = name.ToUpperInvariant();
                    describe = {|#0:() => label|};
                    return task;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda",
                "the static 'Loader.describe'",
                "buffer",
                "until the process ends"));

    // Blocks whose text has room for fewer than two lambdas are skipped: anonymous methods count as lambdas.
    [Fact]
    public Task AnonymousMethodsShareTheClosureToo() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            static class Loader
            {
                static Func<string> describe;
                public static Task Load(string name)
                {
                    var {|#2:buffer|} = new byte[1 << 20];
                    var task = Task.Run({|#1:delegate { buffer[0] = 1; }|});
                    var label = name.ToUpperInvariant();
                    describe = {|#0:delegate { return label; }|};
                    return task;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "An anonymous method",
                "the static 'Loader.describe'",
                "buffer",
                "until the process ends"));

    [Fact]
    public Task DroppedRegistrationKeepsAStreamOfTheSameMethod() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Uploader
            {
                public async Task UploadAsync(Stream source, CancellationToken token)
                {
                    var completion = new TaskCompletionSource<bool>();
                    var copy = new MemoryStream();
                    token.Register([|() => completion.TrySetCanceled()|]);
                    await Task.Run(() => source.CopyTo(copy));
                    completion.TrySetResult(true);
                }
            }
            """);

    [Fact]
    public Task TimerInAStaticMemberKeepsAListOfTheSameBlock() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                public int Start(int period, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer([|_ => System.Console.WriteLine(period)|], null, 0, period);
                    return count;
                }
            }
            """);

    [Fact]
    public Task StaticCollectionKeepsADisposableLocal() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            class Importer
            {
                static readonly List<Func<int>> counters = new();
                public void Import(string path)
                {
                    var reader = new StringReader(path);
                    var size = path.Length;
                    var lines = Enumerable.Range(0, 3).Select(i => reader.ReadLine()).ToList();
                    counters.Add([|() => size|]);
                    reader.Dispose();
                }
            }
            """);

    [Fact]
    public Task ParameterSharesTheClosureOfTheOutermostBlock() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public void Load(string name, byte[] data)
                {
                    Task.Run(() => data[0] = 1).Wait();
                    var label = name;
                    describe = [|() => label|];
                }
            }
            """);
}
