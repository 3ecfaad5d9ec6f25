namespace LeakAnalyzers.Tests.Disposables.LEAK002;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<LeakAnalyzers.Disposables.DisposableDroppedAnalyzer>;

public class Broken
{
    [Theory]
    [InlineData("class C { void M(string p) { System.IO.File.Create(")]
    [InlineData("class C { void M() { new Unknown(); } }")]
    [InlineData("class C { void M() { Unknown.Create().Dispose(; } }")]
    [InlineData("class C { void M() { _ = ; } }")]
    [InlineData("class C { async void M(System.Net.Http.HttpClient c) { await c.GetAsync(; } }")]
    public Task DoesNotThrow(string source) =>
        new Verify.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();
}
