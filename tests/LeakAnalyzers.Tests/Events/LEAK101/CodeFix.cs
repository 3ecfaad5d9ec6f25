namespace LeakAnalyzers.Tests.Events.LEAK101;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<LeakAnalyzers.Events.HandlerNeverRemovedAnalyzer, LeakAnalyzers.CodeFixes.Events.RemoveHandlerInDisposeCodeFix>;

public class CodeFix
{
    [Fact]
    public Task ImplementsIDisposable() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View
            {
                public View()
                {
                    [|Clock.Tick += OnTick|];
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View : IDisposable
            {
                public View()
                {
                    Clock.Tick += OnTick;
                }

                void OnTick(object sender, EventArgs e) { }

                public void Dispose()
                {
                    Clock.Tick -= OnTick;
                }
            }
            """);

    [Fact]
    public Task AddsToExistingDispose() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            class Bus { public event EventHandler Published; }

            sealed class View : IDisposable
            {
                private readonly Bus bus;
                private readonly IDisposable resource;

                public View(Bus bus, IDisposable resource)
                {
                    this.bus = bus;
                    this.resource = resource;
                    [|bus.Published += OnPublished|];
                }

                public void Dispose()
                {
                    resource.Dispose();
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            class Bus { public event EventHandler Published; }

            sealed class View : IDisposable
            {
                private readonly Bus bus;
                private readonly IDisposable resource;

                public View(Bus bus, IDisposable resource)
                {
                    this.bus = bus;
                    this.resource = resource;
                    bus.Published += OnPublished;
                }

                public void Dispose()
                {
                    bus.Published -= OnPublished;
                    resource.Dispose();
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task ExpressionBodiedDisposeBecomesABlock() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            sealed class View : IDisposable
            {
                private readonly IDisposable resource;

                public View(IDisposable resource)
                {
                    this.resource = resource;
                    [|Clock.Tick += OnTick|];
                }

                public void Dispose() => resource.Dispose();

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            sealed class View : IDisposable
            {
                private readonly IDisposable resource;

                public View(IDisposable resource)
                {
                    this.resource = resource;
                    Clock.Tick += OnTick;
                }

                public void Dispose()
                {
                    Clock.Tick -= OnTick;
                    resource.Dispose();
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task AddsUnderIfDisposing() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View : IDisposable
            {
                public View()
                {
                    [|Clock.Tick += OnTick|];
                }

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        Console.WriteLine("disposing");
                    }
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class View : IDisposable
            {
                public View()
                {
                    Clock.Tick += OnTick;
                }

                public void Dispose()
                {
                    Dispose(true);
                    GC.SuppressFinalize(this);
                }

                protected virtual void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        Clock.Tick -= OnTick;
                        Console.WriteLine("disposing");
                    }
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """);

    [Fact]
    public Task OverridesTheBaseDisposeBool() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected virtual void Dispose(bool disposing) { }
            }

            class View : Component
            {
                public View()
                {
                    [|Clock.Tick += OnTick|];
                }

                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            static class Clock { public static event EventHandler Tick; }

            class Component : IDisposable
            {
                public void Dispose() => Dispose(true);
                protected virtual void Dispose(bool disposing) { }
            }

            class View : Component
            {
                public View()
                {
                    Clock.Tick += OnTick;
                }

                void OnTick(object sender, EventArgs e) { }

                protected override void Dispose(bool disposing)
                {
                    if (disposing)
                    {
                        Clock.Tick -= OnTick;
                    }

                    base.Dispose(disposing);
                }
            }
            """);

    [Fact]
    public Task UsesTheFieldThatKeepsTheParameter() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;

            class Bus { public event EventHandler Published; }

            class View
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    this.bus = bus;
                    [|bus.Published += OnPublished|];
                }

                void OnPublished(object sender, EventArgs e) { }
            }
            """,
            """
            using System;

            class Bus { public event EventHandler Published; }

            class View : IDisposable
            {
                private readonly Bus bus;

                public View(Bus bus)
                {
                    this.bus = bus;
                    bus.Published += OnPublished;
                }

                void OnPublished(object sender, EventArgs e) { }

                public void Dispose()
                {
                    bus.Published -= OnPublished;
                }
            }
            """);

    [Fact]
    public Task GuardsANullableField() =>
        Verify.VerifyCodeFixAsync(
            """
            #nullable enable
            using System;

            class Bus { public event EventHandler? Published; }

            class View
            {
                private Bus? bus;

                public void Attach(Bus value)
                {
                    bus = value;
                    [|bus.Published += OnPublished|];
                }

                void OnPublished(object? sender, EventArgs e) { }
            }
            """,
            """
            #nullable enable
            using System;

            class Bus { public event EventHandler? Published; }

            class View : IDisposable
            {
                private Bus? bus;

                public void Attach(Bus value)
                {
                    bus = value;
                    bus.Published += OnPublished;
                }

                void OnPublished(object? sender, EventArgs e) { }

                public void Dispose()
                {
                    if (bus != null)
                    {
                        bus.Published -= OnPublished;
                    }
                }
            }
            """);

    [Fact]
    public Task AddsToAnExistingBaseList() =>
        Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Collections;

            static class Clock { public static event EventHandler Tick; }

            class View : IEnumerable
            {
                public View() => [|Clock.Tick += OnTick|];
                public IEnumerator GetEnumerator() => null;
                void OnTick(object sender, EventArgs e) { }
            }
            """,
            """
            using System;
            using System.Collections;

