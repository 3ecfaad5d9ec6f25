namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What happens to a disposable handed to a constructor or method as an argument.</summary>
internal enum ArgumentFate
{
    /// <summary>The callee uses it and gives it back: the caller still owns it.</summary>
    Borrowed,

    /// <summary>The callee disposes it, or keeps it in an object that does.</summary>
    OwnershipTaken,

    /// <summary>The callee may keep it (a collection, a task, an unknown method): the caller can no longer be held to dispose it.</summary>
    MayBeStored,
}

/// <summary>
/// The ownership model: who creates a disposable, who lends one, who takes ownership of one, and what needs no
/// disposal. Built once per compilation (symbol lookups) and specialised per .editorconfig section (user tables).
/// </summary>
internal sealed class OwnershipModel
{
    private readonly INamedTypeSymbol disposable;
    private readonly INamedTypeSymbol? asyncDisposable;
    private readonly ConcurrentDictionary<AnalyzerConfigOptions, OwnershipTables> tablesByOptions = new();
    private readonly string ruleId;
    private readonly SourceFactories sourceFactories = new();
    private readonly SourceDisposal sourceDisposal = new();

    private OwnershipModel(INamedTypeSymbol disposable, INamedTypeSymbol? asyncDisposable, string ruleId)
    {
        this.disposable = disposable;
        this.asyncDisposable = asyncDisposable;
        this.ruleId = ruleId;
    }

    /// <summary>Null when the compilation has no IDisposable (nothing to analyze).</summary>
    internal static OwnershipModel? Create(Compilation compilation, string ruleId)
    {
        var disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        if (disposable.TypeKind == TypeKind.Error)
        {
            return null;
        }

        return new OwnershipModel(disposable, compilation.GetTypeByMetadataName("System.IAsyncDisposable"), ruleId);
    }

    /// <summary>What the compilation's source says about disposal (methods that dispose a parameter or a member).</summary>
    internal SourceDisposal SourceDisposal => sourceDisposal;

    internal OwnershipTables TablesFor(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = LeakOptions.For(options, tree);
        return tablesByOptions.GetOrAdd(config, c => OwnershipTables.Create(c, ruleId));
    }

    internal bool IsDisposable(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return false;
            case ITypeParameterSymbol parameter:
                foreach (var constraint in parameter.ConstraintTypes)
                {
                    if (IsDisposable(constraint))
                    {
                        return true;
                    }
                }

                return false;
        }

        if (IsDisposableInterface(type))
        {
            return true;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (IsDisposableInterface(@interface))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Disposable, and not a type whose disposal releases nothing that matters: one of the no-disposal tables, an
    /// enumerator, a type marked [MustDisposeResource(false)], or a source type whose Dispose releases nothing.
    /// </summary>
    internal bool NeedsDisposal(ITypeSymbol? type, OwnershipTables tables) =>
        NeedsDisposalByTables(type, tables) &&
        !(type is INamedTypeSymbol named && sourceDisposal.ReleasesNothing(named, t => NeedsDisposalByTables(t, tables)));

    private bool NeedsDisposalByTables(ITypeSymbol? type, OwnershipTables tables)
    {
        if (type is null || type.TypeKind == TypeKind.Error || !IsDisposable(type))
        {
            return false;
        }

        if (tables.NoDisposalTypes.Contains(SymbolNames.FullMetadataName(type)))
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (KnownApis.NoDisposalInterfaces.Contains(SymbolNames.FullMetadataName(@interface)))
            {
                return false;
            }
        }

        return Attributes.MustDisposeResource(type) != false;
    }

