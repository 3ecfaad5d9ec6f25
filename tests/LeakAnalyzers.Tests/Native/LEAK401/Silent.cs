namespace LeakAnalyzers.Tests.Native.LEAK401;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.NativeMemoryNotFreedAnalyzer>;

public class Silent
{
    [Fact]
    public Task HandedToANativeCallThenClearedSoTheFinallyKeepsIt() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        static class Clipboard
        {
            [DllImport("user32.dll")] static extern IntPtr SetClipboardData(uint format, IntPtr memory);

            public static bool SetText(string text)
            {
                IntPtr block = IntPtr.Zero;
                try
                {
                    block = Marshal.StringToHGlobalUni(text);
                    if (SetClipboardData(13, block) == IntPtr.Zero) return false;
                    block = IntPtr.Zero;
                    return true;
                }
                finally
                {
                    if (block != IntPtr.Zero) Marshal.FreeHGlobal(block);
                }
            }
        }
        """);

    [Fact]
    public Task NullableGCHandleFreedThroughItsValue() =>
        Verify.VerifyAnalyzerAsync("""
            using System.Runtime.InteropServices;
            static class Pin
            {
                public static int Conditional(byte[] bytes, bool pin)
                {
                    GCHandle? handle = null;
                    try
                    {
                        if (pin)
                        {
                            handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
                        }

                        return bytes.Length;
                    }
                    finally
                    {
                        handle?.Free();
                    }
                }

