namespace LeakAnalyzers.Native;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>An allocation found in code: the allocating call, and the expression whose value holds the result.</summary>
internal readonly struct NativeAllocation
{
    internal NativeAllocation(IInvocationOperation call, IOperation value, NativeAllocator allocator, bool throughIntPtr)
    {
        Call = call;
        Value = value;
        Allocator = allocator;
        ThroughIntPtr = throughIntPtr;
    }

    /// <summary>The allocating call (<c>Marshal.AllocHGlobal(n)</c>, <c>GCHandle.Alloc(x)</c>).</summary>
    internal IInvocationOperation Call { get; }

    /// <summary>The value that carries the allocation: the call itself, or <c>GCHandle.ToIntPtr(GCHandle.Alloc(x))</c>.</summary>
    internal IOperation Value { get; }

    internal NativeAllocator Allocator { get; }

    /// <summary>A GC handle carried as the IntPtr of <c>GCHandle.ToIntPtr</c>: released by <c>GCHandle.FromIntPtr(p).Free()</c>.</summary>
    internal bool ThroughIntPtr { get; }
}

/// <summary>
/// The unmanaged-memory model of one compilation: the allocator/releaser tables (built-in and .editorconfig), the
/// types that take ownership of raw handles, and the ownership model of the disposables family, whose rules for
/// "does this method keep its argument" apply to pointers as well.
/// </summary>
internal sealed class NativeModel
{
    // The compiler hands out one options object per file: remember the tables per object, and build them once per
    // distinct configured value (the native keys and the ownership tables they embed).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<AnalyzerConfigOptions, NativeTables> tablesByOptions = new();
    private readonly ConcurrentDictionary<string, NativeTables> tablesByValues = new(StringComparer.Ordinal);
    private readonly ImmutableArray<INamedTypeSymbol> handleOwners;
    private readonly string ruleId;

    private NativeModel(OwnershipModel ownership, ImmutableArray<INamedTypeSymbol> handleOwners, INamedTypeSymbol? gcHandle, string ruleId)
    {
        Ownership = ownership;
        this.handleOwners = handleOwners;
        GCHandle = gcHandle;
        this.ruleId = ruleId;
    }

    internal OwnershipModel Ownership { get; }

    internal INamedTypeSymbol? GCHandle { get; }

