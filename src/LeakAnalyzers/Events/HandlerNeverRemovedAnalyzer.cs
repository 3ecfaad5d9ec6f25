namespace LeakAnalyzers.Events;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK101: an instance method (or a delegate field or local holding one) added to an event of a publisher that
/// may outlive this object, with no matching <c>-=</c> anywhere in the type. Lambdas are LEAK102's, removals only
/// in a finalizer LEAK104's, repeated subscriptions LEAK105's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerNeverRemovedAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK101HandlerNeverRemoved);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        TypeEvents.Register(context, Descriptors.LEAK101HandlerNeverRemoved.Id, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, TypeEvents events)
    {
        foreach (var add in events.Adds)
        {
            if (add.Handler.Kind == HandlerKind.Lambda ||
                !events.IsLeakCandidate(add, out var publisher) ||
                events.IsRemoved(add))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK101HandlerNeverRemoved,
                add.Location,
                TypeEvents.Evidence(publisher),
                events.FixProperties(add),
                add.Handler.Display,
                TypeEvents.PublisherPhrase(add, publisher),
                events.Consequence(publisher)));
        }
    }
}
