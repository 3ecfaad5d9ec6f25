namespace LeakAnalyzers.Tests.Native.LEAK402;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Native.MismatchedFreeAnalyzer>;

/// <summary>Half-typed and non-compiling code: the analyzer must not throw (AD0001 would fail the test) and stays sensible.</summary>
public class Broken
{
    [Theory]
    [InlineData("class C { void M() { var p = Marshal.AllocHGlobal(; } }")]
    [InlineData("using System.Runtime.InteropServices; class C { void M() { var p = Marshal.AllocHGlobal(); } }")]
    [InlineData("using System.Runtime.InteropServices; class C { void M() { var p = Marshal.AllocHGlobal(4) Marshal.FreeHGlobal(p); } }")]
    [InlineData("using System.Runtime.InteropServices; class C { System.IntPtr f = Marshal.AllocHGlobal(4); void Dispose( { Marshal.FreeHGlobal(f); }")]
    [InlineData("using System.Runtime.InteropServices; class C { void M() { Marshal.FreeHGlobal(p); Marshal.FreeCoTaskMem(q); } }")]
    [InlineData("using System.Runtime.InteropServices; class C { void M() { var h = GCHandle.Alloc(); h.Free(; } }")]
    [InlineData("using System.Runtime.InteropServices; class C { Unknown f = NativeMemory.Alloc(8); void M() { NativeMemory.AlignedFree(f); } }")]
    [InlineData("using System.Runtime.InteropServices; unsafe class C { void M() { void* p = NativeMemory.Alloc(8); p = NativeMemory.Realloc(p, ); NativeMemory.Free(p) } }")]
    [InlineData("using System.Runtime.InteropServices; class C { void M() { var p = Marshal.AllocHGlobal(4); Undeclared(p); } }")]
    [InlineData("using System.Runtime.InteropServices; struct S { GCHandle h; S(object o) { h = GCHandle.Alloc(o); } public void Dispose() => h. }")]
    public Task DoesNotThrow(string source) => new Verify.Test
    {
        TestCode = source,
        AllowCompilerErrors = true,
    }.RunAsync();

    [Fact]
    public Task StillReportsAroundAnError() => new Verify.Test
    {
        TestCode = """
            using System;
            using System.Runtime.InteropServices;

            class C
            {
                void M()
                {
                    IntPtr p = Marshal.AllocHGlobal(4);
                    [|Marshal.FreeCoTaskMem(p)|];
                    int x = ;
                }
            }
            """,
        AllowCompilerErrors = true,
    }.RunAsync();

    [Fact]
    public Task EmptySource() => Verify.VerifyAnalyzerAsync(string.Empty);
}
