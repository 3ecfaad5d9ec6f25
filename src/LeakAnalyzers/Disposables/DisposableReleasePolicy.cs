namespace LeakAnalyzers.Disposables;

using System;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What a use of a local holding an owned disposable does to the duty to dispose it.</summary>
internal sealed class DisposableReleasePolicy : IReleasePolicy
{
    private readonly OwnershipModel model;
    private readonly OwnershipTables tables;

    private readonly bool flushReleases;

    /// <param name="flushReleases">A writer over a stream the method does not own: its Flush is all it needs.</param>
    internal DisposableReleasePolicy(OwnershipModel model, OwnershipTables tables, bool flushReleases = false)
    {
        this.model = model;
        this.tables = tables;
        this.flushReleases = flushReleases;
    }

    public UseKind Classify(IOperation reference, IOperation? consumer)
    {
        switch (consumer)
        {
            case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, reference):
                if (model.ReleasesReceiver(invocation.TargetMethod) || KnownApis.IsSelfReleasingCall(invocation.TargetMethod, reference.Type) ||
                    (flushReleases && invocation.TargetMethod.Name is "Flush" or "FlushAsync"))
                {
                    return UseKind.Release;
                }

                // `_stream = socket.GetStream()`: a result that owns the object's resources takes them where it goes.
                return IsResourceView(invocation) && Leaves(invocation) ? UseKind.HandOver : UseKind.None;
            case IArgumentOperation argument:
                return model.FateOf(argument, tables) is ArgumentFate.Borrowed or ArgumentFate.Kept ? UseKind.None : UseKind.HandOver;
            case IPropertyReferenceOperation property when ReferenceEquals(property.Instance, reference):
            case IFieldReferenceOperation field when ReferenceEquals(field.Instance, reference):
            case IEventReferenceOperation @event when ReferenceEquals(@event.Instance, reference):
                return UseKind.None;
            case IBinaryOperation:
            case IUnaryOperation:
            case IIsNullOperation:
            case IIsTypeOperation:
            case IIsPatternOperation:
            case IInterpolationOperation:
            case IExpressionStatementOperation:
            case IAwaitOperation:
            case ISwitchOperation:
                return UseKind.None;
            default:
                // Returned, yielded, assigned anywhere, put in a tuple, array or anonymous object, turned into a
                // delegate, or a use we do not know: the method is no longer the only owner.
                return UseKind.HandOver;
        }
    }

    public IOperation? Carrier(IOperation reference, IOperation consumer, out bool keeps) => Carriers.Of(reference, consumer, model, tables, out keeps);

    private bool IsResourceView(IInvocationOperation invocation) =>
        (invocation.TargetMethod.ContainingType is { } type &&
         KnownApis.ResourceViews.Contains(SymbolNames.MemberKey(type, invocation.TargetMethod.Name))) ||
        model.Returns(invocation.TargetMethod).TakesFromReceiver;

    /// <summary>The call's result is kept beyond the statement: stored, returned, given away, put in a local.</summary>
    private static bool Leaves(IOperation result) =>
        Operations.ParentSkippingConversions(result, out var outer) switch
        {
            null or IExpressionStatementOperation => false,
            IInvocationOperation call when ReferenceEquals(call.Instance, outer) => false,
            IMemberReferenceOperation member when ReferenceEquals(member.Instance, outer) => false,
            IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer) => false,
            _ => true,
        };
}
