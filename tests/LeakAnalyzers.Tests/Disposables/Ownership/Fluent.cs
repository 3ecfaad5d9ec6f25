namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// Calls that return the object they were given (a fluent method returning <c>this</c>, a guard returning its
/// argument): what happens to their result happens to that object.
/// </summary>
public class Fluent
{
    [Fact]
    public Task FluentResultReturnedHandsTheLocalOver() => Verify.VerifyAsync("""
        using System;
        sealed class Sink : IDisposable
        {
            private readonly IDisposable upstream;
            public Sink(IDisposable upstream) => this.upstream = upstream;
            public Sink Run(string source) { Console.WriteLine(source); return this; }
            public void Dispose() => upstream.Dispose();
        }
        class C
        {
            IDisposable M(IDisposable o, string src)
            {
                var sink = new Sink(o);
                return sink.Run(src);
            }
        }
        """);

    [Fact]
    public Task FluentResultDroppedStillLeaks() => Verify.VerifyAsync("""
        using System;
        sealed class Sink : IDisposable
        {
            private readonly IDisposable upstream;
            public Sink(IDisposable upstream) => this.upstream = upstream;
            public Sink Run(string source) { Console.WriteLine(source); return this; }
            public void Dispose() => upstream.Dispose();
        }
        class C
        {
            void M(string src)
            {
                var sink = {|LEAK001:new Sink(System.IO.File.OpenRead(src))|};
                sink.Run(src);
            }
        }
        """);

