namespace LeakAnalyzers.Tests.Disposables.LEAK002;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.DisposableDroppedAnalyzer>;

public class Reports
{
    [Fact]
    public Task WriterOverABorrowedStreamInAMemberWhoseFlushDoesNotFlushIt() => Verify.VerifyAnalyzerAsync("""
        using System.IO;
        interface ICodeWriter { void Write(short code, object value); void Flush(); }
        sealed class Quiet : ICodeWriter
        {
            private readonly TextWriter writer;
            public Quiet(TextWriter writer) { this.writer = writer; }
            public void Write(short code, object value) => writer.WriteLine(code);
            public void Flush() { }
        }
        public sealed class DxfWriter
        {
            private ICodeWriter chunk;
            public void Write(Stream stream)
            {
                chunk = new Quiet([|new StreamWriter(stream)|]);
                chunk.Write(0, "EOF");
                chunk.Flush();
            }
        }
        """);

    [Fact]
    public Task WriterOverABorrowedStreamItsKeeperNeverFlushes() => Verify.VerifyAnalyzerAsync("""
        using System.IO;
        sealed class CodeWriter
        {
            private readonly TextWriter writer;
            public CodeWriter(TextWriter writer) { this.writer = writer; }
            public void Write(short code, object value) { writer.WriteLine(code); writer.WriteLine(value); }
        }
        static class Layers
        {
            public static void Write(Stream stream, string name)
            {
                var chunk = new CodeWriter([|new StreamWriter(stream)|]);
                chunk.Write(1, name);
            }
        }
        """);

    [Fact]
    public Task FactoryResultThrownAway() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class C
            {
                void Touch(string path)
                {
                    {|#0:File.Create(path)|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0)
                .WithMessage("'File.Create(...)' is thrown away and never disposed; its file handle stays open until the finalizer runs"));

    [Fact]
    public Task ConstructedAndThrownAway() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            class C
            {
                void M() { [|new CancellationTokenSource(5000)|]; }
            }
            """);

    [Fact]
    public Task DiscardAssignment() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                void M(string path) { _ = [|File.OpenWrite(path)|]; }
            }
            """);

    [Fact]
    public Task AwaitedResponseIgnored() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using System.Threading.Tasks;
            class C
            {
                async Task Ping(HttpClient client) { [|await client.GetAsync("https://example.com/health", HttpCompletionOption.ResponseHeadersRead)|]; }
            }
            """);

    [Fact]
    public Task InnerSourceOfLinkedTokenSource() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.Threading;
            class C
            {
                CancellationTokenSource Link(CancellationToken token) =>
                    CancellationTokenSource.CreateLinkedTokenSource(token, {|#0:new CancellationTokenSource(1000)|}.Token);
            }
            """,
            Verify.Diagnostic().WithLocation(0)
                .WithMessage("'new CancellationTokenSource' is used only to read 'Token' and never disposed; its timer and registrations live until it is collected"));

    [Fact]
    public Task UsedOnceAsReceiver() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                string Read(string path) => [|new StreamReader(path)|].ReadToEnd();
            }
            """);

    [Fact]
    public Task PassedToBorrowingCallee() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            class C
            {
                void Save(Stream data, string path) => data.CopyTo({|#0:File.Create(path)|});
            }
            """,
            Verify.Diagnostic().WithLocation(0)
                .WithMessage("'File.Create(...)' is only lent to 'CopyTo' and never disposed; its file handle stays open until the finalizer runs"));

    [Fact]
    public Task SubscriptionThrownAway() =>
        Verify.VerifyAnalyzerAsync(
            """
            using System;
            sealed class Ticks : IObservable<int> { public IDisposable Subscribe(IObserver<int> observer) => null; }
            class C
            {
                void Watch(Ticks ticks, IObserver<int> observer) { {|#0:ticks.Subscribe(observer)|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0)
                .WithMessage("'Subscribe(...)' is thrown away and never disposed; the subscription never ends and the source keeps the observer alive"));

    [Fact]
    public Task SourceFactoryThrownAway() =>
        Verify.VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                Stream Open(string path) { return new FileStream(path, FileMode.OpenOrCreate); }
                void Touch(string path) { [|Open(path)|]; }
            }
            """);

    [Fact]
    public Task ProcessStartedAndOnlyReadIsStillReported() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Diagnostics;
            static class Tools
            {
                public static int Pid(string path) => [|Process.Start(path)|].Id;
            }
            """);
}