    /// <summary>
    /// True when <paramref name="value"/> hands the caller a new disposable it owns: a constructor call, a known
    /// factory, a method marked [MustDisposeResource], or a conditional whose every non-null branch is one of those.
    /// </summary>
    internal bool IsOwnedCreation(IOperation? value, OwnershipTables tables)
    {
        value = Operations.SkipConversions(value);
        switch (value)
        {
            case IObjectCreationOperation creation:
                return NeedsDisposal(creation.Type, tables) &&
                       !(creation.Arguments.Length == 0 && creation.Type is { } created &&
                         KnownApis.NoDisposalWhenConstructedWithoutArguments.Contains(SymbolNames.FullMetadataName(created))) &&
                       !ReleasesNothingHere(creation);
            case IAwaitOperation { Operation: IInvocationOperation awaited }:
                return IsMarkedFactory(awaited.TargetMethod, value.Type) ||
                       (NeedsDisposal(value.Type, tables) && IsFactory(awaited.TargetMethod, tables));
            case IInvocationOperation invocation:
                return IsMarkedFactory(invocation.TargetMethod, invocation.Type) ||
                       (NeedsDisposal(invocation.Type, tables) && IsFactory(invocation.TargetMethod, tables));
            case IConditionalOperation { WhenFalse: not null } conditional:
                return IsOwnedOrNull(conditional.WhenTrue, tables) && IsOwnedOrNull(conditional.WhenFalse, tables) &&
                       (!Operations.IsNullOrDefault(conditional.WhenTrue) || !Operations.IsNullOrDefault(conditional.WhenFalse));
            case ISwitchExpressionOperation switchExpression when switchExpression.Arms.Length > 0:
                var anyOwned = false;
                foreach (var arm in switchExpression.Arms)
                {
                    if (!IsOwnedOrNull(arm.Value, tables))
                    {
                        return false;
                    }

                    anyOwned |= !Operations.IsNullOrDefault(arm.Value);
                }

                return anyOwned;
            default:
                return false;
        }
    }

