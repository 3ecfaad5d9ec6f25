namespace LeakAnalyzers.Native;

using System.Collections.Generic;
using System.Collections.Immutable;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK402: memory released (or reallocated) by a function of another allocator than the one that allocated it:
/// AllocHGlobal memory given to FreeCoTaskMem, AlignedAlloc memory to NativeMemory.Free, a SecureString's
/// plaintext to a function that does not zero it. Judged per local and per private field: only when every value
/// the variable ever receives is an allocation from the built-in table (or zero), so that what it holds when freed
/// is known without following the flow. Scoped to the named type, so that it shows while typing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MismatchedFreeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the member that should release the memory.</summary>
    internal const string ReplacementKey = "LEAK402.Replacement";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK402MismatchedFree);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!NativeModel.MayAllocate(start.Compilation, start.Options, Descriptors.LEAK402MismatchedFree.Id, start.CancellationToken))
            {
                return;
            }

            var model = NativeModel.Create(start.Compilation, Descriptors.LEAK402MismatchedFree.Id);
            if (model is null)
            {
                return;
            }

            // Locals: judged per operation block, and only in blocks that name an allocator and call a release function.
            start.RegisterOperationBlockStartAction(blockStart =>
            {
                var tables = model.TablesForTree(blockStart.Options, blockStart.OperationBlocks.IsEmpty ? null : blockStart.OperationBlocks[0].Syntax.SyntaxTree);
                if (tables is null || !model.MayAllocateIn(blockStart.Options, blockStart.OperationBlocks, blockStart.CancellationToken))
                {
                    return;
                }

                var releases = 0;
                blockStart.RegisterOperationAction(
                    operation =>
                    {
                        var method = ((IInvocationOperation)operation.Operation).TargetMethod;
                        if (tables.MayMatch(method) && tables.ReleaserOf(method) is not null)
                        {
                            System.Threading.Interlocked.Exchange(ref releases, 1);
                        }
                    },
                    OperationKind.Invocation);
                blockStart.RegisterOperationBlockEndAction(block =>
                {
                    if (System.Threading.Volatile.Read(ref releases) != 0)
                    {
                        AnalyzeBlock(block, model, fields: null);
                    }
                });
            });

            // Private fields: judged per type, over all its members, and only in types that have a field that can hold a
            // pointer and whose code names an allocator.
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (symbolStart.Symbol is not INamedTypeSymbol type || !HasCandidateField(type) ||
                        !model.MayAllocateIn(symbolStart.Options, type, symbolStart.CancellationToken))
                    {
                        return;
                    }

                    var fields = new Variables();
                    symbolStart.RegisterOperationBlockAction(block => AnalyzeBlock(block, model, fields));
                    symbolStart.RegisterSymbolEndAction(end =>
                    {
                        lock (fields)
                        {
                            fields.Report(end.ReportDiagnostic);
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    private static bool HasCandidateField(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false, DeclaredAccessibility: Accessibility.Private } field && NativeModel.CanHoldPointer(field.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// With <paramref name="fields"/> null: the locals of the block, reported at once. Otherwise: what the block does
    /// with the private fields of the type, collected into <paramref name="fields"/> (under its lock) for the type's end.
    /// </summary>
    private static void AnalyzeBlock(OperationBlockAnalysisContext context, NativeModel model, Variables? fields)
    {
        if (context.OperationBlocks.IsEmpty)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);

        var found = new Variables();
        var type = fields is null ? null : context.OwningSymbol.ContainingType;
        foreach (var root in context.OperationBlocks)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IInvocationOperation invocation when tables.MayMatch(invocation.TargetMethod) && tables.ReleaserOf(invocation.TargetMethod) is { } releaser:
                        foreach (var argument in invocation.Arguments)
                        {
                            if (Variable(argument.Value, type) is { } released)
                            {
                                found.Get(released).Releases.Add((invocation, releaser));
                            }
                        }

                        break;
                    case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator when fields is null && NativeModel.CanHoldPointer(declarator.Symbol.Type):
                        found.Assigned(declarator.Symbol, value, model, tables);
                        break;
                    case ISimpleAssignmentOperation assignment when Variable(assignment.Target, type) is { } target:
                        found.Assigned(target, assignment.Value, model, tables);
                        break;
                    case IFieldInitializerOperation initializer when fields is not null:
                        foreach (var field in initializer.InitializedFields)
                        {
                            if (IsCandidateField(field, type))
                            {
                                found.Assigned(field, initializer.Value, model, tables);
                            }
                        }

                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byReference when Variable(byReference.Value, type) is { } passed:
                        found.Get(passed).Unknown = true;
                        break;
                }
            }
        }

        if (fields is null)
        {
            found.Report(context.ReportDiagnostic);
            return;
        }

        lock (fields)
        {
            fields.Merge(found);
        }
    }

    /// <summary>
    /// Through conversions: a local that can hold a pointer (when <paramref name="type"/> is null), or a private
    /// instance field of <paramref name="type"/> that can.
    /// </summary>
    private static ISymbol? Variable(IOperation operation, INamedTypeSymbol? type) =>
        Operations.SkipConversions(operation) switch
        {
            ILocalReferenceOperation { Local: { RefKind: RefKind.None } local } when type is null && NativeModel.CanHoldPointer(local.Type) => local,
            IFieldReferenceOperation { Field: var field } when IsCandidateField(field, type) => field,
            _ => null,
        };

    private static bool IsCandidateField(IFieldSymbol field, INamedTypeSymbol? type) =>
        type is not null && !field.IsStatic && field.DeclaredAccessibility == Accessibility.Private &&
        SymbolEqualityComparer.Default.Equals(field.ContainingType?.OriginalDefinition, type.OriginalDefinition) &&
        NativeModel.CanHoldPointer(field.Type);

    private sealed class Record
    {
        internal List<(IOperation Site, NativeAllocator Allocator)> Allocations { get; } = new();

        internal List<(IInvocationOperation Call, NativeReleaser Releaser)> Releases { get; } = new();

        /// <summary>Receives something else than a built-in allocation or zero: what it holds when freed is not known.</summary>
        internal bool Unknown { get; set; }
    }

    private sealed class Variables
    {
        private readonly Dictionary<ISymbol, Record> records = new(SymbolEqualityComparer.Default);

        internal void Merge(Variables other)
        {
            foreach (var pair in other.records)
            {
                var record = Get(pair.Key.OriginalDefinition);
                record.Allocations.AddRange(pair.Value.Allocations);
                record.Releases.AddRange(pair.Value.Releases);
                record.Unknown |= pair.Value.Unknown;
            }
        }

        internal Record Get(ISymbol symbol)
        {
            if (!records.TryGetValue(symbol, out var record))
            {
                record = new Record();
                records[symbol] = record;
            }

            return record;
        }

        internal void Assigned(ISymbol symbol, IOperation value, NativeModel model, NativeTables tables)
        {
            var record = Get(symbol);
            if (model.AllocationIn(value, tables) is { Allocator.BuiltIn: true, ThroughIntPtr: false } allocation)
            {
                // `p = Marshal.ReAllocHGlobal(p, n)` moves the block p already holds: its heap is that of p.
                if (!ReallocatesItself(allocation.Call, symbol, tables))
                {
                    record.Allocations.Add((allocation.Call, allocation.Allocator));
                }
            }
            else if (!Operations.IsNullOrZero(value))
            {
                record.Unknown = true;
            }
        }

        internal void Report(System.Action<Diagnostic> report)
        {
            foreach (var pair in records)
            {
                var record = pair.Value;
                if (record.Unknown || record.Allocations.Count == 0 || record.Releases.Count == 0)
                {
                    continue;
                }

                foreach (var (call, releaser) in record.Releases)
                {
                    if (!releaser.BuiltIn || Accepts(record, releaser))
                    {
                        continue;
                    }

                    var (site, allocator) = record.Allocations[0];
                    var replacement = Replacement(allocator, releaser);
                    report(Diagnostic.Create(
                        Descriptors.LEAK402MismatchedFree,
                        call.Syntax.GetLocation(),
                        additionalLocations: new[] { site.Syntax.GetLocation() },
                        properties: ImmutableDictionary<string, string?>.Empty.Add(ReplacementKey, replacement),
                        pair.Key.Name,
                        NativeApis.Display(allocator.Member),
                        NativeApis.Display(releaser.Member),
                        NativeApis.Display(replacement),
                        string.Equals(releaser.Heap, allocator.Heap, System.StringComparison.Ordinal)
                            ? "the secret stays readable"
                            : "this can corrupt the heap"));
                }
            }
        }

        private static bool ReallocatesItself(IInvocationOperation call, ISymbol symbol, NativeTables tables)
        {
            if (tables.ReleaserOf(call.TargetMethod) is not { Reallocates: true })
            {
                return false;
            }

            foreach (var argument in call.Arguments)
            {
                ISymbol? passed = Operations.SkipConversions(argument.Value) switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IFieldReferenceOperation field => field.Field,
                    _ => null,
                };
                if (passed is not null && SymbolEqualityComparer.Default.Equals(passed.OriginalDefinition, symbol.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Some allocation the variable receives accepts this releaser: then it may well be right.</summary>
        private static bool Accepts(Record record, NativeReleaser releaser)
        {
            foreach (var (_, allocator) in record.Allocations)
            {
                if (!allocator.BuiltIn || allocator.Releasers.Contains(releaser.Member) ||
                    (releaser.Reallocates && string.Equals(allocator.Heap, releaser.Heap, System.StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The release to use instead: the allocator's first, or for a reallocation the reallocation of the right heap.</summary>
        private static string Replacement(NativeAllocator allocator, NativeReleaser releaser)
        {
            if (releaser.Reallocates)
            {
                foreach (var candidate in NativeApis.Releasers)
                {
                    if (candidate.Reallocates && string.Equals(candidate.Heap, allocator.Heap, System.StringComparison.Ordinal))
                    {
                        return candidate.Member;
                    }
                }
            }

            return allocator.Releasers[0];
        }
    }
}
