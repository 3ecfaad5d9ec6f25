namespace LeakAnalyzers.Native;

using System.Collections.Immutable;
using LeakAnalyzers.Shared;

/// <summary>What an allocation holds, which decides the consequence in messages and how native code treats it.</summary>
internal enum NativeKind
{
    /// <summary>A block of unmanaged memory.</summary>
    Memory,

    /// <summary>Unmanaged memory holding the plaintext of a <c>SecureString</c>: it must be zeroed when freed.</summary>
    SecretMemory,

    /// <summary>A GC handle: a root (or a weak slot) in the runtime's handle table.</summary>
    GCHandle,

    /// <summary>A COM reference count taken on a managed object.</summary>
    ComReference,
}

/// <summary>
/// One allocating API and the functions that release what it returns. Members are written as
/// <c>Namespace.Type.Method</c> (<see cref="Shared.SymbolNames"/>); the first releaser is the one the code fixes insert.
/// </summary>
internal sealed class NativeAllocator
{
    internal NativeAllocator(string member, NativeKind kind, string heap, ImmutableArray<string> releasers, bool builtIn = true)
    {
        Member = member;
        Kind = kind;
        Heap = heap;
        Releasers = releasers;
        BuiltIn = builtIn;
    }

    internal string Member { get; }

    internal NativeKind Kind { get; }

    /// <summary>Which allocator the block comes from; two built-in APIs with different heaps must never mix.</summary>
    internal string Heap { get; }

    internal ImmutableArray<string> Releasers { get; }

    /// <summary>From the built-in table (mismatches are judged only between built-in entries).</summary>
    internal bool BuiltIn { get; }

    /// <summary>
    /// Whether native code given this value may keep it: a GC handle or a COM pointer handed to a P/Invoke is
    /// usually a callback context or an interface the native side holds on to, while a buffer is only borrowed.
    /// </summary>
    internal bool NativeCodeMayKeep => Kind is NativeKind.GCHandle or NativeKind.ComReference;

    /// <summary>The method name after the last dot.</summary>
    internal string Name => NativeApis.SimpleName(Member);
}

/// <summary>A function that releases, or reallocates, what an allocator returned.</summary>
internal sealed class NativeReleaser
{
    internal NativeReleaser(string member, string heap, bool reallocates, bool builtIn = true)
    {
        Member = member;
        Heap = heap;
        Reallocates = reallocates;
        BuiltIn = builtIn;
    }

    internal string Member { get; }

    internal string Heap { get; }

    /// <summary>Takes the old block (which the caller no longer owns) and returns a new one.</summary>
    internal bool Reallocates { get; }

    internal bool BuiltIn { get; }

    internal string Name => NativeApis.SimpleName(Member);
}

/// <summary>
/// What LeakAnalyzers knows about unmanaged memory and handles: every allocating API with its matching releases.
/// Users add pairs with <c>leak_analyzers.native_allocators = My.Native.Alloc:My.Native.Free</c>
/// (see <see cref="NativeTables"/>).
/// </summary>
internal static class NativeApis
{
    internal const string Marshal = "System.Runtime.InteropServices.Marshal.";
    internal const string NativeMemory = "System.Runtime.InteropServices.NativeMemory.";
    internal const string GCHandleType = KnownApis.GCHandleType;
    internal const string GCHandleFree = GCHandleType + ".Free";
    internal const string GCHandleAlloc = KnownApis.GCHandleAlloc;
    internal const string GCHandleToIntPtr = GCHandleType + ".ToIntPtr";
    internal const string GCHandleFromIntPtr = GCHandleType + ".FromIntPtr";

    private const string HGlobal = "HGlobal";
    private const string CoTaskMem = "CoTaskMem";
    private const string Bstr = "BSTR";
    private const string CrtHeap = "NativeMemory";
    private const string AlignedHeap = "NativeMemory (aligned)";
    private const string HandleTable = "GCHandle";
    private const string ComRefCount = "COM";

    private static readonly ImmutableArray<string> HGlobalFrees = ImmutableArray.Create(
        Marshal + "FreeHGlobal", Marshal + "ZeroFreeGlobalAllocUnicode", Marshal + "ZeroFreeGlobalAllocAnsi");

    private static readonly ImmutableArray<string> CoTaskMemFrees = ImmutableArray.Create(
        Marshal + "FreeCoTaskMem", Marshal + "ZeroFreeCoTaskMemUnicode", Marshal + "ZeroFreeCoTaskMemAnsi", Marshal + "ZeroFreeCoTaskMemUTF8");

