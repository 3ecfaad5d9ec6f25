namespace LeakAnalyzers.Events;

using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// LEAK103: a <c>-=</c> that cannot remove anything. With a lambda or anonymous method it never does, whatever the
/// publisher. With a method group, it is reported when the type never adds that method to the event but does add
/// another handler there that nothing removes: the removal meant that one. Points at the handler of the <c>-=</c>;
/// the additions it fails to undo are additional locations. A <c>+=</c> in a teardown method (<c>Dispose</c>,
/// <c>DisposeAsyncCore</c>, <c>Unsubscribe</c>, ...) of a method the type already adds elsewhere and never removes is
/// a removal written as an addition: it is reported the same way.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RemovalRemovesNothingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK103RemovalRemovesNothing);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        TypeEvents.Register(context, Descriptors.LEAK103RemovalRemovesNothing.Id, Analyze);
    }

    private static void Analyze(SymbolAnalysisContext context, TypeEvents events)
    {
        foreach (var removal in events.Removals)
        {
            switch (removal.Handler.Kind)
            {
                case HandlerKind.Lambda:
                    ReportLambda(context, events, removal);
                    break;
                case HandlerKind.MethodGroup when !removal.Handler.IsWildcard:
                    ReportNeverAdded(context, events, removal);
                    break;
            }
        }

        foreach (var add in events.Adds)
        {
            ReportAddedInTeardown(context, events, add);
        }
    }

    private static void ReportAddedInTeardown(SymbolAnalysisContext context, TypeEvents events, Subscription teardown)
    {
        var kept = events.MeantToRemove(teardown);
        if (kept.Count == 0)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LEAK103RemovalRemovesNothing,
            teardown.Handler.Value.Syntax.GetLocation(),
            kept.ConvertAll(add => add.Location),
            ImmutableDictionary<string, string?>.Empty.Add(TypeEvents.Fix.AddMeantRemove, "true"),
            $"'+=' in '{teardown.Member.Name}'",
            $"it adds {teardown.Handler.DisplayInSentence} again instead of removing it, so the handler added in {Where(kept[0])} stays subscribed and runs twice"));
    }

    private static string Where(Subscription add) =>
        add.Member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "the constructor" : $"'{add.Member.Name}'";

    private static void ReportLambda(SymbolAnalysisContext context, TypeEvents events, Subscription removal)
    {
        var named = new List<Subscription>();
        foreach (var add in events.Adds)
        {
            if (SamePublisher(add, removal) && add.Handler.Kind != HandlerKind.Lambda)
            {
                named.Add(add);
            }
        }

        var what = removal.Handler.DisplayInSentence;
        var stays = named.Count > 0 ? named[0].Handler.Display : "the handler that was added";
        Report(
            context,
            removal,
            $"{what} is a new delegate, so {stays} stays subscribed",
            named);
    }

    private static void ReportNeverAdded(SymbolAnalysisContext context, TypeEvents events, Subscription removal)
    {
        var unmatched = new List<Subscription>();
        foreach (var add in events.Adds)
        {
            if (!SamePublisher(add, removal))
            {
                continue;
            }

            if (Subscription.Removes(removal, add))
            {
                return; // it does remove something.
            }

            if (!add.Handler.IsWildcard && !events.IsRemoved(add))
            {
                unmatched.Add(add);
            }
        }

        if (unmatched.Count == 0)
        {
            return;
        }

        Report(
            context,
            removal,
            $"{removal.Handler.Display} is never added to '{removal.Api?.Method ?? removal.Name}' in this type, so {unmatched[0].Handler.DisplayInSentence} stays subscribed",
            unmatched);
    }

    private static bool SamePublisher(Subscription add, Subscription removal) =>
        Subscription.SameChannel(add, removal) && Subscription.SamePublisher(add, removal);

    private static void Report(SymbolAnalysisContext context, Subscription removal, string detail, List<Subscription> adds)
    {
        var locations = new List<Location>();
        string? replacement = null;
        var single = true;
        foreach (var add in adds)
        {
            locations.Add(add.Location);
            if (add.Handler.Kind != HandlerKind.Lambda && add.Handler.Text is { } text)
            {
                single &= replacement is null || replacement == text;
                replacement ??= text;
            }
            else
            {
                single = false;
            }
        }

        var properties = single && replacement is not null
            ? ImmutableDictionary<string, string?>.Empty.Add(TypeEvents.Fix.Replacement, replacement)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LEAK103RemovalRemovesNothing,
            removal.Handler.Value.Syntax.GetLocation(),
            locations,
            properties,
            removal.Call is null ? "'-='" : $"'{removal.Name}'",
            detail));
    }
}
