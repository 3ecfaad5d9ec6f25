namespace LeakAnalyzers.Tests.Meta;

using System.Collections.Generic;
using System.Text;

/// <summary>Source files no analyzer may throw on: broken, huge, unbound, and every construct of the language.</summary>
internal static class BrokenCodeSamples
{
    internal const string Empty = "";

    internal const string OnlyUsings = """
        global using System.Linq;
        using System;
        using System.IO;
        using static System.Math;
        using IO = System.IO;
        using Point = (int X, int Y);
        """;

    internal const string HalfTypedMethod = """
        class C
        {
            void M() { var s = new System.IO.FileStream(
        """;

    internal const string HalfTypedUsingAndLambda = """
        using System;
        using System.IO;
        class C
        {
            void M(string p)
            {
                using (var s = new FileStream(p, FileMode.
                Action a = () => { var t = new FileStream(
                var x = p switch { "a" => new FileStream(p, FileMode.Open), 
                await using var u = new
            }
            Stream P => new FileStream(
            Stream Q { get { return new FileStream(p
        """;

    internal const string UnbalancedBraces = """
        using System.IO;
        class C
        {
            void M(string p)
            {
                if (p.Length > 0)
                {
                    var s = new FileStream(p, FileMode.Open);
                    s.ReadByte();
                }
                }
            }
            }
        }
        void N() { var t = new FileStream("x", FileMode.Open); { { {
        class D { void M() { var u = new MemoryStream(); if (true) { u.Dispose(); } else { ) ] } }
        """;

    internal const string Unbound = """
        using System;
        using System.IO;
        using Missing.Namespace;

        class C : UnknownBase, IUnknownInterface
        {
            UnknownField field = new UnknownType();

            UnknownReturn M(UnknownParameter parameter)
            {
                var a = new UnknownDisposable();
                using var b = new Missing.Disposable(parameter);
                Stream c = Whatever.Open(a, b);
                c = new FileStream(UndefinedPath, FileMode.Open);
                var d = new FileStream("p", FileMode.DoesNotExist, 1, 2, 3, 4, 5);
                var e = new FileStream();
                IDisposable f = new FileStream("p", FileMode.Open) { NotAProperty = 1 };
                a.Dispose(undefinedArgument);
                undefinedLocal.Dispose();
                this.field = new();
                using (var g = new UnknownType()) { }
                using (undefinedExpression) { }
                var h = new FileStream("p", FileMode.Open).UnknownMethod().Another;
                return default(UnknownReturn2) ?? c switch { UnknownPattern x => x, _ => throw null };
            }

            int P => new FileStream("p", FileMode.Open);
            event UnknownHandler E;
        }
        """;

    internal const string TopLevelStatements = """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        var stream = new FileStream(args[0], FileMode.Open);
        stream.ReadByte();

        using var reader = new StreamReader(args[1]);
        Console.WriteLine(reader.ReadLine());

        if (args.Length > 2)
        {
            var other = File.OpenRead(args[2]);
            other.Dispose();
            return 1;
        }

        await Task.Delay(1);
        Local(args);
        return 0;

        static void Local(string[] a)
        {
            var s = new FileStream(a[0], FileMode.Open);
            s.ReadByte();
        }
        """;

    /// <summary>One method with 5,000 statements: locals, branches, loops, disposals on some paths only.</summary>
    internal static string HugeMethod()
    {
        var builder = new StringBuilder();
        builder.AppendLine("using System;");
        builder.AppendLine("using System.IO;");
        builder.AppendLine("class Huge");
        builder.AppendLine("{");
        builder.AppendLine("    long M(string path, int n)");
        builder.AppendLine("    {");
        builder.AppendLine("        long total = 0;");
        for (var i = 0; i < 5000; i++)
        {
            var statement = (i % 10) switch
            {
                0 => $"var s{i} = new FileStream(path, FileMode.Open);",
                1 => $"total += s{i - 1}.ReadByte();",
                2 => $"if (n > {i}) s{i - 2}.Dispose();",
                3 => $"total += {i};",
                4 => $"using (var u{i} = new StreamReader(path)) {{ total += u{i}.Peek(); }}",
                5 => $"for (var k{i} = 0; k{i} < n; k{i}++) {{ total += k{i}; if (total > {i}) break; }}",
                6 => $"try {{ total += n / {i}; }} catch (DivideByZeroException) {{ total = 0; }}",
                7 => $"var w{i} = File.OpenRead(path); if (n == {i}) {{ w{i}.Dispose(); return total; }}",
                8 => $"w{i - 1}.Dispose();",
                _ => $"total = n switch {{ {i} => total + 1, _ => total }};",
            };
            builder.Append("        ").AppendLine(statement);
        }

        builder.AppendLine("        return total;");
        builder.AppendLine("    }");
        builder.AppendLine("}");
        return builder.ToString();
    }

