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
            var model = NativeModel.Create(start.Compilation, Descriptors.LEAK402MismatchedFree.Id);
            if (model is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
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

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, NativeModel model, Variables fields)
    {
        if (context.OperationBlocks.IsEmpty)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);
        var locals = new Variables();
        var anyField = false;
        foreach (var root in context.OperationBlocks)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IInvocationOperation invocation when tables.MayMatch(invocation.TargetMethod):
                        if (tables.ReleaserOf(invocation.TargetMethod) is { } releaser)
                        {
                            foreach (var argument in invocation.Arguments)
                            {
                                if (Variable(argument.Value) is { } released)
                                {
                                    lock (fields)
                                    {
                                        (released is IFieldSymbol ? fields : locals).Get(released).Releases.Add((invocation, releaser));
                                    }

                                    anyField |= released is IFieldSymbol;
                                }
                            }
                        }

                        break;
                    case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                        locals.Assigned(declarator.Symbol, value, model, tables);
                        break;
                    case ISimpleAssignmentOperation assignment when Variable(assignment.Target) is { } target:
                        lock (fields)
                        {
                            (target is IFieldSymbol ? fields : locals).Assigned(target, assignment.Value, model, tables);
                        }

                        break;
                    case IFieldInitializerOperation initializer:
                        foreach (var field in initializer.InitializedFields)
                        {
                            lock (fields)
                            {
                                fields.Assigned(field, initializer.Value, model, tables);
                            }
                        }

                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byReference when Variable(byReference.Value) is { } passed:
                        lock (fields)
                        {
                            (passed is IFieldSymbol ? fields : locals).Get(passed).Unknown = true;
                        }

                        break;
                }
            }
        }

        locals.Report(context.ReportDiagnostic);
    }

    /// <summary>A local, or a private field of this type, looked up through conversions.</summary>
    private static ISymbol? Variable(IOperation operation) =>
        Operations.SkipConversions(operation) switch
        {
            ILocalReferenceOperation { Local.RefKind: RefKind.None } local => local.Local,
            IFieldReferenceOperation { Field: { IsStatic: false, DeclaredAccessibility: Accessibility.Private } field } => field,
            _ => null,
        };

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
                            ? "only the matching function zeroes the whole secret; the rest stays readable in freed memory"
                            : "memory of one allocator released by another corrupts the heap or crashes the process"));
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
                if (Variable(argument.Value) is { } passed && SymbolEqualityComparer.Default.Equals(passed, symbol))
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
