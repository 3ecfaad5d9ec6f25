namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// Objects that look after their own lifetime: every constructor registers the object with another one, and a method
/// of its own ends it when its work is done (a future that removes itself when answered). The code that writes
/// <c>new</c> only starts it.
/// </summary>
public class SelfEnding
{
    private const string Registry = """
        using System;
        using System.Collections.Concurrent;
        using System.Threading.Tasks;

        public sealed class Registry
        {
            private readonly ConcurrentDictionary<int, IAnswerable> pending = new();
            private int next;
            public int Add(IAnswerable f) { var id = System.Threading.Interlocked.Increment(ref next); pending[id] = f; return id; }
            public void Remove(int id) => pending.TryRemove(id, out _);
            public void Deliver(int id, object message) { if (pending.TryGetValue(id, out var f)) f.OnMessage(message); }
        }

        public interface IAnswerable { void OnMessage(object message); }
        """;

    [Fact]
    public Task FutureThatRemovesItselfWhenAnswered() => Verify.VerifyAsync(Registry + """

        public sealed class Future : IDisposable, IAnswerable
        {
            private readonly Registry registry;
            private readonly TaskCompletionSource<object> tcs = new();

            public Future(Registry registry)
            {
                this.registry = registry;
                Id = registry.Add(this);
            }

            public int Id { get; }
            public Task<object> Task => tcs.Task;

            public void OnMessage(object message)
            {
                tcs.TrySetResult(message);
                Dispose();
            }

            public void Dispose() => registry.Remove(Id);
        }

        public sealed class Context
        {
            private readonly Registry registry = new();

            public Task<object> RequestAsync(int target)
            {
                var future = new Future(registry);
                registry.Deliver(future.Id, "ping " + target);
                return future.Task;
            }
        }
        """);

    /// <summary>
    /// Ended only when something fails (the Dispose is in a catch), or registered nowhere: the creator still owns it.
    /// </summary>
    [Fact]
    public Task RegisteredButEndedOnlyOnFailureOrNotRegistered() => Verify.VerifyAsync(Registry + """

        public sealed class Request : IDisposable, IAnswerable
        {
            private readonly Registry registry;
            public Request(Registry registry) { this.registry = registry; Id = registry.Add(this); }
            public int Id { get; }
            public void OnMessage(object message)
            {
                try { Console.WriteLine(message); }
                catch { Dispose(); throw; }
            }

            public void Dispose() => registry.Remove(Id);
        }

        public sealed class Unregistered : IDisposable
        {
            private readonly System.IO.FileStream log = System.IO.File.Create("log");
            public int Id => 0;
            public void OnMessage(object message) => Dispose();
            public void Dispose() => log.Dispose();
        }

        public sealed class Context
        {
            private readonly Registry registry = new();

            public int Send()
            {
                var request = {|LEAK001:new Request(registry)|};
                return request.Id;
            }

            public int Other()
            {
                var other = {|LEAK001:new Unregistered()|};
                return other.Id;
            }
        }
        """);
}