                public static int Value(byte[] bytes)
                {
                    GCHandle? handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
                    try { return bytes.Length; } finally { handle.Value.Free(); }
                }
            }
            """);

    [Fact]
    public Task FreedInFinally() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            int M(int size)
            {
                IntPtr buffer = Marshal.AllocHGlobal(size);
                try
                {
                    return Marshal.ReadInt32(buffer);
                }
                finally
                {
                    Marshal.FreeHGlobal(buffer);
                }
            }
        }
        """);

    [Fact]
    public Task AllocatedInsideTryFreedInFinallyWithZeroCheck() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            string M(string s)
            {
                IntPtr p = IntPtr.Zero;
                try
                {
                    p = Marshal.StringToCoTaskMemUni(s);
                    return Marshal.PtrToStringUni(p);
                }
                finally
                {
                    if (p != IntPtr.Zero)
                    {
                        Marshal.FreeCoTaskMem(p);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task ZeroCheckOutsideFinally() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            string M(string s)
            {
                IntPtr p = Marshal.StringToHGlobalUni(s);
                if (p == IntPtr.Zero)
                {
                    return null;
                }

                var copy = Marshal.PtrToStringUni(p);
                Marshal.FreeHGlobal(p);
                return copy;
            }
        }
        """);

    [Fact]
    public Task FreedOnEveryPath() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            int M(bool flag)
            {
                IntPtr p = Marshal.AllocHGlobal(4);
                if (flag)
                {
                    Marshal.FreeHGlobal(p);
                    return 0;
                }

                Marshal.FreeHGlobal(p);
                return 1;
            }
        }
        """);

    [Fact]
    public Task ReturnedToTheCaller() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            IntPtr Create(string s)
            {
                var p = Marshal.StringToHGlobalAnsi(s);
                return p;
            }

            IntPtr Direct(int n) => Marshal.AllocHGlobal(n);

            byte* Typed(int n) => (byte*)NativeMemory.Alloc((nuint)n);

            void Out(out IntPtr result) { result = Marshal.AllocCoTaskMem(8); }

            // A C-runtime shim: malloc hands the block to the caller as a pointer.
            static void* Malloc(long size)
            {
                var ptr = Marshal.AllocHGlobal((int)size);
                return ptr.ToPointer();
            }
        }
        """);

    [Fact]
    public Task BlockReturnedAsAReferenceToItsFirstByte() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;

        unsafe sealed class TrackedAllocator
        {
            public ref byte Allocate(int size)
            {
                var block = NativeMemory.Alloc((nuint)size);
                return ref Unsafe.AsRef<byte>(block);
            }

            public void Free(ref byte start) => NativeMemory.Free(Unsafe.AsPointer(ref start));
        }
        """);

    [Fact]
    public Task TypedPointerStoredOrFreedThroughANewIntPtr() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed unsafe class OwnedPointer : IDisposable
        {
            private void* block;
            public OwnedPointer(int length) => block = Marshal.AllocHGlobal(length).ToPointer();
            ~OwnedPointer() => Release();
            public void Dispose() { Release(); GC.SuppressFinalize(this); }
            private void Release() { var p = block; block = null; if (p != null) Marshal.FreeHGlobal(new IntPtr(p)); }

            static int Use(int n)
            {
                var bytes = (byte*)Marshal.AllocHGlobal(n).ToPointer();
                try { bytes[0] = 1; return bytes[0]; }
                finally { Marshal.FreeHGlobal(new IntPtr(bytes)); }
            }
        }
        """);

    [Fact]
    public Task StoredInFieldOrHandedToAnOwner() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Runtime.InteropServices;

        class Owner { public Owner(IntPtr memory) { } }

        class C
        {
            IntPtr field;
            List<IntPtr> blocks = new List<IntPtr>();

            void M()
            {
                var a = Marshal.AllocHGlobal(4);
                field = a;

                var b = Marshal.AllocHGlobal(4);
                blocks.Add(b);

                var c = Marshal.AllocHGlobal(4);
                var owner = new Owner(c);

                var d = Marshal.AllocHGlobal(4);
                Keep(ref d);
            }

            static void Keep(ref IntPtr p) { }
        }
        """);

    [Fact]
    public Task PassedToSafeHandle() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class HGlobalHandle : SafeHandle
        {
            public HGlobalHandle(IntPtr memory) : base(IntPtr.Zero, true) { SetHandle(memory); }
            public HGlobalHandle() : base(IntPtr.Zero, true) { }
            public override bool IsInvalid => handle == IntPtr.Zero;
            protected override bool ReleaseHandle() { Marshal.FreeHGlobal(handle); return true; }
            public void Adopt(IntPtr memory) => SetHandle(memory);
        }

        class C
        {
            void M()
            {
                using var owned = new HGlobalHandle(Marshal.AllocHGlobal(16));
                var p = Marshal.AllocHGlobal(16);
                using var adopted = new HGlobalHandle(p);
            }
        }
        """);

    [Fact]
    public Task PinnedHandleFreedInFinally() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("native")]
            static extern void Fill(IntPtr buffer, int length);

            void M(byte[] data)
            {
                var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
                try
                {
                    Fill(handle.AddrOfPinnedObject(), data.Length);
                }
                finally
                {
                    if (handle.IsAllocated)
                    {
                        handle.Free();
                    }
                }
            }

            void IsAllocatedOutsideFinally(byte[] data)
            {
                var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
                Fill(handle.AddrOfPinnedObject(), data.Length);
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
        """);

    [Fact]
    public Task HandleHandedToNativeCodeAsContext() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("native")]
            static extern void Register(IntPtr context);

            void Direct()
            {
                var handle = GCHandle.Alloc(this);
                Register(GCHandle.ToIntPtr(handle));
            }

            void RoundTrip()
            {
                IntPtr context = GCHandle.ToIntPtr(GCHandle.Alloc(this));
                Register(context);
            }

            void Freed()
            {
                IntPtr context = GCHandle.ToIntPtr(GCHandle.Alloc(this));
                try
                {
                    Register(context);
                }
                finally
                {
                    GCHandle.FromIntPtr(context).Free();
                }
            }
        }
        """);

    [Fact]
    public Task ReallocatedThenFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M(int n)
            {
                IntPtr p = Marshal.AllocHGlobal(8);
                p = Marshal.ReAllocHGlobal(p, (IntPtr)n);
                Marshal.FreeHGlobal(p);

                void* q = NativeMemory.Alloc(8);
                void* r = NativeMemory.Realloc(q, 64);
                NativeMemory.Free(r);
            }
        }
        """);

    [Fact]
    public Task FreedThroughACastAlias() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                IntPtr p = Marshal.AllocHGlobal(64);
                byte* bytes = (byte*)p;
                bytes[0] = 1;
                Marshal.FreeHGlobal((IntPtr)bytes);

                byte* q = (byte*)NativeMemory.Alloc(64);
                NativeMemory.Free(q);
            }
        }
        """);

    // Aliases are read once per block and followed transitively: a copy of a copy, and a view of a copy, stand for the block.
    [Fact]
    public Task FreedThroughAChainOfAliases() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                IntPtr p = Marshal.AllocHGlobal(64);
                IntPtr copy = p;
                byte* bytes = (byte*)copy;
                var span = new Span<byte>(bytes, 64);
                span[0] = 1;
                Marshal.FreeHGlobal((IntPtr)bytes);
            }
        }
        """);

    [Fact]
    public Task PassedToAMethodInSourceOrOutsideTheFramework() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(Action<IntPtr> callback)
            {
                var a = Marshal.AllocHGlobal(4);
                Consume(a);

                var b = Marshal.AllocHGlobal(4);
                callback(b);
            }

            void Consume(IntPtr p) { }
        }
        """);

    [Fact]
    public Task CapturedByALambda() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            Action M()
            {
                var p = Marshal.AllocHGlobal(4);
                return () => Marshal.FreeHGlobal(p);
            }
        }
        """);

    [Fact]
    public Task ExceptionPathsAreNotReported() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(int n)
            {
                var p = Marshal.AllocHGlobal(n);
                if (n > 100)
                {
                    throw new ArgumentOutOfRangeException(nameof(n));
                }

                Marshal.FreeHGlobal(p);
            }
        }
        """);

    [Fact]
    public Task SecureStringZeroFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        class C
        {
            int M(SecureString secret)
            {
                IntPtr plain = IntPtr.Zero;
                try
                {
                    plain = Marshal.SecureStringToGlobalAllocUnicode(secret);
                    return Marshal.ReadInt16(plain);
                }
                finally
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(plain);
                }
            }
        }
        """);

    [Fact]
    public Task ComReferenceReleased() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(object o)
            {
                IntPtr unknown = Marshal.GetIUnknownForObject(o);
                try
                {
                    Console.WriteLine(unknown);
                }
                finally
                {
                    Marshal.Release(unknown);
                }
            }
        }
        """);

    [Fact]
    public Task MismatchedFreeIsLeak402NotLeak401() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M()
            {
                IntPtr p = Marshal.AllocHGlobal(4);
                Marshal.FreeCoTaskMem(p);
            }
        }
        """);

    [Fact]
    public Task StoredThroughInterlockedOrNativeMemory() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Threading;

        class C
        {
            IntPtr current;

            void M(IntPtr table)
            {
                var a = Marshal.AllocHGlobal(4);
                Interlocked.Exchange(ref current, a);

                var b = Marshal.AllocHGlobal(4);
                Marshal.WriteIntPtr(table, 0, b);
            }
        }
        """);

    [Fact]
    public Task UserOwnershipTransferForAPInvoke() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            static class NativeMethods
            {
                [DllImport("native")]
                public static extern void AdoptBuffer(IntPtr buffer);
            }

            class C
            {
                void M()
                {
                    var p = Marshal.AllocHGlobal(16);
                    NativeMethods.AdoptBuffer(p);
                }
            }
            """,
        EditorConfig = """
            root = true
            [*.cs]
            leak_analyzers.LEAK401.ownership_transfer_methods = NativeMethods.AdoptBuffer
            """,
    }.RunAsync();

    [Fact]
    public Task HandOverAttributeOnParameter() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        [AttributeUsage(AttributeTargets.Parameter)]
        sealed class HandlesResourceDisposalAttribute : Attribute { }

        static class NativeMethods
        {
            [DllImport("native")]
            public static extern void Adopt([HandlesResourceDisposal] IntPtr buffer);
        }

        class C
        {
            void M()
            {
                var p = Marshal.AllocHGlobal(16);
                NativeMethods.Adopt(p);
            }
        }
        """);

    [Fact]
    public Task ViewsThatLeaveTheMethodTakeTheMemoryWithThem() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            Span<byte> Direct(int n) => new Span<byte>(NativeMemory.Alloc((nuint)n), n);

            Span<byte> ViaLocal(int n)
            {
                var p = NativeMemory.Alloc((nuint)n);
                var span = new Span<byte>(p, n);
                span.Clear();
                return span;
            }

            Stream AsStream(int n)
            {
                var p = (byte*)Marshal.AllocHGlobal(n);
                return new UnmanagedMemoryStream(p, n);
            }
        }
        """);

    [Fact]
    public Task StackAllocAndFixedAreNotAllocations() => Verify.VerifyAnalyzerAsync("""
        using System;

        unsafe class C
        {
            int M(byte[] data)
            {
                byte* onStack = stackalloc byte[16];
                fixed (byte* pinned = data)
                {
                    return onStack[0] + pinned[0];
                }
            }
        }
        """);

    [Fact]
    public Task HandleGivenToAMemoryHandle() => Verify.VerifyAnalyzerAsync("""
        using System.Buffers;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            MemoryHandle Pin(byte[] data)
            {
                var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
                return new MemoryHandle((void*)handle.AddrOfPinnedObject(), handle);
            }
        }
        """);

    /// <summary>Greenshot's fixed DIB loader: the handle's IntPtr, kept in a local, is freed when it is not zero.</summary>
    [Theory]
    [InlineData("if (gcHandle != IntPtr.Zero) { GCHandle.FromIntPtr(gcHandle).Free(); }")]
    [InlineData("GCHandle.FromIntPtr(gcHandle).Free();")]
    public Task GCHandleConvertedToAnIntPtrLocalAndFreedThroughIt(string release) => Verify.VerifyAnalyzerAsync($$"""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            static long Use(IntPtr p) => p.ToInt64();

            long M(byte[] buffer)
            {
                IntPtr gcHandle = IntPtr.Zero;
                try
                {
                    GCHandle handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
                    gcHandle = GCHandle.ToIntPtr(handle);
                    return Use(handle.AddrOfPinnedObject());
                }
                finally
                {
                    {{release}}
                }
            }
        }
        """);
}
