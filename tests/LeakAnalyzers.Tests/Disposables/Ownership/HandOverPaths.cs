namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// Hand-overs that the graph shows on one path only, or through a use that is not an argument: a conditional call
/// on a receiver that may be null, a handler of the object's own event, a view that carries the object's resource.
/// </summary>
public class HandOverPaths
{
    private const string Owner = """
        sealed class Owner : System.IDisposable
        {
            readonly System.Collections.Generic.List<System.IDisposable> parts = new();
            public void Add(System.IDisposable part) => parts.Add(part);
            public void Log(System.IDisposable part) => System.Console.WriteLine(part);
            public void Dispose() { foreach (var part in parts) part.Dispose(); }
        }
        """;

    [Theory]
    [InlineData("owner?.Add(s);")]
    [InlineData("owner?.Add(s); owner?.Log(s);")]
    public Task HandOverThroughConditionalAccessIsAHandOver(string use) => Verify.VerifyAsync($$"""
        using System.IO;
        {{Owner}}
        class C
        {
            void M(Owner? owner, string p)
            {
                var s = new FileStream(p, FileMode.Open);
                {{use}}
            }
        }
        """);

    [Theory]
    [InlineData("owner?.Log(s);")]
    [InlineData("if (p.Length == 0) return; owner?.Add(s);")]
    public Task ConditionalAccessThatOnlyBorrowsOrComesTooLateIsReported(string use) => Verify.VerifyAsync($$"""
        using System.IO;
        {{Owner}}
        class C
        {
            void M(Owner? owner, string p)
            {
                var s = {|LEAK001:new FileStream(p, FileMode.Open)|};
                {{use}}
            }
        }
        """);

    [Theory]
    [InlineData("args.Completed += OnCompleted; if (!socket.ConnectAsync(args)) OnCompleted(socket, args);")]
    [InlineData("args.Completed += (_, e) => e.Dispose(); if (!socket.ConnectAsync(args)) args.Dispose();")]
    [InlineData("args.Completed += (_, _) => args.Dispose(); if (!socket.ConnectAsync(args)) args.Dispose();")]
    public Task HandlerOfTheObjectsOwnEventThatDisposesItTakesIt(string use) => Verify.VerifyAsync($$"""
        using System.Net;
        using System.Net.Sockets;
        class C
        {
            void M(Socket socket, EndPoint endPoint)
            {
                var args = new SocketAsyncEventArgs { RemoteEndPoint = endPoint };
                {{use}}
            }

            void OnCompleted(object? sender, SocketAsyncEventArgs e) => e.Dispose();
        }
        """);

    [Theory]
    [InlineData("args.Completed += OnLogged; socket.ConnectAsync(args);")]
    [InlineData("args.Completed += (_, e) => System.Console.WriteLine(e.SocketError); socket.ConnectAsync(args);")]
    [InlineData("args.Completed -= OnCompleted; socket.ConnectAsync(args);")]
    public Task HandlerThatDoesNotDisposeTheObjectTakesNothing(string use) => Verify.VerifyAsync($$"""
        using System.Net;
        using System.Net.Sockets;
        class C
        {
            void M(Socket socket, EndPoint endPoint)
            {
                var args = {|LEAK001:new SocketAsyncEventArgs { RemoteEndPoint = endPoint }|};
                {{use}}
            }

            void OnCompleted(object? sender, SocketAsyncEventArgs e) => e.Dispose();

            void OnLogged(object? sender, SocketAsyncEventArgs e) => System.Console.WriteLine(e.SocketError);
        }
        """);

    [Theory]
    [InlineData("Stream", "return client.GetStream();")]
    [InlineData("object", "return client.GetStream();")]
    [InlineData("void", "socket = client.Client;")]
    [InlineData("void", "stream = new NetworkStream(client.Client, ownsSocket: true);")]
    public Task ViewThatCarriesTheResourceTakesItWhereItGoes(string returnType, string use) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.Net.Sockets;
        sealed class C : System.IDisposable
        {
            Stream? stream;
            Socket? socket;

            {{returnType}} M(string host)
            {
                var client = new TcpClient(host, 80);
                {{use}}
            }

            public void Dispose() { stream?.Dispose(); socket?.Dispose(); }
        }
        """);

    [Theory]
    [InlineData("stream = new NetworkStream(client.Client);")]
    [InlineData("client.Client.NoDelay = true;")]
    [InlineData("stream = null; System.Console.WriteLine(client.GetStream().ReadByte());")]
    public Task ViewThatIsOnlyReadOrBorrowedTakesNothing(string use) => Verify.VerifyAsync($$"""
        using System.IO;
        using System.Net.Sockets;
        sealed class C : System.IDisposable
        {
            Stream? stream;

