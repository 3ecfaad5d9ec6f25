namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// Types the compilation registers as singletons with Microsoft.Extensions.DependencyInjection
/// (<c>AddSingleton&lt;IClock, Clock&gt;()</c>, <c>TryAddSingleton</c>, <c>AddSingleton(typeof(...), typeof(...))</c>,
/// <c>AddSingleton&lt;IClock&gt;(sp =&gt; new Clock())</c>, <c>AddSingleton(new Clock())</c>, <c>AddHostedService&lt;T&gt;()</c>):
/// the container builds one and keeps it for the process. Found once per compilation, the first time a rule asks,
/// and only in compilations that reference the container's registration methods; files that never name a
/// registration method are not parsed further.
/// </summary>
internal sealed class ContainerSingletons
{
    private const string RegistrationsType = "Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions";

    private static readonly ConditionalWeakTable<Compilation, ContainerSingletons> ByCompilation = new();

    private readonly Lazy<ImmutableHashSet<INamedTypeSymbol>> types;

    private ContainerSingletons(Compilation compilation) =>
        types = new Lazy<ImmutableHashSet<INamedTypeSymbol>>(() => Find(compilation), LazyThreadSafetyMode.ExecutionAndPublication);

    internal static ContainerSingletons For(Compilation compilation) => ByCompilation.GetValue(compilation, c => new ContainerSingletons(c));

    internal bool Contains(INamedTypeSymbol type) => types.Value.Contains(type.OriginalDefinition);

    private static ImmutableHashSet<INamedTypeSymbol> Find(Compilation compilation)
    {
        var empty = ImmutableHashSet.Create<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        if (compilation.GetTypeByMetadataName(RegistrationsType) is null ||
            compilation.GetSpecialType(SpecialType.System_IDisposable) is not { TypeKind: not TypeKind.Error } disposable)
        {
            return empty;
        }

        var found = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var source = SourceOwnership.For(compilation, disposable);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = tree.GetText().ToString();
            if (text.IndexOf("Singleton", StringComparison.Ordinal) < 0 && text.IndexOf("AddHostedService", StringComparison.Ordinal) < 0)
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax invocation || !IsRegistrationName(invocation.Expression))
                {
                    continue;
                }

                model ??= source.SemanticModelOf(tree);
                if (model.GetOperation(invocation) is IInvocationOperation call && ImplementationOf(call) is { } implementation)
                {
                    found.Add(implementation.OriginalDefinition);
                }
            }
        }

        return found.Count == 0 ? empty : empty.Union(found);
    }

    private static bool IsRegistrationName(ExpressionSyntax expression)
    {
        var name = expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        return name is "AddSingleton" or "TryAddSingleton" or "AddHostedService";
    }

    /// <summary>The type the container builds for a registration call: the implementation type argument, the last
    /// <c>typeof</c>, the type a factory lambda or an instance argument creates, else the service type.</summary>
    private static INamedTypeSymbol? ImplementationOf(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.ContainingNamespace?.ToDisplayString() != "Microsoft.Extensions.DependencyInjection" &&
            method.ContainingNamespace?.ToDisplayString() != "Microsoft.Extensions.DependencyInjection.Extensions")
        {
            return null;
        }

        INamedTypeSymbol? fromArguments = null;
        foreach (var argument in call.Arguments)
        {
            switch (Operations.SkipConversions(argument.Value))
            {
                case ITypeOfOperation { TypeOperand: INamedTypeSymbol operand }:
                    fromArguments = operand;
                    break;
                case IObjectCreationOperation { Type: INamedTypeSymbol created }:
                    fromArguments = created;
                    break;
                case IDelegateCreationOperation { Target: IAnonymousFunctionOperation factory } when CreatedBy(factory) is { } created:
                    fromArguments = created;
                    break;
            }
        }

        if (fromArguments is not null)
        {
            return fromArguments;
        }

        return method.TypeArguments.Length switch
        {
            0 => null,
            _ => method.TypeArguments[method.TypeArguments.Length - 1] as INamedTypeSymbol,
        };
    }

    private static INamedTypeSymbol? CreatedBy(IAnonymousFunctionOperation factory)
    {
        foreach (var node in factory.Body.DescendantsAndSelf())
        {
            if (node is IReturnOperation { ReturnedValue: { } returned } &&
                Operations.SkipConversions(returned) is IObjectCreationOperation { Type: INamedTypeSymbol created })
            {
                return created;
            }
        }

        return null;
    }
}
