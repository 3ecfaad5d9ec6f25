namespace LeakAnalyzers.Disposables;

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LeakAnalyzers.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK003: a private instance field or auto-property that the type fills only with disposables it creates
/// itself, and that nothing in the type ever disposes or hands over. And LEAK004 for fields: an assignment that
/// overwrites such an owned field while it may still hold an undisposed value, found by the same flow analysis
/// as for locals, run only on methods that assign a creation to an owned field. Both need the type's facts about
/// its members, so they share this symbol-scoped analyzer. Decided per type with a symbol-start action,
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
        ImmutableArray.Create(Descriptors.LEAK003FieldNotDisposed, Descriptors.LEAK004OverwrittenWhileOwned);

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
        var overwrites = new ConcurrentBag<FieldOverwrite>();
        context.RegisterOperationBlockAction(block => FindOverwrites(block, type, model, overwrites));
        context.RegisterOperationAction(
            operation => OnReference(operation, type, model, members),
            OperationKind.FieldReference,
            OperationKind.PropertyReference);
        context.RegisterOperationAction(
            operation => OnInitializer(operation, type, model, members),
            OperationKind.FieldInitializer,
            OperationKind.PropertyInitializer);
        context.RegisterSymbolEndAction(end =>
        {
            Report(end, type, model, members);
            ReportOverwrites(end, model, members, overwrites);
        });
    }

    /// <summary>Cheap filter: the type declares a private field or auto-property of a disposable type.</summary>
    private static bool HasCandidateMember(INamedTypeSymbol type, OwnershipModel model)
    {
        foreach (var member in type.GetMembers())
        {
            if (IsPrivateStorage(member, type) && model.IsDisposable(MemberType(member)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCandidate(ISymbol member, INamedTypeSymbol type) =>
        !member.IsStatic && IsPrivateStorage(member, type);

    /// <summary>A private field or auto-property of the type, instance or static: what LEAK004 may follow.</summary>
    private static bool IsPrivateStorage(ISymbol member, INamedTypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(member.ContainingType, type) &&
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
            if (IsPrivateStorage(target, type))
            {
                var tables = model.TablesFor(context.Options, context.Operation.Syntax.SyntaxTree);
                members.GetOrAdd(target, _ => new MemberFacts()).Assigned(value, model, tables, initializer: true, atConstruction: true);
            }
        }
    }

    private static void OnReference(OperationAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members)
    {
        var reference = (IMemberReferenceOperation)context.Operation;
        var member = reference.Member;
        if (!IsPrivateStorage(member, type) || reference.Instance is not (IInstanceReferenceOperation or null))
        {
            return;
        }

        var facts = members.GetOrAdd(member, _ => new MemberFacts());
        var tables = model.TablesFor(context.Options, reference.Syntax.SyntaxTree);
        var consumer = Operations.ParentSkippingConversions(reference, out var outer);
        var inConstructor = context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor };
        switch (consumer)
        {
            case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Target, reference):
                facts.Assigned(assignment.Value, model, tables, initializer: false, atConstruction: inConstructor);

                // `using (field = new X())`, `(field = new X()).Dispose()`, `return field = new X();`: the value
                // flows on from the assignment, and whatever receives it may dispose it.
                if (assignment.Parent is not (IExpressionStatementOperation or null))
                {
                    facts.Released();
                }

                return;
            case ICoalesceAssignmentOperation coalesce when ReferenceEquals(coalesce.Target, reference):
                facts.Assigned(coalesce.Value, model, tables, initializer: false, atConstruction: false);
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
            if (member.IsStatic || !facts.IsOwnedAndKept || member.Locations.Length == 0)
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
                ? model.IsDisposable(type) ? "which has no Dispose method that disposes it" : "which is not disposable"
                : $"whose '{dispose.Name}' does not dispose it";
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

    /// <summary>
    /// For one member body of the type: the flow of every private field it assigns a creation to. Cheap filter
    /// first (no creation assigned to a private field, no graph). Results wait for the symbol end, where the
    /// type's facts say which fields are owned.
    /// </summary>
    private static void FindOverwrites(OperationBlockAnalysisContext context, INamedTypeSymbol type, OwnershipModel model, ConcurrentBag<FieldOverwrite> overwrites)
    {
        if (context.OwningSymbol is not IMethodSymbol method || context.OperationBlocks.Length == 0)
        {
            return;
        }

        var tables = model.TablesFor(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);
        foreach (var root in context.OperationBlocks)
        {
            var assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in root.Descendants())
            {
                if (operation is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation or null } target } assignment &&
                    IsPrivateStorage(target.Member, type) &&
                    FunctionScopes.EnclosingFunction(assignment) is null &&
                    model.IsOwnedCreation(assignment.Value, tables))
                {
                    assigned.Add(target.Member);
                }
            }

            if (assigned.Count == 0)
            {
                continue;
            }

            var index = new FlowIndex(context.GetControlFlowGraph(root));
            var policy = new DisposableReleasePolicy(model, tables);
            foreach (var member in assigned)
            {
                var flow = DisposalFlow.AnalyzeMember(
                    index,
                    member,
                    policy,
                    operation => operation is ISimpleAssignmentOperation { Value: var value } && model.IsOwnedCreation(value, tables),
                    priorValueOwned: true,
                    releasesByCall: call => call.Instance is IInstanceReferenceOperation or null &&
                                            SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, type) &&
                                            model.SourceDisposal.DisposesMember(call.TargetMethod, member.Name));
                foreach (var (assignment, lost) in flow.Overwrites)
                {
                    overwrites.Add(new FieldOverwrite(member, method, assignment, lost.IsDefaultOrEmpty ? null : lost[0]));
                }
            }
        }
    }

    /// <summary>
    /// LEAK004 for fields. An overwrite that loses a value the same method created is reported; one that loses only
    /// the value held before the method is reported only when the field surely holds one then: it is created at
    /// construction (for a constructor: by its initializer), or the method's name says it runs again
    /// (Restart, Reset, Reconnect, ...). A field that is only ever given, or sometimes given, is not owned.
    /// </summary>
    private static void ReportOverwrites(SymbolAnalysisContext context, OwnershipModel model, ConcurrentDictionary<ISymbol, MemberFacts> members, ConcurrentBag<FieldOverwrite> overwrites)
    {
        foreach (var overwrite in overwrites.OrderBy(o => o.Assignment.Syntax.SpanStart))
        {
            if (!members.TryGetValue(overwrite.Member, out var facts) || !facts.IsOwned)
            {
                continue;
            }

            var isConstructor = overwrite.Method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor;
            var priorSurelyOwned = isConstructor
                ? facts.InitializedWithCreation
                : facts.CreatedAtConstruction || RunsAgain(overwrite.Method.Name);
            if (overwrite.LostCreation is null && !priorSurelyOwned)
            {
                continue;
            }

            var memberType = MemberType(overwrite.Member);
            var tables = model.TablesFor(context.Options, overwrite.Assignment.Syntax.SyntaxTree);
            if (!model.NeedsDisposal(memberType, tables))
            {
                continue;
            }

            var additional = new List<Location>();
            if (overwrite.LostCreation is { } lost)
            {
                additional.Add(lost.Syntax.GetLocation());
            }
            else if (facts.FirstCreation is { } first)
            {
                additional.Add(first);
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.LEAK004OverwrittenWhileOwned,
                overwrite.Assignment.Syntax.GetLocation(),
                additional,
                overwrite.Member.Name,
                memberType?.Name,
                OwnershipModel.ConsequenceFor(memberType)));
        }
    }

    private static bool RunsAgain(string methodName)
    {
        foreach (var prefix in RunsAgainPrefixes)
        {
            if (methodName.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] RunsAgainPrefixes = { "Restart", "Reset", "Reconnect", "Reload", "Reopen", "Refresh", "Renew", "Recreate", "Reinitialize", "Rebuild" };

    private sealed class FieldOverwrite
    {
        internal FieldOverwrite(ISymbol member, IMethodSymbol method, IOperation assignment, IOperation? lostCreation)
        {
            Member = member;
            Method = method;
            Assignment = assignment;
            LostCreation = lostCreation;
        }

        internal ISymbol Member { get; }

        internal IMethodSymbol Method { get; }

        internal IOperation Assignment { get; }

        internal IOperation? LostCreation { get; }
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
        private bool createdAtConstruction;
        private Location? firstCreation;

        /// <summary>Every value the type assigns is a creation it owns (or null).</summary>
        internal bool IsOwned
        {
            get
            {
                lock (gate)
                {
                    return created && !notCreated;
                }
            }
        }

        /// <summary>An initializer or a constructor creates its value: it holds one when other methods run.</summary>
        internal bool CreatedAtConstruction
        {
            get
            {
                lock (gate)
                {
                    return createdAtConstruction;
                }
            }
        }

        /// <summary>An initializer creates its value: it holds one when a constructor body runs.</summary>
        internal bool InitializedWithCreation
        {
            get
            {
                lock (gate)
                {
                    return initializedWithCreation;
                }
            }
        }

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

        internal void Assigned(IOperation? value, OwnershipModel model, OwnershipTables tables, bool initializer, bool atConstruction)
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
                    createdAtConstruction |= atConstruction;
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
