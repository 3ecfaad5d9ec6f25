namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What one reference to a field or auto-property of <c>this</c> does with the value it holds.</summary>
internal enum MemberUse
{
    /// <summary>Read without consequence: a member call, a comparison, a borrowing callee.</summary>
    Read,

    /// <summary>The reference is the target of an assignment.</summary>
    Assigned,

    /// <summary>Disposed here (directly, with <c>?.</c>, by <c>using</c>), or given to a callee that takes ownership.</summary>
    Disposed,

    /// <summary>Returned, stored elsewhere, given to a callee we do not follow: someone else may release it.</summary>
    HandedOn,
}

/// <summary>
/// One classification of member references, shared by LEAK003/004 (what a type does with its own fields) and the
/// source summaries (what a type does with the field a constructor stored a parameter in).
/// </summary>
internal static class MemberUses
{
    internal static MemberUse Classify(IMemberReferenceOperation reference, OwnershipModel model, OwnershipTables tables) =>
        Classify(reference, model, tables, 0);

    /// <summary>What happens to the value of an operation that holds a member's value (an assignment used as a value).</summary>
    internal static MemberUse ClassifyValue(IOperation value, OwnershipModel model, OwnershipTables tables) =>
        Classify(value, model, tables, 0);

    private static MemberUse Classify(IOperation reference, OwnershipModel model, OwnershipTables tables, int start)
    {
        IOperation current = reference;
        for (var depth = start; depth < 8; depth++)
        {
            var consumer = Operations.ParentSkippingConversions(current, out var outer);
            switch (consumer)
            {
                case IAssignmentOperation assignment when ReferenceEquals(assignment.Target, outer):
                    return ReferenceEquals(current, reference) ? MemberUse.Assigned : MemberUse.HandedOn;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation copy } assignment when ReferenceEquals(assignment.Value, outer):
                    return CopyUse(copy.Local, assignment, model, tables, depth);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } initializer when ReferenceEquals(initializer.Value, outer):
                    return Operations.IsUsingDeclarator(declarator) ? MemberUse.Disposed : CopyUse(declarator.Symbol, initializer, model, tables, depth);
                case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, outer):
                    if (model.ReleasesReceiver(invocation.TargetMethod))
                    {
                        return MemberUse.Disposed;
                    }

                    // A fluent call returns the same object: what happens to its result happens to the member's value.
                    if (model.Returns(invocation.TargetMethod).Kind == ReturnedValue.Self)
                    {
                        current = invocation;
                        continue;
                    }