            static class Clock { public static event EventHandler Tick; }

            class View : IEnumerable, IDisposable
            {
                public View() => Clock.Tick += OnTick;
                public IEnumerator GetEnumerator() => null;
                void OnTick(object sender, EventArgs e) { }

                public void Dispose()
                {
                    Clock.Tick -= OnTick;
                }
            }
            """);

    [Fact]
    public Task QualifiesIDisposableWithoutUsingSystem() =>
        Verify.VerifyCodeFixAsync(
            """
            class Worker
            {
                public Worker()
                {
                    [|System.AppDomain.CurrentDomain.ProcessExit += OnExit|];
                }

                void OnExit(object sender, System.EventArgs e) { }
            }
            """,
            """
            class Worker : System.IDisposable
            {
                public Worker()
                {
                    System.AppDomain.CurrentDomain.ProcessExit += OnExit;
                }

                void OnExit(object sender, System.EventArgs e) { }

                public void Dispose()
                {
                    System.AppDomain.CurrentDomain.ProcessExit -= OnExit;
                }
            }
            """);

    [Fact]
    public Task FixAllPutsEveryRemovalInOneDispose() =>
        new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading.Tasks;

                class Worker
                {
                    public Worker()
                    {
                        [|AppDomain.CurrentDomain.ProcessExit += OnExit|];
                        [|Console.CancelKeyPress += OnCancel|];
                        [|TaskScheduler.UnobservedTaskException += OnUnobserved|];
                    }

                    void OnExit(object sender, EventArgs e) { }
                    void OnCancel(object sender, ConsoleCancelEventArgs e) { }
                    void OnUnobserved(object sender, UnobservedTaskExceptionEventArgs e) { }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading.Tasks;

                class Worker : IDisposable
                {
                    public Worker()
                    {
                        AppDomain.CurrentDomain.ProcessExit += OnExit;
                        Console.CancelKeyPress += OnCancel;
                        TaskScheduler.UnobservedTaskException += OnUnobserved;
                    }

                    void OnExit(object sender, EventArgs e) { }
                    void OnCancel(object sender, ConsoleCancelEventArgs e) { }
                    void OnUnobserved(object sender, UnobservedTaskExceptionEventArgs e) { }

                    public void Dispose()
                    {
                        TaskScheduler.UnobservedTaskException -= OnUnobserved;
                        Console.CancelKeyPress -= OnCancel;
                        AppDomain.CurrentDomain.ProcessExit -= OnExit;
                    }
                }
                """,
            BatchFixedCode = """
                using System;
                using System.Threading.Tasks;

                class Worker : IDisposable
                {
                    public Worker()
                    {
                        AppDomain.CurrentDomain.ProcessExit += OnExit;
                        Console.CancelKeyPress += OnCancel;
                        TaskScheduler.UnobservedTaskException += OnUnobserved;
                    }

                    void OnExit(object sender, EventArgs e) { }
                    void OnCancel(object sender, ConsoleCancelEventArgs e) { }
                    void OnUnobserved(object sender, UnobservedTaskExceptionEventArgs e) { }

                    public void Dispose()
                    {
                        AppDomain.CurrentDomain.ProcessExit -= OnExit;
                        Console.CancelKeyPress -= OnCancel;
                        TaskScheduler.UnobservedTaskException -= OnUnobserved;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task FixAllAcrossTypes() =>
        new Verify.Test
        {
            TestCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                class First
                {
                    public First() => [|Clock.Tick += OnTick|];
                    void OnTick(object sender, EventArgs e) { }

                    class Nested
                    {
                        public Nested() => [|Clock.Tick += OnNestedTick|];
                        void OnNestedTick(object sender, EventArgs e) { }
                    }
                }
                """,
            FixedCode = """
                using System;

                static class Clock { public static event EventHandler Tick; }

                class First : IDisposable
                {
                    public First() => Clock.Tick += OnTick;
                    void OnTick(object sender, EventArgs e) { }

                    class Nested : IDisposable
                    {
                        public Nested() => Clock.Tick += OnNestedTick;
                        void OnNestedTick(object sender, EventArgs e) { }

                        public void Dispose()
                        {
                            Clock.Tick -= OnNestedTick;
                        }
                    }

                    public void Dispose()
                    {
                        Clock.Tick -= OnTick;
                    }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenThePublisherCannotBeNamedInDispose() =>
        new Verify.Test
        {
            TestCode = """
                using System;

                class Bus { public event EventHandler Published; }

                class View
                {
                    public View(Bus bus) => [|bus.Published += OnPublished|];
                    void OnPublished(object sender, EventArgs e) { }
                }
                """,
            FixedCode = """
                using System;

                class Bus { public event EventHandler Published; }

                class View
                {
                    public View(Bus bus) => [|bus.Published += OnPublished|];
                    void OnPublished(object sender, EventArgs e) { }
                }
                """,
        }.RunAsync();

    [Fact]
    public Task NoFixWhenDisposeIsInAnotherPart()
    {
        const string source = """
            using System;

            static class Clock { public static event EventHandler Tick; }

            partial class View
            {
                public View() => [|Clock.Tick += OnTick|];
                void OnTick(object sender, EventArgs e) { }
            }
            """;
        const string otherPart = "partial class View : System.IDisposable { public void Dispose() { } }";
        return new Verify.Test
        {
            TestState = { Sources = { source, ("Other.cs", otherPart) } },
            FixedState = { Sources = { source, ("Other.cs", otherPart) } },
        }.RunAsync();
    }
}