    /// <summary>A long binary expression and deep nesting: recursive walks must not overflow the stack.</summary>
    internal static string DeepNesting()
    {
        var builder = new StringBuilder();
        builder.AppendLine("using System.IO;");
        builder.AppendLine("class Deep");
        builder.AppendLine("{");
        builder.AppendLine("    string M(string p)");
        builder.AppendLine("    {");
        builder.Append("        var text = p");
        for (var i = 0; i < 2000; i++)
        {
            builder.Append(" + p");
        }

        builder.AppendLine(";");
        for (var i = 0; i < 100; i++)
        {
            builder.AppendLine($"        if (p.Length > {i}) {{ var s{i} = new FileStream(p, FileMode.Open);");
        }

        for (var i = 0; i < 100; i++)
        {
            builder.Append('}');
        }

        builder.AppendLine();
        builder.AppendLine("        return text;");
        builder.AppendLine("    }");
        builder.AppendLine("}");
        return builder.ToString();
    }

    /// <summary>Every C# construct we could think of, with disposables created in each; compiles without errors.</summary>
    internal const string EveryConstruct = """"
        #nullable enable
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Everything;

        public interface IShape
        {
            static abstract IShape Create();
            double Area { get; }
            string Describe() => $"Area {this.Area}";
        }

        public record Point(int X, int Y);

        public record struct Size(int Width, int Height);

        public readonly record struct Id(Guid Value);

        public sealed record Circle(double Radius) : IShape
        {
            public static IShape Create() => new Circle(1);
            public double Area => Math.PI * this.Radius * this.Radius;
        }

        file sealed class FileLocal
        {
            public required string Name { get; init; }
        }

        public class PrimaryConstructor(Stream stream, string name) : IDisposable
        {
            private readonly Stream owned = stream;
            public string Name { get; } = name;
            public void Dispose() => this.owned.Dispose();
        }

        public ref struct SpanHolder
        {
            public Span<byte> Buffer;
            public ref int Slot;

            public SpanHolder(Span<byte> buffer, ref int slot)
            {
                this.Buffer = buffer;
                this.Slot = ref slot;
            }

            public void Dispose() { }
        }

        public struct MutableStruct : IDisposable
        {
            public int Value;
            public void Dispose() => this.Value = 0;
        }

        public delegate TResult Transformer<in T, out TResult>(T value);

        public enum Color { Red, Green = 5, Blue }

        [AttributeUsage(AttributeTargets.All)]
        public sealed class NoteAttribute(string text) : Attribute
        {
            public string Text { get; } = text;
        }

        public static class Extensions
        {
            public static T Also<T>(this T value, Action<T> action)
            {
                action(value);
                return value;
            }

            public static int Sum(params ReadOnlySpan<int> values)
            {
                var total = 0;
                foreach (var v in values) total += v;
                return total;
            }
        }

        public abstract class Base<T> where T : class, IDisposable, new()
        {
            public abstract T Make();
            public virtual T MakeAndKeep() => new T();
        }

        public sealed class Derived : Base<MemoryStream>
        {
            public override MemoryStream Make() => new MemoryStream();
        }

        public class Everything : IDisposable, IEnumerable<int>
        {
            private static readonly List<Stream> Cache = [];
            private readonly Stream field = new FileStream("field", FileMode.Open);
            private event EventHandler? Changed;
            private EventHandler? handlers;
            private int[] numbers = [1, 2, 3];
            private Stream? lazy;

            public event EventHandler Custom
            {
                add { this.handlers += value; }
                remove { this.handlers -= value; }
            }

            public int this[int index] { get => this.numbers[index]; set => this.numbers[index] = value; }

            public Stream Lazy => this.lazy ??= new FileStream("lazy", FileMode.Open);

            public static Everything operator +(Everything left, Everything right) => left;

            public static implicit operator int(Everything value) => value.numbers.Length;

            public void Dispose()
            {
                this.field.Dispose();
                this.lazy?.Dispose();
            }

            public IEnumerator<int> GetEnumerator()
            {
                using var s = new FileStream("iterator", FileMode.Open);
                for (var i = 0; i < 3; i++)
                {
                    yield return s.ReadByte();
                }

                var leaked = new FileStream("iterator2", FileMode.Open);
                yield return leaked.ReadByte();
                yield break;
            }

            IEnumerator IEnumerable.GetEnumerator() => this.GetEnumerator();

            public async Task<int> AsyncMethod(string path, CancellationToken token)
            {
                await using var a = new FileStream(path, FileMode.Open);
                var b = new FileStream(path, FileMode.Open);
                var buffer = new byte[10];
                var read = await b.ReadAsync(buffer, token).ConfigureAwait(false);
                if (read == 0)
                {
                    await b.DisposeAsync();
                    return 0;
                }

                await foreach (var item in Produce(token).WithCancellation(token))
                {
                    read += item;
                }

                return read;
            }

            public static async IAsyncEnumerable<int> Produce([EnumeratorCancellation] CancellationToken token = default)
            {
                var s = new FileStream("produce", FileMode.Open);
                try
                {
                    await Task.Yield();
                    yield return s.ReadByte();
                }
                finally
                {
                    await s.DisposeAsync();
                }
            }

            public int LocalFunctionsAndLambdas(string path)
            {
                int Local(int x)
                {
                    var s = new FileStream(path, FileMode.Open);
                    return s.ReadByte() + x;
                }

                static int StaticLocal(int y) => y * 2;

                Func<int, int> lambda = x => { using var t = new FileStream(path, FileMode.Open); return x + t.ReadByte(); };
                var natural = (int x) => new FileStream(path, FileMode.Open).ReadByte() + x;
                Func<Stream> factory = () => new FileStream(path, FileMode.Open);
                Action<Stream> disposer = static s => s.Dispose();
                var method = Local;
                return lambda(1) + natural(2) + StaticLocal(3) + method(4) + factory().ReadByte();
            }

            public string Patterns(object value, Stream? maybe, int[] array) => value switch
            {
                null => "null",
                int i when i > 10 => "big",
                int and (> 0 and < 10) => "small",
                string { Length: > 3 } s => s,
                Point(var x, var y) when x == y => "diagonal",
                Point { X: 0 } => "axis",
                IDisposable d and not Stream => d.ToString()!,
                Stream s when s is FileStream { CanRead: true } f => f.Name,
                _ when array is [1, 2, .. var rest] => rest.Length.ToString(),
                _ when array is [] => "empty",
                _ when maybe is not null => "stream",
                _ => "other",
            };

            public int Statements(string path, int n)
            {
                var total = 0;
                checked { total += n; }
                unchecked { total *= n; }
                lock (this.numbers) { total++; }
                switch (n)
                {
                    case 0:
                        goto case 1;
                    case 1:
                        total += 1;
                        break;
                    case > 5 and < 10:
                        goto default;
                    default:
                        var s = new FileStream(path, FileMode.Open);
                        if (n > 100) goto done;
                        s.Dispose();
                        break;
                }

                do { total--; } while (total > 100);
                while (total < 0) { total += 10; continue; }
                foreach (var (key, value) in new Dictionary<string, int> { ["a"] = 1 })
                {
                    total += value + key.Length;
                }

                try
                {
                    using (var a = new FileStream(path, FileMode.Open))
                    using (var b = new StreamReader(a))
                    {
                        total += b.Peek();
                    }
                }
                catch (IOException e) when (e.HResult != 0)
                {
                    throw new InvalidOperationException("wrapped", e);
                }
                catch
                {
                    throw;
                }
                finally
                {
                    total++;
                }

            done:
                var tuple = (first: 1, second: "two");
                var (one, two) = tuple;
                total += one + two.Length;
                total += n is var captured ? captured : 0;
                Stream? nothing = null;
                nothing ??= new FileStream(path, FileMode.Open);
                nothing.Dispose();
                _ = new FileStream(path, FileMode.Open);
                var index = this.numbers[^1] + this.numbers[1..^1].Length;
                var range = "text"[..2];
                var withed = new Point(1, 2) with { Y = 3 };
                var anonymous = new { Name = "x", Stream = new FileStream(path, FileMode.Open) };
                anonymous.Stream.Dispose();
                var query = from x in this.numbers where x > 1 let y = x * 2 orderby y descending select new { x, y };
                var grouped = from x in this.numbers group x by x % 2 into g select g.Count();
                dynamic dyn = new FileStream(path, FileMode.Open);
                dyn.Dispose();
                var utf8 = "bytes"u8;
                var raw = $$"""
                    {"value": {{n}}}
                    """;
                var nameofs = nameof(this.Statements) + nameof(Everything);
                int[] collection = [.. this.numbers, 4, .. utf8.ToArray().Select(b => (int)b)];
                List<Stream> streams = [new FileStream(path, FileMode.Open)];
                Cache.Add(new FileStream(path, FileMode.Open));
                var conditional = n > 0 ? new FileStream(path, FileMode.Open) : null;
                conditional?.Dispose();
                var thrown = path ?? throw new ArgumentNullException(nameof(path));
                var defaulted = default(Stream);
                var size = sizeof(int) + (int)typeof(int).Name.Length;
                var holder = new SpanHolder(stackalloc byte[4], ref total);
                holder.Buffer[0] = 1;
                var mutable = new MutableStruct();
                mutable.Value = 1;
                using (mutable) { }
                this.Changed?.Invoke(this, EventArgs.Empty);
                this.Changed += (_, _) => total++;
                this.Custom += this.OnCustom;
                this.Custom -= this.OnCustom;
                return total + collection.Length + streams.Count + index + range.Length + withed.Y + query.Count() + grouped.Count()
                    + utf8.Length + raw.Length + nameofs.Length + thrown.Length + size + (defaulted is null ? 0 : 1);
            }

            public unsafe void Unsafe(byte[] bytes)
            {
                fixed (byte* pointer = bytes)
                {
                    var p = pointer;
                    *p = 1;
                    p[1] = 2;
                }

                int value = 5;
                int* address = &value;
                delegate*<int, int> function = &Twice;
                *address = function(*address);
                Span<int> span = stackalloc int[] { 1, 2, 3 };
                span[0] = *address;
            }

            public T Generic<T, TStream>(T value, Func<TStream> make)
                where T : notnull
                where TStream : Stream
            {
                var s = make();
                s.ReadByte();
                var made = new List<TStream> { make() };
                made.ForEach(x => x.Dispose());
                return value;
            }

            public ref int RefReturn(int[] values) => ref values[0];

            public void RefLocals(int[] values)
            {
                ref var first = ref this.RefReturn(values);
                first = 10;
                ref readonly var second = ref values[1];
                scoped Span<int> local = stackalloc int[2];
                local[0] = second;
            }

            public void OutAndIn(out Stream created, in int value, ref Stream? replaced)
            {
                created = new FileStream("out", FileMode.Open);
                replaced?.Dispose();
                replaced = new FileStream("ref" + value, FileMode.Open);
                _ = int.TryParse("1", out var parsed) && parsed > 0;
            }

            public Stream Returned(string path) => new BufferedStream(new FileStream(path, FileMode.Open));

            public IDisposable Interpolated(string path)
            {
                var handler = $"{new FileStream(path, FileMode.Open).Length}";
                return new StreamReader(new FileStream(handler, FileMode.Open), leaveOpen: false);
            }

            [Note("attribute")]
            [return: Note("return")]
            public Task<Stream> TaskResult([Note("parameter")] string path) => Task.FromResult<Stream>(new FileStream(path, FileMode.Open));

            public async ValueTask AsyncLambdas(string path)
            {
                Func<Task<int>> reader = async () =>
                {
                    var s = new FileStream(path, FileMode.Open);
                    return await Task.FromResult(s.ReadByte());
                };
                await reader();
                await Parallel.ForEachAsync([1, 2], async (item, token) => { await using var f = new FileStream(path + item, FileMode.Open); });
            }

            public void Threads(string path)
            {
                var thread = new Thread(() => { using var s = new FileStream(path, FileMode.Open); });
                thread.Start();
                var timer = new Timer(_ => { }, null, 0, 1000);
                var cts = new CancellationTokenSource();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                ThreadPool.QueueUserWorkItem(_ => timer.Dispose());
            }

            private static int Twice(int x) => x * 2;

            private void OnCustom(object? sender, EventArgs e) { }
        }
        """";

    internal static IEnumerable<(string Name, string Source, bool TopLevel, bool Large)> All()
    {
        yield return ("empty file", Empty, false, false);
        yield return ("only usings", OnlyUsings, false, false);
        yield return ("half-typed method", HalfTypedMethod, false, false);
        yield return ("half-typed using, lambda, switch and members", HalfTypedUsingAndLambda, false, false);
        yield return ("unbalanced braces", UnbalancedBraces, false, false);
        yield return ("code that does not bind", Unbound, false, false);
        yield return ("top-level statements", TopLevelStatements, true, false);
        yield return ("5,000 statements in one method", HugeMethod(), false, true);
        yield return ("deep nesting and a 2,000-term expression", DeepNesting(), false, false);
        yield return ("every construct", EveryConstruct, false, false);
    }
}
