namespace LeakAnalyzers.StaticCollections;

using System.Collections.Immutable;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK202: a static collection visible outside its type (internal, protected, public, or private to a type with
/// nested types) that code running after start-up adds to, and that nothing in the compilation removes from, clears,
/// replaces or checks the size of. Needs the whole compilation: a compilation-end diagnostic.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VisibleStaticCollectionGrowsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK202VisibleStaticCollectionGrows);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = CollectionModel.Create(start.Compilation, Descriptors.LEAK202VisibleStaticCollectionGrows.Id);
            if (model is null)
            {
                return;
            }

            var scan = new StaticCollectionScan(model, m => !StaticCollectionScan.IsTypeScoped(m), seesAllCallers: true);
            var names = StaticCollectionScan.NamesToFollow(start.Compilation, model, start.Options, start.CancellationToken);
            if (names.IsEmpty)
            {
                return;
            }

            // Per type, and only for types whose text names a collection in scope or a method that may reach one:
            // the rest of the compilation's bodies get no operation trees from this rule.
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    var facts = TypeSyntaxFacts.Of(type, symbolStart.Compilation, symbolStart.CancellationToken);
                    if (facts.HasSource && !facts.Names.Overlaps(names))
                    {
                        return;
                    }

                    scan.RegisterOperations((action, kinds) => symbolStart.RegisterOperationAction(
                        context =>
                        {
                            if (SymbolEqualityComparer.Default.Equals(context.ContainingSymbol.ContainingType?.OriginalDefinition, type.OriginalDefinition))
                            {
                                action(context);
                            }
                        },
                        kinds));
                },
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var finding in scan.Findings(end.Options, end.CancellationToken))
                {
                    end.ReportDiagnostic(finding.ToDiagnostic(Descriptors.LEAK202VisibleStaticCollectionGrows));
                }
            });
        });
    }
}
