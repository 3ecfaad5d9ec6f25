namespace LeakAnalyzers.Events;

using System.Collections.Generic;
using System.Linq;
using System.Text;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Writes the call that undoes a subscription made by a subscription method (<c>Event.Unsubscribe("saved", OnSaved);</c>,
/// <c>StrongReferenceMessenger.Default.Unregister&lt;Saved&gt;(this);</c>), for the code fixes: an overload of one of the
/// entry's undo methods whose every required parameter can be given from the subscribing call (an argument of the
/// same name, the handler for a delegate, the subscriber), with expressions that are valid anywhere in the type.
/// </summary>
internal static class Undo
{
    /// <summary>The statement, or null when no overload can be written from here.</summary>
    internal static string? Statement(Subscription add, TypeEvents events, out string? guard)
    {
        guard = null;
        if (add.Call is not { } call || add.Api is not { } api || call.Syntax is not InvocationExpressionSyntax syntax)
        {
            return null;
        }

        string prefix;
        var receiver = SubscriptionTable.ReceiverOf(call);
        if (add.IsStatic)
        {
            prefix = syntax.Expression is MemberAccessExpressionSyntax staticAccess ? staticAccess.Expression + "." : string.Empty;
        }
        else
        {
            var receiverText = events.PortableText(receiver, ref guard);
            if (receiverText is null)
            {
                return null;
            }

            prefix = receiverText.Length == 0 ? string.Empty : receiverText + ".";
        }

        string? best = null;
        var bestScore = int.MinValue;
        foreach (var name in api.Undo)
        {
            if (name == SubscriptionApi.DisposeToken)
            {
                continue;
            }

            foreach (var candidate in Candidates(call, receiver, name))
            {
                if (Write(candidate, call, syntax, add, events, out var score) is { } arguments && score > bestScore)
                {
                    best = prefix + arguments + ";";
                    bestScore = score;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// The same undo call, written with expressions valid anywhere in the type (to move it out of a finalizer), or
    /// null when one of its arguments or its receiver cannot be named there.
    /// </summary>
    internal static string? Again(Subscription removal, TypeEvents events, out string? guard)
    {
        guard = null;
        if (removal.Call is not { } call || call.Syntax is not InvocationExpressionSyntax syntax)
        {
            return null;
        }

        var receiver = SubscriptionTable.ReceiverOf(call);
        string prefix;
        if (removal.IsStatic)
        {
            prefix = syntax.Expression is MemberAccessExpressionSyntax staticAccess ? staticAccess.Expression + "." : string.Empty;
        }
        else if (events.PortableText(receiver, ref guard) is { } receiverText)
        {
            prefix = receiverText.Length == 0 ? string.Empty : receiverText + ".";
        }
        else
        {
            return null;
        }

        var name = syntax.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.ToString(),
            SimpleNameSyntax simple => simple.ToString(),
            _ => null,
        };

        var arguments = new List<string>();
        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            var operation = FindArgument(call, argument);
            if (operation is null)
            {
                return null;
            }

            var text = Handler.Unwrap(operation) is IMethodReferenceOperation { Instance: null or IInstanceReferenceOperation } ? argument.Expression.ToString() : Portable(operation, events);
            if (text is null)
            {
                return null;
            }

            arguments.Add((argument.NameColon is { } named ? named.ToString() + " " : string.Empty) + text);
        }

        return name is null ? null : prefix + name + "(" + string.Join(", ", arguments) + ");";
    }

    private static IOperation? FindArgument(IInvocationOperation call, ArgumentSyntax syntax)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Syntax == syntax)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>Methods of that name on the receiver's type and its bases and interfaces, and extension methods beside the subscribe method.</summary>
    private static IEnumerable<IMethodSymbol> Candidates(IInvocationOperation call, IOperation? receiver, string name)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var types = new List<ITypeSymbol>();
        if (Operations.SkipConversions(receiver)?.Type is INamedTypeSymbol receiverType)
        {
            for (var current = (ITypeSymbol?)receiverType; current is not null; current = current.BaseType)
            {
                types.Add(current);
            }

            types.AddRange(receiverType.AllInterfaces);
        }

        var declaring = call.TargetMethod.ContainingType;
        if (declaring is not null)
        {
            types.Add(declaring);
        }

        var isStaticCall = receiver is null;
        foreach (var type in types)
        {
            foreach (var member in type.GetMembers(name))
            {
                // A static call is undone by a static method; a call on a receiver by an instance method of the
                // receiver or an extension method beside the subscribe method.
                if (member is IMethodSymbol { DeclaredAccessibility: Accessibility.Public or Accessibility.Internal } method &&
                    (isStaticCall ? method.IsStatic && !method.IsExtensionMethod : !method.IsStatic || method.IsExtensionMethod) &&
                    seen.Add(method.OriginalDefinition))
                {
                    yield return method;
                }
            }
        }
    }

    /// <summary><c>Name&lt;T&gt;(arguments)</c> for one overload, or null; the score prefers overloads given the handler or subscriber, then fewer parameters.</summary>
    private static string? Write(IMethodSymbol candidate, IInvocationOperation call, InvocationExpressionSyntax syntax, Subscription add, TypeEvents events, out int score)
    {
        score = 0;
        var builder = new StringBuilder(candidate.Name);
        if (candidate.IsGenericMethod)
        {
            if (TypeArguments(candidate, call, syntax) is not { } typeArguments)
            {
                return null;
            }

            builder.Append('<').Append(string.Join(", ", typeArguments)).Append('>');
        }

        var parameters = candidate.IsExtensionMethod ? candidate.Parameters.Skip(1) : candidate.Parameters;
        var written = new List<string>();
        var skipped = false;
        foreach (var parameter in parameters)
        {
            var text = ArgumentFor(parameter, call, add, events, out var isHandler);
            if (text is null || skipped)
            {
                if (!parameter.IsOptional)
                {
                    return null;
                }

                skipped = true;
                continue;
            }

            score += isHandler ? 100 : 0;
            written.Add(text);
        }

        score -= written.Count;
        return builder.Append('(').Append(string.Join(", ", written)).Append(')').ToString();
    }

    private static string? ArgumentFor(IParameterSymbol parameter, IInvocationOperation call, Subscription add, TypeEvents events, out bool isHandler)
    {
        isHandler = false;
        var receiver = SubscriptionTable.ReceiverOf(call);
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Name != parameter.Name || ReferenceEquals(argument.Value, receiver) || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            isHandler = ReferenceEquals(Operations.SkipConversions(argument.Value), add.Handler.Value) ||
                        ReferenceEquals(Handler.Unwrap(argument.Value), add.Handler.Value);
            if (isHandler && add.Handler.Text is { } handlerText)
            {
                return handlerText;
            }

            return Portable(argument.Value, events);
        }

        if (parameter.Type.TypeKind == TypeKind.Delegate && add.Handler.Kind is HandlerKind.MethodGroup or HandlerKind.Stored && add.Handler.Text is { } text)
        {
            isHandler = true;
            return text;
        }

        if (add.Handler.Kind == HandlerKind.Subscriber && parameter.Type.TypeKind != TypeKind.Delegate &&
            SubscriptionApis.SubscriberParameterNames.Contains(parameter.Name))
        {
            isHandler = true;
            return "this";
        }

        return null;
    }

    private static string? Portable(IOperation value, TypeEvents events)
    {
        var bare = Operations.SkipConversions(value);
        switch (bare)
        {
            case null:
                return null;
            case { ConstantValue.HasValue: true }:
            case ITypeOfOperation:
                return bare.Syntax.ToString();
            case IInstanceReferenceOperation:
                return "this";
            default:
                string? guard = null;
                var text = events.PortableText(bare, ref guard);
                return string.IsNullOrEmpty(text) ? null : text;
        }
    }

    /// <summary>The undo method's type arguments: those of the subscribe method's type parameters of the same name, else by position.</summary>
    private static List<string>? TypeArguments(IMethodSymbol candidate, IInvocationOperation call, InvocationExpressionSyntax syntax)
    {
        var method = call.TargetMethod;
        var written = (syntax.Expression as MemberAccessExpressionSyntax)?.Name as GenericNameSyntax ?? syntax.Expression as GenericNameSyntax;
        var result = new List<string>();
        var definition = method.OriginalDefinition;
        foreach (var typeParameter in candidate.TypeParameters)
        {
            var index = -1;
            for (var i = 0; i < definition.TypeParameters.Length; i++)
            {
                if (definition.TypeParameters[i].Name == typeParameter.Name)
                {
                    index = i;
                }
            }

            if (index < 0 && candidate.TypeParameters.Length == method.TypeArguments.Length)
            {
                index = typeParameter.Ordinal;
            }

            if (index < 0 || index >= method.TypeArguments.Length)
            {
                return null;
            }

            result.Add(written is not null && written.TypeArgumentList.Arguments.Count == method.TypeArguments.Length
                ? written.TypeArgumentList.Arguments[index].ToString()
                : method.TypeArguments[index].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        }

        return result;
    }
}
