namespace LeakAnalyzers.Tests.Closures.LEAK302;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LeakAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

/// <summary>
/// What the rule and its fixes claim about the compiler, checked on the compiler itself: the code is compiled
/// (Release), run, and the delegate kept in the static field is searched for the variable through its closure
/// objects. The reported shapes do keep the variable; the shapes the fixes produce do not.
/// </summary>
public class CompiledClosures
{
    private const string Prefix = """
        using System;
        using System.Threading.Tasks;
        public static class Loader
        {
            public static Func<string> Describe;
            public static void Load(string name)
            {

        """;

    private const string Suffix = """

            }
        }
        """;

    [Fact]
    public void TheReportedShapeKeepsTheVariable() =>
        Assert.Contains("buffer", ReachableFields("""
                    var buffer = new byte[1 << 20];
                    Task.Run(() => buffer[0] = 1).Wait();
                    var label = name.ToUpperInvariant();
                    Describe = () => label;
            """));

    [Fact]
    public void AParameterSharesTheOutermostClosureWithALocal() =>
        Assert.Contains("buffer", ReachableFields("""
                    var buffer = new byte[1 << 20];
                    Task.Run(() => buffer[0] = 1).Wait();
                    Describe = () => name;
            """, uses: "name"));

    [Fact]
    public void MovingTheVariableIntoABlockEndsTheSharing() =>
        Assert.DoesNotContain("buffer", ReachableFields("""
                    {
                        var buffer = new byte[1 << 20];
                        Task.Run(() => buffer[0] = 1).Wait();
                    }
                    var label = name.ToUpperInvariant();
                    Describe = () => label;
            """));

    [Fact]
    public void MovingTheVariableEndsTheSharingEvenWhenItsLambdaAlsoCapturesTheOuterScope() =>
        Assert.DoesNotContain("buffer", ReachableFields("""
                    var label = name.ToUpperInvariant();
                    {
                        var buffer = new byte[1 << 20];
                        Task.Run(() => buffer[0] = (byte)label.Length).Wait();
                    }
                    Describe = () => label;
            """));

    [Fact]
    public void MovingTheLambdaIntoABlockEndsTheSharing() =>
        Assert.DoesNotContain("buffer", ReachableFields("""
                    var buffer = new byte[1 << 20];
                    Task.Run(() => buffer[0] = 1).Wait();
                    {
                        var label = name.ToUpperInvariant();
                        Describe = () => label;
                    }
            """));

    [Fact]
    public void AMovedLambdaThatStillCapturesTheSharedScopeKeepsTheVariable() =>
        // Why the fix refuses this shape: the new closure points back to the shared one.
        Assert.Contains("buffer", ReachableFields("""
                    var buffer = new byte[1 << 20];
                    var prefix = name.Trim();
                    Task.Run(() => buffer[0] = (byte)prefix.Length).Wait();
                    {
                        var label = name.ToUpperInvariant();
                        Describe = () => prefix + label;
                    }
            """));

    /// <summary>
    /// Names of the fields reachable from the target of <c>Loader.Describe</c> through closure objects. The lambda's
    /// own variable (<paramref name="uses"/>) must be among them, or the search found nothing to search.
    /// </summary>
    private static List<string> ReachableFields(string body, string uses = "label")
    {
        var source = Prefix + body + Suffix;
        var compilation = CSharpCompilation.Create(
            "Closures" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            TestSetup.MetadataReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));

        var context = new AssemblyLoadContext("closures", isCollectible: true);
        try
        {
            image.Position = 0;
            var loader = context.LoadFromStream(image).GetType("Loader")!;
            loader.GetMethod("Load")!.Invoke(null, new object[] { "name" });
            var kept = (Delegate)loader.GetField("Describe")!.GetValue(null)!;
            var fields = new List<string>();
            Walk(kept.Target, fields, new HashSet<object>(ReferenceEqualityComparer.Instance));
            Assert.Contains(uses, fields);
            return fields;
        }
        finally
        {
            context.Unload();
        }
    }

    private static void Walk(object? target, List<string> fields, HashSet<object> seen)
    {
        if (target is null || !seen.Add(target) || !target.GetType().Name.Contains("DisplayClass", StringComparison.Ordinal) && target is not Delegate)
        {
            return;
        }

        if (target is Delegate @delegate)
        {
            Walk(@delegate.Target, fields, seen);
            return;
        }

        foreach (var field in target.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            fields.Add(field.Name);
            Walk(field.GetValue(target), fields, seen);
        }
    }
}
