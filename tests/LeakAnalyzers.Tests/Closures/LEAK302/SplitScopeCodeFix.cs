namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Closures;
using LeakAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer, LeakAnalyzers.CodeFixes.Closures.SplitClosureScopeCodeFix>;

public class SplitScopeCodeFix
{
    private const string Loader = """
        using System;
        using System.Threading.Tasks;
        class Loader
        {
            static Func<string> describe;
            static void Fill(byte[] buffer) { }

            public void Load(string name)
            {
                var buffer = new byte[1 << 20];
                Task.Run(() => Fill(buffer)).Wait();
                var label = name.ToUpperInvariant();
                describe = [|() => label|];
            }
        }
        """;

    [Fact]
    public Task MoveTheVariableAndItsUsesIntoABlock() =>
        new Verify.Test
        {
            TestCode = Loader,
            CodeActionEquivalenceKey = SplitClosureScopeCodeFix.MoveVariableKey,
            FixedCode = """
                using System;
                using System.Threading.Tasks;
                class Loader
                {
                    static Func<string> describe;
                    static void Fill(byte[] buffer) { }

                    public void Load(string name)
                    {
                        {
                            var buffer = new byte[1 << 20];
                            Task.Run(() => Fill(buffer)).Wait();
                        }
                        var label = name.ToUpperInvariant();
                        describe = () => label;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task MoveTheLongLivedLambdaIntoABlock() =>
        new Verify.Test
        {
            TestCode = Loader,
            CodeActionEquivalenceKey = SplitClosureScopeCodeFix.MoveLambdaKey,
            FixedCode = """
                using System;
                using System.Threading.Tasks;
                class Loader
                {
                    static Func<string> describe;
                    static void Fill(byte[] buffer) { }

                    public void Load(string name)
                    {
                        var buffer = new byte[1 << 20];
                        Task.Run(() => Fill(buffer)).Wait();
                        {
                            var label = name.ToUpperInvariant();
                            describe = () => label;
                        }
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task EveryLineOfTheMovedStatementsIsIndentedOnceAndNothingElseChanges() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
            	static Func<string> describe;

            	public void Load(string name)
            	{
            		// a scratch buffer for the worker
            		var buffer = new byte[1 << 20];
            		Task.Run(() =>
            		{
            			// fill it
            			buffer[0]   =   1;
            		}).Wait(); // wait here
            		var text = @"line one
            line two";
            		buffer[1] = (byte)text.Length;
            		describe = [|() => name|];
            	}
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
            	static Func<string> describe;

            	public void Load(string name)
            	{
            		// a scratch buffer for the worker
            		{
            			var buffer = new byte[1 << 20];
            			Task.Run(() =>
            			{
            				// fill it
            				buffer[0]   =   1;
            			}).Wait(); // wait here
            			var text = @"line one
            line two";
            			buffer[1] = (byte)text.Length;
            		}
            		describe = () => name;
            	}
            }
            """);

    [Fact]
    public Task TheLambdaRangeGrowsToTheLastUseOfWhatItCaptures() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                class Importer
                {
                    public int Import(string path, CancellationToken token)
                    {
                        var buffer = new byte[1 << 16];
                        Task.Run(() => buffer[0] = 1).Wait();
                        var pending = new Counter();
                        token.Register([|() => pending.Cancel()|]);
                        Console.WriteLine(path);
                        return pending.Value;
                    }
                }
                class Counter { public int Value; public void Cancel() { } }
                """,
            CodeActionEquivalenceKey = SplitClosureScopeCodeFix.MoveLambdaKey,
            FixedCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                class Importer
                {
                    public int Import(string path, CancellationToken token)
                    {
                        var buffer = new byte[1 << 16];
                        Task.Run(() => buffer[0] = 1).Wait();
                        {
                            var pending = new Counter();
                            token.Register(() => pending.Cancel());
                            Console.WriteLine(path);
                            return pending.Value;
                        }
                    }
                }
                class Counter { public int Value; public void Cancel() { } }
                """,
        }.RunAsync();

    [Fact]
    public Task TheLambdaMovesWithTheStatementsBetweenAndTheVariableStays() =>
        new Verify.Test
        {
            TestCode = """
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
                """,
            FixedCode = """
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
                        {
                            var size = path.Length;
                            var lines = Enumerable.Range(0, 3).Select(i => reader.ReadLine()).ToList();
                            counters.Add(() => size);
                        }
                        reader.Dispose();
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task ALaterUseOfALocalDeclaredInTheRangeKeepsTheLambdaFix() =>
        new Verify.Test
        {
            // `task` is declared next to the buffer and returned after the long-lived lambda: the buffer cannot move,
            // the lambda can.
            TestCode = """
                using System;
                using System.Threading.Tasks;
                static class Loader
                {
                    static Func<string> describe;
                    public static Task Load(string name)
                    {
                        var buffer = new byte[1 << 20];
                        var task = Task.Run(() => buffer[0] = 1);
                        var label = name.ToUpperInvariant();
                        describe = [|() => label|];
                        return task;
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading.Tasks;
                static class Loader
                {
                    static Func<string> describe;
                    public static Task Load(string name)
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
                """,
        }.RunAsync();

    [Fact]
    public Task TheVariableMovesWhenTheLambdaCapturesAParameterAndTheLambdaDoesNot() =>
        // The parameter lives in the closure of the method's outermost block, wherever the lambda goes.
        new Verify.Test
        {
            NotOfferedEquivalenceKeys = { SplitClosureScopeCodeFix.MoveLambdaKey },
            TestCode = """
                using System;
                using System.IO;
                using System.Threading.Tasks;
                class Loader
                {
                    static Func<string> describe;
                    public void Load(string name)
                    {
                        var copy = new MemoryStream();
                        Task.Run(() => copy.WriteByte(1)).Wait();
                        describe = [|() => name|];
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.IO;
                using System.Threading.Tasks;
                class Loader
                {
                    static Func<string> describe;
                    public void Load(string name)
                    {
                        {
                            var copy = new MemoryStream();
                            Task.Run(() => copy.WriteByte(1)).Wait();
                        }
                        describe = () => name;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenTheRetainedVariableIsAParameter() =>
        new Verify.Test
        {
            TestCode = """
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
                """,
            CodeActionEquivalenceKey = SplitClosureScopeCodeFix.MoveVariableKey,
            FixedCode = """
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
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenTheOtherLambdaAlsoCapturesWhatTheLongLivedOneCapturesAndTheRangesCross() =>
        NoFixAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public void Load(string name)
                {
                    var buffer = new byte[16];
                    var label = name;
                    describe = [|() => label|];
                    Task.Run(() => buffer[0] = (byte)label.Length).Wait();
                }
            }
            """);

    [Fact]
    public Task NoVariableMoveWhenItIsAUsingLocal() =>
        // Moving a `using` local into a block would dispose it earlier than the author wrote.
        NoFixAsync(
            """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public void Load(string name)
                {
                    using var copy = new MemoryStream();
                    Task.Run(() => copy.WriteByte(1)).Wait();
                    describe = [|() => name|];
                }
            }
            """);

    [Fact]
    public Task NoFixWhenALocalFunctionOfTheRangeIsCalledBeforeIt() =>
        NoFixAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public void Load(string name)
                {
                    Report();
                    var buffer = new byte[16];
                    void Report() => Console.WriteLine("loading");
                    Task.Run(() => buffer[0] = 1).Wait();
                    describe = [|() => name|];
                }
            }
            """,
            SplitClosureScopeCodeFix.MoveVariableKey);