    /// <summary>Null when the compilation has no interop types at all (nothing to analyze).</summary>
    internal static NativeModel? Create(Compilation compilation, string ruleId)
    {
        var marshal = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.Marshal");
        var gcHandle = compilation.GetTypeByMetadataName(NativeApis.GCHandleType);
        var nativeMemory = compilation.GetTypeByMetadataName("System.Runtime.InteropServices.NativeMemory");
        var ownership = OwnershipModel.Create(compilation, ruleId);
        if (ownership is null || (marshal is null && gcHandle is null && nativeMemory is null))
        {
            return null;
        }

        var owners = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in NativeApis.HandleOwnerTypes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                owners.Add(type);
            }
        }

        return new NativeModel(ownership, owners.ToImmutable(), gcHandle, ruleId);
    }

    /// <summary>
    /// Whether some source of the compilation names an allocator (<see cref="NativeTables.AllocatorNames"/>): when
    /// none does, as in most libraries, the family registers nothing else. Decided once per compilation.
    /// </summary>
    internal static bool MayAllocate(Compilation compilation, AnalyzerOptions options, string ruleId, System.Threading.CancellationToken cancellationToken) =>
        SourceNames.MentionedAnywhere(compilation, tree => NativeTables.AllocatorNames(LeakOptions.For(options, tree), ruleId), cancellationToken);

    /// <summary>Whether the code of these operation blocks names an allocator.</summary>
    internal bool MayAllocateIn(AnalyzerOptions options, ImmutableArray<IOperation> blocks, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var block in blocks)
        {
            var tree = block.Syntax.SyntaxTree;
            if (SourceNames.MentionedWithin(tree, block.Syntax.Span, NativeTables.AllocatorNames(LeakOptions.For(options, tree), ruleId), cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the text of one of the declarations of <paramref name="type"/> names an allocator.</summary>
    internal bool MayAllocateIn(AnalyzerOptions options, INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken) =>
        SourceNames.MentionedIn(type, tree => NativeTables.AllocatorNames(LeakOptions.For(options, tree), ruleId), cancellationToken);

    /// <summary>Null when there is no tree to read the options of.</summary>
    internal NativeTables? TablesForTree(AnalyzerOptions options, SyntaxTree? tree) =>
        tree is null ? null : TablesFor(options, tree);

    internal NativeTables TablesFor(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = LeakOptions.For(options, tree);
        return tablesByOptions.GetValue(config, c => tablesByValues.GetOrAdd(
            NativeTables.KeyOf(c, ruleId),
            _ => NativeTables.Create(c, ruleId, Ownership.TablesFor(options, tree))));
    }

    /// <summary>The allocation that <paramref name="value"/> produces, looking through conversions.</summary>
    internal NativeAllocation? AllocationIn(IOperation? value, NativeTables tables)
    {
        value = Operations.SkipConversions(value);
        if (value is not IInvocationOperation call)
        {
            return null;
        }

        if (tables.AllocatorOf(call.TargetMethod) is { } allocator)
        {
            return new NativeAllocation(call, call, allocator, throughIntPtr: false);
        }

        // GCHandle.ToIntPtr(GCHandle.Alloc(x)): the IntPtr carries the handle.
        if (IsGCHandleMethod(call.TargetMethod, "ToIntPtr") && call.Arguments.Length == 1 &&
            Operations.SkipConversions(call.Arguments[0].Value) is IInvocationOperation inner &&
            tables.AllocatorOf(inner.TargetMethod) is { Kind: NativeKind.GCHandle } handleAllocator)
        {
            return new NativeAllocation(inner, call, handleAllocator, throughIntPtr: true);
        }

        return null;
    }

    internal bool IsGCHandleMethod(IMethodSymbol method, string name) =>
        GCHandle is not null &&
        string.Equals(method.Name, name, StringComparison.Ordinal) &&
        SymbolEqualityComparer.Default.Equals(method.ContainingType, GCHandle);

    /// <summary><c>new Span&lt;byte&gt;(p, n)</c>, <c>new UnmanagedMemoryStream(p, n)</c>: a view of the memory, not a copy.</summary>
    internal static bool IsPointerView(IOperation? operation) =>
        operation is IObjectCreationOperation { Type: INamedTypeSymbol type } &&
        NativeApis.PointerViewTypes.Contains(SymbolNames.FullMetadataName(type));

    /// <summary>A type a pointer or handle is kept in: a pointer, IntPtr (nint), UIntPtr (nuint), a GCHandle.</summary>
    internal static bool CanHoldPointer(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Pointer ||
        type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr ||
        type is { Name: "GCHandle", ContainingNamespace.Name: "InteropServices" };

    /// <summary>A SafeHandle or CriticalHandle (or a type derived from one): its constructors and SetHandle take ownership.</summary>
    internal bool IsHandleOwner(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            foreach (var owner in handleOwners)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, owner))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A P/Invoke (DllImport, extern, LibraryImport) or a call through a function pointer.</summary>
    internal static bool IsNativeCall(IMethodSymbol method)
    {
        if (method.MethodKind == MethodKind.FunctionPointerSignature || method.IsExtern || method.GetDllImportData() is not null)
        {
            return true;
        }

        var definition = method.PartialDefinitionPart ?? method;
        foreach (var attribute in definition.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "LibraryImportAttribute" or "DllImportAttribute" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value of a GCHandle.Alloc call's <c>GCHandleType</c> argument: Weak 0, WeakTrackResurrection 1, Normal 2, Pinned 3.</summary>
    internal static int GCHandleTypeOf(IInvocationOperation allocation)
    {
        foreach (var argument in allocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: 1 } && argument.Value.ConstantValue is { HasValue: true, Value: int type })
            {
                return type;
            }
        }

        return allocation.Arguments.Length >= 2 ? -1 : 2;
    }

    /// <summary>What leaking this allocation costs, for messages.</summary>
    internal static string ConsequenceOf(NativeAllocation allocation) =>
        allocation.Allocator.Kind switch
        {
            NativeKind.GCHandle => GCHandleTypeOf(allocation.Call) switch
            {
                0 or 1 => "its slot in the runtime's handle table is never returned",
                3 => "its target stays alive and pinned for good",
                2 => "its target stays alive for good",
                _ => "its target stays alive, or its slot taken, for good",
            },
            NativeKind.SecretMemory => "the memory leaks and the secret stays readable in it",
            NativeKind.ComReference => "the COM object's reference count never drops to zero",
            _ => "no finalizer will ever free it",
        };
}

/// <summary>The built-in allocator/releaser table merged with one .editorconfig section's <c>native_allocators</c>.</summary>
internal sealed class NativeTables
{
    private readonly Dictionary<string, NativeAllocator> allocators;
    private readonly Dictionary<string, NativeReleaser> releasers;
    private readonly HashSet<string> names;

    private NativeTables(Dictionary<string, NativeAllocator> allocators, Dictionary<string, NativeReleaser> releasers, OwnershipTables ownership)
    {
        this.allocators = allocators;
        this.releasers = releasers;
        Ownership = ownership;
        names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in allocators.Keys)
        {
            names.Add(NativeApis.SimpleName(key));
        }

        foreach (var key in releasers.Keys)
        {
            names.Add(NativeApis.SimpleName(key));
        }
    }

    /// <summary>The disposables family's tables for the same section: user transfer and borrowing methods apply to pointers too.</summary>
    internal OwnershipTables Ownership { get; }

    /// <summary>The configured values these tables are built from: the native keys and the ownership tables' keys.</summary>
    internal static string KeyOf(AnalyzerConfigOptions options, string ruleId) =>
        LeakOptions.ValueKey(options, ruleId, ConfiguredKeys) + OwnershipTables.KeyOf(options, ruleId);

    private static readonly string[] ConfiguredKeys = { LeakOptions.NativeAllocators };

    internal static NativeTables Create(AnalyzerConfigOptions options, string ruleId, OwnershipTables ownership)
    {
        var allocators = new Dictionary<string, NativeAllocator>(StringComparer.Ordinal);
        var releasers = new Dictionary<string, NativeReleaser>(StringComparer.Ordinal);
        foreach (var allocator in NativeApis.Allocators)
        {
            allocators[allocator.Member] = allocator;
        }

        foreach (var releaser in NativeApis.Releasers)
        {
            releasers[releaser.Member] = releaser;
        }

        foreach (var (allocatorName, frees) in UserEntries(options, ruleId))
        {
            var heap = "user:" + allocatorName;
            foreach (var name in frees)
            {
                if (!releasers.ContainsKey(name))
                {
                    releasers[name] = new NativeReleaser(name, heap, reallocates: false, builtIn: false);
                }
            }

            if (frees.Length > 0 && allocatorName.Length > 0)
            {
                allocators[allocatorName] = new NativeAllocator(allocatorName, NativeKind.Memory, heap, frees, builtIn: false);
            }
        }

        return new NativeTables(allocators, releasers, ownership);
    }

    /// <summary>
    /// The simple names of every allocator, built-in and from one section's <c>native_allocators</c>, sorted: code
    /// that names none of them allocates nothing this family tracks (every LEAK4xx finding starts at an allocating
    /// call), so the rules skip it before any operation is looked at.
    /// </summary>
    internal static ImmutableArray<string> AllocatorNames(AnalyzerConfigOptions options, string ruleId) =>
        AllocatorNamesByConfiguredEntries.GetOrAdd(LeakOptions.GetString(options, ruleId, LeakOptions.NativeAllocators) ?? string.Empty, _ =>
            {
                var names = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var allocator in NativeApis.Allocators)
                {
                    names.Add(allocator.Name);
                }

                foreach (var (allocator, frees) in UserEntries(options, ruleId))
                {
                    if (frees.Length > 0 && allocator.Length > 0)
                    {
                        names.Add(NativeApis.SimpleName(allocator));
                    }
                }

                return names.ToImmutableArray();
            });

    /// <summary>By the value of <c>native_allocators</c> that applies, not by options object: the compiler may hand out one per file.</summary>
    private static readonly ConcurrentDictionary<string, ImmutableArray<string>> AllocatorNamesByConfiguredEntries = new(StringComparer.Ordinal);

    /// <summary>The <c>native_allocators</c> entries: <c>My.Native.Alloc:My.Native.Free|My.Native.FreeZeroed</c>.</summary>
    private static IEnumerable<(string Allocator, ImmutableArray<string> Frees)> UserEntries(AnalyzerConfigOptions options, string ruleId)
    {
        foreach (var entry in LeakOptions.GetList(options, ruleId, LeakOptions.NativeAllocators))
        {
            var colon = entry.IndexOf(':');
            if (colon <= 0 || colon == entry.Length - 1)
            {
                continue;
            }

            var frees = ImmutableArray.CreateBuilder<string>();
            foreach (var part in entry.Substring(colon + 1).Split('|'))
            {
                var name = part.Trim();
                if (name.Length > 0)
                {
                    frees.Add(name);
                }
            }

            yield return (entry.Substring(0, colon).Trim(), frees.ToImmutable());
        }
    }

    internal NativeAllocator? AllocatorOf(IMethodSymbol method) =>
        Lookup(method, allocators);

    internal NativeReleaser? ReleaserOf(IMethodSymbol method) =>
        Lookup(method, releasers);

    /// <summary>The name matches some allocator or releaser: the cheap test before any symbol name is built.</summary>
    internal bool MayMatch(IMethodSymbol method) => names.Contains(method.Name);

    private T? Lookup<T>(IMethodSymbol method, Dictionary<string, T> table)
        where T : class
    {
        if (!names.Contains(method.Name))
        {
            return null;
        }

        method = method.ReducedFrom ?? method;
        return method.ContainingType is { } type && table.TryGetValue(SymbolNames.MemberKey(type, method.Name), out var found) ? found : null;
    }
}
