namespace LeakAnalyzers.Tests.Native.LEAK403;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.NativeFieldNotFreedAnalyzer>;

public class Reports
{
    [Fact]
    public Task GivenWholeToANativeCallWithoutANativeLayout() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        sealed class Holder : IDisposable
        {
            [DllImport("native")] private static extern void Touch(Holder value);
            private IntPtr [|pointer|];
            public void Set(string text) { pointer = Marshal.StringToCoTaskMemUni(text); }
            public void Dispose() => Touch(this);
        }
        """);

    [Fact]
    public Task AllocatedInConstructorNeverFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Buffer
        {
            private readonly IntPtr {|#0:memory|};

            public Buffer(int size)
            {
                memory = {|#1:Marshal.AllocHGlobal(size)|};
            }

            public byte Read(int offset) => Marshal.ReadByte(memory, offset);
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'memory' holds memory from 'Marshal.AllocHGlobal' that 'Buffer' never frees; no finalizer will ever free it"));

    [Fact]
    public Task DisposeThatForgetsTheMemory() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        sealed class Reader : IDisposable
        {
            private readonly Stream stream;
            private unsafe byte* [|scratch|];

            public unsafe Reader(Stream stream)
            {
                this.stream = stream;
                scratch = (byte*)NativeMemory.Alloc(4096);
            }

            public void Dispose() => stream.Dispose();
        }
        """);

    [Fact]
    public Task HandleToItselfNeverFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Callback
        {
            private GCHandle {|#0:self|};

            public Callback()
            {
                self = {|#1:GCHandle.Alloc(this)|};
            }

            public object Target => self.Target;
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'self' holds a GC handle from 'GCHandle.Alloc' that 'Callback' never frees; its target stays alive for good"));

    [Fact]
    public Task FieldInitializerAndLazyInit() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Cache
        {
            private IntPtr [|table|] = Marshal.AllocCoTaskMem(256);
            private IntPtr [|lazy|];

            public IntPtr Lazy
            {
                get
                {
                    if (lazy == IntPtr.Zero)
                    {
                        lazy = Marshal.AllocHGlobal(64);
                    }

                    return lazy;
                }
            }

            public int First => Marshal.ReadInt32(table);
        }
        """);

    [Fact]
    public Task FreedOnlyToBeReallocated() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Growable
        {
            private IntPtr [|data|] = Marshal.AllocHGlobal(16);

            public void Resize(int size)
            {
                Marshal.FreeHGlobal(data);
                data = Marshal.AllocHGlobal(size);
            }

            public void Grow(int size) => data = Marshal.ReAllocHGlobal(data, (IntPtr)size);
        }
        """);

    [Fact]
    public Task ThroughALocalAndPassedToPInvoke() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Session
        {
            [DllImport("native")]
            static extern void Use(IntPtr buffer);

            private IntPtr [|buffer|];

            public void Open()
            {
                var p = Marshal.AllocHGlobal(128);
                Marshal.WriteInt32(p, 1);
                buffer = p;
                Use(buffer);
            }
        }
        """);

    [Fact]
    public Task PinnedStructWrapper() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        struct Pinned
        {
            private GCHandle {|#0:handle|};

            public Pinned(byte[] data) { handle = {|#1:GCHandle.Alloc(data, GCHandleType.Pinned)|}; }

            public System.IntPtr Address => handle.AddrOfPinnedObject();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'handle' holds a GC handle from 'GCHandle.Alloc' that 'Pinned' never frees; its target stays alive and pinned for good"));

    /// <summary>A getter that returns the handle field is the field: reading IsAllocated through it frees nothing.</summary>
    [Fact]
    public Task HandleOnlyReadThroughAGetter() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        class PinnedBuffer
        {
            private GCHandle {|#0:gcHandle|};

            public PinnedBuffer(byte[] data) { gcHandle = {|#1:GCHandle.Alloc(data, GCHandleType.Pinned)|}; }

            public GCHandle Handle => gcHandle;

            public bool Live => Handle.IsAllocated;
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'gcHandle' holds a GC handle from 'GCHandle.Alloc' that 'PinnedBuffer' never frees; its target stays alive and pinned for good"));

    [Fact]
    public Task WeakHandle() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        class Observer
        {
            private GCHandle {|#0:weak|};

            public Observer(object target) { weak = {|#1:GCHandle.Alloc(target, GCHandleType.Weak)|}; }

            public object Target => weak.Target;
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'weak' holds a GC handle from 'GCHandle.Alloc' that 'Observer' never frees; its slot in the runtime's handle table is never returned"));

    [Fact]
    public Task AllocatedInAnotherPartOfTheType() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Buffer.cs", """
                    using System;

                    partial class Buffer
                    {
                        private IntPtr {|#0:memory|};
                    }
                    """),
                ("Buffer.Open.cs", """
                    using System.Runtime.InteropServices;

                    partial class Buffer
                    {
                        public Buffer() => memory = {|#1:Marshal.AllocHGlobal(16)|};
                    }
                    """),
            },
            ExpectedDiagnostics =
            {
                Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
                    "'memory' holds memory from 'Marshal.AllocHGlobal' that 'Buffer' never frees; no finalizer will ever free it"),
            },
        },
    }.RunAsync();
}
