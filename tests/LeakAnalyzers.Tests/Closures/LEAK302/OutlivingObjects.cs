namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Closures;
using Xunit;
using Fix = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer, LeakAnalyzers.CodeFixes.Closures.SplitClosureScopeCodeFix>;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.SharedClosureKeepsLocalAnalyzer>;

/// <summary>
/// The shared-closure trap where the long-lived lambda is kept by an object that outlives the method: a field or
/// property of this object or of an object given to the method, a collection of this object, or a call that keeps it
/// (the shared <c>DelegateFates</c>) in a static place.
/// </summary>
public class OutlivingObjects
{
    [Fact]
    public Task LambdaInAFieldOfThisKeepsTheBufferOfATaskRunLambda() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;
            class Loader
            {
                private Func<string> describe;
                public Task Load(string name)
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
                "A lambda", "'describe'", "buffer", "as long as this 'Loader' lives"));

    [Fact]
    public Task LambdaInAPropertyOfAnObjectGivenToTheMethod() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class Options { public Action OnDone { get; set; } }
            class Exporter
            {
                public async Task ExportAsync(Options options, string path)
                {
                    var {|#2:file|} = File.OpenWrite(path);
                    await Task.Run({|#1:() => file.WriteByte(1)|});
                    var name = Path.GetFileName(path);
                    options.OnDone = {|#0:() => Console.WriteLine(name)|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda", "'options.OnDone'", "file", "as long as 'options' lives"));

    [Fact]
    public Task LambdaAddedToAListOfThis() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Batch
            {
                private readonly List<Func<int>> counters = new();
                public void Add(int[] values)
                {
                    var {|#2:copy|} = (int[])values.Clone();
                    Task.Run({|#1:() => Array.Sort(copy)|}).Wait();
                    var count = values.Length;
                    counters.Add({|#0:() => count|});
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda", "'counters'", "copy", "as long as this 'Batch' lives"));

    [Fact]
    public Task LambdaPassedToASourceMethodThatKeepsItInAStaticList() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            static class Hooks
            {
                static readonly List<Action> OnShutdown = new();
                public static void Register(Action callback) => OnShutdown.Add(callback);
            }
            class Cache
            {
                public void Warm(string name)
                {
                    var {|#2:entries|} = new List<string>();
                    Task.Run({|#1:() => entries.Add(name)|}).Wait();
                    var count = entries.Count;
                    Hooks.Register({|#0:() => Console.WriteLine(count)|});
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda", "the static 'Hooks.OnShutdown'", "entries", "until the process ends"));

    [Fact]
    public Task SilentWhenTheObjectIsLocalOrTheLambdaIsGivenToAMethodOfThisObject() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Options { public Func<string> Describe { get; set; } }
            class Loader
            {
                private readonly List<Func<string>> pending = new();
                void Keep(Func<string> f) => pending.Add(f);
                public Options Load(string name)
                {
                    var buffer = new byte[1 << 20];
                    Task.Run(() => buffer[0] = 1).Wait();
                    var label = name.ToUpperInvariant();
                    var options = new Options();
                    options.Describe = () => label;
                    Keep(() => label);
                    return options;
                }
            }
            """);

    [Fact]
    public Task SplitTheScopeOfALambdaKeptInAFieldOfThis() =>
        new Fix.Test
        {
            TestCode = """
                using System;
                using System.Threading.Tasks;
                class Loader
                {
                    private Func<string> describe;
                    static void Fill(byte[] buffer) { }

                    public void Load(string name)
                    {
                        var buffer = new byte[1 << 20];
                        Task.Run(() => Fill(buffer)).Wait();
                        var label = name.ToUpperInvariant();
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
                    private Func<string> describe;
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

    /// <summary>
    /// ObjectListView's column: lambdas of one closure, each stored in a property of this object. The array only the
    /// formatter uses lives as long as the formatter, which lives as long as the getter; sharing the closure keeps it
    /// no longer.
    /// </summary>
    [Fact]
    public Task LambdaThatUsesTheVariableIsKeptAsLong() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Group { public int Key; public object Image; }
            class Column
            {
                public Func<object, int> GroupKeyGetter { get; set; }
                public Action<Group> GroupFormatter { get; set; }

                public void MakeGroups(int[] values, object[] images)
                {
                    GroupKeyGetter = row => Array.IndexOf(values, row);
                    GroupFormatter = g => g.Image = images[g.Key];
                }
            }
            """);

    /// <summary>
    /// The formatter stored in a static place lives longer than the getter: the getter keeps nothing the formatter does
    /// not, but the formatter keeps the getter's array until the process ends.
    /// </summary>
    [Fact]
    public Task OnlyTheLongerLivedOfTwoKeptLambdasIsReported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Group { public int Key; public object Image; }
            static class Shared { public static Action<Group> Formatter; }
            class Column
            {
                public Func<object, int> GroupKeyGetter { get; set; }

                public void MakeGroups(int[] {|#2:values|}, object[] images)
                {
                    GroupKeyGetter = {|#1:row => Array.IndexOf(values, row)|};
                    Shared.Formatter = {|#0:g => g.Image = images[g.Key]|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda", "the static 'Shared.Formatter'", "values", "until the process ends"));

    /// <summary>The same user kept by something shorter-lived (a local, a task) leaves the long-lived lambda as the
    /// only one keeping the array past the method.</summary>
    [Fact]
    public Task LambdaThatUsesTheVariableIsKeptShorterIsReported() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Group { public int Key; public object Image; }
            class Column
            {
                public Func<object, int> GroupKeyGetter { get; set; }

                public void MakeGroups(int[] values, object[] {|#2:images|}, Group group)
                {
                    GroupKeyGetter = {|#0:row => Array.IndexOf(values, row)|};
                    Action<Group> format = {|#1:g => g.Image = images[g.Key]|};
                    format(group);
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments(
                "A lambda", "'GroupKeyGetter'", "images", "as long as this 'Column' lives"));
}