            void M(string host)
            {
                var client = {|LEAK001:new TcpClient(host, 80)|};
                {{use}}
            }

            public void Dispose() => stream?.Dispose();
        }
        """);

    [Fact]
    public Task ObjectThatKeepsItsOwnerTakesItAlong() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        sealed class Assembly
        {
            internal readonly List<Module> Modules = new List<Module>();
            public Module ManifestModule => Modules.Count == 0 ? null : Modules[0];
        }
        sealed class Info
        {
            public string Name { get; set; }
        }
        sealed class Module : IDisposable
        {
            private readonly FileStream file;
            public Assembly Assembly { get; }
            public Info Info { get; } = new Info();
            public string Name => file.Name;
            private Module(string path)
            {
                file = File.OpenRead(path);
                Assembly = new Assembly();
                Assembly.Modules.Add(this);
            }

            public static Module Load(string path) => new Module(path);
            public void Dispose() => file.Dispose();
        }
        static class Loader
        {
            public static Assembly Load(string path)
            {
                var module = Module.Load(path);
                var assembly = module.Assembly;
                return assembly ?? throw new BadImageFormatException();
            }

            public static Assembly Find(IEnumerable<string> paths, Func<Assembly, bool> matches)
            {
                foreach (var path in paths)
                {
                    Module module = null;
                    try
                    {
                        module = Module.Load(path);
                        var assembly = module.Assembly;
                        if (matches(assembly))
                        {
                            module = null;
                            return assembly;
                        }
                    }
                    finally
                    {
                        module?.Dispose();
                    }
                }

                return null;
            }

            public static Info Describe(string path)
            {
                var module = {|LEAK001:Module.Load(path)|};
                return module.Info;
            }

            public static string Name(string path)
            {
                var module = {|LEAK001:Module.Load(path)|};
                return module.Name;
            }
        }
        """);

    [Fact]
    public Task ConfiguredAwaitUsingStatementDisposesTheObject() => Verify.VerifyAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Threading.Tasks;
        static class Use
        {
            public static async Task Compress(Stream target, Stream source)
            {
                var gzip = new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true);
                await using (gzip.ConfigureAwait(false))
                {
                    await source.CopyToAsync(gzip).ConfigureAwait(false);
                }
            }

            public static async Task Forget(Stream target, Stream source)
            {
                var gzip = [|new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true)|];
                await source.CopyToAsync(gzip).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task InnerFinallyRunsBeforeTheOuterCatch() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        static class Use
        {
            public static int? Read(string path)
            {
                try
                {
                    var stream = File.OpenRead(path);
                    try
                    {
                        return stream.ReadByte();
                    }
                    finally
                    {
                        stream.Dispose();
                    }
                }
                catch (IOException)
                {
                    return null;
                }
            }

            public static int? ReadWithoutFinally(string path)
            {
                try
                {
                    var stream = [|File.OpenRead(path)|];
                    var first = stream.ReadByte();
                    stream.Dispose();
                    return first;
                }
                catch (IOException)
                {
                    return null;
                }
            }
        }
        """);

    /// <summary>
    /// FastReport's copies: a new child is handed to its parent by setting its <c>Parent</c>, whose setter runs
    /// <c>value.AddChild(this)</c>, and the parent disposes its children. A setter that only stores the value in the
    /// child itself hands nothing over.
    /// </summary>
    [Fact]
    public Task HandedOverByASetterThatRegistersTheObject() => Verify.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        public class Node : IDisposable
        {
            private readonly List<Node> children = new List<Node>();
            private readonly Stream buffer = new MemoryStream();
            private Node parent;
            private Node owner;

            public Node Parent
            {
                get => parent;
                set { if (value != null) value.AddChild(this); }
            }

            public Node Owner
            {
                get => owner;
                set => owner = value;
            }

            public void AddChild(Node child) { children.Add(child); child.parent = this; }

            public void Copy(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    var child = new Node();
                    child.Parent = this;
                }

                var loose = {|LEAK001:new Node()|};
                loose.Owner = this;
            }

            public void Dispose()
            {
                foreach (var child in children) child.Dispose();
                buffer.Dispose();
            }
        }
        """);
}
