namespace LeakAnalyzers.StaticCollections;

using System.Collections.Immutable;
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
        ImmutableArray.Create(Descriptors.LEAK202VisibleStaticCollectionGrows, Descriptors.LEAK203StaticMemoCacheUnbounded);

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
            scan.RegisterOperations((action, kinds) => start.RegisterOperationAction(action, kinds));
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var finding in scan.Findings(end.Options, end.CancellationToken))
                {
                    end.ReportDiagnostic(finding.ToDiagnostic(finding.Memo ? Descriptors.LEAK203StaticMemoCacheUnbounded : Descriptors.LEAK202VisibleStaticCollectionGrows));
                }
            });
        });
    }
}
