// Leak-free closure code written the way real applications are: lambdas that run before the call returns (LINQ,
// Task.Run), token registrations that end with the work they guard, timers the owner disposes, static callbacks
// that capture nothing, and delegates kept only by the object that made them. Every analyzer must stay silent here.
#nullable enable
namespace CleanCode.Closures
{
    using System;
    using System.Collections.Concurrent;
    using System.Collections.Generic;
    using System.Linq;
    using System.Net.Http;
    using System.Threading;
    using System.Threading.Tasks;

    public sealed class Order
    {
        public Order(string customer, decimal total)
        {
            Customer = customer;
            Total = total;
        }

        public string Customer { get; }

        public decimal Total { get; }
    }

    // LINQ runs its lambdas before it returns: capturing 'this' and locals is fine.
    public sealed class OrderReport
    {
        private readonly decimal threshold;

        public OrderReport(decimal threshold) => this.threshold = threshold;

        public IReadOnlyList<string> LargeCustomers(IEnumerable<Order> orders, string prefix) =>
            orders.Where(o => o.Total > threshold)
                  .Select(o => prefix + o.Customer)
                  .OrderBy(name => name, StringComparer.Ordinal)
                  .ToList();

        public Task<decimal> SumInBackgroundAsync(IReadOnlyList<Order> orders) =>
            Task.Run(() => orders.Where(o => o.Total > threshold).Sum(o => o.Total));
    }

    // The registration ends with the request: a using declaration around the awaited work.
    public sealed class ApiClient
    {
        private readonly HttpClient http;
        private int cancelled;

        public ApiClient(HttpClient http) => this.http = http;

        public int Cancelled => cancelled;

        public async Task<string> GetAsync(string url, CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(() => Interlocked.Increment(ref cancelled));
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }

        public async Task<string> GetWithStatementAsync(string url, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(() => Interlocked.Increment(ref cancelled)))
            {
                return await http.GetStringAsync(url).ConfigureAwait(false);
            }
        }

        // The state overload with a static callback: the registration keeps the state, but nothing is captured.
        public Task<string> GetWithStateAsync(string url, CancellationToken cancellationToken)
        {
            var completion = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var registration = cancellationToken.Register(static state => ((TaskCompletionSource<string>)state!).TrySetCanceled(), completion);
            _ = http.GetStringAsync(url).ContinueWith(
                (task, state) =>
                {
                    ((IDisposable)state!).Dispose();
                    if (task.IsCompletedSuccessfully)
                    {
                        completion.TrySetResult(task.Result);
                    }
                    else
                    {
                        completion.TrySetException(task.Exception?.InnerExceptions ?? (IEnumerable<Exception>)Array.Empty<Exception>());
                    }
                },
                registration,
                TaskScheduler.Default);
            return completion.Task;
        }
    }

    // A worker that owns its cancellation source: registering on its own token is no leak.
    public sealed class BackgroundWorker : IDisposable
    {
        private readonly CancellationTokenSource stopping = new();
        private readonly Task loop;
        private bool stopped;

        public BackgroundWorker()
        {
            stopping.Token.Register(() => stopped = true);
            loop = Task.Run(() => RunAsync(stopping.Token));
        }

        public bool Stopped => stopped;

        private static async Task RunAsync(CancellationToken token)
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            stopping.Cancel();
            loop.Wait(TimeSpan.FromSeconds(1));
            stopping.Dispose();
        }
    }

    // A registration on the host's token that lasts as long as the object, kept in a field and disposed with it
    // (the shape LEAK301's field fix writes).
    public class ShutdownWatcher : IDisposable
    {
        private readonly CancellationTokenRegistration registration;
        private int shutdowns;

        public ShutdownWatcher(CancellationToken applicationStopping)
        {
            registration = applicationStopping.Register(() => Interlocked.Increment(ref shutdowns));
        }

        public int Shutdowns => Volatile.Read(ref shutdowns);

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
            }
        }
    }

    // A timer owned by the type and disposed with it.
    public sealed class HeartbeatMonitor : IDisposable
    {
        private readonly Timer timer;
        private long beats;

        public HeartbeatMonitor(TimeSpan period) => timer = new Timer(_ => Interlocked.Increment(ref beats), null, period, period);

        public long Beats => Interlocked.Read(ref beats);

        public void Dispose() => timer.Dispose();
    }

    // Static callbacks that capture nothing, in a static registry of parsers.
    public static class Parsers
    {
        private static readonly ConcurrentDictionary<Type, Func<string, object>> ByType = new();

        static Parsers()
        {
            ByType[typeof(int)] = static s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
            ByType.TryAdd(typeof(bool), s => bool.Parse(s));
        }

        public static object Parse(Type type, string text) => ByType[type](text);
    }

    // A long-lived callback whose variable lives in a block of its own: its closure does not hold the big buffer
    // that the short-lived lambda of the outer block captured.
    public static class Warmup
    {
        private static Func<string>? lastRun;

        public static Task RunAsync(string name)
        {
            var payload = new byte[256 * 1024];
            var fill = Task.Run(() => Array.Fill(payload, (byte)1));
            {
                var label = name.ToUpperInvariant();
                lastRun = () => label;
            }

            return fill;
        }

        public static string LastRun() => lastRun?.Invoke() ?? "none";
    }

    // Callbacks kept in the object's own fields and collections live no longer than the object.
    public sealed class UndoStack
    {
        private readonly Stack<Action> undo = new();
        private Action? onChanged;
        private int value;

        public UndoStack() => onChanged = () => Count++;

        public int Count { get; private set; }

        public void Set(int newValue)
        {
            var old = value;
            undo.Push(() => value = old);
            value = newValue;
            onChanged?.Invoke();
        }

        public void Undo()
        {
            if (undo.Count > 0)
            {
                undo.Pop()();
            }
        }

        public void Detach() => onChanged = null;
    }

    // A grouping column: the key getter, the title converter and the formatter share one closure, and all three are
    // kept by the column itself, so no array lives longer than the delegate that uses it.
    public sealed class GroupedColumn
    {
        public Func<object, int>? KeyGetter { get; set; }

        public Func<int, string>? TitleOf { get; set; }

        public Action<int, List<string>>? Formatter { get; set; }

        public void MakeGroups(int[] bounds, string[] titles, string[] subtitles)
        {
            KeyGetter = row => Array.FindIndex(bounds, bound => Convert.ToInt32(row) < bound);
            TitleOf = key => key < 0 ? string.Empty : titles[key];
            Formatter = (key, lines) => lines.Add(subtitles[key]);
        }
    }
}
