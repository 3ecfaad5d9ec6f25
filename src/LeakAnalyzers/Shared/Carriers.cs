namespace LeakAnalyzers.Shared;

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Operations whose value is the object they were given: a fluent call that returns its receiver
/// (<c>sink.Run(source)</c> where <c>Run</c> ends with <c>return this</c>), a call that returns its argument
/// (<c>Guard.NotNull(stream)</c>). What happens to their result happens to that object.
/// </summary>
internal static class Carriers
{
    /// <summary>The carrier of <paramref name="reference"/> when <paramref name="consumer"/> passes it through; else null.</summary>
    internal static IOperation? Of(IOperation reference, IOperation consumer, OwnershipModel model, OwnershipTables tables) =>
        consumer switch
        {
            IInvocationOperation invocation when ReferenceEquals(invocation.Instance, reference) &&
                                                !OwnershipModel.IsDisposeMethod(invocation.TargetMethod) &&
                                                model.Returns(invocation.TargetMethod).Kind == ReturnedValue.Self => invocation,
            IArgumentOperation argument when argument.Parent is IInvocationOperation call && model.FateOf(argument, tables) == ArgumentFate.Returned => call,
            _ => null,
        };
}
