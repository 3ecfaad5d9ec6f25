namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// A path through an explicit catch that returns or continues without disposing what was owned when the try threw.
/// Exceptions with no catch (the implicit paths every call has) stay out.
/// </summary>
public class CatchPaths
{
    [Fact]
    public Task CatchThatReturnsAfterTheCallThatThrew() => Verify.VerifyAsync("""
        using System.IO;
        using System.Net.Security;
        using System.Security.Authentication;
        using System.Threading.Tasks;
        sealed class Connection
        {
            private Stream stream;
            public async Task<bool> ConnectAsync(Stream inner, string host)
            {
                var ssl = {|LEAK001:new SslStream(inner, leaveInnerStreamOpen: true)|};
                try
                {
                    await ssl.AuthenticateAsClientAsync(host);
                }
                catch (AuthenticationException)
                {
                    return false;
                }

                stream = ssl;
                return true;
            }
        }
        """);

    [Fact]
    public Task SettingAPropertyIsNotTakenToThrow() => Verify.VerifyAsync("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        sealed class TaggedHandler : HttpClientHandler
        {
            public string Tag { get; set; }
            public string Owner { get => owner; set => owner = value ?? throw new ArgumentNullException(nameof(value)); }
            private string owner = "";
        }
        static class Download
        {
            public static async Task<string> Tagged(Uri url)
            {
                try
                {
                    var handler = new TaggedHandler();
                    handler.Tag = "x";
                    using var http = new HttpClient(handler);
                    return await http.GetStringAsync(url);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }

            public static async Task<string> Owned(Uri url, string owner)
            {
                try
                {
                    var handler = new TaggedHandler();
                    handler.Owner = owner;
                    using var http = new HttpClient(handler);
                    return await http.GetStringAsync(url);
                }
                catch (ArgumentNullException)
                {
                    return null;
                }
            }
        }
        """);

    [Fact]
    public Task PropertyReadsAndSetsAreNotTakenToThrow() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        class Client
        {
            static Task<int> QueryAsync(CancellationToken token) => Task.FromResult(1);

            public async Task<int> Query(TimeSpan timeout, CancellationToken cancellationToken)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        var cts = new CancellationTokenSource(timeout);
                        CancellationTokenSource? linked = null;
                        if (cancellationToken.CanBeCanceled)
                        {
                            linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, cancellationToken);
                        }

                        using (cts)
                        using (linked)
                        {
                            return await QueryAsync((linked ?? cts).Token);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        continue;
                    }
                }

                return 0;
            }

            public long Seek(string path, long offset)
            {
                try
                {
                    var file = File.OpenRead(path);
                    file.Position = offset;
                    using (file)
                    {
                        return file.ReadByte();
                    }
                }
                catch (IOException)
                {
                    return -1;
                }
            }
        }
        """);

    [Fact]
    public Task RethrownIntoAnOuterCatchThatReturns() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Net.Security;
        using System.Security.Authentication;
        using System.Threading.Tasks;
        sealed class Connection
        {
            private Stream? stream;
            public async Task<bool> ConnectAsync(Stream inner, string host)
            {
                var ssl = {|LEAK001:new SslStream(inner, leaveInnerStreamOpen: false)|};
                try
                {
                    try
                    {
                        await ssl.AuthenticateAsClientAsync(host);
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine(e.Message);
                        throw;
                    }
                }
                catch (AuthenticationException)
                {
                    return false;
                }

                stream = ssl;
                return true;
            }

            public async Task<bool> DisposedInTheOuterCatch(Stream inner, string host)
            {
                var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
                try
                {
                    try { await ssl.AuthenticateAsClientAsync(host); }
                    catch (Exception e) { Console.WriteLine(e.Message); throw; }
                }
                catch (AuthenticationException)
                {
                    ssl.Dispose();
                    return false;
                }

                stream = ssl;
                return true;
            }
        }
        """);

    [Fact]
    public Task CatchInALoopThatContinues() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            int M(string[] paths)
            {
                var total = 0;
                foreach (var path in paths)
                {
                    var s = {|LEAK001:File.OpenRead(path)|};
                    try
                    {
                        total += s.ReadByte();
                    }
                    catch (IOException)
                    {
                        continue;
                    }

                    s.Dispose();
                }

                return total;
            }
        }
        """);

    [Theory]
    [InlineData("catch (IOException) { s.Dispose(); return false; }")]
    [InlineData("catch (IOException) { s.Dispose(); throw; }")]
    [InlineData("catch (IOException) { throw; }")]
    [InlineData("catch (IOException e) { throw new InvalidDataException(\"bad\", e); }")]
    [InlineData("catch (IOException) { Log(); }")]
    public Task CatchThatDisposesRethrowsOrFallsThrough(string handler) => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            static void Log() { }
            bool M(string p)
            {
                var s = File.OpenRead(p);
                try
                {
                    s.ReadByte();
                }
                {{handler}}

                s.Dispose();
                return true;
            }
        }
        """);

    [Fact]
    public Task CreationIsTheLastThingTheTryDoes() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            int M(string p)
            {
                Stream s;
                try
                {
                    s = File.OpenRead(p);
                }
                catch (IOException)
                {
                    return -1;
                }

                using (s)
                {
                    return s.ReadByte();
                }
            }
        }
        """);

    [Fact]
    public Task ExceptionsWithoutACatchStayOut() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            int M(string p)
            {
                var s = File.OpenRead(p);
                var b = s.ReadByte();
                s.Dispose();
                return b;
            }
        }
        """);
    [Fact]
    public Task PropertySetsBeforeTheHandOverAreTheInitializer() => Verify.VerifyAsync("""
        using System;
        using System.Net;
        using System.Net.Http;
        using System.Threading.Tasks;
        class C
        {
            static int Kind(bool v6) => v6 ? 6 : 4;
            async Task<string> M(Uri url, IWebProxy proxy, bool v6)
            {
                try
                {
                    var handler = new HttpClientHandler();
                    handler.Proxy = proxy;
                    handler.MaxConnectionsPerServer = Kind(v6);
                    using (var http = new HttpClient(handler))
                    {
                        return await http.GetStringAsync(url);
                    }
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }
        }
        """);

    [Fact]
    public Task ACallOnTheValueBeforeTheHandOverStillThrowsIntoTheCatch() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        class C
        {
            Stream kept;
            bool M(string p)
            {
                try
                {
                    var s = {|LEAK001:File.OpenRead(p)|};
                    s.Seek(4, SeekOrigin.Begin);
                    kept = s;
                    return true;
                }
                catch (IOException)
                {
                    return false;
                }
            }
        }
        """);
}
