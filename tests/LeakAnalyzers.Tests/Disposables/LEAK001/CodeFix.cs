namespace LeakAnalyzers.Tests.Disposables.LEAK001;

using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Disposables.LocalNotDisposedAnalyzer, LeakAnalyzers.CodeFixes.Disposables.LocalNotDisposedCodeFix>;

public class CodeFix
{
    [Fact]
    public Task AddsUsingDeclaration() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            class C
            {
                int M(string path)
                {
                    // keep this comment
                    var stream = [|new FileStream(path, FileMode.Open)|];
                    return stream.ReadByte();
                }
            }
            """,
            """
            using System.IO;
            class C
            {
                int M(string path)
                {
                    // keep this comment
                    using var stream = new FileStream(path, FileMode.Open);
                    return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task AddsAwaitUsingForAsyncOnlyDisposable() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;
            sealed class Connection : IAsyncDisposable { public ValueTask DisposeAsync() => Pool.ReturnAsync(this); public Task OpenAsync() => Task.CompletedTask; }
            static class Pool { public static ValueTask ReturnAsync(Connection c) => default; }
            class C
            {
                async Task M()
                {
                    var connection = [|new Connection()|];
                    await connection.OpenAsync();
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            sealed class Connection : IAsyncDisposable { public ValueTask DisposeAsync() => Pool.ReturnAsync(this); public Task OpenAsync() => Task.CompletedTask; }
            static class Pool { public static ValueTask ReturnAsync(Connection c) => default; }
            class C
            {
                async Task M()
                {
                    await using var connection = new Connection();
                    await connection.OpenAsync();
                }
            }
            """);

    [Fact]
    public Task UsingStatementBeforeCSharp8() =>
        new Verify.Test
        {
            LanguageVersion = LanguageVersion.CSharp7_3,
            TestCode = """
                using System.IO;
                class C
                {
                    int M(string path)
                    {
                        var stream = [|new FileStream(path, FileMode.Open)|];
                        var b = stream.ReadByte();
                        return b;
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                class C
                {
                    int M(string path)
                    {
                        using (var stream = new FileStream(path, FileMode.Open))
                        {
                            var b = stream.ReadByte();
                            return b;
                        }
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task FixAllInDocument() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            using System.Threading;
            class C
            {
                int M(string a, string b)
                {
                    var first = [|File.OpenRead(a)|];
                    var second = [|File.OpenRead(b)|];
                    var source = [|new CancellationTokenSource(100)|];
                    return first.ReadByte() + second.ReadByte();
                }

                void N(string path)
                {
                    var stream = [|File.OpenRead(path)|];
                    stream.ReadByte();
                }
            }
            """,
            """
            using System.IO;
            using System.Threading;
            class C
            {
                int M(string a, string b)
                {
                    using var first = File.OpenRead(a);
                    using var second = File.OpenRead(b);
                    using var source = new CancellationTokenSource(100);
                    return first.ReadByte() + second.ReadByte();
                }

                void N(string path)
                {
                    using var stream = File.OpenRead(path);
                    stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task NoFixWhenHandedOverOnAnotherPath() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    Stream M(string path, bool keep)
                    {
                        var stream = [|new FileStream(path, FileMode.Open)|];
                        if (keep)
                        {
                            return stream;
                        }

                        return null;
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                class C
                {
                    Stream M(string path, bool keep)
                    {
                        var stream = [|new FileStream(path, FileMode.Open)|];
                        if (keep)
                        {
                            return stream;
                        }

                        return null;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenReassigned() =>
        new Verify.Test
        {
            TestCode = """
                using System.IO;
                class C
                {
                    void M(string a, string b, bool again)
                    {
                        var stream = [|new FileStream(a, FileMode.Open)|];
                        if (again)
                        {
                            stream.Dispose();
                            stream = [|new FileStream(b, FileMode.Open)|];
                        }
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                class C
                {
                    void M(string a, string b, bool again)
                    {
                        var stream = [|new FileStream(a, FileMode.Open)|];
                        if (again)
                        {
                            stream.Dispose();
                            stream = [|new FileStream(b, FileMode.Open)|];
                        }
                    }
                }
                """,
        }.RunAsync();

    /// <summary>A writer over the caller's stream: the using must not close that stream, so the fix leaves it open.</summary>
    [Theory]
    [InlineData("new StreamWriter(output)", "new StreamWriter(output, leaveOpen: true)")]
    [InlineData("new StreamWriter(output, Encoding.UTF8)", "new StreamWriter(output, Encoding.UTF8, leaveOpen: true)")]
    [InlineData("new StreamWriter(output, leaveOpen: true)", "new StreamWriter(output, leaveOpen: true)")]
    public Task WriterOverABorrowedStreamIsLeftOpen(string creation, string fixedCreation) =>
        Verify.VerifyCodeFixAsync(
            $$"""
            using System.IO;
            using System.Text;
            class C
            {
                void M(Stream output, bool done)
                {
                    var writer = [|{{creation}}|];
                    writer.Write(1);
                    if (done)
                    {
                        writer.Flush();
                    }
                }
            }
            """,
            $$"""
            using System.IO;
            using System.Text;
            class C
            {
                void M(Stream output, bool done)
                {
                    using var writer = {{fixedCreation}};
                    writer.Write(1);
                    if (done)
                    {
                        writer.Flush();
                    }
                }
            }
            """);

    /// <summary>The caller chose the flag: no fix may close the caller's stream.</summary>
    [Theory]
    [InlineData("new StreamWriter(output, leaveOpen: keep)")]
    public Task NoFixThatWouldCloseTheCallersStream(string creation)
    {
        var code = $$"""
            using System.IO;
            class C
            {
                void M(Stream output, bool done, bool keep)
                {
                    var writer = [|{{creation}}|];
                    writer.Write(1);
                    if (done)
                    {
                        writer.Flush();
                    }
                }
            }
            """;
        return new Verify.Test { TestCode = code, FixedCode = code }.RunAsync();
    }
}
