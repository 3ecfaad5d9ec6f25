namespace LeakAnalyzers.Events;

using System.Collections.Generic;
using System.Collections.Immutable;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK104: the only <c>-=</c> that undoes a subscription to a publisher that may outlive this object is in the
/// finalizer. While subscribed, the publisher keeps this object reachable, so the finalizer never runs. Points at
/// the removal in the finalizer; the subscriptions are additional locations.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RemovedOnlyInFinalizerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK104RemovedOnlyInFinalizer);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        TypeEvents.Register(context, Descriptors.LEAK104RemovedOnlyInFinalizer.Id, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, TypeEvents events)
    {
        foreach (var removal in events.Removals)
        {
            if (!removal.InFinalizer || removal.Handler.Kind == HandlerKind.Lambda)
            {
                continue;
            }

            var adds = new List<Location>();
            Subscription? first = null;
            var publisher = default(LifetimeInfo);
            foreach (var add in events.Adds)
            {
                if (Subscription.Removes(removal, add) &&
                    events.IsLeakCandidate(add, ignoreRepetition: true, out var lifetime) &&
                    !RemovedOutsideFinalizer(events, add))
                {
                    adds.Add(add.Location);
                    if (first is null)
                    {
                        first = add;
                        publisher = lifetime;
                    }
                }
            }

            if (first is null)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK104RemovedOnlyInFinalizer,
                removal.Location,
                adds,
                events.FixProperties(removal),
                removal.Handler.Display,
                TypeEvents.PublisherPhrase(first, publisher)));
        }
    }

    private static bool RemovedOutsideFinalizer(TypeEvents events, Subscription add)
    {
        foreach (var removal in events.RemovalsOf(add))
        {
            if (!removal.InFinalizer)
            {
                return true;
            }
        }

        return false;
    }
}
