namespace LeakAnalyzers.Shared;

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Operations whose value carries the object they were given: a fluent call that returns its receiver
/// (<c>sink.Run(source)</c> where <c>Run</c> ends with <c>return this</c>), a call that returns its argument
/// (<c>Guard.NotNull(stream)</c>), and a call whose result keeps the argument without owning it
/// (<c>new Parser(stream)</c> when the parser never disposes the stream, <c>Pair.Create(a, b)</c>).
/// What happens to their result happens to that object, except that disposing a keeper does not dispose it.
/// </summary>
internal static class Carriers
{
    /// <summary>
    /// The carrier of <paramref name="reference"/> when <paramref name="consumer"/> passes it on; else null.
    /// <paramref name="keeps"/>: the carrier only keeps it (its disposal is not the object's).
    /// </summary>
    internal static IOperation? Of(IOperation reference, IOperation consumer, OwnershipModel model, OwnershipTables tables, out bool keeps)
    {
        keeps = false;
        switch (consumer)
        {
            case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, reference) &&
                                                     !OwnershipModel.IsDisposeMethod(invocation.TargetMethod) &&
                                                     model.Implementations(invocation.TargetMethod, reference).All(called => model.Returns(called).Kind == ReturnedValue.Self):
                return invocation;

            // `ILogger Logger => this;` read on the object: the property's value is the object.
            case IPropertyReferenceOperation { Property.GetMethod: { } getter } property when ReferenceEquals(property.Instance, reference) &&
                                                                                          !IsWritten(property) &&
                                                                                          model.Implementations(getter, reference).All(called => model.Returns(called).Kind == ReturnedValue.Self):
                return property;

            // `await c.OpenAsync()` where OpenAsync is `async Task<C>` ending in `return this`, `await Check(r)` where
            // Check returns its argument: the awaited result is the object the call carries.
            case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured when ReferenceEquals(configured.Instance, reference) && IsTaskOfResult(reference):
                return configured;
            case IAwaitOperation awaited when ReferenceEquals(awaited.Operation, reference) && IsTaskOfResult(reference):
                return awaited;
            // `await using (stream.ConfigureAwait(false))`: the configured disposable disposes the object itself.
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "ConfigureAwait", IsExtensionMethod: true } configure } configured }
                when configure.ReturnType.Name == "ConfiguredAsyncDisposable":
                return configured;
            case IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument:
                switch (model.FateOf(argument, tables))
                {
                    case ArgumentFate.Returned when argument.Parent is IInvocationOperation:
                        return argument.Parent;
                    case ArgumentFate.Kept when argument.Parent is IInvocationOperation { TargetMethod.MethodKind: MethodKind.Constructor, Instance: IInstanceReferenceOperation }:
                        // `: base(value)`, `: this(value)`: kept by the object being built, which lives on.
                        return null;
                    case ArgumentFate.Kept:
                        keeps = true;
                        return argument.Parent;
                    default:
                        return null;
                }

            default:
                return null;
        }
    }

    private static bool IsWritten(IPropertyReferenceOperation property) =>
        property.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, property);

    /// <summary>
    /// A task with a result (possibly configured), produced by a call that is already a carrier (it returns its
    /// receiver or its argument): awaiting it gives the carried object.
    /// </summary>
    private static bool IsTaskOfResult(IOperation task) =>
        task switch
        {
            IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured } => IsTaskOfResult(configured),
            IInvocationOperation call => call.TargetMethod.ReturnType is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask" },
            _ => false,
        };

    internal static IOperation? Of(IOperation reference, IOperation consumer, OwnershipModel model, OwnershipTables tables) =>
        Of(reference, consumer, model, tables, out _);
}