                    return MemberUse.Read;
                case IPropertyReferenceOperation { Parent: ISimpleAssignmentOperation { Value.ConstantValue: { HasValue: true } written } set } property
                    when ReferenceEquals(property.Instance, outer) && ReferenceEquals(set.Target, property) && property.Property.ContainingType is { } owner &&
                         KnownApis.ReleasingPropertySets.Contains(SymbolNames.MemberKey(owner, property.Property.Name) + "=" + written.Value):
                    // `timer.Enabled = false`: the same as `timer.Stop()`.
                    return MemberUse.Disposed;
                case IMethodReferenceOperation method when ReferenceEquals(method.Instance, outer) && model.ReleasesReceiver(method.Method):
                    // `SetPostReleaseAction(holder.Dispose)`: the release is handed over as a delegate, to run later.
                    return MemberUse.Disposed;
                case IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer):
                    // `member?.Dispose()`, or `member?.WaitDispose()`: an extension method that disposes its `this`.
                    return access.WhenNotNull is IInvocationOperation conditionalCall &&
                           (model.ReleasesReceiver(conditionalCall.TargetMethod) ||
                            (conditionalCall.TargetMethod.IsExtensionMethod && conditionalCall.Arguments.FirstOrDefault() is { } self && Operations.SkipConversions(self.Value) is IConditionalAccessInstanceOperation &&
                             model.FateOf(self, tables) == ArgumentFate.OwnershipTaken))
                        ? MemberUse.Disposed
                        : MemberUse.Read;
                case IArgumentOperation argument:
                    switch (model.FateOf(argument, tables))
                    {
                        case ArgumentFate.Borrowed:
                            return MemberUse.Read;
                        case ArgumentFate.Kept when argument.Parent is { } holder:
                            // Kept by what the call produces: handed on when that leaves, read otherwise.
                            return Classify(holder, model, tables, depth + 1) is MemberUse.HandedOn or MemberUse.Assigned ? MemberUse.HandedOn : MemberUse.Read;
                        case ArgumentFate.OwnershipTaken:
                            return MemberUse.Disposed;
                        case ArgumentFate.Returned when argument.Parent is { } call:
                            current = call;
                            continue;
                        default:
                            return MemberUse.HandedOn;
                    }

                case IUsingOperation:
                    return MemberUse.Disposed;
                case ICoalesceOperation or IConditionalOperation when consumer is not IConditionalOperation { Condition: var condition } || !ReferenceEquals(condition, outer):
                    // `stream ?? (stream = Create())`, `flag ? a : stream`: the result may be the member's value.
                    current = consumer;
                    continue;
                case IReturnOperation when CreatedForTheCaller(reference):
                    // `current = new Batch(this); return current;`: each call makes a new one and hands it to the
                    // caller, who owns it (BeginTransaction); the member is a back-reference.
                    return MemberUse.HandedOn;
                case IReturnOperation when ReturnedThroughAHandingOverMember(reference):
                    // `WaitHandle IAsyncResult.AsyncWaitHandle => wait;`: by the interface's contract, the caller closes it.
                    return MemberUse.HandedOn;
                case IReturnOperation when ReturnedAsDisposable(reference, model):
                    // `public IDisposable Connect() { connection ??= new Connection(this); return connection; }`: a
                    // method typed to return an IDisposable tells its caller to dispose what it gets.
                    return MemberUse.HandedOn;
                case IReturnOperation when !ResetInSameBody(reference):
                    // `Stream Stream => stream;`: the type lends what it keeps; it still owns it. A method that also
                    // resets the member (`var s = stream; stream = null; return s;`) hands it over instead.
                    return MemberUse.Read;
                case IIsPatternOperation pattern when DeclaresVariable(pattern.Pattern):
                    // `if (member is IDisposable d)`: the value is copied into d, which may dispose it.
                    return MemberUse.HandedOn;
                case IMemberReferenceOperation or IBinaryOperation or IUnaryOperation or IIsPatternOperation or IIsTypeOperation or
                    IInterpolationOperation or IExpressionStatementOperation or IAwaitOperation or ISwitchOperation or
                    ISwitchExpressionOperation:
                    return MemberUse.Read;
                default:
                    return MemberUse.HandedOn;
            }
        }

        return MemberUse.HandedOn;
    }

    /// <summary>
    /// Returned by a property that implements an interface member of <see cref="KnownApis.MembersHandingOverTheirValue"/>
    /// (<c>IAsyncResult.AsyncWaitHandle</c>, which the <c>End</c> method of the asynchronous pattern closes).
    /// </summary>
    private static bool ReturnedThroughAHandingOverMember(IOperation reference) =>
        // Cheap first: only a type implementing one of the table's interfaces has such a member.
        reference is IMemberReferenceOperation { Member.ContainingType: { } owner } &&
        owner.AllInterfaces.Any(contract => HandingOverContracts.Contains(contract.Name)) &&
        reference.SemanticModel?.GetEnclosingSymbol(reference.Syntax.SpanStart) is IMethodSymbol { AssociatedSymbol: IPropertySymbol property } &&
        HandsOverItsValue(property);

    // `System.IAsyncResult.AsyncWaitHandle`: the interface's simple name, `IAsyncResult`.
    private static readonly ImmutableHashSet<string> HandingOverContracts =
        KnownApis.MembersHandingOverTheirValue.Select(entry => entry.Substring(0, entry.LastIndexOf('.'))).Select(type => type.Substring(type.LastIndexOf('.') + 1)).ToImmutableHashSet(StringComparer.Ordinal);

    private static readonly ImmutableHashSet<string> HandingOverNames =
        KnownApis.MembersHandingOverTheirValue.Select(entry => entry.Substring(entry.LastIndexOf('.') + 1)).ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="property"/> implements an interface member of <see cref="KnownApis.MembersHandingOverTheirValue"/>.</summary>
    internal static bool HandsOverItsValue(IPropertySymbol property)
    {
        if (property.ContainingType is not { } type)
        {
            return false;
        }

        var name = property.ExplicitInterfaceImplementations.FirstOrDefault()?.Name ?? property.Name;
        if (!HandingOverNames.Contains(name))
        {
            return false;
        }

        foreach (var contract in type.AllInterfaces)
        {
            foreach (var member in contract.GetMembers(name))
            {
                if (KnownApis.MembersHandingOverTheirValue.Contains(SymbolNames.MemberKey(contract, member.Name)) &&
                    SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), property))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The member's value copied into a local (<c>var temp = endEvent; temp.Set();</c>): read when every use of the local
    /// only reads it, disposed when one disposes it, handed on otherwise (returned, stored, passed to a keeper).
    /// </summary>
    private static MemberUse CopyUse(ILocalSymbol local, IOperation copy, OwnershipModel model, OwnershipTables tables, int depth)
    {
        var use = MemberUse.Read;
        foreach (var reference in Operations.ReferencesTo(Operations.RootOf(copy), local))
        {
            if (reference.Parent is IAssignmentOperation target && ReferenceEquals(target.Target, reference))
            {
                continue;
            }

            if (Operations.ParentSkippingConversions(reference, out _) is IReturnOperation)
            {
                // `var d = stream; stream = null; return d;`: a copy that leaves the method is handed on.
                return MemberUse.HandedOn;
            }

            switch (Classify(reference, model, tables, depth + 1))
            {
                case MemberUse.Disposed:
                    use = MemberUse.Disposed;
                    break;
                case MemberUse.Read:
                    break;
                default:
                    return MemberUse.HandedOn;
            }
        }

        return use;
    }

    /// <summary>The body assigns the member a new object on every run (not under a condition) before returning it.</summary>
    private static bool CreatedForTheCaller(IOperation reference)
    {
        if (Operations.SkipConversions(reference) is not IMemberReferenceOperation { Member: var member })
        {
            return false;
        }

        var root = reference;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var node in root.Descendants())
        {
            if (node is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target, Value: var value } &&
                SymbolEqualityComparer.Default.Equals(target.Member, member) &&
                Operations.SkipConversions(value) is IObjectCreationOperation &&
                node.Syntax.SpanStart < reference.Syntax.SpanStart && !IsConditional(node, root, member))
            {
                return true;
            }
        }

        return false;

        // A lazy creation (`if (member == null) member = new X();`) lends what it keeps; an `if` on something else
        // (`if (telemetryEnabled) Telemetry = new X(inner);`) still makes a new one for this caller.
        static bool IsConditional(IOperation node, IOperation root, ISymbol member)
        {
            for (var current = node.Parent; current is not null && !ReferenceEquals(current, root); current = current.Parent)
            {
                if (current is IConditionalOperation { Condition: var condition } &&
                    !condition.DescendantsAndSelf().Any(test => test is IMemberReferenceOperation tested && SymbolEqualityComparer.Default.Equals(tested.Member, member)))
                {
                    continue;
                }

                if (current is IConditionalOperation or ICoalesceOperation or ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or ISwitchOperation)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Returned by a method (not a property) whose declared return type is <c>IDisposable</c> or
    /// <c>IAsyncDisposable</c> itself, or a task of one: the result is the caller's handle to end something.
    /// </summary>
    private static bool ReturnedAsDisposable(IOperation reference, OwnershipModel model) =>
        reference.SemanticModel?.GetEnclosingSymbol(reference.Syntax.SpanStart) is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method &&
        model.IsDisposableInterface(method.ReturnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } task && task.Name is "Task" or "ValueTask" ? task.TypeArguments[0] : method.ReturnType);

    private static bool ResetInSameBody(IOperation reference)
    {
        if (Operations.SkipConversions(reference) is not IMemberReferenceOperation { Member: var member })
        {
            return false;
        }

        var root = reference;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var node in root.DescendantsAndSelf())
        {
            if (node is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target, Value: var value } &&
                SymbolEqualityComparer.Default.Equals(target.Member, member) && Operations.IsNullOrDefault(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresVariable(IPatternOperation pattern)
    {
        foreach (var node in pattern.DescendantsAndSelf())
        {
            if (node is IDeclarationPatternOperation { DeclaredSymbol: not null } or IRecursivePatternOperation { DeclaredSymbol: not null })
            {
                return true;
            }
        }

        return false;
    }
}
