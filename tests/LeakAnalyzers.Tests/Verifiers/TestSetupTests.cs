namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Linq;
using System.Threading.Tasks;
using LeakAnalyzers.CodeFixes.Closures;
using Xunit;
using Verify = CSharpCodeFixVerifier<LeakAnalyzers.Closures.CapturingDelegateKeptAliveAnalyzer, LeakAnalyzers.CodeFixes.Closures.DisposeRegistrationCodeFix>;

/// <summary>
/// Checks of the little the suite adds to Microsoft.CodeAnalysis.Testing (<see cref="TestSetup"/> and the test
/// classes of the verifiers): each must be able to fail, or the tests that rely on it prove nothing.
/// </summary>
public class TestSetupTests
{
    private const string DroppedRegistration = """
        using System.Threading;
        using System.Threading.Tasks;

        class Request
        {
            void Cancel() { }
            public async Task SendAsync(CancellationToken token) { token.Register([|() => Cancel()|]); await Task.Delay(1); }
        }
        """;

    [Fact]
    public async Task NotOfferedEquivalenceKeysFailsWhenTheActionIsOffered()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => new Verify.Test
        {
            TestCode = DroppedRegistration,
            FixedCode = DroppedRegistration,
            NotOfferedEquivalenceKeys = { DisposeRegistrationCodeFix.UsingEquivalenceKey },
        }.RunAsync());
        Assert.Contains(DisposeRegistrationCodeFix.UsingEquivalenceKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public Task NotOfferedEquivalenceKeysPassesWhenOnlyOtherActionsAreOffered() =>
        new Verify.Test
        {
            TestCode = DroppedRegistration,
            FixedCode = DroppedRegistration.Replace("token.Register([|() => Cancel()|])", "using var registration = token.Register(() => Cancel())", StringComparison.Ordinal),
            CodeActionEquivalenceKey = DisposeRegistrationCodeFix.UsingEquivalenceKey,
            NotOfferedEquivalenceKeys = { "no such key" },
        }.RunAsync();

    [Fact]
    public async Task EditorConfigSeverityNoneSilencesTheRule()
    {
        await new Verify.Test
        {
            TestCode = DroppedRegistration.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal),
            FixedCode = DroppedRegistration.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal),
            EditorConfig = "root = true\n[*.cs]\ndotnet_diagnostic.LEAK301.severity = none\n",
        }.RunAsync();

        // Without the .editorconfig the same code is reported, so the silence above came from the severity.
        await Assert.ThrowsAnyAsync<Exception>(() => new Verify.Test
        {
            TestCode = DroppedRegistration.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal),
            FixedCode = DroppedRegistration.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal),
        }.RunAsync());
    }

    [Fact]
    public void ReferencesAreTheNet10Pack()
    {
        var names = TestSetup.MetadataReferences.Select(r => System.IO.Path.GetFileName(r.Display ?? string.Empty)).ToList();
        Assert.Contains("System.Runtime.dll", names);
        Assert.All(TestSetup.MetadataReferences, r =>
        {
            var path = r.Display!.Replace('\\', '/');
            Assert.Contains("microsoft.netcore.app.ref", path, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("10.0.12", path, StringComparison.Ordinal);
            Assert.Contains("/ref/net10.0/", path, StringComparison.Ordinal);
        });
    }
}
