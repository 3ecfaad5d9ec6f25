namespace LeakAnalyzers.Tests.Native.LEAK401;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    LeakAnalyzers.Native.NativeMemoryNotFreedAnalyzer,
    LeakAnalyzers.CodeFixes.Native.NativeMemoryNotFreedCodeFix>;

public class CodeFix
{
    [Fact]
    public Task WrapsTheRestOfTheBlockInTryFinally() => Verify.VerifyCodeFixAsync("""
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
        """, """
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            int Read(int size)
            {
                IntPtr buffer = Marshal.AllocHGlobal(size);
                try
                {
                    Marshal.WriteInt32(buffer, 42);
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
    public Task UsesTheMatchingFreeWithACastWhereNeeded() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        unsafe class C
        {
            void M(SecureString secret)
            {
                byte* bytes = (byte*)[|Marshal.AllocCoTaskMem(16)|];
                bytes[0] = 1;
            }

            void N()
            {
                IntPtr aligned = (IntPtr)[|NativeMemory.AlignedAlloc(64, 16)|];
                Console.WriteLine(aligned);
            }

            string O(SecureString secret)
            {
                var plain = [|Marshal.SecureStringToBSTR(secret)|];
                return Marshal.PtrToStringBSTR(plain);
            }
        }
        """, """
        using System;
        using System.Runtime.InteropServices;
        using System.Security;

        unsafe class C
        {
            void M(SecureString secret)
            {
                byte* bytes = (byte*)Marshal.AllocCoTaskMem(16);
                try
                {
                    bytes[0] = 1;
                }
                finally
                {
                    Marshal.FreeCoTaskMem((IntPtr)bytes);
                }
            }

            void N()
            {
                IntPtr aligned = (IntPtr)NativeMemory.AlignedAlloc(64, 16);
                try
                {
                    Console.WriteLine(aligned);
                }
                finally
                {
                    NativeMemory.AlignedFree((void*)aligned);
                }
            }

            string O(SecureString secret)
            {
                var plain = Marshal.SecureStringToBSTR(secret);
                try
                {
                    return Marshal.PtrToStringBSTR(plain);
                }
                finally
                {
                    Marshal.ZeroFreeBSTR(plain);
                }
            }
        }
        """);

    [Fact]
    public Task GCHandles() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            [DllImport("native")]
            static extern void Fill(IntPtr buffer, int length);

            void M(byte[] data)
            {
                var handle = [|GCHandle.Alloc(data, GCHandleType.Pinned)|];
                Fill(handle.AddrOfPinnedObject(), data.Length);
            }

