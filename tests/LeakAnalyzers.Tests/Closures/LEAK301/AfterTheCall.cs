namespace LeakAnalyzers.Tests.Closures.LEAK301;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer>;

/// <summary>
/// Delegates followed after the call that receives them (the shared <c>DelegateFates</c> summaries): handed to a
/// source method that keeps them in a static place, directly or through one more call; returned by a value factory
/// whose result a static dictionary keeps; added through a method of an object a static field holds. Each shape has
/// its silent counterpart.
/// </summary>
public class AfterTheCall
{
    [Fact]
    public Task LambdaPassedToASourceMethodThatAddsItToAStaticList() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Hooks
            {
                static readonly List<Action> OnShutdown = new();
                public static void Register(Action callback) { {|#1:OnShutdown.Add(callback)|}; }
                public static void RunAll() { foreach (var hook in OnShutdown) hook(); }
            }
            class Editor
            {
                void Save() { }
                public Editor() { Hooks.Register({|#0:() => Save()|}); }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "A lambda",
                "this 'Editor'",
                "until the process ends",
                "held by the static 'Hooks.OnShutdown', through 'Register'"));

    [Fact]
    public Task MethodGroupPassedThroughOneMoreSourceCall() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            class Registry
            {
                static Action onReset;
                public static void Add(Action callback) => Store(callback);
                static void Store(Action callback) { {|#1:onReset += callback|}; }
            }
            class View
            {
                void Reset() { }
                public void Attach() { Registry.Add({|#0:Reset|}); }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "The method group 'Reset'",
                "this 'View'",
                "until the process ends",
                "held by the static 'Registry.onReset', through 'Add'"));

    [Fact]
    public Task LocalCapturedByALambdaPassedToAStaticRegistry() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Registry
            {
                static readonly Dictionary<string, Func<int>> sources = new();
                public static void Add(string key, Func<int> source) { {|#1:sources[key] = source|}; }
            }
            class Loader
            {
                public void Load(string key)
                {
                    var buffer = new byte[1 << 20];
                    Registry.Add(key, {|#0:() => buffer.Length|});
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "A lambda",
                "'buffer'",
                "until the process ends",
                "held by the static 'Registry.sources', through 'Add'"));

    [Fact]
    public Task LambdaReturnedByAValueFactoryOfAStaticDictionary() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            class LengthRule
            {
                static readonly ConcurrentDictionary<string, Func<string, bool>> Rules = new();
                private readonly int max;
                public LengthRule(int max) { this.max = max; }
                public bool Check(string key, string value) => Rules.GetOrAdd(key, _ => {|#0:v => v.Length <= max|})(value);
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "A lambda",
                "this 'LengthRule'",
                "until the process ends",
                "held by the static 'LengthRule.Rules', returned by its value factory"));

    [Fact]
    public Task LambdaReturnedByAFactoryThatASourceMethodRunsAndCaches() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Memo
            {
                static readonly Dictionary<string, Func<int, bool>> cache = new();
                public static Func<int, bool> Get(string key, Func<Func<int, bool>> create)
                {
                    if (!cache.TryGetValue(key, out var found)) { {|#1:cache[key] = found = create()|}; }
                    return found;
                }
            }
            class Filter
            {
                int limit = 3;
                public bool Accepts(int value) => Memo.Get("limit", () => {|#0:v => v < limit|})(value);
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "A lambda",
                "this 'Filter'",
                "until the process ends",
                "held by the static 'Memo.cache', returned by a factory given to 'Get'"));

    [Fact]
    public Task LambdaAddedThroughAMethodOfAnObjectAStaticFieldHolds() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            class GameEvent
            {
                private readonly List<Action> listeners = new();
                public void Add(Action listener) { {|#1:listeners.Add(listener)|}; }
                public void Raise() { foreach (var listener in listeners) listener(); }
            }
            static class GameEvents { public static readonly GameEvent onPause = new GameEvent(); }
            class Player
            {
                void Pause() { }
                public void Start() { GameEvents.onPause.Add({|#0:() => this.Pause()|}); }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
                "A lambda",
                "this 'Player'",
                "until the process ends",
                "held by the static 'GameEvents.onPause', through 'Add'"));

    [Fact]
    public Task SilentWhenTheRegistryTakesDelegatesOutAgain() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Hooks
            {
                static readonly List<Action> OnShutdown = new();
                public static void Register(Action callback) { OnShutdown.Add(callback); }
                public static void Unregister(Action callback) { OnShutdown.Remove(callback); }
            }
            class GameEvent
            {
                private readonly List<Action> listeners = new();
                public void Add(Action listener) { listeners.Add(listener); }
                public void RemoveAll() { listeners.Clear(); }
            }
            static class GameEvents { public static readonly GameEvent onPause = new GameEvent(); }
            class Editor
            {
                void Save() { }
                public Editor() { Hooks.Register(() => Save()); GameEvents.onPause.Add(Save); }
            }
            """);

    [Fact]
    public Task SilentWhenTheMethodOnlyRunsOrForwardsTheDelegate() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Retry
            {
                public static void Run(Action work) { for (var i = 0; i < 3; i++) work(); }
                public static T Once<T>(Func<T> create) => create();
            }
            class Pending
            {
                private readonly List<Action> actions = new();
                public void Add(Action action) { actions.Add(action); }
            }
            class Job
            {
                private readonly Pending pending = new Pending();
                int count;
                public void Go()
                {
                    Retry.Run(() => count++);
                    var f = Retry.Once(() => (Func<int>)(() => count));
                    pending.Add(() => count--);
                    new Pending().Add(() => count--);
                }
            }
            """);

    [Fact]
    public Task SilentWhenTheRegistrationHandsBackAToken() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            sealed class Removal : IDisposable
            {
                private readonly Action undo;
                public Removal(Action undo) { this.undo = undo; }
                public void Dispose() => undo();
            }
            static class Hooks
            {
                static readonly List<Action> OnShutdown = new();
                public static IDisposable Register(Action callback) { OnShutdown.Add(callback); return new Removal(() => { }); }
            }
            class Editor
            {
                void Save() { }
                public Editor() { Hooks.Register(() => Save()); }
            }
            """);

    [Fact]
    public Task SilentForStaticLambdasLongLivedTypesAndStaticCallers() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            static class Hooks
            {
                static readonly List<Action> OnShutdown = new();
                public static void Register(Action callback) { OnShutdown.Add(callback); }
            }
            sealed class Shell
            {
                public static readonly Shell Instance = new Shell();
                private Shell() { Hooks.Register(() => Save()); }
                void Save() { }
            }
            class Startup
            {
                public static void Configure(string name) { Hooks.Register(() => Console.WriteLine(name)); }
                public void Run() { Hooks.Register(static () => Console.WriteLine("bye")); }
            }
            """);

    [Fact]
    public Task SilentWhenTheValueFactoryResultCapturesNothingOrTheDictionaryIsOwned() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Concurrent;
            class LengthRule
            {
                static readonly ConcurrentDictionary<int, Func<string, bool>> Rules = new();
                private readonly ConcurrentDictionary<string, Func<string, bool>> own = new();
                private readonly int max = 3;
                public bool Check(int limit, string value) => Rules.GetOrAdd(limit, l => v => v.Length <= l)(value);
                public bool Own(string key, string value) => own.GetOrAdd(key, _ => v => v.Length <= max)(value);
            }
            """);

    [Fact]
    public Task SilentWhenAnOverrideMayDoOtherwise() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            class Registry
            {
                static readonly List<Action> all = new();
                public virtual void Register(Action callback) { all.Add(callback); }
            }
            class View
            {
                void Refresh() { }
                public void Attach(Registry registry) { registry.Register(Refresh); }
            }
            """);
}
