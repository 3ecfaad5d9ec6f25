namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>
/// The disposables rules read a type's operation trees only when its syntax could come by a new disposable (see
/// OwnershipModel.MayComeByDisposables). Every way a new disposable reaches a type must still let it through, and a
/// type nested in another is analysed once, as itself.
/// </summary>
public class CheapFilter
{
    [Fact]
    public Task OnlyASourceFactoryOfAnotherTypeIsNamed() =>
        Verify.VerifyAsync("""
            using System.IO;
            static class Files
            {
                public static Stream Open(string path) => File.OpenRead(path);
            }
            class Reader
            {
                public int First(string path)
                {
                    var stream = {|LEAK001:Files.Open(path)|};
                    return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task OnlyASourceGetterThatCreatesIsNamed() =>
        Verify.VerifyAsync("""
            using System.IO;
            class Store
            {
                public Stream Fresh => File.OpenRead("x");
            }
            class Reader
            {
                public int First(Store store)
                {
                    var stream = {|LEAK001:store.Fresh|};
                    return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task TargetTypedCreationsAreResolvedFromTheirDeclarationOrTakenAsCandidates() =>
        Verify.VerifyAsync("""
            using System.IO;
            class Holder
            {
                private readonly FileStream {|LEAK003:log|} = new("log.txt", FileMode.Append);
                public void Write(byte b) => log.WriteByte(b);
            }
            class Passer
            {
                static int Read(FileStream s) => s.ReadByte();
                public int Run() => Read({|LEAK002:new("data.bin", FileMode.Open)|});
            }
            """);

    [Fact]
    public Task CreationOfATypeParameterIsACandidate() =>
        Verify.VerifyAsync("""
            using System;
            class Maker
            {
                public string Make<T>() where T : IDisposable, new()
                {
                    var made = {|LEAK001:new T()|};
                    return made.ToString();
                }
            }
            """);

    [Fact]
    public Task NestedTypesAreAnalysedOnceEach() =>
        Verify.VerifyAsync("""
            using System.IO;
            class Outer
            {
                public int Read(string path) { var s = {|LEAK001:File.OpenRead(path)|}; return s.ReadByte(); }

                class Inner
                {
                    public int Read(string path) { var s = {|LEAK001:File.OpenRead(path)|}; return s.ReadByte(); }
                    public void Drop(string path) => {|LEAK002:File.OpenRead(path)|};
                }
            }
            """);

    [Fact]
    public Task TypesThatComeByNoDisposableStaySilent() =>
        Verify.VerifyAsync("""
            using System.Collections.Generic;
            using System.Text;
            class Plain
            {
                private readonly List<int> items = new();
                public string Join() { var b = new StringBuilder(); foreach (var i in items) { b.Append(i); } return b.ToString(); }
            }
            """);
}