    /// <summary>
    /// A creation of a type in <see cref="KnownApis.NoDisposalUnlessMemberUsed"/> in a type whose source never names
    /// the member that makes Dispose matter (e.g. a <c>SemaphoreSlim</c> whose <c>AvailableWaitHandle</c> is never read).
    /// </summary>
    private static bool ReleasesNothingHere(IObjectCreationOperation creation)
    {
        if (creation.Type is not { } created)
        {
            return false;
        }

        var name = SymbolNames.FullMetadataName(created);
        foreach (var (type, member) in KnownApis.NoDisposalUnlessMemberUsed)
        {
            if (type != name)
            {
                continue;
            }

            var owner = creation.SemanticModel?.GetEnclosingSymbol(creation.Syntax.SpanStart);
            var containingType = owner as INamedTypeSymbol ?? owner?.ContainingType;
            if (containingType is null)
            {
                return false;
            }

            foreach (var reference in containingType.DeclaringSyntaxReferences)
            {
                foreach (var token in reference.GetSyntax().DescendantTokens())
                {
                    if (token.ValueText == member)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>[MustDisposeResource] on the method is the author's word: it beats every inference.</summary>
    private bool IsMarkedFactory(IMethodSymbol method, ITypeSymbol? result) =>
        Attributes.MustDisposeResource(method) == true && IsDisposable(result);

    private bool IsOwnedOrNull(IOperation value, OwnershipTables tables) =>
        Operations.IsNullOrDefault(value) || IsOwnedCreation(value, tables);

    /// <summary>Whether the caller owns what <paramref name="method"/> returns.</summary>
    internal bool IsFactory(IMethodSymbol method, OwnershipTables tables)
    {
        if (Attributes.MustDisposeResource(method) is { } marked)
        {
            return marked;
        }

        if (tables.LendingMethods.Count > 0 && MatchesAny(method, tables.LendingMethods))
        {
            return false;
        }

        return MatchesAny(method, tables.FactoryMethods) || sourceFactories.IsFactory(method);
    }

    /// <summary>What the callee does with a disposable passed as <paramref name="argument"/>.</summary>
    internal ArgumentFate FateOf(IArgumentOperation argument, OwnershipTables tables)
    {
        var parameter = argument.Parameter;
        if (parameter is null || parameter.RefKind is RefKind.Ref or RefKind.Out || parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return ArgumentFate.MayBeStored;
        }

        if (Attributes.HandlesResourceDisposal(parameter) || sourceDisposal.DisposesParameter(method, parameter.Ordinal))
        {
            return ArgumentFate.OwnershipTaken;
        }

        if (FindTransfer(method, tables) is { } transfer)
        {
            return TransferApplies(transfer, argument) switch
            {
                true => ArgumentFate.OwnershipTaken,
                false => ArgumentFate.Borrowed,
                null => ArgumentFate.MayBeStored,
            };
        }

        if (MatchesAny(method, tables.BorrowingMethods))
        {
            return ArgumentFate.Borrowed;
        }

        // The receiver of an extension method is used the way an instance method uses `this`.
        if (method.IsExtensionMethod && parameter.Ordinal == 0)
        {
            return ArgumentFate.Borrowed;
        }

        if (!IsFrameworkAssembly(method.ContainingAssembly))
        {
            return ArgumentFate.MayBeStored;
        }

        // Framework APIs keep what they are given when the parameter is generic (collections, tasks, tuples,
        // Interlocked) or is a state object handed back later (timers, thread pool, token registrations).
        if (parameter.OriginalDefinition.Type.TypeKind == TypeKind.TypeParameter ||
            MatchesAny(method, StoringMethods) ||
            string.Equals(parameter.Name, "state", StringComparison.Ordinal) ||
            StoresByName(method.Name))
        {
            return ArgumentFate.MayBeStored;
        }

        return ArgumentFate.Borrowed;
    }

    internal static string ConsequenceFor(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            var name = SymbolNames.FullMetadataName(current);
            foreach (var (typeName, consequence) in KnownApis.Consequences)
            {
                if (string.Equals(typeName, name, StringComparison.Ordinal))
                {
                    return consequence;
                }
            }
        }

        return KnownApis.DefaultConsequence;
    }

    /// <summary>True, false, or null when a flag argument is not a constant and the outcome cannot be told.</summary>
    private static bool? TransferApplies(OwnershipTransfer transfer, IArgumentOperation argument)
    {
        if (transfer.FlagParameter is null)
        {
            return true;
        }

        var arguments = argument.Parent switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };

        foreach (var other in arguments)
        {
            if (other.Parameter is { } flag && string.Equals(flag.Name, transfer.FlagParameter, StringComparison.Ordinal))
            {
                if (other.Value.ConstantValue is { HasValue: true, Value: bool value })
                {
                    return value != transfer.FlagValueThatKeepsOwnership;
                }

                return other.ArgumentKind == ArgumentKind.DefaultValue && flag.HasExplicitDefaultValue && flag.ExplicitDefaultValue is bool defaultValue
                    ? defaultValue != transfer.FlagValueThatKeepsOwnership
                    : null;
            }
        }

        return transfer.TakesByDefault;
    }

    private static OwnershipTransfer? FindTransfer(IMethodSymbol method, OwnershipTables tables)
    {
        foreach (var key in MemberKeys(method))
        {
            if (tables.Transfers.TryGetValue(key, out var transfer))
            {
                return transfer;
            }
        }

        return null;
    }

    private static bool MatchesAny(IMethodSymbol method, ImmutableHashSet<string> names)
    {
        if (names.Count == 0)
        {
            return false;
        }

        foreach (var key in MemberKeys(method))
        {
            if (names.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Type.Method</c> for the declaring type, its base types and its interfaces.</summary>
    private static IEnumerable<string> MemberKeys(IMethodSymbol method)
    {
        var name = method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name;
        var type = method.ContainingType;
        if (type is null)
        {
            yield break;
        }

        yield return SymbolNames.MemberKey(type, name);
        if (method.MethodKind == MethodKind.Constructor || method.IsStatic)
        {
            yield break;
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            yield return SymbolNames.MemberKey(baseType, name);
        }

        foreach (var @interface in type.AllInterfaces)
        {
            yield return SymbolNames.MemberKey(@interface, name);
        }
    }

    private static readonly ImmutableHashSet<string> StoringMethods =
        ImmutableHashSet.CreateRange(StringComparer.Ordinal, KnownApis.StoringMethods);

    private static bool StoresByName(string name)
    {
        foreach (var prefix in StoringPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] StoringPrefixes =
    {
        "Add", "TryAdd", "Insert", "Push", "Enqueue", "Set", "TrySet", "Register", "Attach", "Append", "Prepend",
        "Post", "Exchange", "CompareExchange", "GetOrAdd",
    };

    internal static bool IsFrameworkAssembly(IAssemblySymbol? assembly)
    {
        var name = assembly?.Name;
        return name is not null &&
               (name == "mscorlib" || name == "netstandard" || name == "System" ||
                name.StartsWith("System.", StringComparison.Ordinal) ||
                name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal));
    }

    private bool IsDisposableInterface(ITypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, disposable) ||
        (asyncDisposable is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, asyncDisposable));
}

/// <summary>The known-APIs tables merged with one .editorconfig section's additions.</summary>
internal sealed class OwnershipTables
{
    private OwnershipTables(
        ImmutableHashSet<string> noDisposalTypes,
        ImmutableHashSet<string> factoryMethods,
        ImmutableHashSet<string> lendingMethods,
        ImmutableHashSet<string> borrowingMethods,
        ImmutableDictionary<string, OwnershipTransfer> transfers)
    {
        NoDisposalTypes = noDisposalTypes;
        FactoryMethods = factoryMethods;
        LendingMethods = lendingMethods;
        BorrowingMethods = borrowingMethods;
        Transfers = transfers;
    }

    internal ImmutableHashSet<string> NoDisposalTypes { get; }

    internal ImmutableHashSet<string> FactoryMethods { get; }

    internal ImmutableHashSet<string> LendingMethods { get; }

    internal ImmutableHashSet<string> BorrowingMethods { get; }

    internal ImmutableDictionary<string, OwnershipTransfer> Transfers { get; }

    internal static OwnershipTables Create(AnalyzerConfigOptions options, string ruleId)
    {
        var transfers = ImmutableDictionary.CreateBuilder<string, OwnershipTransfer>(StringComparer.Ordinal);
        foreach (var transfer in KnownApis.OwnershipTransfers)
        {
            transfers[transfer.Member] = transfer;
        }

        foreach (var member in LeakOptions.GetList(options, ruleId, LeakOptions.OwnershipTransferMethods))
        {
            transfers[member] = OwnershipTransfer.Always(member);
        }

        var borrowing = LeakOptions.GetList(options, ruleId, LeakOptions.BorrowingMethods);
        foreach (var member in borrowing)
        {
            transfers.Remove(member);
        }

        return new OwnershipTables(
            Merge(KnownApis.NoDisposalTypes, LeakOptions.GetList(options, ruleId, LeakOptions.NoDisposalTypes)),
            Merge(KnownApis.FactoryMethods, LeakOptions.GetList(options, ruleId, LeakOptions.FactoryMethods)),
            Merge(KnownApis.LendingMethods, LeakOptions.GetList(options, ruleId, LeakOptions.LendingMethods)),
            ImmutableHashSet.CreateRange(StringComparer.Ordinal, borrowing),
            transfers.ToImmutable());
    }

    private static ImmutableHashSet<string> Merge(ImmutableArray<string> builtIn, ImmutableArray<string> user)
    {
        var builder = ImmutableHashSet.CreateBuilder(StringComparer.Ordinal);
        builder.UnionWith(builtIn);
        builder.UnionWith(user);
        return builder.ToImmutable();
    }
}