            object N(object state)
            {
                IntPtr context = [|GCHandle.ToIntPtr(GCHandle.Alloc(state))|];
                return GCHandle.FromIntPtr(context).Target;
            }
        }
        """, """
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
                    handle.Free();
                }
            }

            object N(object state)
            {
                IntPtr context = GCHandle.ToIntPtr(GCHandle.Alloc(state));
                try
                {
                    return GCHandle.FromIntPtr(context).Target;
                }
                finally
                {
                    GCHandle.FromIntPtr(context).Free();
                }
            }
        }
        """);

    [Fact]
    public Task AssignmentToALocalOfTheSameBlockAndReallocation() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(int n)
            {
                IntPtr p;
                p = Marshal.AllocHGlobal(8);
                p = {|#0:Marshal.ReAllocHGlobal(p, (IntPtr)n)|};
                Marshal.WriteByte(p, 1);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithMessage(
            "'p' from 'Marshal.ReAllocHGlobal' is never freed; no finalizer will ever free it"),
        """
        using System;
        using System.Runtime.InteropServices;

        class C
        {
            void M(int n)
            {
                IntPtr p;
                p = Marshal.AllocHGlobal(8);
                p = Marshal.ReAllocHGlobal(p, (IntPtr)n);
                try
                {
                    Marshal.WriteByte(p, 1);
                }
                finally
                {
                    Marshal.FreeHGlobal(p);
                }
            }
        }
        """);

    [Fact]
    public Task LastStatementGetsTheFreeAfterIt() => Verify.VerifyCodeFixAsync("""
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                void* p = [|NativeMemory.Alloc(16)|];
            }
        }
        """, """
        using System.Runtime.InteropServices;

        unsafe class C
        {
            void M()
            {
                void* p = NativeMemory.Alloc(16);
                NativeMemory.Free(p);
            }
        }
        """);

    [Fact]
    public Task FixAllNestsInnerAllocations() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            class C
            {
                void M(string a, string b)
                {
                    IntPtr first = [|Marshal.StringToHGlobalUni(a)|];
                    IntPtr second = [|Marshal.StringToHGlobalUni(b)|];
                    Console.WriteLine(Marshal.PtrToStringUni(first) + Marshal.PtrToStringUni(second));
                }

                void N()
                {
                    foreach (var size in new[] { 1, 2 })
                    {
                        var p = [|Marshal.AllocHGlobal(size)|];
                        Marshal.WriteByte(p, 0);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Runtime.InteropServices;

            class C
            {
                void M(string a, string b)
                {
                    IntPtr first = Marshal.StringToHGlobalUni(a);
                    try
                    {
                        IntPtr second = Marshal.StringToHGlobalUni(b);
                        try
                        {
                            Console.WriteLine(Marshal.PtrToStringUni(first) + Marshal.PtrToStringUni(second));
                        }
                        finally
                        {
                            Marshal.FreeHGlobal(second);
                        }
                    }
                    finally
                    {
                        Marshal.FreeHGlobal(first);
                    }
                }

                void N()
                {
                    foreach (var size in new[] { 1, 2 })
                    {
                        var p = Marshal.AllocHGlobal(size);
                        try
                        {
                            Marshal.WriteByte(p, 0);
                        }
                        finally
                        {
                            Marshal.FreeHGlobal(p);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task NotOfferedWhereAFinallyFreeWouldBeWrong() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            class C
            {
                IntPtr Sometimes(bool keep)
                {
                    var p = [|Marshal.AllocHGlobal(4)|];
                    if (keep)
                    {
                        return p;
                    }

                    return IntPtr.Zero;
                }

                void FreedOnOnePath(bool flag)
                {
                    var p = [|Marshal.AllocHGlobal(4)|];
                    if (flag)
                    {
                        Marshal.FreeHGlobal(p);
                    }
                }

                void Overwritten()
                {
                    IntPtr p = [|Marshal.AllocHGlobal(8)|];
                    p = [|Marshal.AllocHGlobal(16)|];
                }

                void DeclaredOutside(bool flag)
                {
                    IntPtr p = IntPtr.Zero;
                    if (flag)
                    {
                        p = [|Marshal.AllocHGlobal(8)|];
                    }

                    Console.WriteLine(p);
                }

                void NotKept() => Marshal.PtrToStringUni([|Marshal.StringToHGlobalUni("x")|]);
            }
            """,
        FixedCode = """
            using System;
            using System.Runtime.InteropServices;

            class C
            {
                IntPtr Sometimes(bool keep)
                {
                    var p = [|Marshal.AllocHGlobal(4)|];
                    if (keep)
                    {
                        return p;
                    }

                    return IntPtr.Zero;
                }

                void FreedOnOnePath(bool flag)
                {
                    var p = [|Marshal.AllocHGlobal(4)|];
                    if (flag)
                    {
                        Marshal.FreeHGlobal(p);
                    }
                }

                void Overwritten()
                {
                    IntPtr p = [|Marshal.AllocHGlobal(8)|];
                    p = [|Marshal.AllocHGlobal(16)|];
                }

                void DeclaredOutside(bool flag)
                {
                    IntPtr p = IntPtr.Zero;
                    if (flag)
                    {
                        p = [|Marshal.AllocHGlobal(8)|];
                    }

                    Console.WriteLine(p);
                }

                void NotKept() => Marshal.PtrToStringUni([|Marshal.StringToHGlobalUni("x")|]);
            }
            """,
    }.RunAsync();
}
