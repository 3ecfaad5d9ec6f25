namespace LeakAnalyzers.Events;

using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK105: a <c>+=</c> that runs many times on the same publisher (a lifecycle method such as <c>OnAppearing</c>,
/// a <c>Loaded</c> handler, a property getter, a loop) with no <c>-=</c> in its counterpart: the handlers pile up.
/// Points at the <c>+=</c>; the counterpart method, when the type has one, is an additional location.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RepeatedSubscriptionAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK105RepeatedSubscription);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        TypeEvents.Register(context, Descriptors.LEAK105RepeatedSubscription.Id, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, TypeEvents events)
    {
        foreach (var add in events.Adds)
        {
            if (events.RepetitionOf(add) is not { } repetition)
            {
                continue;
            }

            var properties = events.FixProperties(add);
            var locations = new List<Location>();
            if (repetition.Kind == RepetitionKind.Method && repetition.Counterparts.Length > 0)
            {
                properties = properties.SetItem(TypeEvents.Fix.Counterpart, repetition.Counterparts[0]);
                foreach (var counterpart in repetition.Counterparts)
                {
                    foreach (var member in events.Type.GetMembers(counterpart))
                    {
                        if (member is IMethodSymbol && member.Locations.Length > 0 && member.Locations[0].IsInSource)
                        {
                            locations.Add(member.Locations[0]);
                        }
                    }
                }
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK105RepeatedSubscription,
                add.Location,
                locations,
                properties,
                add.Handler.Display,
                TypeEvents.EventText(add),
                Where(repetition),
                events.Type.Name));
        }
    }

    /// <summary>
    /// When the add repeats. The counterpart that should remove it is not named here: it is an additional location
    /// when the type declares it, and the code fix that adds the removal names it.
    /// </summary>
    private static string Where(Repetition repetition) =>
        repetition.Kind switch
        {
            RepetitionKind.Getter => $"every time '{repetition.Name}' is read",
            RepetitionKind.Loop => "in a loop",
            RepetitionKind.Registration => $"every time '{repetition.Name}' is called",
            RepetitionKind.RegistrationTwice => $"on each '{repetition.Name}({repetition.Argument})'",
            _ => $"every time '{repetition.Name}' runs",
        };
}
