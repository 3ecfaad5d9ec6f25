namespace LeakAnalyzers.Native;

using LeakAnalyzers.Shared;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// What a use of a pointer, IntPtr or GCHandle that holds an allocation does to the duty to free it.
/// Release: passed to a matching (or any known) free or realloc function, <c>handle.Free()</c>,
/// <c>GCHandle.FromIntPtr(p).Free()</c>. Hand-over: returned, stored anywhere, given to a SafeHandle or
/// CriticalHandle, passed by ref or out, or passed to a method that may keep it (a method in source or outside
/// the framework: unknown, so precision first). A P/Invoke borrows a buffer, but may keep a GC handle or a COM
/// pointer (a callback context). Pointer arithmetic, casts, dereferences, comparisons and framework calls that
/// read the memory are uses.
/// </summary>
internal sealed class NativeReleasePolicy : IReleasePolicy
{
    private readonly NativeModel model;
    private readonly NativeTables tables;
    private readonly bool nativeCodeMayKeep;

    internal NativeReleasePolicy(NativeModel model, NativeTables tables, bool nativeCodeMayKeep)
    {
        this.model = model;
        this.tables = tables;
        this.nativeCodeMayKeep = nativeCodeMayKeep;
    }

    /// <summary>
    /// Whether some use classified so far freed the value (other than by reallocating it) or handed it over: tells
    /// "never freed" from "not freed on every path".
    /// </summary>
    internal bool FreedOrHandedOver { get; private set; }

    /// <summary>
    /// A pointer converted to a typed pointer (<c>ptr.ToPointer()</c>) and returned is the block handed to the caller
    /// (a <c>malloc</c> shim); stored in a field or property (<c>_ptr = Marshal.AllocHGlobal(n).ToPointer();</c>), it is
    /// the object's to free, which the field rule judges. Converted for use here (<c>var p = (byte*)ptr.ToPointer();</c>), or returned as a number
    /// (<c>ptr.ToInt64()</c>), it is only read. Other calls that return pointers are judged where they are.
    /// </summary>
    /// <summary>A native block or handle has no Dispose to read a guard from.</summary>
    public bool? ReleasesNothingWhen(IMemberReferenceOperation test) => null;

