namespace LeakAnalyzers.Tests.Native.LEAK402;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.MismatchedFreeAnalyzer>;

public class Reports
{
    [Fact]
    public Task HGlobalFreedAsCoTaskMem() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M()
            {
                IntPtr p = {|#1:Marshal.AllocHGlobal(16)|};
                {|#0:Marshal.FreeCoTaskMem(p)|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'p' is from 'Marshal.AllocHGlobal' but passed to 'Marshal.FreeCoTaskMem', not 'Marshal.FreeHGlobal': this can corrupt the heap"));

    [Fact]
    public Task CoTaskMemStringFreedAsHGlobal() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            string M(string s)
            {
                IntPtr p = Marshal.StringToCoTaskMemUni(s);
                try
                {
                    return Marshal.PtrToStringUni(p);
                }
                finally
                {
                    [|Marshal.FreeHGlobal(p)|];
                }
            }
        }
        """);

    [Fact]
    public Task AlignedAllocFreedWithFree() => Verify.VerifyAnalyzerAsync("""
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                byte* p = (byte*){|#1:NativeMemory.AlignedAlloc(1024, 64)|};
                p[0] = 1;
                {|#0:NativeMemory.Free(p)|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'p' is from 'NativeMemory.AlignedAlloc' but passed to 'NativeMemory.Free', not 'NativeMemory.AlignedFree': this can corrupt the heap"));

    [Fact]
    public Task AllocFreedWithAlignedFreeOrMarshal() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                void* a = NativeMemory.Alloc(16);
                [|NativeMemory.AlignedFree(a)|];

                IntPtr b = (IntPtr)NativeMemory.AllocZeroed(16);
                [|Marshal.FreeHGlobal(b)|];
            }
        }
        """);

    [Fact]
    public Task BstrFreedAsHGlobal() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(string s)
            {
                IntPtr bstr = Marshal.StringToBSTR(s);
                [|Marshal.FreeHGlobal(bstr)|];
            }
        }
        """);

    [Fact]
    public Task SecretFreedWithoutZeroing() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        class C
        {
            void M(SecureString secret)
            {
                IntPtr plain = {|#1:Marshal.SecureStringToGlobalAllocUnicode(secret)|};
                {|#0:Marshal.FreeHGlobal(plain)|};

                IntPtr bstr = Marshal.SecureStringToBSTR(secret);
                [|Marshal.FreeBSTR(bstr)|];

                IntPtr ansi = Marshal.SecureStringToCoTaskMemAnsi(secret);
                [|Marshal.ZeroFreeCoTaskMemUnicode(ansi)|];
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'plain' is from 'Marshal.SecureStringToGlobalAllocUnicode' but passed to 'Marshal.FreeHGlobal', not 'Marshal.ZeroFreeGlobalAllocUnicode': the secret stays readable"));

    [Fact]
    public Task ReallocatedWithTheWrongFamily() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M()
            {
                IntPtr p = {|#1:Marshal.AllocCoTaskMem(8)|};
                p = {|#0:Marshal.ReAllocHGlobal(p, (IntPtr)64)|};
                Marshal.FreeCoTaskMem(p);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'p' is from 'Marshal.AllocCoTaskMem' but passed to 'Marshal.ReAllocHGlobal', not 'Marshal.ReAllocCoTaskMem': this can corrupt the heap"));

    [Fact]
    public Task FieldAllocatedInConstructorFreedWrongInDispose() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        sealed class Buffer : IDisposable
        {
            private IntPtr memory = Marshal.AllocCoTaskMem(64);

            public void Dispose()
            {
                [|Marshal.FreeHGlobal(memory)|];
                memory = IntPtr.Zero;
            }
        }
        """);

    [Fact]
    public Task ComReferenceFreedAsMemory() => Verify.VerifyAnalyzerAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(object o)
            {
                IntPtr unknown = Marshal.GetIUnknownForObject(o);
                [|Marshal.FreeCoTaskMem(unknown)|];
            }
        }
        """);

    [Fact]
    public Task AllocatorThroughAUsingStatic() => Verify.VerifyAnalyzerAsync("""
        using System;
        using static System.Runtime.InteropServices.Marshal;

        class C
        {
            void M()
            {
                IntPtr p = {|#1:AllocHGlobal(16)|};
                {|#0:FreeCoTaskMem(p)|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
            "'p' is from 'Marshal.AllocHGlobal' but passed to 'Marshal.FreeCoTaskMem', not 'Marshal.FreeHGlobal': this can corrupt the heap"));

    [Fact]
    public Task FieldAllocatedInAnotherPartOfTheType() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                ("Buffer.cs", """
                    using System;
                    using System.Runtime.InteropServices;

                    partial class Buffer
                    {
                        private IntPtr memory;

                        public void Close() => {|#0:Marshal.FreeCoTaskMem(memory)|};
                    }
                    """),
                ("Buffer.Open.cs", """
                    using System.Runtime.InteropServices;

                    partial class Buffer
                    {
                        public void Open() => memory = {|#1:Marshal.AllocHGlobal(16)|};
                    }
                    """),
            },
            ExpectedDiagnostics =
            {
                Verify.Diagnostic().WithLocation(0).WithLocation(1).WithMessage(
                    "'memory' is from 'Marshal.AllocHGlobal' but passed to 'Marshal.FreeCoTaskMem', not 'Marshal.FreeHGlobal': this can corrupt the heap"),
            },
        },
    }.RunAsync();
}
