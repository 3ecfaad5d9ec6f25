namespace LeakAnalyzers.Tests.Disposables.LEAK002;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Disposables.DisposableDroppedAnalyzer, LeakAnalyzers.CodeFixes.Disposables.DisposableDroppedCodeFix>;

public class CodeFix
{
    [Fact]
    public Task StatementBecomesUsingDeclaration() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            class C
            {
                void Touch(string path)
                {
                    [|File.Create(path)|]; // create an empty file
                    System.Console.WriteLine(path);
                }
            }
            """,
            """
            using System.IO;
            class C
            {
                void Touch(string path)
                {
                    using var fileStream = File.Create(path); // create an empty file
                    System.Console.WriteLine(path);
                }
            }
            """);

    [Fact]
    public Task InlineCreationMovesIntoUsingLocal() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            class C
            {
                CancellationTokenSource Link(CancellationToken token)
                {
                    return CancellationTokenSource.CreateLinkedTokenSource(token, [|new CancellationTokenSource(1000)|].Token);
                }
            }
            """,
            """
            using System.Threading;
            class C
            {
                CancellationTokenSource Link(CancellationToken token)
                {
                    using var cancellationTokenSource = new CancellationTokenSource(1000);
                    return CancellationTokenSource.CreateLinkedTokenSource(token, cancellationTokenSource.Token);
                }
            }
            """);

    [Fact]
    public Task NameAvoidsIdentifiersInUse() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            class C
            {
                string streamReader = "field";

                string Read(string path)
                {
                    return [|new StreamReader(path)|].ReadToEnd() + streamReader;
                }
            }
            """,
            """
            using System.IO;
            class C
            {
                string streamReader = "field";

                string Read(string path)
                {
                    using var streamReader2 = new StreamReader(path);
                    return streamReader2.ReadToEnd() + streamReader;
                }
            }
            """);

    [Fact]
    public Task FixAllTwoInOneStatement() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            class C
            {
                void Copy(string from, string to)
                {
                    [|File.OpenRead(from)|].CopyTo([|File.Create(to)|]);
                }
            }
            """,
            """
            using System.IO;
            class C
            {
                void Copy(string from, string to)
                {
                    using var fileStream = File.OpenRead(from);
                    using var fileStream2 = File.Create(to);
                    fileStream.CopyTo(fileStream2);
                }
            }
            """);

    [Fact]
    public Task NoFixForSubscription() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                sealed class Ticks : IObservable<int> { public IDisposable Subscribe(IObserver<int> observer) => null; }
                class C
                {
                    void Watch(Ticks ticks, IObserver<int> observer) { [|ticks.Subscribe(observer)|]; }
                }
                """,
            FixedCode = """
                using System;
                sealed class Ticks : IObservable<int> { public IDisposable Subscribe(IObserver<int> observer) => null; }
                class C
                {
                    void Watch(Ticks ticks, IObserver<int> observer) { [|ticks.Subscribe(observer)|]; }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixInExpressionBodiedMember() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    string Read(string path) => [|new StreamReader(path)|].ReadToEnd();
                }
                """,
            FixedCode = """
                using System.IO;
                class C
                {
                    string Read(string path) => [|new StreamReader(path)|].ReadToEnd();
                }
                """,
        }.RunAsync();
}