    [Fact]
    public Task UsingOverAFluentChainOrAGuard() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        struct Builder : IDisposable
        {
            private Stream stream;
            public Builder Append(bool value) { stream ??= File.OpenRead("x"); return this; }
            public void Dispose() => stream?.Dispose();
        }
        sealed class Kernel : IDisposable
        {
            public Kernel AutoBind<T>() => this;
            public void Dispose() => GC.SuppressFinalize(this);
            ~Kernel() { }
        }
        static class Guard
        {
            public static T NotNull<T>(this T value) where T : class => value ?? throw new ArgumentNullException(nameof(value));
        }
        class C
        {
            void M(string p)
            {
                using var builder = new Builder().Append(true);
                using (var kernel = new Kernel().AutoBind<int>()) { }
                using var stream = File.OpenRead(p).NotNull();
                using var checkedStream = Guard.NotNull(File.OpenRead(p));
            }
        }
        """);

    [Fact]
    public Task DroppedFluentChainLeaks() => Verify.VerifyAsync("""
        using System;
        sealed class Kernel : IDisposable
        {
            public Kernel AutoBind<T>() => this;
            public void Dispose() => GC.SuppressFinalize(this);
            ~Kernel() { }
        }
        class C
        {
            void M()
            {
                {|LEAK002:new Kernel()|}.AutoBind<int>();
            }
        }
        """);

    [Fact]
    public Task FieldLentThroughAFluentCallIsStillOwned() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Log
        {
            private readonly Stream {|LEAK003:stream|} = File.OpenRead("log");
            public Stream Stream => stream.Checked();
        }
        static class Checks
        {
            public static Stream Checked(this Stream s) => s.CanRead ? s : throw new InvalidOperationException();
        }
        """);

    [Fact]
    public Task ResultThatKeepsTheReceiverTakesItAlong() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class PathNode : IDisposable
        {
            private readonly Stream log = File.OpenWrite("path.log");
            public PathNode Next { get; private set; }
            public PathNode Prev { get; private set; }
            public PathNode InsertBefore()
            {
                Prev = new PathNode();
                Prev.Next = this;
                return Prev;
            }
            public int Depth() => 1 + (Next?.Depth() ?? 0);
            public void Dispose() { log.Dispose(); Next?.Dispose(); }
        }
        static class Paths
        {
            public static PathNode Create(int length)
            {
                var node = new PathNode();
                for (var i = 1; i < length; i++)
                {
                    node = node.InsertBefore();
                }
                return node;
            }

            // Known miss: the new head is also kept by the old node (Prev), so InsertBefore is read as lending it,
            // and neither is reported although nothing disposes them.
            public static int MeasureIsAKnownMiss()
            {
                var node = new PathNode();
                var head = node.InsertBefore();
                return head.Depth();
            }
        }
        """);

    /// <summary>
    /// Rollbar's factory: <c>IRollbar rollbar = new RollbarLogger(); return timeout.HasValue ? rollbar.AsBlocking(t) :
    /// rollbar.Logger;</c>. Through the interface, the calls run RollbarLogger's members: <c>Logger => this</c> is the
    /// object itself, and <c>AsBlocking</c> returns a wrapper built over <c>this</c>. Either way the object leaves with
    /// the result.
    /// </summary>
    [Theory]
    [InlineData("IRollbar rollbar = new RollbarLogger();", "rollbar.Logger")]
    [InlineData("var rollbar = new RollbarLogger();", "rollbar.Logger")]
    [InlineData("IRollbar rollbar = new RollbarLogger();", "rollbar.AsBlocking(t)")]
    [InlineData("var rollbar = new RollbarLogger();", "rollbar.AsBlocking(t)")]
    [InlineData("ILogger rollbar = new RollbarLogger();", "rollbar.Self()")]
    public Task InterfaceMemberOfALocalCreatedInSourceReturnsTheObject(string declaration, string result) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        public interface ILogger { ILogger Self(); ILogger AsBlocking(TimeSpan t); }
        public interface IRollbar : ILogger, IDisposable { ILogger Logger { get; } }
        class RollbarLogger : IRollbar
        {
            private readonly FileStream file = File.OpenWrite("log.txt");
            public ILogger Logger => this;
            public ILogger Self() => this;
            public virtual ILogger AsBlocking(TimeSpan t) => new Blocking(this, t);
            public void Dispose() => file.Dispose();
        }
        sealed class Blocking : ILogger, IDisposable
        {
            private readonly RollbarLogger inner;
            public Blocking(RollbarLogger inner, TimeSpan t) => this.inner = inner;
            public ILogger Self() => this;
            public ILogger AsBlocking(TimeSpan t) => new Blocking(inner, t);
            public void Dispose() => inner.Dispose();
        }
        static class Factory
        {
            public static ILogger Create(TimeSpan t)
            {
                {{declaration}}
                return {{result}};
            }
        }
        """);

    /// <summary>
    /// The same calls where the member returns something else, or where the local may hold another class (another
    /// value assigned, or a compound assignment), still leave the object undisposed.
    /// </summary>
    [Theory]
    [InlineData("ILogger rollbar = {|LEAK001:new RollbarLogger()|};", "rollbar.Other")]
    [InlineData("ILogger rollbar = new Quiet(); if (t != TimeSpan.Zero) rollbar = {|LEAK001:new RollbarLogger()|};", "rollbar.Self()")]
    [InlineData("ILogger rollbar = {|LEAK001:new RollbarLogger()|}; rollbar ??= new Quiet();", "rollbar.Self()")]
    public Task InterfaceMemberThatReturnsSomethingElseOrAnUnknownClass(string declaration, string result) => Verify.VerifyAsync($$"""
        using System;
        using System.IO;
        public interface ILogger { ILogger Self(); ILogger Other { get; } }
        class RollbarLogger : ILogger, IDisposable
        {
            private readonly FileStream file = File.OpenWrite("log.txt");
            public ILogger Self() => this;
            public ILogger Other => new Quiet();
            public void Dispose() => file.Dispose();
        }
        sealed class Quiet : ILogger
        {
            public ILogger Self() => new Quiet();
            public ILogger Other => this;
        }
        static class Factory
        {
            public static ILogger Create(TimeSpan t)
            {
                {{declaration}}
                return {{result}};
            }
        }
        """);

    /// <summary>
    /// Rollbar's real factory: the local comes from a source method returning one of two classes. Every possible
    /// class's <c>Logger</c> returns the object; its <c>AsBlocking</c> returns the object in one class and, through an
    /// explicit implementation that delegates, a wrapper over it in the other. Either way the object leaves with the
    /// result. A factory with a class whose member returns something else still leaves the object undisposed.
    /// </summary>
    [Fact]
    public Task InterfaceMemberOfALocalFromASourceFactoryOfSeveralClasses() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        public interface ILogger { void Log(string s); ILogger AsBlocking(TimeSpan t); }
        public interface IRollbar : ILogger, IDisposable { ILogger Logger { get; } }
        class RollbarLogger : IRollbar
        {
            private readonly FileStream file = File.OpenWrite("log.txt");
            public ILogger Logger => this;
            public void Log(string s) { }
            public ILogger AsBlocking(TimeSpan t) => new Blocking(this, t);
            ILogger ILogger.AsBlocking(TimeSpan t) => this.AsBlocking(t);
            public void Dispose() => file.Dispose();
        }
        class SingleThreaded : IRollbar
        {
            private readonly FileStream file = File.OpenWrite("log2.txt");
            public ILogger Logger => this;
            public void Log(string s) { }
            public ILogger AsBlocking(TimeSpan t) => this;
            public void Dispose() => file.Dispose();
        }
        sealed class Blocking : ILogger
        {
            private readonly IRollbar inner;
            public Blocking(IRollbar inner, TimeSpan t) => this.inner = inner;
            public void Log(string s) => inner.Log(s);
            public ILogger AsBlocking(TimeSpan t) => new Blocking(inner, t);
        }
        class Other : IRollbar
        {
            private readonly FileStream file = File.OpenWrite("log3.txt");
            public ILogger Logger => null;
            public void Log(string s) { }
            public ILogger AsBlocking(TimeSpan t) => this;
            public void Dispose() => file.Dispose();
        }
        static class RollbarFactory
        {
            static IRollbar CreateNew(bool single)
            {
                if (single) { return new SingleThreaded(); }
                return new RollbarLogger();
            }

            static IRollbar Mixed(bool other) { if (other) { return new Other(); } return new RollbarLogger(); }

            public static ILogger CreateProper(TimeSpan? timeout)
            {
                IRollbar rollbar = CreateNew(timeout is null);
                if (timeout.HasValue) { return rollbar.AsBlocking(timeout.Value); }
                return rollbar.Logger;
            }

            public static ILogger Leaky(bool other)
            {
                IRollbar rollbar = {|LEAK001:Mixed(other)|};
                return rollbar.Logger;
            }
        }
        """);
}
