namespace LeakAnalyzers.Tests.Native.LEAK402;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.MismatchedFreeAnalyzer>;

public class Silent
{
    [Fact]
    public Task MatchingFrees() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        unsafe class C
        {
            void M(string s, SecureString secret)
            {
                IntPtr a = Marshal.AllocHGlobal(4);
                Marshal.FreeHGlobal(a);
                IntPtr b = Marshal.StringToCoTaskMemUTF8(s);
                Marshal.ZeroFreeCoTaskMemUTF8(b);
                IntPtr c = Marshal.StringToBSTR(s);
                Marshal.FreeBSTR(c);
                IntPtr d = Marshal.SecureStringToCoTaskMemUnicode(secret);
                Marshal.ZeroFreeCoTaskMemUnicode(d);
                void* e = NativeMemory.AlignedAlloc(64, 16);
                e = NativeMemory.AlignedRealloc(e, 128, 16);
                NativeMemory.AlignedFree(e);
                byte* f = (byte*)NativeMemory.AllocZeroed(8);
                NativeMemory.Free(f);
                IntPtr g = Marshal.StringToHGlobalUni(s);
                Marshal.ZeroFreeGlobalAllocUnicode(g);
                IntPtr h = Marshal.AllocCoTaskMem(4);
                h = Marshal.ReAllocCoTaskMem(h, 8);
                Marshal.FreeCoTaskMem(h);
            }
        }
        """);

    [Fact]
    public Task ProvenanceUnknown() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            public IntPtr Shared;

            void Parameter(IntPtr p) => Marshal.FreeCoTaskMem(p);

            void FromElsewhere(bool flag, IntPtr other)
            {
                IntPtr p = Marshal.AllocHGlobal(4);
                if (flag)
                {
                    p = other;
                }

                Marshal.FreeCoTaskMem(p);
            }

            void ViaOut()
            {
                IntPtr p = Marshal.AllocHGlobal(4);
                Replace(out p);
                Marshal.FreeCoTaskMem(p);
            }

            void PublicField()
            {
                Shared = Marshal.AllocHGlobal(4);
                Marshal.FreeCoTaskMem(Shared);
            }

            static void Replace(out IntPtr p) => p = Marshal.AllocCoTaskMem(4);
        }
        """);

    [Fact]
    public Task UserAllocatorsAreNotJudged() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            static class Native
            {
                public static IntPtr Create(int size) => Marshal.AllocHGlobal(size);
                public static void Destroy(IntPtr p) => Marshal.FreeHGlobal(p);
            }

            class C
            {
                void M()
                {
                    var p = Native.Create(4);
                    Marshal.FreeHGlobal(p);
                    var q = Marshal.AllocHGlobal(4);
                    Native.Destroy(q);
                }
            }
            """,
        EditorConfig = """
            root = true
            [*.cs]
            leak_analyzers.native_allocators = Native.Create:Native.Destroy
            """,
    }.RunAsync();
}
