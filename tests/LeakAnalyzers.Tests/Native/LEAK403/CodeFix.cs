namespace LeakAnalyzers.Tests.Native.LEAK403;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    LeakAnalyzers.Native.NativeFieldNotFreedAnalyzer,
    LeakAnalyzers.CodeFixes.Native.NativeFieldNotFreedCodeFix>;

public class CodeFix
{
    [Fact]
    public Task SealedClassGetsDispose() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class Buffer
        {
            private readonly IntPtr [|memory|];

            public Buffer(int size)
            {
                memory = Marshal.AllocHGlobal(size);
            }

            public byte Read(int offset) => Marshal.ReadByte(memory, offset);
        }
        """, """
        using System;
        using System.Runtime.InteropServices;

        sealed class Buffer : IDisposable
        {
            private IntPtr memory;

            public Buffer(int size)
            {
                memory = Marshal.AllocHGlobal(size);
            }

            public byte Read(int offset) => Marshal.ReadByte(memory, offset);

            public void Dispose()
            {
                if (memory != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(memory);
                    memory = IntPtr.Zero;
                }
            }
        }
        """);

    [Fact]
    public Task UnsealedClassGetsTheDisposePattern() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        public class Scratch
        {
            private unsafe byte* [|bytes|] = (byte*)NativeMemory.Alloc(256);
        }
        """, """
        using System;
        using System.Runtime.InteropServices;

        public class Scratch : IDisposable
        {
            private unsafe byte* bytes = (byte*)NativeMemory.Alloc(256);

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual unsafe void Dispose(bool disposing)
            {
                if (bytes != null)
                {
                    NativeMemory.Free(bytes);
                    bytes = null;
                }
            }
        }
        """);

    [Fact]
    public Task AddsToAnExistingDispose() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        sealed class Reader : IDisposable
        {
            private readonly Stream stream;
            private IntPtr [|scratch|] = Marshal.AllocCoTaskMem(4096);

            public Reader(Stream stream) { this.stream = stream; }

            public void Dispose() => stream.Dispose();
        }
        """, """
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        sealed class Reader : IDisposable
        {
            private readonly Stream stream;
            private IntPtr scratch = Marshal.AllocCoTaskMem(4096);

            public Reader(Stream stream) { this.stream = stream; }

            public void Dispose()
            {
                stream.Dispose();
                if (scratch != IntPtr.Zero)
                {
                    Marshal.FreeCoTaskMem(scratch);
                    scratch = IntPtr.Zero;
                }
            }
        }
        """);

    [Fact]
    public Task AddsToDisposeBoolBeforeTheBaseCallOrOverridesIt() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        class Base : IDisposable
        {
            public void Dispose() => Dispose(true);

            protected virtual void Dispose(bool disposing) { }
        }

        class Declares : Base
        {
            private readonly MemoryStream stream = new MemoryStream();
            private IntPtr [|native|] = Marshal.AllocHGlobal(8);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    stream.Dispose();
                }

                base.Dispose(disposing);
            }
        }

        class Inherits : Base
        {
            private GCHandle [|self|];

            public Inherits() { self = GCHandle.Alloc(this, GCHandleType.Weak); }
        }
        """, """
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        class Base : IDisposable
        {
            public void Dispose() => Dispose(true);

            protected virtual void Dispose(bool disposing) { }
        }

        class Declares : Base
        {
            private readonly MemoryStream stream = new MemoryStream();
            private IntPtr native = Marshal.AllocHGlobal(8);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    stream.Dispose();
                }

                if (native != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(native);
                    native = IntPtr.Zero;
                }

                base.Dispose(disposing);
            }
        }

        class Inherits : Base
        {
            private GCHandle self;

            public Inherits() { self = GCHandle.Alloc(this, GCHandleType.Weak); }

            protected override void Dispose(bool disposing)
            {
                if (self.IsAllocated)
                {
                    self.Free();
                }

                base.Dispose(disposing);
            }
        }
        """);

    [Fact]
    public Task StructWithAHandleCarriedAsIntPtr() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        struct Registration
        {
            private readonly IntPtr [|context|];

            public Registration(object owner) { context = GCHandle.ToIntPtr(GCHandle.Alloc(owner)); }

            public object Owner => GCHandle.FromIntPtr(context).Target;
        }
        """, """
        using System;
        using System.Runtime.InteropServices;

        struct Registration : IDisposable
        {
            private IntPtr context;

            public Registration(object owner) { context = GCHandle.ToIntPtr(GCHandle.Alloc(owner)); }

            public object Owner => GCHandle.FromIntPtr(context).Target;

            public void Dispose()
            {
                if (context != IntPtr.Zero)
                {
                    GCHandle.FromIntPtr(context).Free();
                    context = IntPtr.Zero;
                }
            }
        }
        """);

    [Fact]
    public Task FixAllAddsEveryFieldToOneDispose() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class Two
        {
            private IntPtr [|first|] = Marshal.AllocHGlobal(8);
            private IntPtr [|second|] = Marshal.StringToBSTR("x");
            private GCHandle [|pin|];

            public Two(byte[] data) { pin = GCHandle.Alloc(data, GCHandleType.Pinned); }
        }
        """, """
        using System;
        using System.Runtime.InteropServices;

        sealed class Two : IDisposable
        {
            private IntPtr first = Marshal.AllocHGlobal(8);
            private IntPtr second = Marshal.StringToBSTR("x");
            private GCHandle pin;

            public Two(byte[] data) { pin = GCHandle.Alloc(data, GCHandleType.Pinned); }

            public void Dispose()
            {
                if (first != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(first);
                    first = IntPtr.Zero;
                }

                if (second != IntPtr.Zero)
                {
                    Marshal.FreeBSTR(second);
                    second = IntPtr.Zero;
                }

                if (pin.IsAllocated)
                {
                    pin.Free();
                }
            }
        }
        """);

    [Fact]
    public Task RefStructGetsAPatternDispose() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        ref struct Scope
        {
            private IntPtr [|block|];

            public Scope(int size) { block = Marshal.AllocCoTaskMem(size); }
        }
        """, """
        using System;
        using System.Runtime.InteropServices;

        ref struct Scope
        {
            private IntPtr block;

            public Scope(int size) { block = Marshal.AllocCoTaskMem(size); }

            public void Dispose()
            {
                if (block != IntPtr.Zero)
                {
                    Marshal.FreeCoTaskMem(block);
                    block = IntPtr.Zero;
                }
            }
        }
        """);

    [Fact]
    public Task OverridesAVirtualDispose() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Base : IDisposable
        {
            public virtual void Dispose() { }
        }

        class Derived : Base
        {
            private unsafe void* [|table|] = NativeMemory.AllocZeroed(64);
        }
        """, """
        using System;
        using System.Runtime.InteropServices;

        class Base : IDisposable
        {
            public virtual void Dispose() { }
        }

        class Derived : Base
        {
            private unsafe void* table = NativeMemory.AllocZeroed(64);

            public override unsafe void Dispose()
            {
                if (table != null)
                {
                    NativeMemory.Free(table);
                    table = null;
                }

                base.Dispose();
            }
        }
        """);

    [Fact]
    public Task NotOfferedForAReadonlyStruct() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            readonly struct Frozen
            {
                private readonly IntPtr [|memory|];

                public Frozen(int size) { memory = Marshal.AllocHGlobal(size); }
            }
            """,
        FixedCode = """
            using System;
            using System.Runtime.InteropServices;

            readonly struct Frozen
            {
                private readonly IntPtr [|memory|];

                public Frozen(int size) { memory = Marshal.AllocHGlobal(size); }
            }
            """,
    }.RunAsync();
}
