namespace LeakAnalyzers.Events;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Parts of one parent: a parent object builds a part, passing itself (<c>Caret = new Caret(this)</c>), and the part
/// subscribes to another part the parent made for good (a get-only property or readonly field of the parent, read
/// from the constructor's parent parameter: <c>area.View.Changed += OnChanged</c>). Publisher and subscriber are
/// both held by the parent and die with it. Decided only when every construction of the part in the compilation
/// passes <c>this</c> from the parent's own code and keeps the result in a member of the parent, and no other
/// assembly can construct it.
/// </summary>
internal static class ParentParts
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<(INamedTypeSymbol Part, IParameterSymbol Parent), bool>> ByCompilation = new();

    /// <summary>Whether the publisher <paramref name="receiver"/> of a subscription made in <paramref name="part"/> is a sibling part.</summary>
    internal static bool IsSiblingPart(IOperation? receiver, INamedTypeSymbol part, TypeLifetimeFacts facts, Compilation compilation, SourceOwnership? source, CancellationToken cancellationToken)
    {
        receiver = Operations.SkipConversions(receiver);
        if (source is null || receiver is null)
        {
            return false;
        }

        // `_view.Changed += ...` where every value of _view is `parent.View`; or `parent.View.Changed += ...` itself.
        if (receiver is IMemberReferenceOperation { Instance: IInstanceReferenceOperation } own && own.Member is IFieldSymbol or IPropertySymbol)
        {
            var stored = facts.AssignmentsOf(own.Member);
            if (stored.IsEmpty)
            {
                return false;
            }

            foreach (var value in stored)
            {
                if (!IsParentMember(value.Value, part, compilation, source, cancellationToken))
                {
                    return false;
                }
            }

            return true;
        }

        return IsParentMember(receiver, part, compilation, source, cancellationToken);
    }

    /// <summary>
    /// <c>parent.View</c>, where parent is a constructor parameter of the part and View a lasting member of the parent;
    /// or the parent itself (<c>parentContext.Disposing += ...</c>): it holds the part anyway.
    /// </summary>
    private static bool IsParentMember(IOperation? value, INamedTypeSymbol part, Compilation compilation, SourceOwnership source, CancellationToken cancellationToken)
    {
        if (Operations.SkipConversions(value) is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } owner } itself } &&
            SymbolEqualityComparer.Default.Equals(owner.ContainingType.OriginalDefinition, part.OriginalDefinition))
        {
            var parents = ByCompilation.GetValue(compilation, _ => new ConcurrentDictionary<(INamedTypeSymbol, IParameterSymbol), bool>());
            return parents.GetOrAdd((part.OriginalDefinition, itself.OriginalDefinition), key => BuiltOnlyByItsParent(key.Part, key.Parent, compilation, source, cancellationToken));
        }

        if (Operations.SkipConversions(value) is not IMemberReferenceOperation { Instance: IParameterReferenceOperation { Parameter: var parent } } member ||
            parent.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor ||
            !SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, part.OriginalDefinition) ||
            parent.Type is not INamedTypeSymbol parentType ||
            !SymbolEqualityComparer.Default.Equals(member.Member.ContainingType.OriginalDefinition, parentType.OriginalDefinition) ||
            !Lasts(member.Member))
        {
            return false;
        }

        var cache = ByCompilation.GetValue(compilation, _ => new ConcurrentDictionary<(INamedTypeSymbol, IParameterSymbol), bool>());
        return cache.GetOrAdd((part.OriginalDefinition, parent.OriginalDefinition), key => BuiltOnlyByItsParent(key.Part, key.Parent, compilation, source, cancellationToken));
    }

    /// <summary>A get-only auto-property or a readonly field: set while the parent is built, never again.</summary>
    private static bool Lasts(ISymbol member) =>
        member switch
        {
            IFieldSymbol field => field.IsReadOnly && !field.IsStatic,
            IPropertySymbol { SetMethod: null, IsStatic: false } property =>
                property.DeclaringSyntaxReferences.Length == 1 &&
                property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors } &&
                accessors.Accessors.All(accessor => accessor.Body is null && accessor.ExpressionBody is null),
            _ => false,
        };

    private static bool BuiltOnlyByItsParent(INamedTypeSymbol part, IParameterSymbol parent, Compilation compilation, SourceOwnership source, CancellationToken cancellationToken)
    {
        if (parent.ContainingSymbol is not IMethodSymbol constructor || IsVisibleOutside(constructor) || parent.Type is not INamedTypeSymbol parentType)
        {
            return false;
        }

        // A constructor that chains to this one passes a parent of its own choosing.
        foreach (var other in part.InstanceConstructors)
        {
            foreach (var reference in other.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax { Initializer: { } initializer } &&
                    initializer.ThisOrBaseKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ThisKeyword))
                {
                    return false;
                }
            }
        }

        var found = false;
        foreach (var (operation, model) in CreationsOf(part, compilation, source, cancellationToken))
        {
            // Other constructors build parts that subscribe (or not) on their own terms.
            if (!SymbolEqualityComparer.Default.Equals(operation.Constructor?.OriginalDefinition, constructor.OriginalDefinition))
            {
                continue;
            }

            // The constructor with the parent parameter, given `this` from inside the parent, and kept by the parent.
            if (!PassesThis(operation, parent.Ordinal) ||
                !IsOrInherits(model.GetEnclosingSymbol(operation.Syntax.SpanStart, cancellationToken)?.ContainingType, parentType) ||
                !KeptByParent(operation))
            {
                return false;
            }

            found = true;
        }

        return found;
    }

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, bool>> AttachedByCompilation = new();

    /// <summary>
    /// Whether every creation of <paramref name="subscriber"/> in the compilation throws the new object away at once
    /// (<c>new CachingContext(client).Start();</c>, <c>new Tracker(window);</c>), so that what it subscribes to is
    /// the only thing that keeps it: it is attached to its publisher on purpose and lives exactly as long as the
    /// publisher means it to. At least one creation must exist; a type created by reflection or elsewhere is not.
    /// </summary>
    internal static bool OnlyAttached(INamedTypeSymbol subscriber, Compilation compilation, SourceOwnership? source, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return false;
        }

        var cache = AttachedByCompilation.GetValue(compilation, _ => new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default));
        return cache.GetOrAdd(subscriber.OriginalDefinition, type =>
        {
            var found = false;
            foreach (var (operation, _) in CreationsOf(type, compilation, source, cancellationToken))
            {
                if (!IsThrownAway(operation))
                {
                    return false;
                }

                found = true;
            }

            return found;
        });
    }

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IParameterSymbol, bool>> FreshByCompilation = new();

    /// <summary>
    /// Whether the publisher <paramref name="receiver"/> is a constructor parameter of <paramref name="subscriber"/>
    /// (or a member set only from it) that every construction in the compilation fills with a new object
    /// (<c>new EncryptedConnection(new TcpConnection())</c>): nothing but the subscriber holds that publisher, so the two
    /// die together. The constructor must not be visible to other assemblies, and at least one construction must exist.
    /// </summary>
    internal static bool GivenOnlyNewPublishers(IOperation? receiver, INamedTypeSymbol subscriber, TypeLifetimeFacts facts, Compilation compilation, SourceOwnership? source, CancellationToken cancellationToken)
    {
        receiver = Operations.SkipConversions(receiver);
        if (source is null || receiver is null)
        {
            return false;
        }

        IParameterSymbol? parameter = null;
        if (receiver is IMemberReferenceOperation { Instance: IInstanceReferenceOperation } own && own.Member is IFieldSymbol or IPropertySymbol)
        {
            foreach (var value in facts.AssignmentsOf(own.Member))
            {
                if (Operations.SkipConversions(value.Value) is not IParameterReferenceOperation { Parameter: var given } || (parameter is not null && !SymbolEqualityComparer.Default.Equals(given, parameter)))
                {
                    return false;
                }

                parameter = given;
            }
        }
        else if (receiver is IParameterReferenceOperation direct)
        {
            parameter = direct.Parameter;
        }

        if (parameter?.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor ||
            !SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, subscriber.OriginalDefinition) || IsVisibleOutside(constructor))
        {
            return false;
        }

        var cache = FreshByCompilation.GetValue(compilation, _ => new ConcurrentDictionary<IParameterSymbol, bool>(SymbolEqualityComparer.Default));
        return cache.GetOrAdd(parameter.OriginalDefinition, given =>
        {
            var found = false;
            foreach (var (operation, _) in CreationsOf(subscriber, compilation, source, cancellationToken))
            {
                if (!SymbolEqualityComparer.Default.Equals(operation.Constructor?.OriginalDefinition, constructor.OriginalDefinition))
                {
                    // Another constructor that chains to this one chooses its own publisher.
                    return false;
                }

                if (operation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == given.Ordinal) is not { } argument ||
                    !IsFresh(argument.Value, source, 0))
                {
                    return false;
                }

                found = true;
            }

            return found;
        });
    }

    /// <summary>
    /// A helper its creator builds over itself: every <c>new</c> of the subscriber passes, for the publisher's
    /// parameter, the creating object or one of its members (<c>new SearchBehavior(this, Body, Search)</c> in a
    /// window), and every call of a method that gives the publisher is made on a member of the calling object with
    /// that object or one of its members (<c>scaler.Bind(this)</c>). Publisher and subscriber both belong to the
    /// creator and die with it. The constructor or method must not be visible outside the compilation.
    /// </summary>
    internal static bool GivenOnlyByItsCreator(IOperation? receiver, INamedTypeSymbol subscriber, TypeLifetimeFacts facts, Compilation compilation, SourceOwnership? source, CancellationToken cancellationToken)
    {
        receiver = Operations.SkipConversions(receiver);
        if (source is null || receiver is null || GivingParameter(receiver, facts, out var readFromIt) is not { ContainingSymbol: IMethodSymbol method } parameter ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, subscriber.OriginalDefinition) || IsVisibleOutside(method) ||
            method.MethodKind is not (MethodKind.Constructor or MethodKind.Ordinary))
        {
            return false;
        }

        var cache = CreatorByCompilation.GetValue(compilation, _ => new ConcurrentDictionary<(IParameterSymbol, ISymbol?), bool>());
        return cache.GetOrAdd((parameter.OriginalDefinition, readFromIt?.OriginalDefinition), key =>
        {
            var (given, read) = key;
            var found = false;
            if (method.MethodKind == MethodKind.Constructor)
            {
                foreach (var (creation, _) in CreationsOf(subscriber, compilation, source, cancellationToken))
                {
                    if (!SymbolEqualityComparer.Default.Equals(creation.Constructor?.OriginalDefinition, method.OriginalDefinition))
                    {
                        // Another constructor: it gives this one nothing, unless it chains to it with its own arguments.
                        if (creation.Constructor?.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax { Initializer.ThisOrBaseKeyword.ValueText: "this" }) != false)
                        {
                            return false;
                        }

                        continue;
                    }

                    if (!InCreatorsConstructor(creation) ||
                        creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == given.Ordinal) is not { } argument || !IsCreatorOrPart(argument.Value, read))
                    {
                        return false;
                    }

                    found = true;
                }

                return found;
            }

            foreach (var call in CallsOf(method, compilation, source, cancellationToken))
            {
                if (Operations.SkipConversions(call.Instance) is not IMemberReferenceOperation { Instance: IInstanceReferenceOperation } || !InCreatorsConstructor(call) ||
                    call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == given.Ordinal) is not { } argument || !IsCreatorOrPart(argument.Value, read))
                {
                    return false;
                }

                found = true;
            }

            return found;
        });

        // Once per creator: in one of its instance constructors, not in a method that may run many times.
        static bool InCreatorsConstructor(IOperation operation) =>
            operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart) is IMethodSymbol { MethodKind: MethodKind.Constructor };

        // The creator itself, or a part of it that it did not get from outside; the member the subscriber then reads
        // from the creator must be such a part too.
        static bool IsCreatorOrPart(IOperation value, ISymbol? read) =>
            Operations.SkipConversions(value) switch
            {
                IInstanceReferenceOperation creator => read is null || IsOwnPart(read, creator.Type as INamedTypeSymbol),
                IMemberReferenceOperation { Instance: IInstanceReferenceOperation creator, Member: var member } => IsOwnPart(member, creator.Type as INamedTypeSymbol),
                _ => false,
            };
    }

    /// <summary>
    /// A non-static member of <paramref name="creator"/> (or its bases) that no constructor fills from one of its
    /// parameters, and that code outside its type cannot set: a child the creator makes or its markup connects, not a
    /// service it is given.
    /// </summary>
    private static bool IsOwnPart(ISymbol member, INamedTypeSymbol? creator)
    {
        if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol) || creator is null ||
            member is IPropertySymbol { SetMethod.DeclaredAccessibility: Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal })
        {
            return false;
        }

        for (var type = creator; type is not null; type = type.BaseType)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                foreach (var constructor in reference.GetSyntax().DescendantNodes().OfType<ConstructorDeclarationSyntax>())
                {
                    var parameters = constructor.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToImmutableHashSet();
                    if (constructor.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(assignment =>
                            SourceDisposal.NameOf(assignment.Left) == member.Name && SourceDisposal.NameOf(assignment.Right) is { } from && parameters.Contains(from)))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<(IParameterSymbol, ISymbol?), bool>> CreatorByCompilation = new();

    /// <summary>
    /// The parameter a publisher comes from: the parameter itself, a member of one (<c>window.Body</c>), or a member of
    /// this object every assignment of which is one of those.
    /// </summary>
    private static IParameterSymbol? GivingParameter(IOperation receiver, TypeLifetimeFacts facts, out ISymbol? readFromIt)
    {
        readFromIt = null;
        if (RootParameter(receiver, out var read) is { } direct)
        {
            readFromIt = read;
            return direct;
        }

        if (receiver is not IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: IFieldSymbol or IPropertySymbol } own)
        {
            return null;
        }

        IParameterSymbol? parameter = null;
        foreach (var value in facts.AssignmentsOf(own.Member))
        {
            if (RootParameter(value.Value, out var readHere) is not { } given || (parameter is not null && !SymbolEqualityComparer.Default.Equals(given, parameter)) ||
                (parameter is not null && !SymbolEqualityComparer.Default.Equals(readHere, readFromIt)))
            {
                return null;
            }

            parameter = given;
            readFromIt = readHere;
        }

        return parameter;

        // `window.Body.Text`: the parameter `window`, and the member read from it first, `Body`.
        static IParameterSymbol? RootParameter(IOperation? value, out ISymbol? first)
        {
            first = null;
            for (var depth = 0; depth < 4; depth++)
            {
                switch (Operations.SkipConversions(value))
                {
                    case IParameterReferenceOperation { Parameter: var parameter }:
                        return parameter;
                    case IPropertyReferenceOperation { Arguments.Length: 0, Instance: { } instance } property:
                        first = property.Property;
                        value = instance;
                        continue;
                    case IFieldReferenceOperation { Instance: { } instance } field:
                        first = field.Field;
                        value = instance;
                        continue;
                    default:
                        return null;
                }
            }

            return null;
        }
    }

    /// <summary>Every call of <paramref name="method"/> in the compilation.</summary>
    private static IEnumerable<IInvocationOperation> CallsOf(IMethodSymbol method, Compilation compilation, SourceOwnership source, CancellationToken cancellationToken) =>
        OperationsNamed<IInvocationOperation>(
            method.Name,
            node => node is InvocationExpressionSyntax invocation &&
                    (invocation.Expression switch { MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText, IdentifierNameSyntax name => name.Identifier.ValueText, _ => null }) == method.Name,
            call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition),
            compilation,
            source,
            cancellationToken).Select(found => found.Operation);

    /// <summary>
    /// A new object, made here or by source code this one reaches: <c>new X()</c>; a local every value of which is one;
    /// a call of a source method that cannot be overridden and returns only new objects (<c>CreateComposite() =&gt;
    /// new Composite()</c>); or the parameter of a private method whose every call in its type passes a new object
    /// (<c>Create(CreateComposite())</c>).
    /// </summary>
    private static bool IsFresh(IOperation value, SourceOwnership source, int depth)
    {
        if (depth > 3)
        {
            return false;
        }

        switch (Operations.SkipConversions(value))
        {
            case IObjectCreationOperation:
                return true;
            case ILocalReferenceOperation { Local: var local } reference:
                // `var composite = CreateComposite(...); return Wrap(composite);`
                var values = Operations.ValuesOfLocal(Operations.RootOf(reference), local);
                return values.Count > 0 && values.All(assigned => assigned is not null && IsFresh(assigned, source, depth + 1));
            case IInvocationOperation { TargetMethod: { IsVirtual: false, IsAbstract: false, IsOverride: false } callee }
                when source.BodyOf(callee.OriginalDefinition) is { } body:
                var returns = body.DescendantsAndSelf().OfType<IReturnOperation>()
                    .Where(r => r.Kind == OperationKind.Return && FunctionScopes.EnclosingFunction(r) is null).ToList();
                return returns.Count > 0 && returns.All(r => r.ReturnedValue is { } returned && IsFresh(returned, source, depth + 1));
            case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, ContainingSymbol: IMethodSymbol { DeclaredAccessibility: Accessibility.Private } method } parameter }
                when method.ContainingType is { } type:
                var calls = 0;
                foreach (var member in type.GetMembers())
                {
                    if (member is not IMethodSymbol caller || source.BodyOf(caller) is not { } callerBody)
                    {
                        continue;
                    }

                    foreach (var call in callerBody.DescendantsAndSelf().OfType<IInvocationOperation>())
                    {
                        if (!SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition))
                        {
                            continue;
                        }

                        calls++;
                        if (call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal) is not { } passed || !IsFresh(passed.Value, source, depth + 1))
                        {
                            return false;
                        }
                    }
                }

                return calls > 0;
            default:
                return false;
        }
    }

    /// <summary>Every <c>new</c> of <paramref name="type"/> in the compilation, with the semantic model of its tree.</summary>
    private static IEnumerable<(IObjectCreationOperation Creation, SemanticModel Model)> CreationsOf(INamedTypeSymbol type, Compilation compilation, SourceOwnership source, CancellationToken cancellationToken) =>
        OperationsNamed<IObjectCreationOperation>(
            type.Name,
            node => node is BaseObjectCreationExpressionSyntax creation &&
                    !(creation is ObjectCreationExpressionSyntax { Type: var written } && SourceNames.RightmostName(written) != type.Name),
            operation => SymbolEqualityComparer.Default.Equals(operation.Type?.OriginalDefinition, type.OriginalDefinition),
            compilation,
            source,
            cancellationToken);

    /// <summary>
    /// The operations of type <typeparamref name="T"/> at the syntax nodes <paramref name="candidate"/> picks, in the
    /// trees that mention <paramref name="name"/>, that <paramref name="accept"/> keeps, with their semantic model.
    /// </summary>
    private static IEnumerable<(T Operation, SemanticModel Model)> OperationsNamed<T>(string name, Func<SyntaxNode, bool> candidate, Func<T, bool> accept, Compilation compilation, SourceOwnership source, CancellationToken cancellationToken)
        where T : class, IOperation
    {
        var names = ImmutableArray.Create(name);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!SourceNames.Mentions(tree, names, cancellationToken))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (!candidate(node))
                {
                    continue;
                }

                model ??= source.SemanticModelOf(tree);
                if (model.GetOperation(node, cancellationToken) is T operation && accept(operation))
                {
                    yield return (operation, model);
                }
            }
        }
    }

    /// <summary><c>new C(...);</c> or <c>new C(...).Start();</c> as a whole statement, the call returning nothing kept.</summary>
    private static bool IsThrownAway(IObjectCreationOperation creation)
    {
        var current = (IOperation)creation;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is IInvocationOperation call && ReferenceEquals(call.Instance, current) && !call.TargetMethod.ReturnsVoid)
        {
            return false;
        }

        return current.Parent switch
        {
            IExpressionStatementOperation => true,
            IInvocationOperation { Parent: IExpressionStatementOperation } invocation => ReferenceEquals(invocation.Instance, current),

            // `var updater = new Updater(c); updater.Attach(); return updater.Current;`: a local only called and read,
            // never handed on, lets the object go when the method ends.
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } } => OnlyUsedAsReceiver(local, Operations.RootOf(creation)),
            _ => false,
        };
    }

    private static bool OnlyUsedAsReceiver(ILocalSymbol local, IOperation root)
    {
        var any = false;
        foreach (var reference in Operations.ReferencesTo(root, local))
        {
            var parent = reference.Parent;
            var receiver = parent switch
            {
                IInvocationOperation call => call.Instance,
                IMemberReferenceOperation member => member.Instance,
                _ => null,
            };

            if (!ReferenceEquals(receiver, reference) ||
                (parent is IInvocationOperation result && !result.TargetMethod.ReturnsVoid && result.Type is { } type &&
                 SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, local.Type.OriginalDefinition)))
            {
                // Handed on, or a call that may return the object itself (a fluent Start()).
                return false;
            }

            any = true;
        }

        return any;
    }

    private static bool PassesThis(IObjectCreationOperation creation, int ordinal)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return Operations.SkipConversions(argument.Value) is IInstanceReferenceOperation;
            }
        }

        return false;
    }

    /// <summary><c>Caret = new Caret(this)</c>, <c>this.caret = new Caret(this)</c>: stored in a member of the parent.</summary>
    private static bool KeptByParent(IObjectCreationOperation creation)
    {
        var current = (IOperation)creation;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        // `Caret = new Caret(this)`, or `registrations.Add(new Registration(this, instance))` into a collection of its own.
        return (current.Parent is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } } assignment &&
                ReferenceEquals(assignment.Value, current)) ||
               (current.Parent is IArgumentOperation { Parent: IInvocationOperation { Instance: IMemberReferenceOperation { Instance: IInstanceReferenceOperation } } add } &&
                DelegateFates.StoringCollectionMethods.Contains(add.TargetMethod.Name));
    }

    /// <summary>The parent's own type, or a type derived from the one the part's parameter names (a class or an interface it implements).</summary>
    private static bool IsOrInherits(INamedTypeSymbol? type, INamedTypeSymbol parentType) =>
        type is not null &&
        (Hierarchy.IsOrDerivesFrom(type, parentType) ||
         (parentType.TypeKind == TypeKind.Interface && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, parentType.OriginalDefinition))));

    private static bool IsVisibleOutside(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return false;
            }
        }

        return true;
    }

}
