namespace LeakAnalyzers.StaticCollections;

using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK201: a private static collection (field or auto-property, or one held by a singleton) that code running after start-up adds to, and that
/// nothing in its type ever removes from, clears, replaces or checks the size of. Decided per type, so it shows while
/// typing. Collections visible outside their type are LEAK202's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PrivateStaticCollectionGrowsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK201PrivateStaticCollectionGrows, Descriptors.LEAK203StaticMemoCacheUnbounded);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = CollectionModel.Create(start.Compilation, Descriptors.LEAK201PrivateStaticCollectionGrows.Id);
            if (model is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (!type.GetTypeMembers().IsEmpty || type.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree is not { } tree)
                    {
                        return;
                    }

                    if (!HasCandidate(type, model, symbolStart.Options, tree))
                    {
                        return;
                    }

                    var scan = new StaticCollectionScan(
                        model,
                        m => StaticCollectionScan.IsTypeScoped(m) && SymbolEqualityComparer.Default.Equals(m.ContainingType, type),
                        seesAllCallers: false);
                    scan.RegisterOperations((action, kinds) => symbolStart.RegisterOperationAction(action, kinds));
                    symbolStart.RegisterSymbolEndAction(end =>
                    {
                        foreach (var finding in scan.Findings(end.Options, end.CancellationToken))
                        {
                            end.ReportDiagnostic(finding.ToDiagnostic(finding.Memo ? Descriptors.LEAK203StaticMemoCacheUnbounded : Descriptors.LEAK201PrivateStaticCollectionGrows));
                        }
                    });
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// A private growable collection the type holds for good: a static one, or an instance one of a type whose one
    /// instance lives as long as the process. Whether the type is such a holder is asked only when it has an
    /// instance collection and no static one.
    /// </summary>
    private static bool HasCandidate(INamedTypeSymbol type, CollectionModel model, AnalyzerOptions options, SyntaxTree tree)
    {
        bool? holder = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not (IFieldSymbol or IPropertySymbol) || !StaticCollectionScan.IsTypeScoped(member) || !model.IsGrowable(member, out _))
            {
                continue;
            }

            if (member.IsStatic || (holder ??= model.IsLongLivedHolder(type, options, tree)))
            {
                return true;
            }
        }

        return false;
    }
}
