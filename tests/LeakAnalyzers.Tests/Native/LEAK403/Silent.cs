namespace LeakAnalyzers.Tests.Native.LEAK403;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.NativeFieldNotFreedAnalyzer>;

public class Silent
{
    [Fact]
    public Task StructLaidOutForNativeCodeIsFreedByWhoFillsIt() =>
        // Titanium's SSPI buffers: the code that passes the struct to native code frees its block in a finally.
        Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Runtime.InteropServices;
            [StructLayout(LayoutKind.Sequential)]
            struct SecurityBuffer
            {
                internal int cbBuffer;
                internal IntPtr pvBuffer;
                internal SecurityBuffer(int size) { cbBuffer = size; pvBuffer = Marshal.AllocHGlobal(size); }
            }
            static class Sspi
            {
                public static int Token()
                {
                    var buffer = new SecurityBuffer(16);
                    try { return buffer.cbBuffer; }
                    finally { Marshal.FreeHGlobal(buffer.pvBuffer); }
                }
            }
            """);

    [Fact]
    public Task NativeLayoutGivenWholeToANativeClear() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        [StructLayout(LayoutKind.Explicit)]
        sealed class PropVariant : IDisposable
        {
            [DllImport("ole32.dll")] private static extern int PropVariantClear(PropVariant value);
            [FieldOffset(0)] private ushort vt;
            [FieldOffset(8)] private IntPtr pointer;
            public void Set(string text) { Clear(); vt = 31; pointer = Marshal.StringToCoTaskMemUni(text); }
            public void Clear() => PropVariantClear(this);
            public void Dispose() { Clear(); GC.SuppressFinalize(this); }
            ~PropVariant() => Clear();
        }
        """);

    [Fact]
    public Task FreedInDispose() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class Buffer : IDisposable
        {
            private IntPtr memory = Marshal.AllocHGlobal(64);

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
    public Task FreedInDisposeBoolAndFinalizer() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Pinner : IDisposable
        {
            private GCHandle handle;
            private unsafe void* aligned;

            public unsafe Pinner(byte[] data)
            {
                handle = GCHandle.Alloc(data, GCHandleType.Pinned);
                aligned = NativeMemory.AlignedAlloc(64, 64);
            }

            ~Pinner() => Dispose(false);

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual unsafe void Dispose(bool disposing)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }

                ReleaseAligned();
            }

            private unsafe void ReleaseAligned()
            {
                NativeMemory.AlignedFree(aligned);
                aligned = null;
            }
        }
        """);

    [Fact]
    public Task SafeHandleReleaseHandle() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class NativeStringHandle : SafeHandle
        {
            private IntPtr extra;

            public NativeStringHandle(string s) : base(IntPtr.Zero, true)
            {
                SetHandle(Marshal.StringToHGlobalUni(s));
                extra = Marshal.AllocHGlobal(8);
            }

            public override bool IsInvalid => handle == IntPtr.Zero;

            protected override bool ReleaseHandle()
            {
                Marshal.FreeHGlobal(handle);
                Marshal.FreeHGlobal(extra);
                return true;
            }
        }
        """);

    [Fact]
    public Task SwappedOutThenFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Threading;

        sealed class A : IDisposable
        {
            private IntPtr memory = Marshal.AllocHGlobal(8);

            public void Dispose()
            {
                var p = memory;
                memory = IntPtr.Zero;
                Marshal.FreeHGlobal(p);
            }
        }

        sealed class B
        {
            private IntPtr memory = Marshal.AllocHGlobal(8);

            public void Close()
            {
                var p = Interlocked.Exchange(ref memory, IntPtr.Zero);
                if (p != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(p);
                }
            }
        }
        """);

    [Fact]
    public Task ExplicitReleaseMethodOrHandOver() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class MemoryHandle : SafeHandle
        {
            public MemoryHandle(IntPtr p) : base(IntPtr.Zero, true) { SetHandle(p); }
            public override bool IsInvalid => handle == IntPtr.Zero;
            protected override bool ReleaseHandle() { Marshal.FreeHGlobal(handle); return true; }
        }

        class Explicit
        {
            private IntPtr block = Marshal.AllocHGlobal(8);

            public void Free()
            {
                Marshal.FreeHGlobal(block);
                block = IntPtr.Zero;
            }
        }

        class Wrapped
        {
            private IntPtr raw = Marshal.AllocHGlobal(8);
            private MemoryHandle owner;

            public void Seal() => owner = new MemoryHandle(raw);
        }

        class Temporary
        {
            private IntPtr scratch;

            public void Work()
            {
                scratch = Marshal.AllocHGlobal(64);
                try
                {
                    Marshal.WriteInt32(scratch, 1);
                }
                finally
                {
                    Marshal.FreeHGlobal(scratch);
                }
            }
        }
        """);

    [Fact]
    public Task DisposeHandsItToNativeCode() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class Context : IDisposable
        {
            [DllImport("native")]
            static extern void DestroyContext(IntPtr context);

            private readonly IntPtr context = Marshal.AllocHGlobal(32);

            void IDisposable.Dispose() => DestroyContext(context);
        }
        """);

    [Fact]
    public Task StaticFieldsAndParametersAreNotOwned() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Table
        {
            private static readonly IntPtr Shared = Marshal.AllocHGlobal(1024);
            private readonly IntPtr borrowed;

            public Table(IntPtr memory) { borrowed = memory; }
        }
        """);

    [Fact]
    public Task HandleHandedToNativeCodeAsContext() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class Subscription
        {
            [DllImport("native")]
            static extern void Subscribe(IntPtr context);

            private GCHandle self;

            public Subscription()
            {
                self = GCHandle.Alloc(this);
                Subscribe(GCHandle.ToIntPtr(self));
            }
        }
        """);

    /// <summary>BeetleX's pinned buffers: the handle is freed through a getter that returns the field.</summary>
    [Fact]
    public Task HandleFreedThroughAGetterOfTheField() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Runtime.InteropServices;
            public class PinnedBuffer
            {
                private readonly byte[] data;
                private GCHandle gcHandle;
                public PinnedBuffer(int size) { data = new byte[size]; gcHandle = GCHandle.Alloc(data, GCHandleType.Pinned); }
                public GCHandle Handle => gcHandle;
                internal void Delete()
                {
                    if (Handle.IsAllocated)
                    {
                        Handle.Free();
                    }
                }
            }
            """);
}
