namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Diagnostics.Runtime;

/// <summary>A GC root with a name a person recognises.</summary>
internal sealed class RootRecord
{
    private RootRecord(RootKind kind, ulong obj, string description, int stage)
    {
        Kind = kind;
        Object = obj;
        Description = description;
        Stage = stage;
    }

    internal RootKind Kind { get; }

    internal ulong Object { get; }

    internal string Description { get; }

    /// <summary>Lower stages are searched first: a path from a static field explains more than one from a stack.</summary>
    internal int Stage { get; }

    /// <summary>For a static field: whether it is the backing field of an event.</summary>
    internal bool IsEvent { get; private init; }

    /// <summary>For a static field: the type that declares it (runtime name).</summary>
    internal string? DeclaringType { get; private init; }

    internal string? FieldName { get; private init; }

    /// <summary>For a handle: whether it holds the runtime's array of static values (statics the module did not list).</summary>
    internal bool IsStaticsStorage { get; private init; }

    internal static List<RootRecord> Collect(HeapSession session)
    {
        var roots = new List<RootRecord>();
        ClrRuntime runtime = session.Runtime;

        // Stage 0: static fields. On .NET 9+ their values live in object arrays reached through handles; the
        // arrays say nothing to a person, so each field is turned back into a root of its own, named after it.
        var domains = new List<ClrAppDomain>(runtime.AppDomains);
        if (runtime.SystemDomain is not null)
        {
            domains.Add(runtime.SystemDomain);
        }

        var seenFields = new HashSet<(ulong, string)>();
        var staticSlots = new List<ulong>();
        foreach (ClrModule module in runtime.EnumerateModules())
        {
            IEnumerable<ClrType> types;
            try
            {
                types = module.EnumerateTypesWithStaticFields();
            }
            catch (Exception e) when (e is InvalidOperationException or System.IO.IOException)
            {
                continue;
            }

            foreach (ClrType type in types)
            {
                AddThreadStatics(session, type, roots);
                foreach (ClrStaticField field in type.StaticFields)
                {
                    if (!field.IsObjectReference || field.Name is null || !seenFields.Add((type.MethodTable, field.Name)))
                    {
                        continue;
                    }

                    foreach (ClrAppDomain domain in domains)
                    {
                        ClrObject value;
                        try
                        {
                            if (!field.IsInitialized(domain))
                            {
                                continue;
                            }

                            value = field.ReadObject(domain);
                        }
                        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException)
                        {
                            continue;
                        }

                        if (value.IsNull || !value.IsValid)
                        {
                            continue;
                        }

                        AddSlot(staticSlots, field, domain);
                        bool isEvent = value.Type?.IsDelegate() == true && IsEventBackingField(session, type, field.Name, isStatic: true);
                        string name = FieldDisplayName(field.Name);
                        string description = $"static {TypeNames.Short(type.Name)}.{name}" + (isEvent ? " (event)" : string.Empty);
                        roots.Add(new RootRecord(RootKind.StaticField, value.Address, description, 0)
                        {
                            IsEvent = isEvent,
                            DeclaringType = type.Name,
                            FieldName = field.Name,
                        });
                        break;
                    }
                }
            }
        }

        // Stage 1: handles the program or the runtime holds (GCHandle.Alloc, pinned buffers, the statics arrays themselves).
        staticSlots.Sort();
        foreach (ClrHandle handle in runtime.EnumerateHandles())
        {
            if (!handle.IsStrong || handle.Object.IsNull)
            {
                continue;
            }

            if (HoldsStaticSlots(handle.Object, staticSlots))
            {
                roots.Add(new RootRecord(RootKind.StaticField, handle.Object.Address, "a static field the module does not list (generic types' statics, in the runtime's statics array)", 1)
                {
                    IsStaticsStorage = true,
                });
                continue;
            }

            RootKind kind = handle.HandleKind == ClrHandleKind.Pinned || handle.HandleKind == ClrHandleKind.AsyncPinned
                ? RootKind.PinnedHandle
                : RootKind.StrongHandle;
            string what = handle.HandleKind switch
            {
                ClrHandleKind.Pinned => "pinned handle",
                ClrHandleKind.AsyncPinned => "async pinned handle (overlapped I/O)",
                ClrHandleKind.RefCounted => "ref-counted handle (COM or interop wrapper)",
                ClrHandleKind.SizedRef => "sized-ref handle",
                _ => "strong handle (GCHandle)",
            };
            roots.Add(new RootRecord(kind, handle.Object.Address, $"{what} 0x{handle.Address:x}", 1));
        }

