namespace LeakAnalyzers.Tests.Native.LEAK401;

using System.Threading.Tasks;
using LeakAnalyzers.Native;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.NativeMemoryNotFreedAnalyzer>;

public class Reports
{
    [Fact]
    public Task HandedToANativeCallThatOnlyReadsIt() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        static class Console
        {
            [DllImport("kernel32.dll")] static extern bool WriteConsoleW(IntPtr output, IntPtr text, int length, out int written, IntPtr reserved);

            public static void Write(IntPtr output, string text)
            {
                IntPtr block = [|Marshal.StringToHGlobalUni(text)|];
                WriteConsoleW(output, block, text.Length, out _, IntPtr.Zero);
            }
        }
        """);

    [Fact]
    public Task AllocHGlobalNeverFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            int Read(int size)
            {
                IntPtr buffer = [|Marshal.AllocHGlobal(size)|];
                Marshal.WriteInt32(buffer, 42);
                return Marshal.ReadInt32(buffer);
            }
        }
        """);

    [Fact]
    public Task MessageNamesLocalAllocatorAndConsequence() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            int Read(int size)
            {
                var buffer = {|#0:Marshal.AllocHGlobal(size)|};
                return Marshal.ReadInt32(buffer);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'buffer' from 'Marshal.AllocHGlobal' is never freed; no finalizer will ever free it"));

    [Fact]
    public Task FreedOnOneBranchOnly() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(bool flag)
            {
                var buffer = {|#0:Marshal.AllocCoTaskMem(64)|};
                if (flag)
                {
                    Marshal.FreeCoTaskMem(buffer);
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'buffer' from 'Marshal.AllocCoTaskMem' is not freed on every path; no finalizer will ever free it"));

    [Fact]
    public Task EarlyReturnSkipsTheFree() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        class C
        {
            string M(string text, bool skip)
            {
                var native = [|Marshal.StringToHGlobalUni(text)|];
                if (skip)
                {
                    return null;
                }

                var copy = Marshal.PtrToStringUni(native);
                Marshal.FreeHGlobal(native);
                return copy;
            }
        }
        """);

    [Fact]
    public Task NativeMemoryAllocThroughPointerCast() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        unsafe class C
        {
            int Sum(int count)
            {
                int* values = (int*)[|NativeMemory.Alloc((nuint)count, sizeof(int))|];
                int sum = 0;
                for (int i = 0; i < count; i++)
                {
                    values[i] = i;
                    sum += *(values + i);
                }

                return sum;
            }
        }
        """);

    [Fact]
    public Task AlignedAllocAndZeroed() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                void* aligned = [|NativeMemory.AlignedAlloc(256, 64)|];
                byte* zeroed = (byte*)[|NativeMemory.AllocZeroed(128)|];
                zeroed[0] = 1;
                ((byte*)aligned)[0] = zeroed[0];
            }
        }
        """);

    [Fact]
    public Task PinnedHandleNotFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("native")]
            static extern void Fill(IntPtr buffer, int length);

            void M(byte[] data)
            {
                GCHandle handle = {|#0:GCHandle.Alloc(data, GCHandleType.Pinned)|};
                Fill(handle.AddrOfPinnedObject(), data.Length);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'handle' from 'GCHandle.Alloc' is never freed; its target stays alive and pinned for good"));

    [Fact]
    public Task NormalHandleNotFreed() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        class C
        {
            object M(object target)
            {
                var handle = {|#0:GCHandle.Alloc(target)|};
                return handle.Target;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'handle' from 'GCHandle.Alloc' is never freed; its target stays alive for good"));

    [Fact]
    public Task BufferPassedToPInvokeIsBorrowed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("kernel32", CharSet = CharSet.Unicode)]
            static extern int GetWindowsDirectoryW(IntPtr buffer, int size);

            string M()
            {
                IntPtr buffer = [|Marshal.AllocHGlobal(520)|];
                int length = GetWindowsDirectoryW(buffer, 260);
                return Marshal.PtrToStringUni(buffer, length);
            }
        }
        """);

    [Fact]
    public Task StringConversionPassedToPInvokeIsNotKept() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("native")]
            static extern void SetTitle(IntPtr title);

            void M(string title)
            {
                SetTitle({|#0:Marshal.StringToHGlobalAnsi(title)|});
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "The result from 'Marshal.StringToHGlobalAnsi' is dropped, never freed; no finalizer will ever free it"));

    [Fact]
    public Task DiscardedAndReadOnceResults() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            IntPtr M(byte[] data, string s)
            {
                [|Marshal.AllocHGlobal(10)|];
                _ = [|Marshal.AllocCoTaskMem(10)|];
                var text = Marshal.PtrToStringUni([|Marshal.StringToCoTaskMemUni(s)|]);
                return [|GCHandle.Alloc(data, GCHandleType.Pinned)|].AddrOfPinnedObject();
            }
        }
        """);

    [Fact]
    public Task OverwrittenBeforeFree() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M()
            {
                IntPtr p = {|#0:Marshal.AllocHGlobal(8)|};
                p = Marshal.AllocHGlobal(16);
                Marshal.FreeHGlobal(p);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'p' from 'Marshal.AllocHGlobal' is overwritten before it is freed; no finalizer will ever free it"));

    [Fact]
    public Task AllocatedInALoop() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("native")]
            static extern void Send(IntPtr data);

            void M(string[] lines)
            {
                foreach (var line in lines)
                {
                    IntPtr native = [|Marshal.StringToHGlobalUni(line)|];
                    Send(native);
                }
            }
        }
        """);

    [Fact]
    public Task SecureStringPlaintext() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        class C
        {
            string M(SecureString secret)
            {
                IntPtr plain = {|#0:Marshal.SecureStringToGlobalAllocUnicode(secret)|};
                return Marshal.PtrToStringUni(plain);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'plain' from 'Marshal.SecureStringToGlobalAllocUnicode' is never freed; the memory leaks and the secret stays readable in it"));

    [Fact]
    public Task BstrAndCoTaskMemStrings() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        class C
        {
            int M(string s, SecureString secret)
            {
                IntPtr bstr = [|Marshal.StringToBSTR(s)|];
                IntPtr secretBstr = [|Marshal.SecureStringToBSTR(secret)|];
                IntPtr utf8 = [|Marshal.StringToCoTaskMemUTF8(s)|];
                return Marshal.ReadByte(bstr) + Marshal.ReadByte(secretBstr) + Marshal.ReadByte(utf8);
            }
        }
        """);

    [Fact]
    public Task ReallocatedBlockNotFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M()
            {
                IntPtr p = Marshal.AllocHGlobal(8);
                p = [|Marshal.ReAllocHGlobal(p, (IntPtr)64)|];
                Marshal.WriteInt64(p, 1);
            }
        }
        """);

    [Fact]
    public Task GCHandleThroughIntPtrNotFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            object M(object state)
            {
                IntPtr context = [|GCHandle.ToIntPtr(GCHandle.Alloc(state))|];
                return GCHandle.FromIntPtr(context).Target;
            }
        }
        """);

    /// <summary>
    /// Greenshot's DIB loader: the handle is converted to an IntPtr in a local, and the finally frees it only when that
    /// IntPtr is zero, an inverted test: the pinned handle is never freed. The same code without the free, too.
    /// </summary>
    [Theory]
    [InlineData("if (gcHandle == IntPtr.Zero) { GCHandle.FromIntPtr(gcHandle).Free(); }")]
    [InlineData("")]
    public Task GCHandleConvertedToAnIntPtrLocalAndNotFreed(string release) => Verify.VerifyAnalyzerAsync($$"""
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
                    GCHandle handle = [|GCHandle.Alloc(buffer, GCHandleType.Pinned)|];
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

    /// <summary>FlashCap's CFString.ToString: a string built from the block copies it; the block is never freed.</summary>
    [Fact]
    public Task StringBuiltFromTheBlockDoesNotKeepIt() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        unsafe class C
        {
            string M(int length)
            {
                var chars = (char*)[|Marshal.AllocHGlobal(length * 2)|];
                return new string(chars, 0, length);
            }
        }
        """);

    [Fact]
    public Task CastAliasIsAUseNotAHandOver() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            long M()
            {
                IntPtr p = [|Marshal.AllocHGlobal(64)|];
                byte* bytes = (byte*)p;
                bytes[0] = 1;
                var span = new Span<byte>(bytes, 64);
                span.Fill(2);
                return (long)(bytes + 8);
            }
        }
        """);

    [Fact]
    public Task ComReferenceNotReleased() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            long M(object o)
            {
                IntPtr unknown = [|Marshal.GetIUnknownForObject(o)|];
                return unknown.ToInt64();
            }
        }
        """);

    [Fact]
    public Task InLambdaAndLocalFunction() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M()
            {
                Func<int> f = () =>
                {
                    var p = [|Marshal.AllocHGlobal(4)|];
                    return Marshal.ReadInt32(p);
                };

                int Local()
                {
                    var q = [|Marshal.AllocHGlobal(4)|];
                    return Marshal.ReadInt32(q);
                }
            }
        }
        """);

    [Fact]
    public Task ViewUsedOnlyInTheMethod() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            int Local(int n)
            {
                var p = [|NativeMemory.Alloc((nuint)n)|];
                var span = new Span<byte>(p, n);
                span.Clear();
                return span[0];
            }

            long Stream(int n)
            {
                var p = (byte*)[|Marshal.AllocHGlobal(n)|];
                using var stream = new UnmanagedMemoryStream(p, n);
                return stream.Length;
            }
        }
        """);

    [Fact]
    public Task UserAllocatorFromEditorConfig() => new Verify.Test
    {
        TestCode = """
            using System;

            static class Native
            {
                public static IntPtr Create(int size) => IntPtr.Zero;
                public static void Destroy(IntPtr p) { }
            }

            class C
            {
                void Leaks() { var p = [|Native.Create(4)|]; }

                void Frees()
                {
                    var p = Native.Create(4);
                    Native.Destroy(p);
                }
            }
            """,
        EditorConfig = """
            root = true
            [*.cs]
            leak_analyzers.native_allocators = Native.Create:Native.Destroy
            """,
    }.RunAsync();

    // The family skips code that names no allocator before looking at any operation: these name one only
    // indirectly, and must still be found.
    [Fact]
    public Task AllocatorImportedByAGlobalUsingStaticInAnotherFile() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Usings.cs", "global using static System.Runtime.InteropServices.Marshal;"),
                ("C.cs", """
                    class C
                    {
                        int Read()
                        {
                            var buffer = [|AllocHGlobal(8)|];
                            return ReadInt32(buffer);
                        }
                    }
                    """),
            },
        },
    }.RunAsync();

    [Fact]
    public Task AllocatorThroughATypeAlias() => Verify.VerifyAnalyzerAsync("""
        using Interop = System.Runtime.InteropServices.Marshal;

        class C
        {
            int Read()
            {
                var buffer = [|Interop.AllocHGlobal(8)|];
                return Interop.ReadInt32(buffer);
            }
        }
        """);

    [Fact]
    public Task AllocatorNameWrittenWithAUnicodeEscape() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        class C
        {
            int Read()
            {
                var buffer = [|Marshal.AllocH\u0047lobal(8)|];
                return Marshal.ReadInt32(buffer);
            }
        }
        """);

    [Fact]
    public Task RuleSpecificUserAllocatorCalledAsAnExtension() => new Verify.Test
    {
        TestCode = """
            using System;

            class Pool { }

            static class PoolExtensions
            {
                public static IntPtr Rent(this Pool pool, int size) => IntPtr.Zero;
                public static void Return(this Pool pool, IntPtr p) { }
            }

            class C
            {
                void Leaks(Pool pool) { var p = [|pool.Rent(4)|]; }

                void Frees(Pool pool)
                {
                    var p = pool.Rent(4);
                    pool.Return(p);
                }
            }
            """,
        EditorConfig = """
            root = true
            [*.cs]
            leak_analyzers.LEAK401.native_allocators = PoolExtensions.Rent:PoolExtensions.Return
            """,
    }.RunAsync();
    [Fact]
    public Task ConvertedToAPointerForUseHereAndNeverFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            static int Fill(int n)
            {
                var ptr = {|#0:Marshal.AllocHGlobal(n)|};
                var bytes = (byte*)ptr.ToPointer();
                bytes[0] = 1;
                return bytes[0];
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithArguments("'ptr'", "Marshal.AllocHGlobal", "never freed", "no finalizer will ever free it"));

    [Fact]
    public Task TypedPointerOfAnAllocationNeverFreed() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            static int Fill(int n)
            {
                var bytes = (byte*){|#0:Marshal.AllocHGlobal(n)|}.ToPointer();
                bytes[0] = 1;
                return bytes[0];
            }

            static void Drop(int n) => {|#1:Marshal.AllocHGlobal(n)|}.ToPointer();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("'bytes'", "Marshal.AllocHGlobal", "never freed", "no finalizer will ever free it"),
        Verify.Diagnostic().WithLocation(1).WithArguments("The result", "Marshal.AllocHGlobal", "dropped, never freed", "no finalizer will ever free it"));
}
