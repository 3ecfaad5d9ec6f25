namespace LeakAnalyzers.Shared;

using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>What a delegate keeps alive: <c>this</c> or the first captured local or parameter (or the object a method group is bound to).</summary>
internal readonly struct Capture
{
    internal Capture(string kind, string? captured, bool capturesThis)
    {
        Kind = kind;
        Captured = captured;
        CapturesThis = capturesThis;
    }

    /// <summary>"A lambda", "An anonymous method", "The local function 'F'", "The method group 'M'".</summary>
    internal string Kind { get; }

    /// <summary>The name of the captured local or parameter (or bound object); null when only <c>this</c> is captured.</summary>
    internal string? Captured { get; }

    internal bool CapturesThis { get; }

    internal bool Any => CapturesThis || Captured is not null;

    /// <summary>What the message says is kept alive: "this 'Poller'" or "'buffer'".</summary>
    internal string What(INamedTypeSymbol type) => CapturesThis ? "this '" + type.Name + "'" : "'" + Captured + "'";
}

/// <summary>
/// What delegates capture, for the closure rules and for the rules that defer to them (a timer whose callback holds
/// its owner is the closure family's). One instance per type being judged: it indexes the local functions of each
/// operation block once, so that asking about many delegates of one block costs each its own body, not the block
/// again (LEAK301 over thousands of capturing local functions in one constructor stays linear).
/// </summary>
internal sealed class DelegateCaptures
{
    private readonly Dictionary<IOperation, Dictionary<IMethodSymbol, ILocalFunctionOperation>> localFunctions = new();
    private readonly Dictionary<IMethodSymbol, Capture> localFunctionCaptures = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// What a delegate value captures: nothing for static lambdas and static methods; for a lambda, anonymous method
    /// or local function, <c>this</c> (an instance member of the containing type) and the first local or parameter
    /// declared outside it; for a method group of an instance method, the object it is bound to (<c>this</c>, a local
    /// or a parameter). <paramref name="root"/> is the operation block the
    /// delegate is written in. With <paramref name="within"/> (a value factory around a delegate it returns), what
    /// is declared inside that node (the factory's own parameters and locals) is not counted: the holder keeps it on purpose.
    /// </summary>
    internal Capture Of(IOperation? value, IOperation root, SyntaxNode? within = null)
    {
        var inner = Operations.SkipConversions(value);
        if (inner is IDelegateCreationOperation creation)
        {
            inner = Operations.SkipConversions(creation.Target);
        }

        switch (inner)
        {
            case IAnonymousFunctionOperation lambda:
                if (lambda.Symbol.IsStatic)
                {
                    return default;
                }

                var kind = lambda.Syntax is AnonymousMethodExpressionSyntax ? "An anonymous method" : "A lambda";
                return Walk(kind, lambda.Body, within ?? lambda.Syntax, root, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
            case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } local:
                var captured = LocalFunction(local.Method, root, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
                return new Capture("The local function '" + local.Method.Name + "'", captured.Captured, captured.CapturesThis);
            case IMethodReferenceOperation { Method.IsStatic: false } method:
                return Bound(method);
            default:
                return default;
        }
    }

    /// <summary>
    /// A method group of an instance method: the object it is bound to, when that is <c>this</c> or a local or
    /// parameter (<c>token.Register(connection.Dispose)</c>). Bound to a field or a call's result, the object may be one
    /// that lives long anyway (an injected service): not counted.
    /// </summary>
    private static Capture Bound(IMethodReferenceOperation method)
    {
        var kind = "The method group '" + method.Method.Name + "'";
        switch (Operations.SkipConversions(method.Instance))
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return new Capture(kind, null, capturesThis: true);
            case ILocalReferenceOperation local:
                return new Capture(kind, local.Local.Name, capturesThis: false);
            case IParameterReferenceOperation parameter:
                return new Capture(kind, parameter.Parameter.Name, capturesThis: false);
            default:
                return default;
        }
    }

    private Capture LocalFunction(IMethodSymbol function, IOperation root, HashSet<IMethodSymbol> visited)
    {
        function = function.OriginalDefinition;
        var outermost = visited.Count == 0;
        if (function.IsStatic || !visited.Add(function))
        {
            return default;
        }

        if (localFunctionCaptures.TryGetValue(function, out var known))
        {
            return known;
        }

        if (!IndexOf(root).TryGetValue(function, out var declaration))
        {
            return default;
        }

        var body = (IOperation?)declaration.Body ?? declaration.IgnoredBody;
        var result = body is null ? default : Walk(string.Empty, body, declaration.Syntax, root, visited);

        // Only the answer for the function asked about first is complete: an inner one may have stopped at a
        // function already on the way (a cycle).
        if (outermost)
        {
            localFunctionCaptures[function] = result;
        }

        return result;
    }

    private Dictionary<IMethodSymbol, ILocalFunctionOperation> IndexOf(IOperation root)
    {
        if (!localFunctions.TryGetValue(root, out var index))
        {
            index = new Dictionary<IMethodSymbol, ILocalFunctionOperation>(SymbolEqualityComparer.Default);
            foreach (var node in root.Descendants())
            {
                if (node is ILocalFunctionOperation declaration && !index.ContainsKey(declaration.Symbol.OriginalDefinition))
                {
                    index.Add(declaration.Symbol.OriginalDefinition, declaration);
                }
            }

            localFunctions.Add(root, index);
        }

        return index;
    }

    /// <summary>
    /// The captures of a body: <c>this</c> (an instance reference to the containing type, or an instance member of
    /// it), and locals or parameters declared outside <paramref name="scope"/>; through the local functions it calls.
    /// </summary>
    private Capture Walk(string kind, IOperation body, SyntaxNode scope, IOperation root, HashSet<IMethodSymbol> visited)
    {
        var capturesThis = false;
        string? captured = null;
        foreach (var node in body.DescendantsAndSelf())
        {
            switch (node)
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    capturesThis = true;
                    break;
                case ILocalReferenceOperation local when captured is null && !DeclaredInside(local.Local, scope):
                    captured = local.Local.Name;
                    break;
                case IParameterReferenceOperation parameter when captured is null && !DeclaredInside(parameter.Parameter, scope):
                    captured = parameter.Parameter.Name;
                    break;
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call:
                    Merge(LocalFunction(call.TargetMethod, root, visited), ref capturesThis, ref captured);
                    break;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference:
                    Merge(LocalFunction(reference.Method, root, visited), ref capturesThis, ref captured);
                    break;
            }
        }

        return new Capture(kind, captured, capturesThis);
    }

    private static void Merge(Capture inner, ref bool capturesThis, ref string? captured)
    {
        capturesThis |= inner.CapturesThis;
        captured ??= inner.Captured;
    }

    private static bool DeclaredInside(ISymbol symbol, SyntaxNode scope)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource && location.SourceTree == scope.SyntaxTree && scope.Span.Contains(location.SourceSpan))
            {
                return true;
            }
        }

        // A symbol without a source location (a synthesized local) is not a capture the user can see.
        return symbol.Locations.IsEmpty || !symbol.Locations[0].IsInSource;
    }
}
