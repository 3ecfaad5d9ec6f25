namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System;
using System.IO;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

/// <summary>
/// A member's summary must not depend on which member was summarised first: the analyzer driver asks from many
/// threads in an order nobody controls, and two builds of the same code must report the same diagnostics. A chain of
/// source factories taller than the depth limit is the case that once depended on it (a deep member summarised first
/// and cached let a later asker stay under the limit).
/// </summary>
public class SummaryOrder
{
    private static string Chain(int length)
    {
        var members = Enumerable.Range(0, length - 1).Select(i => $"    public static Stream F{i}(string p) => F{i + 1}(p);");
        return "using System.IO;\npublic static class Chain\n{\n" + string.Join("\n", members) +
               $"\n    public static Stream F{length - 1}(string p) => File.OpenRead(p);\n}}\n";
    }

    private static (ReturnedValue First, ReturnedValue Second) Ask(string source, string first, string second)
    {
        var directory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == directory)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Order", new[] { CSharpSyntaxTree.ParseText(source) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var owner = SourceOwnership.For(compilation, compilation.GetSpecialType(SpecialType.System_IDisposable));
        var type = compilation.GetTypeByMetadataName("Chain")!;
        IMethodSymbol Method(string name) => (IMethodSymbol)type.GetMembers(name).Single();
        var firstSummary = owner.Of(Method(first))!;
        var secondSummary = owner.Of(Method(second))!;
        return (firstSummary.Returns.Kind, secondSummary.Returns.Kind);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    public void SummariesAreTheSameWhateverIsAskedFirst(int length)
    {
        var source = Chain(length);
        var middle = "F" + (length / 2);
        var topFirst = Ask(source, "F0", middle);
        var middleFirst = Ask(source, middle, "F0");
        Assert.Equal(topFirst.First, middleFirst.Second);
        Assert.Equal(topFirst.Second, middleFirst.First);
    }

    [Fact]
    public void AShortChainIsFollowedToItsFactory()
    {
        var (top, middle) = Ask(Chain(4), "F0", "F2");
        Assert.Equal(ReturnedValue.Owned, top);
        Assert.Equal(ReturnedValue.Owned, middle);
    }
}