    public IOperation? Carrier(IOperation reference, IOperation consumer, out bool keeps)
    {
        keeps = false;

        // `new IntPtr(p)`: the same address as a number again (`Marshal.FreeHGlobal(new IntPtr(p))`).
        if (consumer is IArgumentOperation { Parent: IObjectCreationOperation { Type.SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } number })
        {
            return number;
        }

        // `gcHandle = GCHandle.ToIntPtr(handle)`: the IntPtr is the handle as a number, freed by
        // `GCHandle.FromIntPtr(gcHandle).Free()`; where it goes, the handle goes.
        if (consumer is IArgumentOperation { Parent: IInvocationOperation toIntPtr } && model.IsGCHandleMethod(toIntPtr.TargetMethod, "ToIntPtr"))
        {
            return toIntPtr;
        }

        // `return ref Unsafe.AsRef<byte>(ptr);`: the block handed to the caller as a reference to its first byte.
        if (consumer is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "AsRef", ContainingType: { Name: "Unsafe" } unsafeType } } asRef } &&
            SymbolNames.FullMetadataName(unsafeType) == "System.Runtime.CompilerServices.Unsafe" && IsReturnedOrStored(asRef))
        {
            return asRef;
        }

        return consumer is IInvocationOperation { TargetMethod: { Name: "ToPointer", ContainingType.SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } } conversion &&
               ReferenceEquals(conversion.Instance, reference) &&
               IsReturnedOrStored(conversion)
            ? conversion
            : null;

        static bool IsReturnedOrStored(IOperation value) =>
            Operations.ParentSkippingConversions(value, out var outer) switch
            {
                IReturnOperation or null => true,
                ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment => ReferenceEquals(assignment.Value, outer),
                _ => false,
            };
    }

    public UseKind Classify(IOperation reference, IOperation? consumer, bool consumerReturned)
    {
        var use = ClassifyCore(reference, consumer);
        FreedOrHandedOver |= use == UseKind.HandOver;
        return use;
    }

    private UseKind ClassifyCore(IOperation reference, IOperation? consumer)
    {
        switch (consumer)
        {
            case IInvocationOperation { TargetMethod.Name: "GetValueOrDefault", Arguments.Length: 0 } unwrap when ReferenceEquals(unwrap.Instance, reference) && IsNullable(reference.Type):
                // `GCHandle? handle`: `handle?.Free()` frees what `handle.GetValueOrDefault()` gives.
                return ClassifyCore(unwrap, Operations.ParentSkippingConversions(unwrap, out _));
            case IPropertyReferenceOperation { Property.Name: "Value" } unwrap when ReferenceEquals(unwrap.Instance, reference) && IsNullable(reference.Type):
                return ClassifyCore(unwrap, Operations.ParentSkippingConversions(unwrap, out _));
            case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, reference):
                // handle.Free() releases; handle.AddrOfPinnedObject(), p.ToInt64() read.
                return Released(tables.ReleaserOf(invocation.TargetMethod));
            case IArgumentOperation argument:
                return ClassifyArgument(argument);
            case IPropertyReferenceOperation property when ReferenceEquals(property.Instance, reference):
            case IFieldReferenceOperation field when ReferenceEquals(field.Instance, reference):
                return UseKind.None;
            case IBinaryOperation:
            case IUnaryOperation:
            case IIsNullOperation:
            case IIsTypeOperation:
            case IIsPatternOperation:
            case IInterpolationOperation:
            case IExpressionStatementOperation:
            case ISwitchOperation:
            case INameOfOperation:
                return UseKind.None;
            case { Kind: OperationKind.None }:
                // Pointer indirection and pointer element access have no operation kind of their own: `*p`, `p[i]`.
                return UseKind.None;
            default:
                // Returned, assigned anywhere, put in an array or tuple, captured: no longer only ours.
                return UseKind.HandOver;
        }
    }

    /// <summary>
    /// <c>if (SetClipboardData(format, block) == IntPtr.Zero) return false; block = IntPtr.Zero;</c>: a native call
    /// followed, in the same block, by clearing the variable without freeing it. That is how code says the native
    /// API took the block (so that a <c>finally</c> does not free it).
    /// </summary>
    private static bool ClearedAfter(IArgumentOperation argument)
    {
        // The flow graph's operations have no blocks above them: the statements that follow are read from syntax.
        if (Operations.SkipConversions(argument.Value) is not ILocalReferenceOperation { Local: var local } ||
            argument.Syntax.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
        {
            return false;
        }

        return block.Statements.SkipWhile(s => s != statement).Skip(1).Any(following =>
            following.DescendantNodesAndSelf().OfType<AssignmentExpressionSyntax>().Any(clearing =>
                clearing.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                clearing.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name &&
                clearing.Right is LiteralExpressionSyntax { Token.ValueText: "0" or "null" or "default" } or DefaultExpressionSyntax or
                    MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero" }));
    }

    private static bool IsNullable(ITypeSymbol? type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };

    /// <summary>The release or hand-over when the value is an argument; shared with the field rule.</summary>
    internal UseKind ClassifyArgument(IArgumentOperation argument) => ClassifyArgument(argument, out _);

    /// <summary>
    /// As <see cref="ClassifyArgument(IArgumentOperation)"/>; <paramref name="unknownCallee"/> tells a hand-over that
    /// is only presumed (a method in source, outside the framework, a P/Invoke, a delegate) from a known one.
    /// </summary>
    internal UseKind ClassifyArgument(IArgumentOperation argument, out bool unknownCallee)
    {
        unknownCallee = false;
        var parameter = argument.Parameter;
        if (parameter is null || parameter.RefKind is RefKind.Ref or RefKind.Out || parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return UseKind.HandOver;
        }

        if (tables.ReleaserOf(method) is { } releaser)
        {
            return Released(releaser);
        }

        if (model.IsGCHandleMethod(method, "FromIntPtr") && argument.Parent is IInvocationOperation fromIntPtr)
        {
            return ClassifyRecoveredHandle(fromIntPtr);
        }

        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            unknownCallee = true;
            return UseKind.HandOver;
        }

        if (model.IsGCHandleMethod(method, "ToIntPtr") ||
            Attributes.HandlesResourceDisposal(parameter) ||
            IsListed(method, tables.Ownership.Transfers.ContainsKey) ||
            IsListed(method, key => NativeApis.HandleTakingParameters.Contains((key, parameter.Name))))
        {
            return UseKind.HandOver;
        }

        if (IsListed(method, tables.Ownership.BorrowingMethods.Contains))
        {
            return UseKind.None;
        }

        if (model.IsHandleOwner(method.ContainingType))
        {
            return OwnsHandleIsFalse(argument) ? UseKind.None : UseKind.HandOver;
        }

        if (IsListed(method, name => NativeApis.StoringMethods.Contains(name)))
        {
            return UseKind.HandOver;
        }

        // A view of the memory that leaves the method takes the memory with it.
        if (NativeModel.IsPointerView(argument.Parent) && ViewEscapes(argument.Parent!))
        {
            return UseKind.HandOver;
        }

        if (NativeModel.IsNativeCall(method))
        {
            unknownCallee = nativeCodeMayKeep;
            return nativeCodeMayKeep || ClearedAfter(argument) ? UseKind.HandOver : UseKind.None;
        }

        unknownCallee = !OwnershipModel.IsFrameworkAssembly(method.ContainingAssembly);

        // Source summaries speak of disposal, not of freeing: a source method that frees its IntPtr parameter
        // reads as one that only borrows it. Until summaries know the native releasers, a source callee may keep it.
        if (unknownCallee)
        {
            return UseKind.HandOver;
        }

        return model.Ownership.FateOf(argument, tables.Ownership) == ArgumentFate.Borrowed ? UseKind.None : UseKind.HandOver;
    }

    /// <summary>The view is returned, stored outside the method's locals, or given to an unknown method.</summary>
    private bool ViewEscapes(IOperation view)
    {
        var consumer = Operations.ParentSkippingConversions(view, out var outer);
        return consumer switch
        {
            IReturnOperation => true,
            ISimpleAssignmentOperation assignment => ReferenceEquals(assignment.Value, outer) && assignment.Target is not ILocalReferenceOperation,
            IArgumentOperation argument => ClassifyArgument(argument) == UseKind.HandOver,
            IVariableInitializerOperation or IInvocationOperation or IPropertyReferenceOperation or IExpressionStatementOperation => false,

            // In a control-flow graph a returned value is the branch value of its block: it has no parent.
            null => IsReturnedSyntax(outer.Syntax),
            _ => true,
        };
    }

    private static bool IsReturnedSyntax(SyntaxNode syntax)
    {
        var parent = syntax.Parent;
        while (parent is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax or YieldStatementSyntax;
    }

    private UseKind Released(NativeReleaser? releaser)
    {
        if (releaser is null)
        {
            return UseKind.None;
        }

        FreedOrHandedOver |= !releaser.Reallocates;
        return UseKind.Release;
    }

    /// <summary><c>GCHandle.FromIntPtr(p)</c>: <c>.Free()</c> releases, <c>.Target</c> reads, anything else keeps the handle.</summary>
    private UseKind ClassifyRecoveredHandle(IInvocationOperation fromIntPtr)
    {
        var consumer = Operations.ParentSkippingConversions(fromIntPtr, out var outer);
        return consumer switch
        {
            IInvocationOperation call when ReferenceEquals(call.Instance, outer) =>
                model.IsGCHandleMethod(call.TargetMethod, "Free") ? Released(tables.ReleaserOf(call.TargetMethod)) : UseKind.None,
            IPropertyReferenceOperation property when ReferenceEquals(property.Instance, outer) => UseKind.None,
            IExpressionStatementOperation => UseKind.None,
            _ => UseKind.HandOver,
        };
    }

    private static bool OwnsHandleIsFalse(IArgumentOperation argument)
    {
        var arguments = argument.Parent switch
        {
            IObjectCreationOperation creation => creation.Arguments,
            IInvocationOperation invocation => invocation.Arguments,
            _ => default,
        };

        if (arguments.IsDefault)
        {
            return false;
        }

        foreach (var other in arguments)
        {
            if (other.Parameter is { Name: "ownsHandle" } && other.Value.ConstantValue is { HasValue: true, Value: false })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsListed(IMethodSymbol method, System.Func<string, bool> contains)
    {
        var name = method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name;
        return method.ContainingType is { } type && contains(SymbolNames.MemberKey(type, name));
    }
}