        // Stage 2 and 4: thread stacks; the calling thread (the test itself) last.
        foreach (ClrThread thread in runtime.Threads)
        {
            bool calling = thread.ManagedThreadId == session.CallingThreadId;
            foreach (ClrStackRoot root in thread.EnumerateStackRoots())
            {
                if (root.Object.IsNull)
                {
                    continue;
                }

                string frame = root.StackFrame?.Method is { } method
                    ? $"{TypeNames.Short(method.Type?.Name)}.{method.Name}"
                    : root.StackFrame?.FrameName ?? "an unknown frame";
                string description = calling
                    ? $"local in {frame} on the calling thread (the caller's own reference)"
                    : $"local in {frame} on thread {thread.ManagedThreadId}";
                roots.Add(new RootRecord(calling ? RootKind.CallingThreadStack : RootKind.ThreadStack, root.Object.Address, description, calling ? 4 : 2));
            }
        }

        // Stage 3: objects whose finalizer is about to run keep everything they reference alive until it has.
        foreach (ClrRoot root in session.Heap.EnumerateFinalizerRoots())
        {
            if (!root.Object.IsNull)
            {
                roots.Add(new RootRecord(RootKind.FinalizerQueue, root.Object.Address, "finalizer queue (waiting for its finalizer to run)", 3));
            }
        }

        // A stable sort: within a stage, roots keep the order of the modules, types and fields, so the same heap
        // always gives the same paths (List.Sort would shuffle equal stages).
        return roots.OrderBy(r => r.Stage).ToList();
    }

    /// <summary>Thread-static fields, one root per thread that has a value: they live as long as their thread.</summary>
    private static void AddThreadStatics(HeapSession session, ClrType type, List<RootRecord> roots)
    {
        if (type.ThreadStaticFields.Length == 0)
        {
            return;
        }

        foreach (ClrThreadStaticField field in type.ThreadStaticFields)
        {
            if (!field.IsObjectReference || field.Name is null)
            {
                continue;
            }

            foreach (ClrThread thread in session.Runtime.Threads)
            {
                ClrObject value;
                try
                {
                    value = field.ReadObject(thread);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.IO.IOException)
                {
                    continue;
                }

                if (value.IsNull || !value.IsValid)
                {
                    continue;
                }

                string description = $"thread-static {TypeNames.Short(type.Name)}.{FieldDisplayName(field.Name)} (thread {thread.ManagedThreadId})";
                roots.Add(new RootRecord(RootKind.ThreadStaticField, value.Address, description, 1)
                {
                    DeclaringType = type.Name,
                    FieldName = field.Name,
                });
            }
        }
    }

    private static void AddSlot(List<ulong> slots, ClrStaticField field, ClrAppDomain domain)
    {
        try
        {
            ulong address = field.GetAddress(domain);
            if (address != 0)
            {
                slots.Add(address);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
        }
    }

    /// <summary>Whether an object array holds the slot of a known static field: then it is the runtime's statics storage.</summary>
    private static bool HoldsStaticSlots(ClrObject obj, List<ulong> sortedSlots)
    {
        ClrType? type = obj.Type;
        if (type is null || !type.IsArray || type.ComponentType?.IsObjectReference != true || sortedSlots.Count == 0)
        {
            return false;
        }

        ulong start = obj.Address;
        ulong end = start + obj.Size;
        int index = sortedSlots.BinarySearch(start);
        if (index < 0)
        {
            index = ~index;
        }

        return index < sortedSlots.Count && sortedSlots[index] < end;
    }

    /// <summary><c>&lt;Name&gt;k__BackingField</c> becomes <c>Name</c>; other names are kept.</summary>
    internal static string FieldDisplayName(string name)
    {
        if (name.Length > 2 && name[0] == '<')
        {
            int close = name.IndexOf('>');
            if (close > 1 && name.EndsWith("k__BackingField", StringComparison.Ordinal))
            {
                return name.Substring(1, close - 1);
            }
        }

        return name;
    }

    /// <summary>Whether <paramref name="fieldName"/> backs a field-like event of <paramref name="type"/> (C# gives both the same name).</summary>
    internal static bool IsEventBackingField(HeapSession session, ClrType? type, string fieldName, bool isStatic)
    {
        for (ClrType? current = type; current is not null; current = current.BaseType)
        {
            Type? reflected = session.ReflectionType(current);
            if (reflected is null)
            {
                if (!session.IsSelf && session.Events.Declares(current, fieldName))
                {
                    return true;
                }

                continue;
            }

            const BindingFlags Flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            EventInfo? e = reflected.GetEvent(fieldName, Flags | (isStatic ? BindingFlags.Static : BindingFlags.Instance));
            if (e is not null)
            {
                return true;
            }
        }

        return false;
    }
}
