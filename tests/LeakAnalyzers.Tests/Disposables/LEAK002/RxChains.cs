namespace LeakAnalyzers.Tests.Disposables.LEAK002;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// A dropped Rx subscription is judged by what roots its chain: the source it starts from, through operators that
/// subscribe to nothing else. A source the object made, or made from itself, dies with the object; an operator that
/// adds a source or a scheduler of its own is not looked through. A subscription added to a composite with Rx's
/// <c>DisposeWith</c> is owned by the composite.
/// </summary>
public class RxChains
{
    private const string Rx = """
        namespace System.Reactive.Linq
        {
            using System;
            public static class Observable
            {
                public static IObservable<T> Where<T>(this IObservable<T> source, Func<T, bool> predicate) => throw null!;
                public static IObservable<R> Select<T, R>(this IObservable<T> source, Func<T, R> selector) => throw null!;
                public static IObservable<T> Merge<T>(this IObservable<T> first, IObservable<T> second) => throw null!;
                public static IObservable<R> SelectMany<T, R>(this IObservable<T> source, Func<T, IObservable<R>> selector) => throw null!;
                public static IObservable<T> Throttle<T>(this IObservable<T> source, TimeSpan dueTime) => throw null!;
            }
        }
        namespace System.Reactive.Subjects
        {
            using System;
            public sealed class Subject<T> : IObservable<T>, IDisposable
            {
                public IDisposable Subscribe(IObserver<T> observer) => throw null!;
                public void OnNext(T value) { }
                public void Dispose() { }
            }
        }
        namespace System.Reactive.Disposables
        {
            using System;
            public sealed class CompositeDisposable : IDisposable
            {
                public void Add(IDisposable item) { }
                public void Dispose() { }
            }
        }
        namespace System.Reactive.Disposables.Fluent
        {
            using System;
            public static class DisposableExtensions
            {
                public static T DisposeWith<T>(this T item, System.Reactive.Disposables.CompositeDisposable composite) where T : IDisposable => throw null!;
            }
        }
        namespace System
        {
            public static class ObservableExtensions
            {
                public static IDisposable Subscribe<T>(this IObservable<T> source, Action<T> onNext) => throw null!;
            }
        }
        static class Changes
        {
            public static System.IObservable<int> Changed(this Widget widget) => throw null!;
        }
        """;

    [Theory]
    [InlineData("changes.Where(v => v > 0).Select(v => v * 2).Subscribe(v => last = v);")]
    [InlineData("var local = new Subject<int>(); local.Where(v => v > 0).Subscribe(v => last = v); local.OnNext(1);")]
    [InlineData("this.Changed().Where(v => v > 0).Subscribe(v => last = v);")]
    [InlineData("feed.Subscribe(v => last = v).DisposeWith(disposables);")]
    public Task ChainRootedInWhatTheObjectOwnsOrHandedToItsCompositeIsSilent(string subscription) => Verify.VerifyAsync($$"""
        using System;
        using System.Reactive.Disposables;
        using System.Reactive.Disposables.Fluent;
        using System.Reactive.Linq;
        using System.Reactive.Subjects;
        sealed class Widget : IDisposable
        {
            private readonly Subject<int> changes = new();
            private readonly CompositeDisposable disposables = new();
            private int last;

            public Widget(IObservable<int> feed)
            {
                {{subscription}}
            }

            public int Last => last;

            public void Dispose() => disposables.Dispose();
        }
        {{Rx}}
        """);

    [Theory]
    [InlineData("changes.Merge(feed).Subscribe(v => last = v)")]
    [InlineData("changes.SelectMany(_ => feed).Subscribe(v => last = v)")]
    [InlineData("changes.Throttle(TimeSpan.FromSeconds(1)).Subscribe(v => last = v)")]
    [InlineData("feed.Where(v => v > 0).Subscribe(v => last = v)")]
    public Task ChainThatAnotherSourceOrASchedulerRootsIsReported(string subscription) => Verify.VerifyAsync($$"""
        using System;
        using System.Reactive.Disposables;
        using System.Reactive.Linq;
        using System.Reactive.Subjects;
        sealed class Widget : IDisposable
        {
            private readonly Subject<int> changes = new();
            private readonly CompositeDisposable disposables = new();
            private int last;

            public Widget(IObservable<int> feed)
            {
                {|LEAK002:{{subscription}}|};
            }

            public int Last => last;

            public void Dispose() => disposables.Dispose();
        }
        {{Rx}}
        """);

    [Theory]
    [InlineData("var result = source.ToProperty();", false)]
    [InlineData("var result = Properties.Shared;", true)]
    [InlineData("var result = Properties.Cached(source);", true)]
    public Task ChainRootedInANewObjectTheMethodReturnsIsSilent(string made, bool reported) => Verify.VerifyAsync($$"""
        using System;
        using System.Reactive.Linq;
        using System.Reactive.Subjects;
        static class Properties
        {
            private static Subject<int> cached;
            public static Subject<int> Shared { get; } = new Subject<int>();
            public static Action<Subject<int>> Created;
            public static Subject<int> ToProperty(this IObservable<int> source)
            {
                var property = new Subject<int>();
                Created?.Invoke(property);
                return property;
            }
            public static Subject<int> Cached(IObservable<int> source) => cached ??= new Subject<int>();
            public static Subject<int> Synchronized(IObservable<int> source, Action<int> setter)
            {
                {{made}}
                {{(reported ? "{|LEAK002:" : "")}}result.Where(v => v > 0).Subscribe(v => setter(v)){{(reported ? "|}" : "")}};
                return result;
            }
        }
        sealed class Widget { }
        {{Rx}}
        """);

    [Fact]
    public Task ChainThroughAConverterDelegateIsFollowedToItsSource() => Verify.VerifyAsync($$"""
        using System;
        using System.Reactive.Linq;
        using System.Reactive.Subjects;
        static class Sync
        {
            public static Subject<int> TwoWay(IObservable<int> source, Func<IObservable<int>, IObservable<int>> convertBack, Action<int> setter)
            {
                var result = new Subject<int>();
                convertBack(result).Subscribe(v => setter(v));
                convertBack(result.Where(v => v > 0)).Subscribe(v => setter(v));
                {|LEAK002:convertBack(source).Subscribe(v => setter(v))|};
                return result;
            }
        }
        sealed class Widget { }
        {{Rx}}
        """);
}
