namespace LeakAnalyzers.Events;

using System.Collections.Concurrent;
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

    /// <summary><c>parent.View</c>, where parent is a constructor parameter of the part and View a lasting member of the parent.</summary>
    private static bool IsParentMember(IOperation? value, INamedTypeSymbol part, Compilation compilation, SourceOwnership source, CancellationToken cancellationToken)
    {
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

        var names = ImmutableArray.Create(part.Name);
        var found = false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!SourceNames.Mentions(tree, names, cancellationToken))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not BaseObjectCreationExpressionSyntax creation ||
                    (creation is ObjectCreationExpressionSyntax { Type: var type } && SourceNames.RightmostName(type) != part.Name))
                {
                    continue;
                }

                model ??= source.SemanticModelOf(tree);
                if (model.GetOperation(creation, cancellationToken) is not IObjectCreationOperation operation ||
                    !SymbolEqualityComparer.Default.Equals(operation.Type?.OriginalDefinition, part.OriginalDefinition))
                {
                    continue;
                }

                // Other constructors build parts that subscribe (or not) on their own terms.
                if (!SymbolEqualityComparer.Default.Equals(operation.Constructor?.OriginalDefinition, constructor.OriginalDefinition))
                {
                    continue;
                }

                // The constructor with the parent parameter, given `this` from inside the parent, and kept by the parent.
                if (!PassesThis(operation, parent.Ordinal) ||
                    !SymbolEqualityComparer.Default.Equals(model.GetEnclosingSymbol(creation.SpanStart, cancellationToken)?.ContainingType?.OriginalDefinition, parentType.OriginalDefinition) ||
                    !KeptByParent(operation))
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
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

        return current.Parent is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } } assignment &&
               ReferenceEquals(assignment.Value, current);
    }

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
