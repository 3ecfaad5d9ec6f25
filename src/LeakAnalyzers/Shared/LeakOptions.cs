namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

/// <summary>
/// Reads the <c>leak_analyzers.</c> keys of .editorconfig. A rule-specific key
/// (<c>leak_analyzers.LEAK001.no_disposal_types</c>) beats the general one (<c>leak_analyzers.no_disposal_types</c>).
/// </summary>
internal static class LeakOptions
{
    internal const string Prefix = "leak_analyzers.";

    /// <summary>Types whose instances need no disposal.</summary>
    internal const string NoDisposalTypes = "no_disposal_types";

    /// <summary>Methods whose result the caller owns.</summary>
    internal const string FactoryMethods = "factory_methods";

    /// <summary>Methods whose result is lent to the caller.</summary>
    internal const string LendingMethods = "lending_methods";

    /// <summary>Constructors and methods that take ownership of their disposable arguments.</summary>
    internal const string OwnershipTransferMethods = "ownership_transfer_methods";

    /// <summary>Constructors and methods that only borrow their disposable arguments.</summary>
    internal const string BorrowingMethods = "borrowing_methods";

    /// <summary>Types whose instances live as long as the process (lifetime model).</summary>
    internal const string LongLivedTypes = "long_lived_types";

    /// <summary>Members (<c>Type.Member</c>) whose value lives as long as the process (lifetime model).</summary>
    internal const string LongLivedMembers = "long_lived_members";

    /// <summary>Cancellation token properties (<c>Type.Member</c>) that the application cancels once (lifetime model): registrations on them are not leaks.</summary>
    internal const string OneShotTokens = "one_shot_tokens";

    /// <summary>
    /// How long objects given from outside (parameters, injected members) live relative to the object they were
    /// given to: <c>longer</c> (the default: they may outlive it) or <c>unknown</c> (no rule assumes anything).
    /// </summary>
    internal const string ExternalLifetime = "external_lifetime";

    /// <summary>Methods that run many times, with their counterparts: <c>Name:Counterpart|Counterpart</c>.</summary>
    internal const string RepeatingMethods = "repeating_methods";

    /// <summary>Allocators of unmanaged memory or handles and their releases: <c>My.Native.Alloc:My.Native.Free|My.Native.FreeZeroed</c>.</summary>
    internal const string NativeAllocators = "native_allocators";

    /// <summary>
    /// Subscription methods that are not C# events, with the methods that undo them (event rules):
    /// <c>Type.Method[(argument)][:Undo|Undo][:weak[(argument)]]</c>.
    /// </summary>
    internal const string SubscriptionMethods = "subscription_methods";

    /// <summary>Key types whose values are bounded by nature (static collections: a dictionary keyed by them cannot grow without limit).</summary>
    internal const string BoundedKeyTypes = "bounded_key_types";

    /// <summary>Static collections (<c>Type.Member</c>) or collection types that are bounded in a way the analyzer cannot see.</summary>
    internal const string BoundedCollections = "bounded_collections";

    /// <summary>The rule's own key, else the general one; only the general one when <paramref name="ruleId"/> is null.</summary>
    internal static string? GetString(AnalyzerConfigOptions options, string? ruleId, string key)
    {
        if (ruleId is not null && options.TryGetValue(Prefix + ruleId + "." + key, out var specific))
        {
            return specific;
        }

        return options.TryGetValue(Prefix + key, out var general) ? general : null;
    }

    /// <summary>
    /// The values that apply for <paramref name="keys"/>, as one string: two options objects with equal keys configure
    /// equally. The compiler hands out an options object per file; tables built from options are cached by this key.
    /// </summary>
    internal static string ValueKey(AnalyzerConfigOptions options, string? ruleId, string[] keys)
    {
        var key = new System.Text.StringBuilder();
        foreach (var name in keys)
        {
            key.Append(GetString(options, ruleId, name) ?? "\u0000").Append('\u0001');
        }

        return key.ToString();
    }

    /// <summary>A comma- or space-separated list; empty when the key is absent.</summary>
    internal static ImmutableArray<string> GetList(AnalyzerConfigOptions options, string? ruleId, string key)
    {
        var value = GetString(options, ruleId, key);
        if (string.IsNullOrWhiteSpace(value))
        {
            return ImmutableArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in value!.Split(new[] { ',', ' ', '\t', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Add(part.Trim());
        }

        return builder.ToImmutable();
    }

    internal static bool GetBool(AnalyzerConfigOptions options, string? ruleId, string key, bool defaultValue)
    {
        var value = GetString(options, ruleId, key);
        return value is null ? defaultValue : bool.TryParse(value.Trim(), out var parsed) ? parsed : defaultValue;
    }

    internal static AnalyzerConfigOptions For(AnalyzerOptions options, SyntaxTree tree) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(tree);
}
