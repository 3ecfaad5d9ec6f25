namespace LeakAnalyzers.Tests.Native.LEAK402;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    LeakAnalyzers.Native.MismatchedFreeAnalyzer,
    LeakAnalyzers.CodeFixes.Native.MismatchedFreeCodeFix>;

public class CodeFix
{
    [Fact]
    public Task CallsTheMatchingRelease() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        unsafe class C
        {
            private IntPtr field = Marshal.AllocCoTaskMem(4);

            void M(SecureString secret)
            {
                IntPtr p = Marshal.AllocHGlobal(16);
                [|Marshal.FreeCoTaskMem(p)|];

                void* aligned = NativeMemory.AlignedAlloc(64, 16);
                [|NativeMemory.Free(aligned)|];

                IntPtr plain = Marshal.SecureStringToGlobalAllocUnicode(secret);
                [|Marshal.FreeHGlobal(plain)|];

                [|Marshal.FreeHGlobal(field)|];
            }
        }
        """, """
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        unsafe class C
        {
            private IntPtr field = Marshal.AllocCoTaskMem(4);

            void M(SecureString secret)
            {
                IntPtr p = Marshal.AllocHGlobal(16);
                Marshal.FreeHGlobal(p);

                void* aligned = NativeMemory.AlignedAlloc(64, 16);
                NativeMemory.AlignedFree(aligned);

                IntPtr plain = Marshal.SecureStringToGlobalAllocUnicode(secret);
                Marshal.ZeroFreeGlobalAllocUnicode(plain);

                Marshal.FreeCoTaskMem(field);
            }
        }
        """);

    [Fact]
    public Task NotOfferedAcrossTypes() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            unsafe class C
            {
                void M()
                {
                    IntPtr p = (IntPtr)NativeMemory.Alloc(16);
                    [|Marshal.FreeHGlobal(p)|];

                    // ReAllocCoTaskMem takes an int size, ReAllocHGlobal an IntPtr: more than a rename.
                    IntPtr q = Marshal.AllocCoTaskMem(8);
                    q = [|Marshal.ReAllocHGlobal(q, (IntPtr)64)|];
                    Marshal.FreeCoTaskMem(q);
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Runtime.InteropServices;

            unsafe class C
            {
                void M()
                {
                    IntPtr p = (IntPtr)NativeMemory.Alloc(16);
                    [|Marshal.FreeHGlobal(p)|];

                    // ReAllocCoTaskMem takes an int size, ReAllocHGlobal an IntPtr: more than a rename.
                    IntPtr q = Marshal.AllocCoTaskMem(8);
                    q = [|Marshal.ReAllocHGlobal(q, (IntPtr)64)|];
                    Marshal.FreeCoTaskMem(q);
                }
            }
            """,
    }.RunAsync();
}
