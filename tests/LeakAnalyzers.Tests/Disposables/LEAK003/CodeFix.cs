namespace LeakAnalyzers.Tests.Disposables.LEAK003;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Disposables.FieldNotDisposedAnalyzer, LeakAnalyzers.CodeFixes.Disposables.FieldNotDisposedCodeFix>;

public class CodeFix
{
    [Fact]
    public Task AddsToExistingDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            sealed class Service : IDisposable
            {
                private readonly Stream audit = File.OpenWrite("audit.log");
                private Stream [|log|];

                public void Open(string path) => log = File.OpenWrite(path);

                public void Dispose()
                {
                    audit.Dispose();
                }
            }
            """,
            """
            using System;
            using System.IO;
            sealed class Service : IDisposable
            {
                private readonly Stream audit = File.OpenWrite("audit.log");
                private Stream log;

                public void Open(string path) => log = File.OpenWrite(path);

                public void Dispose()
                {
                    audit.Dispose();
                    log?.Dispose();
                }
            }
            """);

    [Fact]
    public Task AddsInsideIfDisposing() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            class Service : IDisposable
            {
                private readonly Stream [|log|] = File.OpenWrite("app.log");

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        Console.WriteLine("closing");
                    }
                }
            }
            """,
            """
            using System;
            using System.IO;
            class Service : IDisposable
            {
                private readonly Stream log = File.OpenWrite("app.log");

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        Console.WriteLine("closing");
                        log.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public Task ImplementsDisposeOnSealedType() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            sealed class Heartbeat
            {
                private readonly Timer [|timer|] = new Timer(_ => { }, null, 1000, 1000);
            }
            """,
            """
            using System.Threading;
            sealed class Heartbeat : System.IDisposable
            {
                private readonly Timer timer = new Timer(_ => { }, null, 1000, 1000);

                public void Dispose()
                {
                    timer.Dispose();
                }
            }
            """);

    [Fact]
    public Task ImplementsPatternOnUnsealedType() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading;
            class Heartbeat
            {
                private Timer [|timer|];

                public void Start() => timer = new Timer(_ => { }, null, 1000, 1000);
            }
            """,
            """
            using System;
            using System.Threading;
            class Heartbeat : IDisposable
            {
                private Timer timer;

                public void Start() => timer = new Timer(_ => { }, null, 1000, 1000);

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        timer?.Dispose();
                    }
                }
            }
            """);

    [Fact]
    public Task FixAllDisposesEveryFieldOnce() =>
        Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            using System.Threading;
            sealed class Worker
            {
                private readonly Timer [|timer|] = new Timer(_ => { }, null, 1000, 1000);
                private readonly Stream [|output|] = File.OpenWrite("out.bin");
            }
            """,
            """
            using System.IO;
            using System.Threading;
            sealed class Worker : System.IDisposable
            {
                private readonly Timer timer = new Timer(_ => { }, null, 1000, 1000);
                private readonly Stream output = File.OpenWrite("out.bin");

                public void Dispose()
                {
                    timer.Dispose();
                    output.Dispose();
                }
            }
            """);

    [Fact]
    public Task OverridesABaseVirtualDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            class Component : IDisposable
            {
                public virtual void Dispose() { }
            }
            sealed class Exporter : Component
            {
                private readonly Stream [|output|] = File.OpenWrite("out.csv");
            }
            """,
            """
            using System;
            using System.IO;
            class Component : IDisposable
            {
                public virtual void Dispose() { }
            }
            sealed class Exporter : Component
            {
                private readonly Stream output = File.OpenWrite("out.csv");

                public override void Dispose()
                {
                    output.Dispose();
                    base.Dispose();
                }
            }
            """);

    [Fact]
    public Task DisposeBoolWithoutIfDisposingGetsOneBeforeTheBaseCall() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected virtual void Dispose(bool disposing) { }
            }
            class Exporter : Component
            {
                private readonly Stream [|output|] = File.OpenWrite("out.csv");

                protected override void Dispose(bool disposing)
                {
                    Console.WriteLine("closing");
                    base.Dispose(disposing);
                }
            }
            """,
            """
            using System;
            using System.IO;
            class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected virtual void Dispose(bool disposing) { }
            }
            class Exporter : Component
            {
                private readonly Stream output = File.OpenWrite("out.csv");

                protected override void Dispose(bool disposing)
                {
                    Console.WriteLine("closing");
                    if (disposing)
                    {
                        output.Dispose();
                    }
                    base.Dispose(disposing);
                }
            }
            """);

    [Fact]
    public Task AbstractBaseDisposeBoolIsOverriddenWithoutCallingIt() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.IO;
            abstract class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected abstract void Dispose(bool disposing);
            }
            abstract class Exporter : Component
            {
                private readonly Stream [|output|] = File.OpenWrite("out.csv");
            }
            """,
            """
            using System;
            using System.IO;
            abstract class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected abstract void Dispose(bool disposing);
            }
            abstract class Exporter : Component
            {
                private readonly Stream output = File.OpenWrite("out.csv");

                protected override void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        output.Dispose();
                    }
                }
            }
            """);
}
