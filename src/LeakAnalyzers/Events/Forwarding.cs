namespace LeakAnalyzers.Events;

using System.Collections.Generic;
using System.Runtime.CompilerServices;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Custom event accessors that forward: <c>event Action&lt;string&gt; LineReceived { add =&gt; runner.LineReceived += value; ... }</c>.
/// A handler added to such an event is held by the object it is forwarded to, not by the object that declares the
/// event. The forwarded-to publisher is classified in the declaring type (with facts read from that type's source),
/// and, when it is an object the declaring type was given in its constructor and the subscriber created the
/// declaring object itself, through the argument the subscriber passed.
/// </summary>
internal static class Forwarding
{
    private static readonly ConditionalWeakTable<INamedTypeSymbol, TypeLifetimeFacts> FactsOfDeclaringTypes = new();

    /// <summary>The publisher of <paramref name="subscription"/>, taking forwarding accessors into account; <paramref name="publisher"/> otherwise.</summary>
    internal static LifetimeInfo Publisher(Subscription subscription, LifetimeInfo publisher, LifetimeModel model, TypeLifetimeFacts facts, LifetimeSettings settings, SourceOwnership? source)
    {
        if (source is null ||
            subscription.Event is not { AddMethod: { IsImplicitlyDeclared: false, DeclaringSyntaxReferences.Length: 1 } addMethod } @event ||
            @event.ContainingType is not { } declaring ||
            SymbolEqualityComparer.Default.Equals(declaring.OriginalDefinition, facts.Type.OriginalDefinition) ||
            source.BodyOf(addMethod.OriginalDefinition) is not { } body ||
            Forwarded(body) is not { } inner)
        {
            return publisher;
        }

        var declaringFacts = FactsOfDeclaringTypes.GetValue(declaring.OriginalDefinition, type => Read(type, source));
        var innerLifetime = model.ClassifyEventPublisher(inner, declaringFacts, settings);
        switch (innerLifetime.Lifetime)
        {
            case Lifetime.Static:
                return new LifetimeInfo(Lifetime.Static, innerLifetime.Reason, innerLifetime.Source, publisher.Evidence, reached: true);
            case Lifetime.External when publisher.Lifetime is Lifetime.Owned or Lifetime.Local &&
                                        innerLifetime.Source is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } parameter:
                return ThroughCreation(subscription, parameter, model, facts, settings) is { } given && given.Lifetime is Lifetime.Static or Lifetime.External
                    ? given.AsReached()
                    : publisher;
            default:
                return publisher;
        }
    }

    /// <summary>The event a forwarding add accessor adds its <c>value</c> to.</summary>
    private static IEventReferenceOperation? Forwarded(IOperation body)
    {
        foreach (var node in body.DescendantsAndSelf())
        {
            if (node is IEventAssignmentOperation { Adds: true } assignment &&
                Handler.Unwrap(assignment.HandlerValue) is IParameterReferenceOperation { Parameter.Name: "value" } &&
                Operations.SkipConversions(assignment.EventReference) is IEventReferenceOperation reference)
            {
                return reference;
            }
        }

        return null;
    }

    /// <summary>
    /// The subscriber created the declaring object (<c>this.model = new Model(runner)</c>): the lifetime, in the
    /// subscriber, of what it passed for <paramref name="parameter"/>; null when that cannot be told.
    /// </summary>
    private static LifetimeInfo? ThroughCreation(Subscription subscription, IParameterSymbol parameter, LifetimeModel model, TypeLifetimeFacts facts, LifetimeSettings settings)
    {
        var values = new List<IOperation?>();
        switch (Operations.SkipConversions(subscription.Instance))
        {
            case IFieldReferenceOperation or IPropertyReferenceOperation when Operations.ReferencedStorage(Operations.SkipConversions(subscription.Instance)) is { } member:
                foreach (var stored in facts.AssignmentsOf(member))
                {
                    values.Add(stored.Value);
                }

                break;
            case ILocalReferenceOperation local:
                values.AddRange(Operations.ValuesOfLocal(subscription.Root, local.Local));
                break;
            default:
                return null;
        }

        LifetimeInfo? result = null;
        foreach (var value in values)
        {
            if (Operations.IsNullOrDefault(value))
            {
                continue;
            }

            if (Operations.SkipConversions(value) is not IObjectCreationOperation { Constructor: { } constructor } creation ||
                !SymbolEqualityComparer.Default.Equals(constructor.OriginalDefinition, parameter.ContainingSymbol.OriginalDefinition))
            {
                return null;
            }

            IOperation? argument = null;
            foreach (var candidate in creation.Arguments)
            {
                if (candidate.Parameter?.Ordinal == parameter.Ordinal)
                {
                    argument = candidate.Value;
                }
            }

            var lifetime = model.Classify(argument, facts, settings);
            if (result is { } previous && previous.Lifetime != lifetime.Lifetime)
            {
                return null;
            }

            result = lifetime;
        }

        return result;
    }

    /// <summary>What the declaring type does with its own members, read from its source once per type.</summary>
    private static TypeLifetimeFacts Read(INamedTypeSymbol type, SourceOwnership source)
    {
        var facts = new TypeLifetimeFacts(type);
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol method when source.BodyOf(method) is { } body:
                    facts.RecordAll(RootOf(body), method);
                    break;
                case IFieldSymbol or IPropertySymbol:
                    foreach (var reference in member.DeclaringSyntaxReferences)
                    {
                        var initializer = reference.GetSyntax() switch
                        {
                            VariableDeclaratorSyntax declarator => declarator.Initializer,
                            PropertyDeclarationSyntax property => property.Initializer,
                            _ => null,
                        };

                        if (initializer is not null && source.SemanticModelOf(initializer.SyntaxTree).GetOperation(initializer) is { } operation)
                        {
                            facts.RecordAll(operation, member);
                        }
                    }

                    break;
            }
        }

        return facts;
    }

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