    private static readonly ImmutableArray<string> BstrFrees = ImmutableArray.Create(Marshal + "FreeBSTR", Marshal + "ZeroFreeBSTR");

    /// <summary>Allocator → matching releasers. A secret must be freed by the zeroing function of its own width.</summary>
    internal static readonly ImmutableArray<NativeAllocator> Allocators = ImmutableArray.Create(
        new NativeAllocator(Marshal + "AllocHGlobal", NativeKind.Memory, HGlobal, HGlobalFrees),
        new NativeAllocator(Marshal + "ReAllocHGlobal", NativeKind.Memory, HGlobal, HGlobalFrees),
        new NativeAllocator(Marshal + "StringToHGlobalAnsi", NativeKind.Memory, HGlobal, HGlobalFrees),
        new NativeAllocator(Marshal + "StringToHGlobalUni", NativeKind.Memory, HGlobal, HGlobalFrees),
        new NativeAllocator(Marshal + "StringToHGlobalAuto", NativeKind.Memory, HGlobal, HGlobalFrees),
        new NativeAllocator(Marshal + "SecureStringToGlobalAllocUnicode", NativeKind.SecretMemory, HGlobal, ImmutableArray.Create(Marshal + "ZeroFreeGlobalAllocUnicode")),
        new NativeAllocator(Marshal + "SecureStringToGlobalAllocAnsi", NativeKind.SecretMemory, HGlobal, ImmutableArray.Create(Marshal + "ZeroFreeGlobalAllocAnsi")),
        new NativeAllocator(Marshal + "AllocCoTaskMem", NativeKind.Memory, CoTaskMem, CoTaskMemFrees),
        new NativeAllocator(Marshal + "ReAllocCoTaskMem", NativeKind.Memory, CoTaskMem, CoTaskMemFrees),
        new NativeAllocator(Marshal + "StringToCoTaskMemAnsi", NativeKind.Memory, CoTaskMem, CoTaskMemFrees),
        new NativeAllocator(Marshal + "StringToCoTaskMemUni", NativeKind.Memory, CoTaskMem, CoTaskMemFrees),
        new NativeAllocator(Marshal + "StringToCoTaskMemAuto", NativeKind.Memory, CoTaskMem, CoTaskMemFrees),
        new NativeAllocator(Marshal + "StringToCoTaskMemUTF8", NativeKind.Memory, CoTaskMem, CoTaskMemFrees),
        new NativeAllocator(Marshal + "SecureStringToCoTaskMemUnicode", NativeKind.SecretMemory, CoTaskMem, ImmutableArray.Create(Marshal + "ZeroFreeCoTaskMemUnicode")),
        new NativeAllocator(Marshal + "SecureStringToCoTaskMemAnsi", NativeKind.SecretMemory, CoTaskMem, ImmutableArray.Create(Marshal + "ZeroFreeCoTaskMemAnsi")),
        new NativeAllocator(Marshal + "StringToBSTR", NativeKind.Memory, Bstr, BstrFrees),
        new NativeAllocator(Marshal + "SecureStringToBSTR", NativeKind.SecretMemory, Bstr, ImmutableArray.Create(Marshal + "ZeroFreeBSTR")),
        new NativeAllocator(Marshal + "GetIUnknownForObject", NativeKind.ComReference, ComRefCount, ImmutableArray.Create(Marshal + "Release")),
        new NativeAllocator(Marshal + "GetIDispatchForObject", NativeKind.ComReference, ComRefCount, ImmutableArray.Create(Marshal + "Release")),
        new NativeAllocator(Marshal + "GetComInterfaceForObject", NativeKind.ComReference, ComRefCount, ImmutableArray.Create(Marshal + "Release")),
        new NativeAllocator(NativeMemory + "Alloc", NativeKind.Memory, CrtHeap, ImmutableArray.Create(NativeMemory + "Free")),
        new NativeAllocator(NativeMemory + "AllocZeroed", NativeKind.Memory, CrtHeap, ImmutableArray.Create(NativeMemory + "Free")),
        new NativeAllocator(NativeMemory + "Realloc", NativeKind.Memory, CrtHeap, ImmutableArray.Create(NativeMemory + "Free")),
        new NativeAllocator(NativeMemory + "AlignedAlloc", NativeKind.Memory, AlignedHeap, ImmutableArray.Create(NativeMemory + "AlignedFree")),
        new NativeAllocator(NativeMemory + "AlignedRealloc", NativeKind.Memory, AlignedHeap, ImmutableArray.Create(NativeMemory + "AlignedFree")),
        new NativeAllocator(GCHandleAlloc, NativeKind.GCHandle, HandleTable, ImmutableArray.Create(GCHandleFree)));

