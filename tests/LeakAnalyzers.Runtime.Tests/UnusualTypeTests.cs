namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Xunit;

/// <summary>Objects whose types have no file behind them: made at run time in a collectible assembly.</summary>
public sealed class UnusualTypeTests
{
    private static readonly List<object> Kept = new();

    [Fact]
    public void Objects_of_a_collectible_emitted_type_are_counted_and_get_a_path_even_when_the_dump_cannot_describe_their_type()
    {
        AssemblyBuilder assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("LeakAnalyzers.Emitted"), AssemblyBuilderAccess.RunAndCollect);
        TypeBuilder builder = assembly.DefineDynamicModule("Emitted").DefineType("Emitted.Widget", TypeAttributes.Public | TypeAttributes.Sealed);
        builder.DefineField("payload", typeof(object), FieldAttributes.Public);
        Type widget = builder.CreateType()!;
        object instance = Activator.CreateInstance(widget)!;
        Kept.Add(instance);
        try
        {
            using HeapDump dump = HeapDump.Capture(instance);

            // The type lives in a collectible assembly; its method table may or may not be in the dump. Either the
            // object is described by its name, or it is counted as of an unknown type: never an exception.
            HeapSnapshot snapshot = dump.Snapshot(HeapFilter.Where(n => n == "Emitted.Widget"));
            HeapSnapshot unknown = dump.Snapshot(HeapFilter.Where(n => n == "<unknown type>"));
            bool described = snapshot.Count == 1;
            Assert.True(described || unknown.Count >= 1, "the object is counted under its name or as of an unknown type");

            RetentionPath path = dump.FindPath(instance)!;
            Assert.Equal("static UnusualTypeTests.Kept", path.Root);
            Assert.Equal(LeakFamily.StaticCollection, path.Family);
            if (described)
            {
                Assert.Equal("Emitted.Widget", path.Target.TypeName);
            }
            else
            {
                Assert.Equal("<unknown type>", path.Target.TypeName);
                Assert.Contains("of a type the runtime cannot describe", path.Target.Description);
            }
        }
        finally
        {
            Kept.Clear();
        }
    }
}
