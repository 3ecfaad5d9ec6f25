namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

/// <summary>
/// Whether a private instance field keeps one value for the whole run of a method that does not write it:
/// <c>if (_mode == Mode.Active) listener = Listen(); else client = Connect(); ... if (_mode == Mode.Active) client = listener.Accept();</c>
/// tests the same fact twice. Only the field's own type can write a private field, so it is enough that no member
/// of that type the method can reach writes it. Read from syntax, by simple names, so it over-approximates what is
/// reached: a call of any member with the name of a writer counts as a call of the writer.
/// </summary>
internal static class StableFields
{
    /// <summary>The names of the members of a field's type that write it; null when something else may (a lambda,
    /// a local function, a nested type, another instance, a <c>ref</c> to it).</summary>
    private static readonly ConditionalWeakTable<IFieldSymbol, StrongBox<ImmutableHashSet<string>?>> Writers = new();

    /// <summary>
    /// Whether <paramref name="field"/> cannot change while <paramref name="method"/> (the body of a method, accessor,
    /// lambda or local function of the field's type) runs, given that the method does not write it itself.
    /// </summary>
    internal static bool StableDuring(IFieldSymbol field, SyntaxNode method)
    {
        if (field.IsStatic || field.IsReadOnly || field.DeclaredAccessibility != Accessibility.Private || field.ContainingType is not { } type)
        {
            return field.IsReadOnly;
        }

        var writers = Writers.GetValue(field, f => new StrongBox<ImmutableHashSet<string>?>(WritersOf(f))).Value;
        if (writers is null)
        {
            return false;
        }

        if (writers.Count == 0)
        {
            return true;
        }

        // Between the two tests other code may run: at an `await` or `yield` (another caller, another thread), or in
        // the handlers of an event or delegate the method invokes (a subscriber calling back into a writer).
        if (method.DescendantNodes().Any(node => node is AwaitExpressionSyntax or YieldStatementSyntax || InvokesADelegate(node, type)))
        {
            return false;
        }

        // The members the method reaches, by name, through the type's own members.
        var members = MembersByName.GetValue(type, IndexMembers);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<SyntaxNode>();
        pending.Push(method);
        while (pending.Count > 0)
        {
            foreach (var name in NamesUsed(pending.Pop()))
            {
                if (writers.Contains(name))
                {
                    return false;
                }

                if (!reached.Add(name) || !members.TryGetValue(name, out var named))
                {
                    continue;
                }

                foreach (var member in named)
                {
                    pending.Push(member);
                }
            }
        }

        return true;
    }

    /// <summary>The type's member declarations by name (all partial declarations), built once per type.</summary>
    private static readonly ConditionalWeakTable<INamedTypeSymbol, Dictionary<string, List<MemberDeclarationSyntax>>> MembersByName = new();

    private static Dictionary<string, List<MemberDeclarationSyntax>> IndexMembers(INamedTypeSymbol type)
    {
        var index = new Dictionary<string, List<MemberDeclarationSyntax>>(StringComparer.Ordinal);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var member in reference.GetSyntax().ChildNodes().OfType<MemberDeclarationSyntax>())
            {
                if (NameOf(member) is not { } name)
                {
                    continue;
                }

                if (!index.TryGetValue(name, out var list))
                {
                    index[name] = list = new List<MemberDeclarationSyntax>();
                }

                list.Add(member);
            }
        }

        return index;
    }

    /// <summary>
    /// The simple names a body uses: every name it calls, reads or assigns (a property read runs its getter, a set its
    /// setter, a method group may be called later), and <c>this[]</c> for an element access (an indexer).
    /// </summary>
    private static IEnumerable<string> NamesUsed(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                case SimpleNameSyntax simple:
                    yield return simple.Identifier.ValueText;
                    break;
                case ElementAccessExpressionSyntax or ElementBindingExpressionSyntax:
                    yield return "this[]";
                    break;
            }
        }
    }

    /// <summary><c>Changed?.Invoke(this, e)</c>, <c>callback(x)</c>, <c>OnChanged(e)</c> on an event or delegate member of the type.</summary>
    private static bool InvokesADelegate(SyntaxNode node, INamedTypeSymbol type) =>
        node is InvocationExpressionSyntax invocation &&
        (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Invoke" or "BeginInvoke" or "DynamicInvoke" } or
             MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Invoke" or "BeginInvoke" or "DynamicInvoke" } ||
         (invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: var name } &&
          type.GetMembers(name).Any(member => member is IEventSymbol || (member is IFieldSymbol { Type.TypeKind: TypeKind.Delegate } or IPropertySymbol { Type.TypeKind: TypeKind.Delegate }))));

    private static string? NameOf(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        IndexerDeclarationSyntax => "this[]",
        EventDeclarationSyntax @event => @event.Identifier.ValueText,
        OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax => "operator",
        _ => null,
    };

    private static ImmutableHashSet<string>? WritersOf(IFieldSymbol field)
    {
        var writers = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax type)
            {
                return null;
            }

            foreach (var node in type.DescendantNodes())
            {
                var written = WrittenNames(node).Where(target => target.Name == field.Name).ToList();
                if (written.Count == 0)
                {
                    continue;
                }

                if (written.Any(target => !target.OnThis))
                {
                    return null;
                }

                // The member that writes it, which must be a member of the type itself, not of a nested type, and not
                // a lambda or local function that may run at any time.
                var holder = node.Ancestors().FirstOrDefault(ancestor => ancestor is MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);
                switch (holder)
                {
                    case ConstructorDeclarationSyntax constructor when constructor.Parent == type && !constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                        break;
                    case MemberDeclarationSyntax member when member.Parent == type && NameOf(member) is { } name:
                        writers.Add(name);
                        break;
                    default:
                        return null;
                }
            }
        }

        return writers.ToImmutable();
    }

    /// <summary>The variables a node writes (an assignment, deconstruction, increment, ref or out argument, ref
    /// expression), each with whether it is a simple name or <c>this.</c>name.</summary>
    private static IEnumerable<(string Name, bool OnThis)> WrittenNames(SyntaxNode node)
    {
        var target = node switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix => postfix.Operand,
            ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument => argument.Expression,
            RefExpressionSyntax reference => reference.Expression,
            _ => null,
        };
        return target is null ? Enumerable.Empty<(string, bool)>() : Targets(target);

        static IEnumerable<(string Name, bool OnThis)> Targets(ExpressionSyntax target)
        {
            switch (target)
            {
                case IdentifierNameSyntax identifier:
                    yield return (identifier.Identifier.ValueText, true);
                    break;
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access:
                    yield return (access.Name.Identifier.ValueText, true);
                    break;
                case MemberAccessExpressionSyntax access:
                    yield return (access.Name.Identifier.ValueText, false);
                    break;
                case MemberBindingExpressionSyntax binding:
                    yield return (binding.Name.Identifier.ValueText, false);
                    break;
                case TupleExpressionSyntax tuple:
                    foreach (var element in tuple.Arguments)
                    {
                        foreach (var inner in Targets(element.Expression))
                        {
                            yield return inner;
                        }
                    }

                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    foreach (var inner in Targets(parenthesized.Expression))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }
}
