namespace LeakAnalyzers.Events;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK102: a lambda or anonymous method that captures <c>this</c>, added to an event of a publisher that may
/// outlive this object. No <c>-=</c> can name it, so it stays until the publisher dies. Points at the lambda.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LambdaCannotBeRemovedAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK102LambdaCannotBeRemoved);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        TypeEvents.Register(context, Descriptors.LEAK102LambdaCannotBeRemoved.Id, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, TypeEvents events)
    {
        foreach (var add in events.Adds)
        {
            // A removal with a delegate the type cannot name (a parameter) might be given this very lambda: stay silent.
            if (add.Handler.Kind != HandlerKind.Lambda ||
                !events.IsLeakCandidate(add, out var publisher) ||
                events.IsRemoved(add))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK102LambdaCannotBeRemoved,
                add.Handler.Value.Syntax.GetLocation(),
                TypeEvents.Evidence(publisher),
                events.FixProperties(add),
                add.Handler.Display,
                TypeEvents.PublisherPhrase(add, publisher),
                events.Consequence(publisher)));
        }
    }
}
