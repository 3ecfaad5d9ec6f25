namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer, LeakAnalyzers.CodeFixes.Closures.PassStateCodeFix>;

public class PassStateCodeFix
{
    [Fact]
    public Task TimerStateReplacesTheNullArgument() =>
        Verify.VerifyCodeFixAsync(
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
            """,
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
                    heartbeat = new Timer(static state => System.Console.WriteLine((int)state), period, 0, period);
                    return count;
                }
            }
            """);

    [Fact]
    public Task RegisterGetsItsStateOverload() =>
        Verify.VerifyCodeFixAsync(
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
            """,
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
                    token.Register(static state => ((TaskCompletionSource<bool>)state).TrySetCanceled(), completion);
                    await Task.Run(() => source.CopyTo(copy));
                    completion.TrySetResult(true);
                }
            }
            """);

    [Fact]
    public Task NoStateOverloadIsChosenWhenArgumentsAreNamed() =>
        NoFixAsync(
            """
            #nullable enable
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Uploader
            {
                public void Upload(CancellationToken token, string name)
                {
                    var parts = new List<byte[]>();
                    Parallel.For(0, 4, i => parts.Add(new byte[i]));
                    token.Register([|() => System.Console.WriteLine(name.Length)|], useSynchronizationContext: false);
                }
            }
            """);

    [Fact]
    public Task NullableCodeGetsASuppression() =>
        Verify.VerifyCodeFixAsync(
            """
            #nullable enable
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Uploader
            {
                public void Upload(CancellationToken token, string name)
                {
                    var parts = new List<byte[]>();
                    Parallel.For(0, 4, i => parts.Add(new byte[i]));
                    token.Register([|() => System.Console.WriteLine(name.Length)|], false);
                }
            }
            """,
            """
            #nullable enable
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Uploader
            {
                public void Upload(CancellationToken token, string name)
                {
                    var parts = new List<byte[]>();
                    Parallel.For(0, 4, i => parts.Add(new byte[i]));
                    token.Register(static state => System.Console.WriteLine(((string)state!).Length), name, false);
                }
            }
            """);

    [Fact]
    public Task AWaitCallbackKeepsItsSecondParameter() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Watcher
            {
                public void Watch(WaitHandle handle, string name)
                {
                    var seen = new List<string>();
                    Parallel.For(0, 2, i => seen.Add(name));
                    ThreadPool.RegisterWaitForSingleObject(handle, [|(_, timedOut) => System.Console.WriteLine(name + timedOut)|], null, 1000, true);
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Watcher
            {
                public void Watch(WaitHandle handle, string name)
                {
                    var seen = new List<string>();
                    Parallel.For(0, 2, i => seen.Add(name));
                    ThreadPool.RegisterWaitForSingleObject(handle, static (state, timedOut) => System.Console.WriteLine((string)state + timedOut), name, 1000, true);
                }
            }
            """);

    [Fact]
    public Task BeforeCSharp9TheLambdaIsNotMarkedStatic() =>
        new Verify.Test
        {
            LanguageVersion = LanguageVersion.CSharp8,
            TestCode = """
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
                """,
            FixedCode = """
                using System.Collections.Generic;
                using System.Linq;
                using System.Threading;
                class Monitor
                {
                    static Timer heartbeat;
                    public int Start(int period, List<int> samples)
                    {
                        var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                        heartbeat = new Timer(state => System.Console.WriteLine((int)state), period, 0, period);
                        return count;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task ANameInUseGetsANumber() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                public int Start(int state, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer([|_ => System.Console.WriteLine(state)|], null, 0, 100);
                    return count;
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                public int Start(int state, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer(static state2 => System.Console.WriteLine((int)state2), state, 0, 100);
                    return count;
                }
            }
            """);

    [Theory]
    [InlineData("_ => System.Console.WriteLine(period + count)")] // two variables
    [InlineData("_ => Log(period)")] // an instance method: this
    [InlineData("s => System.Console.WriteLine(period + (s == null ? 0 : 1))")] // the state parameter is used
    [InlineData("_ => System.Console.WriteLine(nameof(period))")] // nameof names the variable
    [InlineData("delegate { System.Console.WriteLine(period); }")] // an anonymous method
    public Task NoFixWhenTheRewriteWouldChangeTheMeaning(string callback)
    {
        var source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                void Log(int value) { }

                public int Start(int period, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer([|CALLBACK|], null, 0, 100);
                    return count;
                }
            }
            """.Replace("CALLBACK", callback, System.StringComparison.Ordinal);
        return NoFixAsync(source);
    }

    [Fact]
    public Task NoFixWhenTheVariableChangesLater() =>
        NoFixAsync(
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
                    heartbeat = new Timer([|_ => System.Console.WriteLine(period)|], null, 0, 100);
                    period++;
                    return count;
                }
            }
            """);

    [Fact]
    public Task NoFixForAStructThatIsNotAPrimitive() =>
        NoFixAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                public int Start(DateTime start, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer([|_ => Console.WriteLine(start)|], null, 0, 100);
                    return count;
                }
            }
            """);

    [Fact]
    public Task NoFixWhenTheStateIsAlreadyUsedOrThePlaceHasNoState() =>
        NoFixAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                static Func<int> last;
                public int Start(int period, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer([|_ => Console.WriteLine(period)|], "busy", 0, 100);
                    last = [|() => period|];
                    return count;
                }
            }
            """);

    [Fact]
    public Task FixAllPassesStateInEveryCall() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                public int Start(int period, string name, CancellationToken token, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer([|_ => System.Console.WriteLine(period)|], null, 0, period);
                    token.Register([|() => System.Console.WriteLine(name)|]);
                    return count;
                }
            }
            """,
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Monitor
            {
                static Timer heartbeat;
                public int Start(int period, string name, CancellationToken token, List<int> samples)
                {
                    var count = Enumerable.Range(0, 10).Count(i => samples[i] > 0);
                    heartbeat = new Timer(static state => System.Console.WriteLine((int)state), period, 0, period);
                    token.Register(static state => System.Console.WriteLine((string)state), name);
                    return count;
                }
            }
            """);

    /// <summary>The diagnostic is reported and stays: the fix (or the action with <paramref name="key"/>) offers nothing.</summary>
    private static Task NoFixAsync(string source, string? key = null) =>
        new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = key }.RunAsync();
}
