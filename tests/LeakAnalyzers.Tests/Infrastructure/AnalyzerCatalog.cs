namespace LeakAnalyzers.Tests.Infrastructure;

using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// What the two shipped assemblies hold, found by reflection so that every test built on it covers the rules
/// added after it was written: the descriptors of <see cref="Descriptors"/>, the analyzers, the code fixes.
/// </summary>
internal static class AnalyzerCatalog
{
    internal static Assembly AnalyzersAssembly => typeof(Descriptors).Assembly;

    internal static Assembly CodeFixesAssembly => Assembly.Load(new AssemblyName("LeakAnalyzers.CodeFixes"));

    /// <summary>Every static DiagnosticDescriptor field of <see cref="Descriptors"/>, with its field.</summary>
    internal static ImmutableArray<(FieldInfo Field, DiagnosticDescriptor Descriptor)> DescriptorFields =>
        typeof(Descriptors)
            .GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (f, (DiagnosticDescriptor)f.GetValue(null)!))
            .OrderBy(x => x.Item2.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    internal static ImmutableArray<DiagnosticDescriptor> Descriptors =>
        DescriptorFields.Select(x => x.Descriptor).ToImmutableArray();

    /// <summary>Every concrete DiagnosticAnalyzer type of the analyzers assembly, public or not.</summary>
    internal static ImmutableArray<Type> AnalyzerTypes =>
        AnalyzersAssembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>Every concrete CodeFixProvider type of the code-fixes assembly, public or not.</summary>
    internal static ImmutableArray<Type> CodeFixProviderTypes =>
        CodeFixesAssembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToImmutableArray();

    internal static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() =>
        AnalyzerTypes.Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t, nonPublic: true)!).ToImmutableArray();

    internal static ImmutableArray<CodeFixProvider> CreateCodeFixProviders() =>
        CodeFixProviderTypes.Select(t => (CodeFixProvider)Activator.CreateInstance(t, nonPublic: true)!).ToImmutableArray();

    /// <summary>The IDs some code fix in the code-fixes assembly can fix.</summary>
    internal static ImmutableHashSet<string> FixableIds =>
        CreateCodeFixProviders().SelectMany(p => p.FixableDiagnosticIds).ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>"Disposables" for "LeakAnalyzers.Disposables".</summary>
    internal static string Family(DiagnosticDescriptor descriptor) =>
        descriptor.Category.StartsWith("LeakAnalyzers.", StringComparison.Ordinal)
            ? descriptor.Category.Substring("LeakAnalyzers.".Length)
            : descriptor.Category;

    /// <summary>The severity as the release-tracking files and the README write it.</summary>
    internal static string SeverityText(DiagnosticDescriptor descriptor) =>
        descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
}