    /// <summary>Every release and reallocation function, with the allocator family it belongs to.</summary>
    internal static readonly ImmutableArray<NativeReleaser> Releasers = ImmutableArray.Create(
        new NativeReleaser(Marshal + "FreeHGlobal", HGlobal, reallocates: false),
        new NativeReleaser(Marshal + "ZeroFreeGlobalAllocUnicode", HGlobal, false),
        new NativeReleaser(Marshal + "ZeroFreeGlobalAllocAnsi", HGlobal, false),
        new NativeReleaser(Marshal + "ReAllocHGlobal", HGlobal, reallocates: true),
        new NativeReleaser(Marshal + "FreeCoTaskMem", CoTaskMem, false),
        new NativeReleaser(Marshal + "ZeroFreeCoTaskMemUnicode", CoTaskMem, false),
        new NativeReleaser(Marshal + "ZeroFreeCoTaskMemAnsi", CoTaskMem, false),
        new NativeReleaser(Marshal + "ZeroFreeCoTaskMemUTF8", CoTaskMem, false),
        new NativeReleaser(Marshal + "ReAllocCoTaskMem", CoTaskMem, true),
        new NativeReleaser(Marshal + "FreeBSTR", Bstr, false),
        new NativeReleaser(Marshal + "ZeroFreeBSTR", Bstr, false),
        new NativeReleaser(Marshal + "Release", ComRefCount, false),
        new NativeReleaser(NativeMemory + "Free", CrtHeap, false),
        new NativeReleaser(NativeMemory + "Realloc", CrtHeap, true),
        new NativeReleaser(NativeMemory + "AlignedFree", AlignedHeap, false),
        new NativeReleaser(NativeMemory + "AlignedRealloc", AlignedHeap, true),
        new NativeReleaser(GCHandleFree, HandleTable, false));

    /// <summary>
    /// Constructor and method parameters that take ownership of a handle: <c>new MemoryHandle(pointer, handle)</c> frees
    /// the GC handle when it is disposed (the pointer stays the caller's).
    /// </summary>
    internal static readonly ImmutableHashSet<(string Member, string Parameter)> HandleTakingParameters = ImmutableHashSet.Create(
        ("System.Buffers.MemoryHandle..ctor", "handle"));

    /// <summary>Types whose constructors and <c>SetHandle</c> take ownership of a raw handle or pointer.</summary>
    internal static readonly ImmutableArray<string> HandleOwnerTypes = ImmutableArray.Create(
        "System.Runtime.InteropServices.SafeHandle",
        "System.Runtime.InteropServices.CriticalHandle");

    /// <summary>
    /// Framework types whose constructors wrap a pointer without copying or owning the memory: a view of the block.
    /// A view that escapes (returned, stored) carries the block with it; a local holding a view stands for the block.
    /// </summary>
    internal static readonly ImmutableArray<string> PointerViewTypes = ImmutableArray.Create(
        "System.Span`1",
        "System.ReadOnlySpan`1",
        "System.IO.UnmanagedMemoryStream");

    /// <summary>Framework methods that store a pointer argument somewhere the caller no longer controls.</summary>
    internal static readonly ImmutableArray<string> StoringMethods = ImmutableArray.Create(
        Marshal + "WriteIntPtr",
        "System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver");

    internal static string SimpleName(string member)
    {
        var dot = member.LastIndexOf('.');
        return dot < 0 ? member : member.Substring(dot + 1);
    }

    /// <summary><c>Marshal.FreeHGlobal</c> for messages: the type's simple name and the method.</summary>
    internal static string Display(string member)
    {
        var dot = member.LastIndexOf('.');
        if (dot <= 0)
        {
            return member;
        }

        var typeDot = member.LastIndexOf('.', dot - 1);
        var type = member.Substring(typeDot + 1, dot - typeDot - 1);
        var plus = type.LastIndexOf('+');
        return (plus >= 0 ? type.Substring(plus + 1) : type) + "." + member.Substring(dot + 1);
    }
}
