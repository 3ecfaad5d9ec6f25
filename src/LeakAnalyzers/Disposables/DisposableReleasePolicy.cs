namespace LeakAnalyzers.Disposables;

using System;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>
    /// <c>writer.Flush()</c>, <c>await writer.FlushAsync()</c>, <c>JsonSerializer.Serialize(writer, value)</c>: the use
    /// <paramref name="consumer"/> makes of <paramref name="reference"/> empties a writer's buffer.
    /// </summary>
    internal static bool Flushes(IOperation reference, IOperation? consumer) =>
        consumer switch
        {
            IInvocationOperation invocation => ReferenceEquals(invocation.Instance, reference) && invocation.TargetMethod.Name is "Flush" or "FlushAsync" or "FlushFinalBlock" or "FlushFinalBlockAsync",
            IArgumentOperation { Parameter.ContainingSymbol: IMethodSymbol { ContainingType: { } callee } flusher } =>
                KnownApis.FlushingCalls.Contains(SymbolNames.MemberKey(callee, flusher.Name)),
            _ => false,
        };

    /// <summary>
    /// The argument goes to a source method, not overridable, that flushes the parameter it lands in: <c>writer.Flush()</c>
    /// in its body, or the parameter handed on to another such method (three calls deep at most).
    /// </summary>
    private bool SourceCalleeFlushes(IArgumentOperation argument, int depth)
    {
        if (depth > 2 || argument.Parameter is not { RefKind: RefKind.None, ContainingSymbol: IMethodSymbol { IsVirtual: false, IsAbstract: false, IsOverride: false } callee } parameter ||
            model.Source.BodyOf(callee.OriginalDefinition) is not { } body)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: "Flush" or "FlushAsync" } flush when
                    Operations.SkipConversions(flush.Instance) is IParameterReferenceOperation flushed && flushed.Parameter.Ordinal == parameter.Ordinal &&
                    SymbolEqualityComparer.Default.Equals(flushed.Parameter.ContainingSymbol.OriginalDefinition, callee.OriginalDefinition):
                    return true;
                case IArgumentOperation passed when Operations.SkipConversions(passed.Value) is IParameterReferenceOperation handed &&
                                                  handed.Parameter.Ordinal == parameter.Ordinal &&
                                                  SymbolEqualityComparer.Default.Equals(handed.Parameter.ContainingSymbol.OriginalDefinition, callee.OriginalDefinition) &&
                                                  SourceCalleeFlushes(passed, depth + 1):
                    return true;
            }
        }

        return false;
    }

    public UseKind Classify(IOperation reference, IOperation? consumer, bool consumerReturned)
    {
        switch (consumer)
        {
            case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, reference):
                if (model.ReleasesReceiver(invocation.TargetMethod) || model.HandsItselfToItsClose(invocation.TargetMethod, reference.Type) ||
                    EmptiesAHandle(invocation) ||
                    (flushReleases && Flushes(reference, invocation)))
                {
                    return UseKind.Release;
                }

                // `_stream = socket.GetStream()`: a result that owns the object's resources takes them where it goes;
                // `node = node.InsertBefore(name)`: a result that keeps the object takes it along.
                if (invocation.TargetMethod.ContainingType is { } viewType &&
                    KnownApis.ResultsKeepingTheirReceiver.Contains(SymbolNames.MemberKey(viewType, invocation.TargetMethod.Name)) &&
                    Operations.ParentSkippingConversions(invocation, out var stored) is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } keep &&
                    ReferenceEquals(keep.Value, stored))
                {
                    // `Resolved = meter.CreateCounter<long>("resolved")`: the meter lives as long as its instrument.
                    return UseKind.HandOver;
                }

                var called = model.Implementations(invocation.TargetMethod, reference);
                return (consumerReturned || Leaves(invocation)) &&
                       called.All(implementation => IsResourceView(implementation) || model.Source.Of(implementation) is { StoresReceiverElsewhere: true } ||

                                                     // One possible class returns the object itself, another a wrapper over it.
                                                     (called.Length > 1 && model.Returns(implementation).Kind == ReturnedValue.Self))
                    ? UseKind.HandOver
                    : UseKind.None;
            case IArgumentOperation argument when flushReleases && (Flushes(reference, argument) || SourceCalleeFlushes(argument, 0)):
                // `JsonSerializer.Serialize(writer, value)` flushes the writer when it is done; so does `Save(writer)`
                // whose body (or a source method it passes the writer to) ends with `writer.Flush()`.
                return UseKind.Release;
            case IArgumentOperation { Parameter: { RefKind: RefKind.Ref, ContainingSymbol: IMethodSymbol writer } byReference }
                when model.SourceDisposal.DisposesParameter(writer, byReference.Ordinal):
                // `Reset(ref _compress)` where Reset runs `compress?.Dispose()` before it writes a new one.
                return UseKind.Release;
            case IArgumentOperation argument:
                return model.FateOf(argument, tables) is ArgumentFate.Borrowed or ArgumentFate.Kept ? UseKind.None : UseKind.HandOver;
            case IPropertyReferenceOperation { Parent: ISimpleAssignmentOperation assigned, Property.SetMethod: { } setter } settable
                when ReferenceEquals(settable.Instance, reference) && ReferenceEquals(assigned.Target, settable) &&
                     model.Source.Of(setter) is { StoresReceiverElsewhere: true }:
                // `child.Parent = this` whose setter runs `value.AddChild(this)`: the new parent keeps (and ends) it.
                return UseKind.HandOver;
            case IPropertyReferenceOperation property when ReferenceEquals(property.Instance, reference):
                // `_socket = client.Client`: the property is the object's resource itself.
                // `return frame.PixelBuffer;`, `new Image(config, buffer.MemoryGroup)`: the only member the object's
                // Dispose releases leaves with everything the object holds.
                // `return module.Assembly;` where the assembly keeps its modules: the module goes with it.
                return (IsResourceView(property.Property) || IsSoleReleasedMember(property) || model.ReachesBack(property.Type, reference.Type)) &&
                       (consumerReturned || Leaves(property)) ? UseKind.HandOver
                    : ReleasesAllItHolds(property) ? UseKind.Release
                    : UseKind.None;
            case IEventReferenceOperation @event when ReferenceEquals(@event.Instance, reference):
                // `args.Completed += OnCompleted` where the handler disposes the args it is raised with: the object
                // is handed to its own event's handler (the asynchronous-completion pattern of SocketAsyncEventArgs).
                return @event.Parent is IEventAssignmentOperation { Adds: true } subscription && ReferenceEquals(subscription.EventReference, @event) &&
                       HandlerReleases(subscription.HandlerValue, reference)
                    ? UseKind.HandOver
                    : UseKind.None;
            case IFieldReferenceOperation field when ReferenceEquals(field.Instance, reference):
                return IsSoleReleasedMember(field) && (consumerReturned || Leaves(field)) ? UseKind.HandOver
                    : ReleasesAllItHolds(field) ? UseKind.Release
                    : UseKind.None;
            case IBinaryOperation:
            case IUnaryOperation:
            case IIsNullOperation:
            case IIsTypeOperation:
            case IIsPatternOperation:
            case IInterpolationOperation:
            case IExpressionStatementOperation:
            case IAwaitOperation:
            case ISwitchOperation:
            case INameOfOperation:
                return UseKind.None;
            default:
                // Returned, yielded, assigned anywhere, put in a tuple, array or anonymous object, turned into a
                // delegate, or a use we do not know: the method is no longer the only owner.
                return UseKind.HandOver;
        }
    }

    public bool? ReleasesNothingWhen(IMemberReferenceOperation test) => model.SourceDisposal.ReleasesNothingWhen(test);

    public IOperation? Carrier(IOperation reference, IOperation consumer, out bool keeps) => Carriers.Of(reference, consumer, model, tables, out keeps);

    /// <summary>
    /// Whether the handler disposes the object that raises the event: a source method whose summary disposes (or
    /// takes) a parameter the object can be passed as, or a lambda that disposes such a parameter or the object itself.
    /// </summary>
    private bool HandlerReleases(IOperation handler, IOperation reference)
    {
        if (reference.Type is not { } type)
        {
            return false;
        }

        var value = Operations.SkipConversions(handler);
        var target = value is IDelegateCreationOperation creation ? Operations.SkipConversions(creation.Target) : value;

        switch (target)
        {
            case IMethodReferenceOperation { Method: var method } when model.Source.Of(method) is { } summary:
                foreach (var parameter in method.Parameters)
                {
                    if (summary.Parameter(parameter.Ordinal).Use is ParameterUse.Disposed or ParameterUse.Owned &&
                        Operations.IsAssignableTo(type, parameter.Type))
                    {
                        return true;
                    }
                }

                return false;
            case IFlowAnonymousFunctionOperation { Syntax: AnonymousFunctionExpressionSyntax syntax } flowLambda:
                // In a control-flow graph a lambda is only a placeholder: read its syntax for `e.Dispose()` on a
                // parameter the object can be, or on the object's own variable.
                var name = Operations.ReferencedStorage(reference)?.Name;
                foreach (var call in syntax.Body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
                {
                    if (call.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: "Dispose" or "DisposeAsync" or "Close" or "CloseAsync" } &&
                        (string.Equals(receiver.Identifier.ValueText, name, StringComparison.Ordinal) ||
                         flowLambda.Symbol.Parameters.Any(p => string.Equals(p.Name, receiver.Identifier.ValueText, StringComparison.Ordinal) && Operations.IsAssignableTo(type, p.Type))))
                    {
                        return true;
                    }
                }

                return false;
            case IAnonymousFunctionOperation lambda:
                var storage = Operations.ReferencedStorage(reference);
                foreach (var call in lambda.Body.DescendantsAndSelf().OfType<IInvocationOperation>())
                {
                    if (model.ReleasesReceiver(call.TargetMethod) &&
                        Operations.SkipConversions(call.Instance) is { } receiver &&
                        (receiver is IParameterReferenceOperation parameter
                            ? SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, lambda.Symbol) && Operations.IsAssignableTo(type, parameter.Parameter.Type)
                            : storage is not null && SymbolEqualityComparer.Default.Equals(Operations.ReferencedStorage(receiver), storage)))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>mem.Memory?.Dispose()</c> where the only thing the object's Dispose releases is that member: the member is
    /// disposed here, so the object holds nothing more (a buffer struct whose owner disposes its memory itself).
    /// </summary>
    private bool ReleasesAllItHolds(IMemberReferenceOperation member)
    {
        if (!IsSoleReleasedMember(member))
        {
            return false;
        }

        var parent = Operations.ParentSkippingConversions(member, out var outer);
        switch (parent)
        {
            case IInvocationOperation call when ReferenceEquals(call.Instance, outer):
                return model.ReleasesReceiver(call.TargetMethod);
            case IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer):
                return access.WhenNotNull is IInvocationOperation conditional && model.ReleasesReceiver(conditional.TargetMethod);
            case IFlowCaptureOperation:
                // In a control-flow graph `x.M?.Dispose()` captures `x.M` and calls Dispose on the capture in another
                // block: read the call from the syntax.
                return member.Syntax.Parent is ConditionalAccessExpressionSyntax syntax && syntax.Expression == member.Syntax &&
                       syntax.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "DisposeAsync" or "Close" }, ArgumentList.Arguments.Count: 0 };
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>handle.SetHandle(IntPtr.Zero)</c> or <c>handle.SetHandleAsInvalid()</c> on a SafeHandle: what it wraps was freed
    /// (or given up) by hand, the object has nothing left to release.
    /// </summary>
    private static bool EmptiesAHandle(IInvocationOperation invocation) =>
        invocation.TargetMethod is { Name: "SetHandleAsInvalid", Parameters.Length: 0 } or { Name: "SetHandle", Parameters.Length: 1 } &&
        (invocation.TargetMethod.Parameters.Length == 0 || Operations.IsNullOrZero(invocation.Arguments[0].Value)) &&
        invocation.TargetMethod.ContainingType is { } type && OwnershipModel.IsOrDerivesFromSafeHandle(type);

    /// <summary>The member is the only thing the object's Dispose releases.</summary>
    private bool IsSoleReleasedMember(IMemberReferenceOperation member) =>
        member.Instance?.Type is INamedTypeSymbol type && model.SourceDisposal.SoleReleasedMember(type) == member.Member.Name;

    private bool IsResourceView(ISymbol member) =>
        KnownApis.IsResourceView(member) ||
        (member is IMethodSymbol method && model.Source.Of(method) is { ReturnsReceiverResources: true });

    /// <summary>
    /// The view is kept beyond the statement: stored, put in a local, or given to something that keeps or owns it
    /// (<c>new NetworkStream(client.Client, ownsSocket: true)</c>); not when a call only reads it.
    /// </summary>
    private bool Leaves(IOperation result) =>
        Operations.ParentSkippingConversions(result, out var outer) switch
        {
            null or IExpressionStatementOperation => false,
            // `await response.Content.ReadAsStreamAsync()`: a view of a view leaves with what it is made into.
            IInvocationOperation call when ReferenceEquals(call.Instance, outer) => KnownApis.IsResourceView(call.TargetMethod) && Leaves(call),
            IMemberReferenceOperation member when ReferenceEquals(member.Instance, outer) => KnownApis.IsResourceView(member.Member) && Leaves(member),
            IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer) => false,
            IArgumentOperation argument => model.FateOf(argument, tables) is not ArgumentFate.Borrowed,
            _ => true,
        };
}
