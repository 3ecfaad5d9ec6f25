namespace LeakAnalyzers.Runtime.Tests;

using LeakAnalyzers.Runtime.Internal;
using Xunit;

/// <summary>How the runtime's type names are shown to a person (no heap capture needed).</summary>
public sealed class TypeNameTests
{
    [Theory]
    [InlineData("System.Collections.Generic.Dictionary<System.String, MyApp.Orders.Order>", "Dictionary<string, Order>")]
    [InlineData("System.Collections.Generic.Dictionary<System.String, MyApp.Order>+Entry[]", "Dictionary<string, Order>.Entry[]")]
    [InlineData("MyApp.ViewModel+<>c__DisplayClass3_0", "ViewModel.<>c__DisplayClass3_0")]
    [InlineData("MyApp.ViewModel+<LoadAsync>d__7", "ViewModel.<LoadAsync>d__7")]
    [InlineData("System.Func<System.Int32, System.Collections.Generic.List<MyApp.Item>>", "Func<int, List<Item>>")]
    [InlineData("System.Object[]", "object[]")]
    [InlineData("MyApp.StringHolder", "StringHolder")]
    [InlineData(null, "<unknown type>")]
    public void Short_names_drop_namespaces_and_use_keywords(string? full, string expected)
    {
        Assert.Equal(expected, TypeNames.Short(full));
    }

    [Theory]
    [InlineData("System.Collections.Generic.List<MyApp.Item>", "System.Collections.Generic")]
    [InlineData("MyApp.Views.ViewModel+<>c", "MyApp.Views")]
    [InlineData("<Module>", "")]
    [InlineData("TopLevel", "")]
    public void The_namespace_is_the_outermost_types(string full, string expected)
    {
        Assert.Equal(expected, TypeNames.Namespace(full));
    }

    [Theory]
    [InlineData("MyApp.ViewModel+<>c__DisplayClass3_0", "<>c__DisplayClass3_0", "MyApp.ViewModel")]
    [InlineData("System.Collections.Generic.List<MyApp.Item>", "List", null)]
    [InlineData("MyApp.Outer<System.Int32>+Inner", "Inner", "MyApp.Outer")]
    public void Innermost_and_outer_types_are_found_across_generic_arguments(string full, string innermost, string? outer)
    {
        Assert.Equal(innermost, TypeNames.Innermost(full));
        Assert.Equal(outer, TypeNames.Outer(full));
    }

    [Theory]
    [InlineData("/usr/share/app/MyApp.Core.dll", "MyApp.Core")]
    [InlineData("MyApp.Core, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null", "MyApp.Core")]
    [InlineData("C:\\app\\Tool.exe", "Tool")]
    public void Assembly_names_are_simple_names(string module, string expected)
    {
        Assert.Equal(expected, TypeNames.AssemblyName(module));
    }
}