    [Fact]
    public Task NoFixWhenAnOutVariableOfTheRangeIsUsedAfterTheLambda() =>
        NoFixAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                static Func<string> describe;
                public int Load(string name, string size)
                {
                    var buffer = new byte[16];
                    Task.Run(() => buffer[0] = 1).Wait();
                    int.TryParse(size, out var parsed);
                    Console.WriteLine(buffer.Length);
                    describe = [|() => name|];
                    return parsed;
                }
            }
            """);

    [Fact]
    public Task FixAllSplitsEachMethod() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                using System.Collections.Generic;
                using System.Threading.Tasks;
                static class Registry
                {
                    static readonly List<Func<string>> names = new();

                    public static void First(string name)
                    {
                        var buffer = new byte[64];
                        Task.Run(() => buffer[0] = 1).Wait();
                        names.Add([|() => name|]);
                    }

                    public static void Second(string name)
                    {
                        var items = new List<int> { 1, 2 };
                        Parallel.ForEach(items, item => items[0] += item);
                        var upper = name.ToUpperInvariant();
                        names.Add([|() => upper|]);
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Collections.Generic;
                using System.Threading.Tasks;
                static class Registry
                {
                    static readonly List<Func<string>> names = new();

                    public static void First(string name)
                    {
                        {
                            var buffer = new byte[64];
                            Task.Run(() => buffer[0] = 1).Wait();
                        }
                        names.Add(() => name);
                    }

                    public static void Second(string name)
                    {
                        {
                            var items = new List<int> { 1, 2 };
                            Parallel.ForEach(items, item => items[0] += item);
                        }
                        var upper = name.ToUpperInvariant();
                        names.Add(() => upper);
                    }
                }
                """,
        }.RunAsync();

    /// <summary>The diagnostic is reported and stays: the fix (or the action with <paramref name="key"/>) offers nothing.</summary>
    private static Task NoFixAsync(string source, string? key = null) =>
        new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = key }.RunAsync();
}
