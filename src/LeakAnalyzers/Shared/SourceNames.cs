namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

/// <summary>
/// Where names occur in source text: the cheap filter that runs before any symbol or operation is looked at. A
/// method can only be called by writing its name, so a type (or a whole compilation) whose text never names an
/// allocator or a subscription method cannot call one, whatever its usings and aliases. Occurrences are whole
/// identifiers (<c>Alloc</c> does not match <c>Allocate</c>), found once per syntax tree and set of names and shared
/// by every analyzer that asks, so a family's rules pay for one scan between them. Operators (<c>+=</c>, <c>=&gt;</c>)
/// are looked up the same way, every occurrence counting.
/// </summary>
internal static class SourceNames
{
    private static readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<string, int[]>> ByTree = new();

    /// <summary>Whether <paramref name="tree"/> names one of <paramref name="names"/> anywhere.</summary>
    internal static bool Mentions(SyntaxTree tree, ImmutableArray<string> names, CancellationToken cancellationToken) =>
        Positions(tree, names, cancellationToken).Length > 0;

    /// <summary>Whether some tree of <paramref name="compilation"/> names one of the names its own options give.</summary>
    internal static bool MentionedAnywhere(Compilation compilation, Func<SyntaxTree, ImmutableArray<string>> names, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (Mentions(tree, names(tree), cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one of <paramref name="names"/> occurs in the text of one of the declarations of <paramref name="symbol"/>.</summary>
    internal static bool MentionedIn(ISymbol symbol, Func<SyntaxTree, ImmutableArray<string>> names, CancellationToken cancellationToken)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (MentionedWithin(reference.SyntaxTree, reference.Span, names(reference.SyntaxTree), cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one of <paramref name="names"/> occurs within <paramref name="span"/> of <paramref name="tree"/>.</summary>
    internal static bool MentionedWithin(SyntaxTree tree, TextSpan span, ImmutableArray<string> names, CancellationToken cancellationToken)
    {
        var positions = Positions(tree, names, cancellationToken);
        var index = Array.BinarySearch(positions, span.Start);
        if (index < 0)
        {
            index = ~index;
        }

        return index < positions.Length && positions[index] < span.End;
    }

    /// <summary>
    /// How many lambdas and anonymous methods <paramref name="span"/> may hold at most: its <c>=&gt;</c> tokens and
    /// <c>delegate</c> keywords (an expression-bodied member's arrow, comments and strings count too: it is an upper bound).
    /// </summary>
    internal static int LambdasWithin(SyntaxTree tree, TextSpan span, CancellationToken cancellationToken) =>
        CountWithin(Positions(tree, Arrow, cancellationToken), span) + CountWithin(Positions(tree, Delegate, cancellationToken), span);

    private static readonly ImmutableArray<string> Arrow = ImmutableArray.Create("=>");

    private static readonly ImmutableArray<string> Delegate = ImmutableArray.Create("delegate");

    private static int CountWithin(int[] positions, TextSpan span)
    {
        int IndexOf(int position)
        {
            var index = Array.BinarySearch(positions, position);
            return index < 0 ? ~index : index;
        }

        return IndexOf(span.End) - IndexOf(span.Start);
    }

    /// <summary>The sorted start positions of whole-identifier occurrences of any of <paramref name="names"/>.</summary>
    internal static int[] Positions(SyntaxTree tree, ImmutableArray<string> names, CancellationToken cancellationToken)
    {
        if (names.IsDefaultOrEmpty)
        {
            return Array.Empty<int>();
        }

        var perTree = ByTree.GetValue(tree, _ => new ConcurrentDictionary<string, int[]>(StringComparer.Ordinal));
        var key = names.Length == 1 ? names[0] : string.Join("\n", names); // one name (=>, delegate): no boxing, no new string
        if (perTree.TryGetValue(key, out var cached))
        {
            return cached;
        }

        return perTree.GetOrAdd(key, Find(tree, names, cancellationToken));
    }

    /// <summary>
    /// One ordinal search (vectorized, far faster than reading the text a character at a time) per probe: a name that
    /// contains another of the names (<c>AllocHGlobal</c> contains <c>Alloc</c>) is found by searching for the shorter
    /// one and reading the whole word around each hit.
    /// </summary>
    private static int[] Find(SyntaxTree tree, ImmutableArray<string> names, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken).ToString();
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        var positions = new SortedSet<int>();
        foreach (var probe in Probes(names))
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var at = text.IndexOf(probe, StringComparison.Ordinal); at >= 0; at = text.IndexOf(probe, at + probe.Length, StringComparison.Ordinal))
            {
                if (!IsIdentifierPart(probe[0]))
                {
                    positions.Add(at); // an operator (=>): every occurrence counts.
                    continue;
                }

                var start = at;
                while (start > 0 && IsIdentifierPart(text[start - 1]))
                {
                    start--;
                }

                var end = at + probe.Length;
                while (end < text.Length && IsIdentifierPart(text[end]))
                {
                    end++;
                }

                if (set.Contains(text.Substring(start, end - start)))
                {
                    positions.Add(start);
                }
            }
        }

        // An identifier may be written with Unicode escapes (AllocH\u0047lobal): only its token can tell what it spells.
        for (var at = text.IndexOf('\\'); at >= 0 && at + 1 < text.Length; at = text.IndexOf('\\', at + 1))
        {
            if (text[at + 1] is 'u' or 'U' &&
                tree.GetRoot(cancellationToken).FindToken(at) is { RawKind: (int)SyntaxKind.IdentifierToken } token &&
                set.Contains(token.ValueText))
            {
                positions.Add(token.SpanStart);
            }
        }

        var result = new int[positions.Count];
        positions.CopyTo(result);
        return result;
    }

    /// <summary>The names that contain none of the others: searching for these finds every name.</summary>
    private static List<string> Probes(ImmutableArray<string> names)
    {
        var probes = new List<string>();
        foreach (var name in names)
        {
            var covered = false;
            foreach (var other in names)
            {
                if (other.Length < name.Length && name.IndexOf(other, StringComparison.Ordinal) >= 0)
                {
                    covered = true;
                    break;
                }
            }

            if (!covered && !probes.Contains(name))
            {
                probes.Add(name);
            }
        }

        return probes;
    }

    private static bool IsIdentifierPart(char c) =>
        c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' : SyntaxFacts.IsIdentifierPartCharacter(c);

    /// <summary>The name a type is written with, without its namespace or alias: <c>Caret</c> for <c>Editing.Caret</c>.</summary>
    internal static string? RightmostName(Microsoft.CodeAnalysis.CSharp.Syntax.TypeSyntax type) =>
        type switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText,
            Microsoft.CodeAnalysis.CSharp.Syntax.QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            Microsoft.CodeAnalysis.CSharp.Syntax.AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };
}
