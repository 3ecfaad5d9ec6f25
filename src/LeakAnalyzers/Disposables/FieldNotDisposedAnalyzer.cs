namespace LeakAnalyzers.Disposables;

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK003: a private instance field or auto-property that the type fills only with disposables it creates
/// itself, and that nothing in the type ever disposes or hands over. Decided per type with a symbol-start action,
/// so the warning shows while typing. Members handed in from outside (constructor parameters, injected services)
/// are not owned and are not reported; nor are members that anything else may dispose (non-private ones).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FieldNotDisposedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the fix should dispose the member ("." or "?.").</summary>
    internal const string AccessKey = "LEAK003.Access";

    /// <summary>Diagnostic property: the type already has a Dispose method to add to.</summary>
    internal const string HasDisposeKey = "LEAK003.HasDispose";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LEAK003FieldNotDisposed);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var model = OwnershipModel.Create(start.Compilation, Descriptors.LEAK003FieldNotDisposed.Id);
            if (model is null)
            {
                return;
            }

            start.RegisterSymbolStartAction(symbolStart => OnType(symbolStart, model), SymbolKind.NamedType);
        });
    }

    private static void OnType(SymbolStartAnalysisContext context, OwnershipModel model)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.IsStatic || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !HasCandidateMember(type, model))
        {
            return;
        }

        var members = new ConcurrentDictionary<ISymbol, MemberFacts>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            operation => OnReference(operation, type, model, members),
            OperationKind.FieldReference,
            OperationKind.PropertyReference);
        context.RegisterOperationAction(
            operation => OnInitializer(operation, type, model, members),
            OperationKind.FieldInitializer,
            OperationKind.PropertyInitializer);
        context.RegisterSymbolEndAction(end => Report(end, type, model, members));
    }

    /// <summary>Cheap filter: the type declares a private instance field or auto-property of a disposable type.</summary>
    private static bool HasCandidateMember(INamedTypeSymbol type, OwnershipModel model)
    {
        foreach (var member in type.GetMembers())
        {
            if (IsCandidate(member, type) && model.IsDisposable(MemberType(member)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCandidate(ISymbol member, INamedTypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(member.ContainingType, type) &&
        !member.IsStatic &&
        !member.IsImplicitlyDeclared &&
        member.DeclaredAccessibility == Accessibility.Private &&
        member switch
        {
            IFieldSymbol field => !field.IsConst,
            IPropertySymbol property => IsAutoProperty(property),
            _ => false,
        };

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property))
            {
                return true;
            }
        }

        return false;
    }

    private static ITypeSymbol? MemberType(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static void OnInitializer(OperationAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        var (targets, value) = context.Operation switch
        {
            IFieldInitializerOperation field => (ImmutableArray<ISymbol>.CastUp(field.InitializedFields), field.Value),
            IPropertyInitializerOperation property => (ImmutableArray<ISymbol>.CastUp(property.InitializedProperties), property.Value),
            _ => (ImmutableArray<ISymbol>.Empty, null),
        };

        foreach (var target in targets)
        {
            if (IsCandidate(target, type))
            {
                var tables = model.TablesFor(context.Options, context.Operation.Syntax.SyntaxTree);
                members.GetOrAdd(target, _ => new MemberFacts()).Assigned(value, model, tables, initializer: true);
            }
        }
    }

    private static void OnReference(OperationAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        var reference = (IMemberReferenceOperation)context.Operation;
        var member = reference.Member;
        if (!IsCandidate(member, type) || reference.Instance is not (IInstanceReferenceOperation or null))
        {
            return;
        }

        var facts = members.GetOrAdd(member, _ => new MemberFacts());
        var tables = model.TablesFor(context.Options, reference.Syntax.SyntaxTree);
        var consumer = Operations.ParentSkippingConversions(reference, out var outer);
        switch (consumer)
        {
            case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Target, reference):
                facts.Assigned(assignment.Value, model, tables, initializer: false);
                return;
            case ICoalesceAssignmentOperation coalesce when ReferenceEquals(coalesce.Target, reference):
                facts.Assigned(coalesce.Value, model, tables, initializer: false);
                return;
            case IInvocationOperation invocation when ReferenceEquals(invocation.Instance, outer):
                if (DisposableReleasePolicy.IsDisposeCall(invocation.TargetMethod))
                {
                    facts.Released();
                }

                return;
            case IConditionalAccessOperation access when ReferenceEquals(access.Operation, outer):
                if (access.WhenNotNull is IInvocationOperation call && DisposableReleasePolicy.IsDisposeCall(call.TargetMethod))
                {
                    facts.Released();
                }

                return;
            case IArgumentOperation argument:
                if (model.FateOf(argument, tables) != ArgumentFate.Borrowed)
                {
                    facts.Released();
                }

                return;
            case IMemberReferenceOperation or IBinaryOperation or IUnaryOperation or IIsPatternOperation or IIsTypeOperation or
                IInterpolationOperation or IExpressionStatementOperation or IAwaitOperation or ISwitchOperation or ISwitchExpressionOperation:
                return;
            default:
                // Returned, copied to a local or another member, put in an array, captured as a value, used by
                // `using`: the type does something with it we do not follow, so it is not ours to report.
                facts.Released();
                return;
        }
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        if (members.IsEmpty)
        {
            return;
        }

        var dispose = FindDispose(type);
        foreach (var pair in members)
        {
            var member = pair.Key;
            var facts = pair.Value;
            if (!facts.IsOwnedAndKept || member.Locations.Length == 0)
            {
                continue;
            }

            var memberType = MemberType(member);
            var tables = model.TablesFor(context.Options, member.Locations[0].SourceTree!);
            if (!model.NeedsDisposal(memberType, tables))
            {
                continue;
            }

            var why = dispose is null
                ? model.IsDisposable(type) ? $"no Dispose method of '{type.Name}' disposes it" : $"'{type.Name}' is not disposable"
                : $"'{type.Name}.{dispose.Name}' does not dispose it";
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(AccessKey, facts.NeverNull(member) ? "." : "?.")
                .Add(HasDisposeKey, dispose is null ? "false" : "true");
            var additional = new List<Location>();
            if (facts.FirstCreation is { } creation)
            {
                additional.Add(creation);
            }

            if (dispose?.Locations.Length > 0)
            {
                additional.Add(dispose.Locations[0]);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK003FieldNotDisposed,
                member.Locations[0],
                additional,
                properties,
                member.Name,
                type.Name,
                why,
                OwnershipModel.ConsequenceFor(memberType)));
        }
    }

    /// <summary>The type's own Dispose(bool), Dispose() or DisposeAsync(), in that order of preference.</summary>
    internal static IMethodSymbol? FindDispose(INamedTypeSymbol type)
    {
        IMethodSymbol? found = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method ||
                method.DeclaringSyntaxReferences.Length == 0)
            {
                continue;
            }

            var name = method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0
                ? method.ExplicitInterfaceImplementations[0].Name
                : method.Name;
            if (name == "Dispose" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean)
            {
                return method;
            }

            if (name == "Dispose" && method.Parameters.Length == 0)
            {
                found = method;
            }
            else if (name == "DisposeAsync" && method.Parameters.Length == 0 && found is null)
            {
                found = method;
            }
        }

        return found;
    }

    /// <summary>What the type does with one member. Updated from concurrent operation callbacks.</summary>
    private sealed class MemberFacts
    {
        private readonly object gate = new();
        private bool created;
        private bool notCreated;
        private bool released;
        private bool initializedWithCreation;
        private Location? firstCreation;

        internal Location? FirstCreation
        {
            get
            {
                lock (gate)
                {
                    return firstCreation;
                }
            }
        }

        internal bool IsOwnedAndKept
        {
            get
            {
                lock (gate)
                {
                    return created && !notCreated && !released;
                }
            }
        }

        internal void Assigned(IOperation? value, OwnershipModel model, OwnershipTables tables, bool initializer)
        {
            lock (gate)
            {
                if (Operations.IsNullOrDefault(value))
                {
                    return;
                }

                if (model.IsOwnedCreation(value, tables))
                {
                    created = true;
                    initializedWithCreation |= initializer;
                    if (firstCreation is null || value!.Syntax.SpanStart < firstCreation.SourceSpan.Start)
                    {
                        firstCreation = value!.Syntax.GetLocation();
                    }
                }
                else
                {
                    notCreated = true;
                }
            }
        }

        internal void Released()
        {
            lock (gate)
            {
                released = true;
            }
        }

        /// <summary>Readonly and created by its initializer: it cannot be null when Dispose runs.</summary>
        internal bool NeverNull(ISymbol member)
        {
            lock (gate)
            {
                return initializedWithCreation && member is IFieldSymbol { IsReadOnly: true } or IPropertySymbol { SetMethod: null };
            }
        }
    }
}
