namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// Source members whose result the caller owns, recognised from their bodies: a factory call, a local, a
/// conditional, another source factory, a getter, an async method, a local function.
/// </summary>
public class SourceFactories
{
    [Theory]
    [InlineData("Stream Open(string p) => File.OpenRead(p);")]
    [InlineData("Stream Open(string p) { var s = File.OpenRead(p); s.Position = 4; return s; }")]
    [InlineData("Stream Open(string p) { Stream s; s = new FileStream(p, FileMode.Open); return s; }")]
    [InlineData("Stream Open(string p) => p.Length > 3 ? File.OpenRead(p) : null;")]
    [InlineData("Stream Open(string p) => p is null ? throw new System.ArgumentNullException() : File.OpenRead(p);")]
    [InlineData("Stream Open(string p) => Inner(p); Stream Inner(string p) => new FileStream(p, FileMode.Open);")]
    [InlineData("Stream Open(string p) => p.Length switch { 0 => null, _ => File.OpenRead(p) };")]
    [InlineData("Stream Open(string p) { if (p.Length == 0) { return null; } return new BufferedStream(File.OpenRead(p)); }")]
    public Task CallerOwnsWhatAFactoryReturns(string factory) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{factory}}
            int M(string p)
            {
                var s = {|LEAK001:Open(p)|};
                return s.ReadByte();
            }
        }
        """);

    [Fact]
    public Task AsyncFactoryAwaited() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            async Task<Stream> OpenAsync(string p) { await Task.Yield(); return File.OpenRead(p); }
            Task<Stream> OpenLaterAsync(string p) => Task.FromResult<Stream>(File.OpenRead(p));
            async Task<int> M(string p)
            {
                var s = {|LEAK001:await OpenAsync(p)|};
                var t = {|LEAK001:await OpenLaterAsync(p)|};
                return s.ReadByte() + t.ReadByte();
            }
        }
        """);

    [Fact]
    public Task AwaitedTaskRunOfACreation() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(string p)
            {
                var s = {|LEAK001:await Task.Run(() => File.OpenRead(p))|};
                return s.ReadByte();
            }
        }
        """);

    [Fact]
    public Task LocalFunctionFactory() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            int M(string p)
            {
                Stream Open() => File.OpenRead(p);
                var s = {|LEAK001:Open()|};
                return s.ReadByte();
            }
        }
        """);

    [Fact]
    public Task HelperReturningACommandItCreated() => Verify.VerifyAsync("""
        using System.Data.Common;
        class Store
        {
            static DbCommand CreateReleaseCommand(DbConnection connection)
            {
                var command = connection.CreateCommand();
                command.CommandText = "UPDATE locks SET owner = NULL";
                return command;
            }

            void Release(DbConnection connection)
            {
                var cmd = {|LEAK001:CreateReleaseCommand(connection)|};
                cmd.ExecuteNonQuery();
            }
        }
        """);

    [Fact]
    public Task DroppedFactoryResult() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            Stream Open(string p) => File.OpenRead(p);
            void M(string p)
            {
                {|LEAK002:Open(p)|};
                var length = {|LEAK002:Open(p)|}.Length;
            }
        }
        """);

    [Fact]
    public Task ReflectionCreationCastToADisposable() => Verify.VerifyAsync("""
        using System;
        class Resource : IDisposable { public void Dispose() => GC.KeepAlive(this); }
        class C
        {
            void M(Type type)
            {
                var created = (IDisposable){|LEAK001:Activator.CreateInstance(type)|};
                var typed = {|LEAK001:Activator.CreateInstance<Resource>()|};
                GC.KeepAlive(created);
                GC.KeepAlive(typed);
            }
        }
        """);

    [Theory]
    [InlineData("Stream Get() => cached;")]
    [InlineData("Stream Get() => cached ??= File.OpenRead(\"x\");")]
    [InlineData("Stream Get() { var s = File.OpenRead(\"x\"); cached = s; return s; }")]
    [InlineData("Stream Get() { var s = File.OpenRead(\"x\"); all.Add(s); return s; }")]
    [InlineData("Stream Get() => cached ?? File.OpenRead(\"x\");")]
    [InlineData("Stream Get() => Other.Shared;")]
    [InlineData("Stream Get() => Lookup(\"x\");")]
    [InlineData("Stream Get() { foreach (var s in all) { return s; } return null; }")]
    [InlineData("System.Collections.Generic.IEnumerable<Stream> Many() { yield return File.OpenRead(\"x\"); } Stream Get() => null;")]
    public Task LentResultsAreNotTheCallersToDispose(string getter) => Verify.VerifyAsync($$"""
        using System.Collections.Generic;
        using System.IO;
        static class Other { public static Stream Shared; }
        sealed class C : System.IDisposable
        {
            Stream cached;
            public void Dispose() => cached?.Dispose();
            List<Stream> all = new List<Stream>();
            static Stream Lookup(string key) => Other.Shared;
            {{getter}}
            int M()
            {
                var s = Get();
                return s.ReadByte();
            }
        }
        """);

    [Fact]
    public Task OverriddenFactoryOfAnInterfaceIsNotGuessed() => Verify.VerifyAsync("""
        using System.IO;
        interface IOpener { Stream Open(); }
        class C
        {
            int M(IOpener opener)
            {
                var s = opener.Open();
                return s.ReadByte();
            }
        }
        """);

    [Fact]
    public Task RecursiveFactoryIsUnknown() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            Stream Open(string p, int tries) => tries > 0 ? Open(p, tries - 1) : File.OpenRead(p);
            Stream First(string p) => Second(p);
            Stream Second(string p) => p.Length > 0 ? First(p.Substring(1)) : File.OpenRead(p);
            int M(string p)
            {
                var s = Open(p, 3);
                var t = First(p);
                return s.ReadByte() + t.ReadByte();
            }
        }
        """);

    [Fact]
    public Task AttributeBeatsInference() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        [AttributeUsage(AttributeTargets.All)] sealed class MustDisposeResourceAttribute : Attribute { public MustDisposeResourceAttribute(bool value = true) { } }
        class C
        {
            [MustDisposeResource(false)] Stream Open(string p) => File.OpenRead(p);
            int M(string p)
            {
                var s = Open(p);
                return s.ReadByte();
            }
        }
        """);

    [Fact]
    public Task EditorConfigLendingBeatsInference() => new Verify.Test
    {
        TestCode = """
            using System.IO;
            namespace Shop
            {
                class C
                {
                    Stream Open(string p) => File.OpenRead(p);
                    int M(string p)
                    {
                        var s = Open(p);
                        return s.ReadByte();
                    }
                }
            }
            """,
        EditorConfig = """
            root = true
            [*.cs]
            leak_analyzers.lending_methods = Shop.C.Open
            """,
    }.RunAsync();

    [Fact]
    public Task AwaitedTaskOfACreationThroughConfigureAwaitOrGetResult() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(string p)
            {
                var a = {|LEAK001:await Task.Run(() => File.OpenRead(p)).ConfigureAwait(false)|};
                var b = {|LEAK001:Task.FromResult(File.OpenRead(p)).GetAwaiter().GetResult()|};
                using (await Task.FromResult(File.OpenRead(p)).ConfigureAwait(false)) { }
                using var c = Task.Run(() => File.OpenRead(p)).GetAwaiter().GetResult();
                var task = Task.Run(() => File.OpenRead(p));
                return a.ReadByte() + b.ReadByte() + task.Id;
            }
        }
        """);

    [Fact]
    public Task GetterThatCreatesWhatItReturns() => Verify.VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            Stream Stream => File.OpenRead("data");
            static Stream Shared { get { return new FileStream("shared", FileMode.Open); } }
            async Task<long> M()
            {
                var s = {|LEAK001:Stream|};
                var length = {|LEAK002:Stream|}.Length;
                var maybe = {|LEAK002:this.Stream|}?.Length;
                var read = await {|LEAK002:Shared|}.ReadAsync(new byte[4], 0, 4);
                using (Stream) { }
                return s.Length + length + maybe.GetValueOrDefault() + read;
            }
        }
        """);

    [Fact]
    public Task CoalesceConditionalAccessAndGenericCreation() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        static class Factory { public static T Create<T>() where T : IDisposable, new() => new T(); }
        sealed class Resource : IDisposable { public void Dispose() => GC.SuppressFinalize(this); ~Resource() { } }
        class C
        {
            Stream Open(string p) => File.OpenRead(p);
            int M(string p, IObservable<int> events)
            {
                var a = {|LEAK001:File.OpenRead(p) ?? null|};
                var b = {|LEAK001:events?.Subscribe(new Observer())|};
                {|LEAK002:Factory.Create<Resource>()|};
                var read = {|LEAK002:Open(p)|}?.ReadByte();
                return a.ReadByte() + read.GetValueOrDefault() + b.GetHashCode();
            }

            sealed class Observer : IObserver<int>
            {
                public void OnCompleted() { }
                public void OnError(Exception error) { }
                public void OnNext(int value) { }
            }
        }
        """);

    [Fact]
    public Task ResultThatTakesTheReceiverOrMovesItsResourceOutCarriesIt() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;
        sealed class Connection : IDisposable
        {
            private readonly Stream transport;
            public Connection(Stream transport) { this.transport = transport; }
            public async Task<Response> SendAsync() { await transport.FlushAsync(); return new Response(this); }
            public void Dispose() => transport.Dispose();
        }
        sealed class Response : IDisposable
        {
            private readonly Connection connection;
            public Response(Connection connection) { this.connection = connection; }
            public void Dispose() => connection.Dispose();
        }
        sealed class Builder : IDisposable
        {
            private Stream? buffer = new FileStream("buffer", FileMode.Create);
            public void Write(byte b) => buffer!.WriteByte(b);
            public Stream Detach() { var b = buffer!; buffer = null; return b; }
            public void Dispose() => buffer?.Dispose();
        }
        static class Use
        {
            public static async Task<Response> Send(string path)
            {
                var connection = new Connection(File.OpenRead(path));
                return await connection.SendAsync();
            }

            public static Stream Build()
            {
                var builder = new Builder();
                builder.Write(1);
                return builder.Detach();
            }

            public static void Drop()
            {
                var builder = new Builder();
                builder.Write(1);
                var detached = [|builder.Detach()|];
                detached.WriteByte(1);
            }
        }
        """);

    /// <summary>
    /// FileSignatures' <c>readers[0].Read(stream)</c>: an interface member (or an abstract method) whose every
    /// implementation in the compilation returns a new object is a factory through the interface too.
    /// </summary>
    [Fact]
    public Task InterfaceMemberWhoseEveryImplementationCreates() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.IO.Compression;
        public interface IReader { IDisposable Read(Stream stream); }
        public abstract class Zip : IReader
        {
            public IDisposable Read(Stream stream)
            {
                try { return new ZipArchive(stream, ZipArchiveMode.Read, true); }
                catch (InvalidDataException) { return null; }
            }
        }
        public sealed class Word : Zip { }
        public sealed class Compound : IReader { public IDisposable Read(Stream stream) => new BufferedStream(File.OpenRead("x")); }
        public abstract class Maker { public abstract Stream Make(); }
        public sealed class FileMaker : Maker { public override Stream Make() => File.OpenRead("y"); }
        static class Inspector
        {
            public static bool Match(IReader reader, Stream stream) { var file = {|LEAK001:reader.Read(stream)|}; return file != null; }
            public static long Size(Maker maker) { var made = {|LEAK001:maker.Make()|}; return made.Length; }
        }
        """);

    /// <summary>One implementation that lends what it keeps (or none at all) and the interface says nothing.</summary>
    [Fact]
    public Task InterfaceMemberWithAnImplementationThatLends() => Verify.VerifyAsync("""
        using System.IO;
        public interface ISource { Stream Open(); }
        public interface IUnused { Stream Open(); }
        public sealed class Fresh : ISource { public Stream Open() => File.OpenRead("x"); }
        public sealed class Shared : ISource, System.IDisposable
        {
            private readonly Stream stream = File.OpenRead("y");
            public Stream Open() => stream;
            public void Dispose() => stream.Dispose();
        }
        static class Reader
        {
            public static int First(ISource source) { var s = source.Open(); return s.ReadByte(); }
            public static int Unused(IUnused source) { var s = source.Open(); return s.ReadByte(); }
        }
        """);
}
