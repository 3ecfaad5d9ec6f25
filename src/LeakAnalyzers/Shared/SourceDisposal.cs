namespace LeakAnalyzers.Shared;

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// What the source of the compilation says about disposal, read from declarations' syntax once per symbol
/// (no semantic model of another method is built):
/// <list type="bullet">
/// <item>whether a method disposes one of its parameters (<c>timer.WaitForDispose()</c> in NLog disposes its receiver),
/// so that handing a disposable to it hands it over;</item>
/// <item>whether a type's Dispose releases nothing: it only disposes members that need no disposal themselves
/// (NLog's <c>ReusableStreamCreator</c> disposes a <c>MemoryStream</c>), so an undisposed instance is not a leak.</item>
/// </list>
/// </summary>
internal sealed class SourceDisposal
{
    private const int MaxDepth = 3;
    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<string, bool> arrayPoolNames = new(StringComparer.Ordinal);

    internal SourceDisposal(Compilation compilation) => this.compilation = compilation;

    /// <summary>
    /// Whether a type of this simple name, declared in source, derives from <c>ArrayPool&lt;T&gt;</c> (a pool of the
    /// project's own: <c>STArrayPool&lt;byte&gt;.Shared.Return(buffer)</c> gives an array back like the framework's).
    /// </summary>
    private bool IsArrayPoolName(string name) =>
        arrayPoolNames.GetOrAdd(name, n => compilation.GetSymbolsWithName(n, SymbolFilter.Type).OfType<INamedTypeSymbol>().Any(IsArrayPool));

    private static bool IsArrayPool(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolNames.FullMetadataName(current.OriginalDefinition) == "System.Buffers.ArrayPool`1")
            {
                return true;
            }
        }

        return false;
    }
    private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> disposesParameter = new();
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> releasesNothing = new(SymbolEqualityComparer.Default);

    private readonly ConcurrentDictionary<(IMethodSymbol, string), bool> disposesMember = new();

    /// <summary>
    /// True when the method's body disposes or closes the member named <paramref name="member"/> of its own type,
    /// directly or through methods of the same type it calls by name (three calls deep): <c>Stop()</c> that calls
    /// <c>timer?.Dispose()</c>.
    /// </summary>
    internal bool DisposesMember(IMethodSymbol method, string member)
    {
        method = method.OriginalDefinition;
        return method.DeclaringSyntaxReferences.Length > 0 &&
               disposesMember.GetOrAdd((method, member), key => DisposesMember(key.Item1, key.Item2, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)));
    }

    private static bool DisposesMember(IMethodSymbol method, string member, HashSet<IMethodSymbol> visiting) =>
        Reaches(method, invocation => DisposedMemberName(invocation) == member, skipCatchesAndLambdas: false, visiting);

    private readonly ConcurrentDictionary<IMethodSymbol, bool> disposesThis = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when a source method that is not itself a Dispose method disposes its own object: it is the method the
    /// type's Dispose does nothing but call (<c>Dispose() =&gt; Stop()</c>), or it calls
    /// <c>Dispose()</c>, <c>Dispose(true)</c>, <c>DisposeAsync()</c> or <c>Close()</c> on <c>this</c>, directly or through
    /// methods of its type it calls by name (three calls deep): a pooled builder's <c>ToString()</c> that returns
    /// its buffer to the pool, a <c>CloseAsync()</c> that ends in <c>DisposeAsync()</c>. A call in a catch clause or
    /// in a lambda does not count: a method that disposes only when it fails, or later, leaves a live object.
    /// </summary>
    internal bool DisposesThis(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (method.IsAbstract && !method.IsStatic && method.ContainingType is { } declaring && method.DeclaringSyntaxReferences.Length > 0)
        {
            // `_service.Clear()` through an interface: every class of the compilation that implements it (one at
            // least) ends its object with its Clear.
            return disposesThis.GetOrAdd(method, m => EveryImplementationDisposesThis(m, declaring));
        }

        return !method.IsStatic && method.MethodKind == MethodKind.Ordinary && method.DeclaringSyntaxReferences.Length > 0 &&
               !OwnershipModel.IsDisposeMethod(method) &&
               disposesThis.GetOrAdd(method, m =>
               {
                   // `Dispose() => Stop();`: Stop is the release itself, whoever calls it.
                   var implementation = DisposeImplementation(m.ContainingType);
                   return (implementation is not null && m.Name == implementation && m.Parameters.Length == 0) ||
                          Reaches(
                              m,
                              invocation => IsDisposeCallOnThis(invocation) || (implementation is not null && CalledOnThis(invocation) == implementation) ||
                                            (CalledOnThis(invocation) == "Show" && invocation.ArgumentList.Arguments.Count <= 1 && KnownApis.ShowReleases(m.ContainingType)),
                              skipCatchesAndLambdas: true,
                              new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)) ||
                          DisposesEveryReleasedMember(m);
               });
    }

    /// <summary>
    /// <c>Destroy() { Reset(); }</c> where <c>Reset</c> runs <c>var old = _value; _value = null; old?.Dispose();</c>
    /// and the type's Dispose releases only <c>_value</c>: the method disposes every member the Dispose releases,
    /// outside a catch or a lambda, so after it the object holds nothing (a smart pointer's Destroy, a pool's Clear).
    /// </summary>
    private bool DisposesEveryReleasedMember(IMethodSymbol method)
    {
        if (ReleasedMemberNames(method.ContainingType) is not { Count: > 0 } released)
        {
            return false;
        }

        foreach (var member in released)
        {
            if (!Reaches(method, invocation => DisposedMemberName(invocation) == member, skipCatchesAndLambdas: true, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)) ||
                Refills(method, member))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the method, or a method of its type it calls by name, writes a new object into the member
    /// (<c>_timer = new Timer(...)</c>, <c>_stream = Open()</c>): a restart, not an end.
    /// </summary>
    private static bool Refills(IMethodSymbol method, string member) =>
        ReachesNode(
            method,
            node => node is AssignmentExpressionSyntax { Right: ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or InvocationExpressionSyntax } assignment &&
                    NameOf(assignment.Left) == member,
            skipCatchesAndLambdas: false,
            new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));

    private bool EveryImplementationDisposesThis(IMethodSymbol method, INamedTypeSymbol declaring)
    {
        var implementers = SourceTypes.ConcreteImplementersOf(compilation, declaring);
        if (implementers.IsEmpty || implementers.Length > 8)
        {
            return false;
        }

        foreach (var type in implementers)
        {
            var implementation = SourceTypes.ImplementationIn(type, method);
            if (implementation is null || implementation.IsAbstract || !DisposesThis(implementation))
            {
                return false;
            }
        }

        return true;
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> emptiesThis = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when a source method that is not itself a Dispose method moves out everything its object's Dispose would
    /// release: every member the Dispose disposes or gives back (<c>_message?.ReturnToPool(); _handles?.Dispose();</c>)
    /// is set to null by a statement of the method's own body (<c>var m = _message; _message = null!; ...; return m;</c>).
    /// After the call the object holds nothing: its result, or whoever it handed the members to, owns them.
    /// </summary>
    internal bool EmptiesThis(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return !method.IsStatic && method.MethodKind == MethodKind.Ordinary && method.DeclaringSyntaxReferences.Length == 1 &&
               !OwnershipModel.IsDisposeMethod(method) &&
               emptiesThis.GetOrAdd(method, m =>
               {
                   // What Dispose releases, or, when that cannot be read, every member that can hold a resource,
                   // for a method that returns what it moves out (`IntPtr DangerousMoveToPointer()`).
                   var released = ReleasedMembers(m.ContainingType) ??
                                  (m.ReturnsVoid ? (IReadOnlyCollection<string>)Array.Empty<string>() : ResourceMembers(m.ContainingType));
                   if (released.Count == 0)
                   {
                       return false;
                   }

                   var cleared = new HashSet<string>(StringComparer.Ordinal);
                   Clears(m, cleared, depth: 0);
                   return released.All(cleared.Contains);
               });
    }

    /// <summary>
    /// Adds the members of its own object that <paramref name="method"/> sets to null or zero: as statements of its
    /// body, through a source helper that empties the member it is given by <c>ref</c> (<c>Steal() =&gt; Take(ref
    /// pointer)</c>), or through a method of its type it calls on its object (<c>return this.StealNullable();</c>).
    /// </summary>
    private void Clears(IMethodSymbol method, HashSet<string> cleared, int depth)
    {
        if (depth > MaxDepth || Implementation(method).DeclaringSyntaxReferences is not { Length: 1 } references ||
            Body(references[0].GetSyntax()) is not { } body)
        {
            return;
        }

        if (body is BlockSyntax block)
        {
            foreach (var statement in block.Statements)
            {
                if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment } &&
                    IsNullish(assignment.Right) && NameOf(assignment.Left) is { } name)
                {
                    cleared.Add(name);
                }
            }
        }

        foreach (var invocation in body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
        {
            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                if (argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) && NameOf(argument.Expression) is { } name &&
                    ZeroesItsRefParameter(invocation, invocation.ArgumentList.Arguments.IndexOf(argument)))
                {
                    cleared.Add(name);
                }
            }

            if (invocation.ArgumentList.Arguments.Count == 0 && CalledOnThis(invocation) is { } callee)
            {
                foreach (var other in method.ContainingType.GetMembers(callee))
                {
                    if (other is IMethodSymbol { IsStatic: false, Parameters.Length: 0 } helper && !SymbolEqualityComparer.Default.Equals(helper, method))
                    {
                        Clears(helper.OriginalDefinition, cleared, depth + 1);
                    }
                }
            }
        }
    }

    /// <summary>The instance fields (and auto-properties) of the type that can hold a resource: a pointer, a handle, a disposable.</summary>
    private static HashSet<string> ResourceMembers(INamedTypeSymbol type)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false } field)
            {
                var type2 = field.Type;
                if (type2.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr || type2.TypeKind == TypeKind.Pointer || IsDisposableType(type2))
                {
                    members.Add(field.AssociatedSymbol?.Name ?? field.Name);
                }
            }
        }

        return members;
    }

    private readonly ConcurrentDictionary<string, bool> zeroesRefParameter = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether every source method of the called name sets its by-reference parameter at <paramref name="position"/> to
    /// null or zero as a statement of its own body (<c>StolenReference.TakeNullable(ref pointer)</c>): the caller's
    /// variable is emptied by the call.
    /// </summary>
    private bool ZeroesItsRefParameter(InvocationExpressionSyntax invocation, int position)
    {
        var name = invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            _ => null,
        };
        return name is not null && zeroesRefParameter.GetOrAdd(name + "/" + position, _ =>
        {
            var any = false;
            foreach (var candidate in compilation.GetSymbolsWithName(name, SymbolFilter.Member).OfType<IMethodSymbol>())
            {
                if (position >= candidate.Parameters.Length || candidate.Parameters[position].RefKind != RefKind.Ref ||
                    candidate.DeclaringSyntaxReferences.Length != 1 || Body(candidate.DeclaringSyntaxReferences[0].GetSyntax()) is not BlockSyntax body)
                {
                    return false;
                }

                var parameter = candidate.Parameters[position].Name;
                if (!body.Statements.Any(statement => statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment } &&
                                                      IsNullish(assignment.Right) && NameOf(assignment.Left) == parameter))
                {
                    return false;
                }

                any = true;
            }

            return any;
        });
    }

    /// <summary>
    /// The members of this object a Dispose (without parameters) releases: the receivers of every call it makes, when
    /// each is a member of the type (<c>_stream.Dispose()</c>, <c>_buffer?.ReturnToPool()</c>). Null when a call is not
    /// on a member, or there is no such Dispose in source.
    /// </summary>
    private static HashSet<string>? ReleasedMembers(INamedTypeSymbol type)
    {
        HashSet<string>? released = null;
        var baseReleasesNothing = false;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || !IsDisposeMethod(method) || method.Parameters.Length != 0)
            {
                continue;
            }

            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                if (Body(reference.GetSyntax()) is not { } disposeBody)
                {
                    return null;
                }

                // The dispose pattern: `Dispose() { Dispose(true); GC.SuppressFinalize(this); }` releases what this
                // type's `Dispose(bool)` releases (a `new` of this type runs this type's own).
                var bodies = new List<SyntaxNode> { disposeBody };
                foreach (var invocation in disposeBody.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
                {
                    if (IsDisposeTrueCall(invocation))
                    {
                        if (DisposeBoolBody(type) is not { } pattern)
                        {
                            return null;
                        }

                        bodies.Add(pattern);
                    }
                }

                foreach (var body in bodies)
                {
                    if (!Collect(body))
                    {
                        return null;
                    }
                }
            }
        }

        // `class AsnReader : PassThroughStream { ... }` with no Dispose, Close or finalizer of its own: its base's
        // Dispose is all it runs.
        if (released is null && type.BaseType is { DeclaringSyntaxReferences.Length: > 0 } sourceBase &&
            !DeclaresARelease(type))
        {
            return ReleasedMembers(sourceBase.OriginalDefinition);
        }

        // `class DigestStream : Stream { protected override void Dispose(bool disposing) { ... base.Dispose(disposing); } }`:
        // a subclass of a framework base that releases nothing (Stream, TextReader, TextWriter), whose Dispose() runs
        // the subclass's Dispose(bool) (and Close), releases what those release.
        if (released is null && !type.GetMembers("Dispose").Any(m => m is IMethodSymbol { Parameters.Length: 0 }) && BasesReleaseNothing(type))
        {
            baseReleasesNothing = true;
            // The Dispose(bool) that runs is the most derived one: this type's, or the nearest source base's.
            var overrides = type.GetMembers("Close").OfType<IMethodSymbol>().Where(m => m.Parameters.Length == 0 && m.IsOverride)
                .SelectMany(m => m.DeclaringSyntaxReferences).Select(r => (Body: Body(r.GetSyntax()), Owner: type))
                .ToList();
            var runs = new[] { type }.Concat(SourceBases(type)).Select(t => (Body: DisposeBoolBody(t), Owner: t)).FirstOrDefault(pair => pair.Body is not null);
            if (runs.Body is not null)
            {
                overrides.Add(runs);
            }

            foreach (var (body, owner) in overrides)
            {
                if (body is null || !Collect(body, 0, owner))
                {
                    return null;
                }
            }
        }

        return released;

        // `owner`: the type that declares the body (a base's, for a body reached through `base.`).
        bool Collect(SyntaxNode body, int depth = 0, INamedTypeSymbol? owner = null)
        {
            // `var m = Memory; Memory = null; m?.Dispose();`: a local that only copies a member stands for it.
            var copies = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var declarator in body.DescendantNodes().OfType<VariableDeclaratorSyntax>())
            {
                if (declarator.Initializer?.Value is { } value && NameOf(value) is { } copied)
                {
                    copies[declarator.Identifier.ValueText] = copied;
                }
            }

            foreach (var invocation in body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (IsDisposeTrueCall(invocation) || IsSuppressFinalize(invocation))
                {
                    continue;
                }

                // `base.Dispose(disposing)`, `base.Detach(disposing)`: a source base's method is read for what it
                // releases (three calls deep); the framework base's releases nothing.
                if (baseReleasesNothing && invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax, Name.Identifier.ValueText: var baseName })
                {
                    var arity = invocation.ArgumentList.Arguments.Count;
                    var inBase = SourceBases(owner ?? type)
                        .Select(b => b.GetMembers(baseName).OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == arity && m.DeclaringSyntaxReferences.Length == 1))
                        .FirstOrDefault(m => m is not null);
                    if (inBase is null)
                    {
                        if (baseName is "Dispose" or "Close")
                        {
                            continue;
                        }

                        return false;
                    }

                    if (depth < 3 && Body(inBase.DeclaringSyntaxReferences[0].GetSyntax()) is { } baseBody && Collect(baseBody, depth + 1, inBase.ContainingType.OriginalDefinition))
                    {
                        continue;
                    }

                    return false;
                }

                // `Finish()` in a Dispose(bool) override: a method of the type, read for what it releases (two calls deep).
                if (baseReleasesNothing && invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: var helperName } &&
                    type.GetMembers(helperName) is { Length: > 0 } helpers && helpers.All(m => m is IMethodSymbol { IsStatic: false, DeclaringSyntaxReferences.Length: > 0 }))
                {
                    if (depth < 2 && helpers.All(m => m.DeclaringSyntaxReferences.All(r => Body(r.GetSyntax()) is { } helperBody && Collect(helperBody, depth + 1))))
                    {
                        continue;
                    }

                    return false;
                }

                var name = CalledMemberName(invocation);
                if (name is not null && copies.TryGetValue(name, out var original))
                {
                    name = original;
                }

                // `Array.Clear(buffer, 0, n)`: a static call of another type given no member that holds a handle or a
                // disposable, and not this object, releases nothing of the object's own.
                if (baseReleasesNothing && name is not null && type.GetMembers(name).IsEmpty && FindFieldType(type, name) is null &&
                    !DeclaredIn(body, name) && HandleArgument(invocation, type) is null &&
                    !invocation.ArgumentList.Arguments.Any(a => a.Expression is ThisExpressionSyntax))
                {
                    continue;
                }

                if (name is not null && type.GetMembers(name).IsEmpty && HandleArgument(invocation, type) is { } freed)
                {
                    // `Native.DecRef(pointer)`, `Marshal.FreeHGlobal(buffer)`: a static call given the member frees it.
                    name = freed;
                }

                // A member of the type, or of the base whose body this is (`s.Dispose()` in FilterStream's Dispose).
                if (name is null || new[] { type }.Concat(SourceBases(type)).Select(t => t.GetMembers(name).FirstOrDefault()).FirstOrDefault(m => m is not null)
                        is not (IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false, IsIndexer: false }))
                {
                    return false;
                }

                (released ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }

            return true;
        }
    }

    /// <summary>
    /// Whether the type itself declares a Dispose, DisposeAsync, Close or finalizer: without one, disposing it runs only
    /// what its base runs.
    /// </summary>
    internal static bool DeclaresARelease(INamedTypeSymbol type) =>
        type.GetMembers().Any(m => m is IMethodSymbol { Name: "Dispose" or "DisposeAsync" or "Close" } or IMethodSymbol { MethodKind: MethodKind.Destructor });

    /// <summary>Whether <paramref name="name"/> is a local, a loop variable or a parameter of the code around <paramref name="body"/>.</summary>
    private static bool DeclaredIn(SyntaxNode body, string name) =>
        body.DescendantNodes().Any(node => node switch
        {
            VariableDeclaratorSyntax declarator => declarator.Identifier.ValueText == name,
            ForEachStatementSyntax loop => loop.Identifier.ValueText == name,
            ParameterSyntax parameter => parameter.Identifier.ValueText == name,
            SingleVariableDesignationSyntax designation => designation.Identifier.ValueText == name,
            _ => false,
        }) ||
        (body.Parent is BaseMethodDeclarationSyntax { ParameterList.Parameters: var parameters } && parameters.Any(p => p.Identifier.ValueText == name));

    /// <summary>
    /// The type's base chain reaches a framework base that releases nothing (<c>Stream</c>, <c>TextReader</c>,
    /// <c>TextWriter</c>) through source bases that declare no Close, parameterless Dispose or finalizer of their own
    /// (<c>BcpgOutputStream : BaseOutputStream : Stream</c>); their <c>Dispose(bool)</c> overrides are read where they run.
    /// </summary>
    private static bool BasesReleaseNothing(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.DeclaringSyntaxReferences.Length == 0)
            {
                return KnownApis.BasesReleasingNothing.Contains(SymbolNames.FullMetadataName(current.OriginalDefinition));
            }

            // A source base may override Dispose(bool), read where it runs; anything else it releases by is not followed.
            if (current.GetMembers().Any(m => m is IMethodSymbol { Name: "Close" or "DisposeAsync" } or IMethodSymbol { Name: "Dispose", Parameters.Length: 0 } or
                                                  IMethodSymbol { MethodKind: MethodKind.Destructor }))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The bases of <paramref name="type"/> declared in source, nearest first.</summary>
    private static IEnumerable<INamedTypeSymbol> SourceBases(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is { DeclaringSyntaxReferences.Length: > 0 }; current = current.BaseType)
        {
            yield return current.OriginalDefinition;
        }
    }

    /// <summary><c>Dispose(true)</c>, <c>this.Dispose(disposing: true)</c>: the dispose pattern's call.</summary>
    private static bool IsDisposeTrueCall(InvocationExpressionSyntax invocation) =>
        invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "Dispose" } or
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" } &&
        invocation.ArgumentList.Arguments.Count == 1 && invocation.ArgumentList.Arguments[0].Expression.IsKind(SyntaxKind.TrueLiteralExpression);

    private static bool IsSuppressFinalize(InvocationExpressionSyntax invocation) =>
        invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "GC" }, Name.Identifier.ValueText: "SuppressFinalize" };

    /// <summary>The body of the type's own <c>Dispose(bool)</c>, when it declares one with a body.</summary>
    private static SyntaxNode? DisposeBoolBody(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers("Dispose"))
        {
            if (member is IMethodSymbol { Parameters.Length: 1 } pattern && pattern.Parameters[0].Type.SpecialType == SpecialType.System_Boolean &&
                pattern.DeclaringSyntaxReferences.Length == 1 && Body(pattern.DeclaringSyntaxReferences[0].GetSyntax()) is { } body)
            {
                return body;
            }
        }

        return null;
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, HashSet<string>?> releasedMembers = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The members of a source type whose release is all its Dispose does (<c>Dispose() { var m = Memory; Memory =
    /// null; m?.Dispose(); }</c>); null when Dispose calls anything not on a member of its own, or is not in source.
    /// </summary>
    internal IReadOnlyCollection<string>? ReleasedMemberNames(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        return type.DeclaringSyntaxReferences.Length == 0 ? null : releasedMembers.GetOrAdd(type, static t => ReleasedMembers(t));
    }

    /// <summary>The one member of the type, a pointer, a handle or a disposable, that a call is given.</summary>
    private static string? HandleArgument(InvocationExpressionSyntax invocation, INamedTypeSymbol type)
    {
        string? found = null;
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (NameOf(argument.Expression) is { } name && FindFieldType(type, name) is { } memberType &&
                (memberType.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr || memberType.TypeKind == TypeKind.Pointer ||
                 IsDisposableType(memberType)))
            {
                if (found is not null && found != name)
                {
                    return null;
                }

                found = name;
            }
        }

        return found;
    }

    /// <summary>The one member whose release is all the type's Dispose does: disposing it releases the object.</summary>
    internal string? SoleReleasedMember(INamedTypeSymbol type) =>
        ReleasedMemberNames(type) is { Count: 1 } released ? released.First() : null;

    /// <summary>
    /// The method of the type its Dispose only delegates to (<c>Dispose() { if (disposed) return; close(true); }</c>):
    /// whatever else calls it (<c>Abort()</c>) disposes the object just as well. Null when Dispose does more or less.
    /// </summary>
    private static string? DisposeImplementation(INamedTypeSymbol type)
    {
        string? found = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || !IsDisposeMethod(method) || method.Parameters.Length != 0)
            {
                continue;
            }

            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                var called = Body(reference.GetSyntax()) switch
                {
                    ArrowExpressionClauseSyntax { Expression: var expression } => Waited(expression) is { } waited ? CalledOnThis(waited) : null,
                    BlockSyntax block => block.Statements.Where(statement => !IsEarlyReturn(statement)).ToList() is { Count: 1 } rest &&
                                         rest[0] is ExpressionStatementSyntax { Expression: var only }
                        && Waited(only) is { } waitedOnly
                        ? CalledOnThis(waitedOnly)
                        : null,
                    _ => null,
                };
                if (called is null or "Dispose" or "DisposeAsync" || (found is not null && found != called))
                {
                    return null;
                }

                found = called;
            }
        }

        return found;

        static bool IsEarlyReturn(StatementSyntax statement) =>
            statement is IfStatementSyntax { Else: null } early &&
            (early.Statement is ReturnStatementSyntax || (early.Statement is BlockSyntax { Statements.Count: 1 } block && block.Statements[0] is ReturnStatementSyntax));
    }

    /// <summary><c>close(true)</c> or <c>this.close(true)</c>: the name of the method of this object called.</summary>
    private static string? CalledOnThis(InvocationExpressionSyntax invocation) =>
        invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
            _ => null,
        };

    /// <summary>
    /// The call a statement runs and waits for: <c>Stop()</c>, <c>Clear().Wait()</c>,
    /// <c>StopAsync().GetAwaiter().GetResult()</c>, <c>await CloseAsync()</c> (with or without ConfigureAwait).
    /// </summary>
    private static InvocationExpressionSyntax? Waited(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case AwaitExpressionSyntax awaited:
                    expression = awaited.Expression;
                    continue;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" or "GetResult" or "GetAwaiter" or "ConfigureAwait", Expression: InvocationExpressionSyntax inner } }:
                    expression = inner;
                    continue;
                case InvocationExpressionSyntax invocation:
                    return invocation;
                default:
                    return null;
            }
        }
    }

    private static bool IsDisposeCallOnThis(InvocationExpressionSyntax invocation)
    {
        var name = CalledOnThis(invocation);
        var arguments = invocation.ArgumentList.Arguments;
        return name switch
        {
            "Dispose" => arguments.Count == 0 || (arguments.Count == 1 && arguments[0].Expression.IsKind(SyntaxKind.TrueLiteralExpression)),
            "DisposeAsync" or "Close" => arguments.Count == 0,
            _ => false,
        };
    }

    /// <summary>
    /// Whether the body of <paramref name="method"/>, or of a method of its type it calls by name (three calls deep),
    /// holds an invocation <paramref name="found"/> accepts; with <paramref name="skipCatchesAndLambdas"/>, not in a
    /// catch clause, a lambda or a local function.
    /// </summary>
    private static bool Reaches(IMethodSymbol method, Func<InvocationExpressionSyntax, bool> found, bool skipCatchesAndLambdas, HashSet<IMethodSymbol> visiting) =>
        ReachesNode(method, node => node is InvocationExpressionSyntax invocation && found(invocation), skipCatchesAndLambdas, visiting);

    /// <summary>As <see cref="Reaches"/>, for any syntax node <paramref name="found"/> accepts.</summary>
    private static bool ReachesNode(IMethodSymbol method, Func<SyntaxNode, bool> found, bool skipCatchesAndLambdas, HashSet<IMethodSymbol> visiting)
    {
        if (visiting.Count > MaxDepth || !visiting.Add(method))
        {
            return false;
        }

        foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
        {
            var body = Body(reference.GetSyntax());
            if (body is null)
            {
                continue;
            }

            var nodes = skipCatchesAndLambdas
                ? body.DescendantNodes(node => node is not (CatchClauseSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                : body.DescendantNodes();
            foreach (var node in nodes)
            {
                if (found(node))
                {
                    return true;
                }

                if (node is not InvocationExpressionSyntax invocation || CalledOnThis(invocation) is not { } callee)
                {
                    continue;
                }

                foreach (var candidate in method.ContainingType.GetMembers(callee))
                {
                    if (candidate is IMethodSymbol { IsStatic: false } other && other.DeclaringSyntaxReferences.Length > 0 &&
                        ReachesNode(other.OriginalDefinition, found, skipCatchesAndLambdas, visiting))
                    {
                        return true;
                    }
                }
            }
        }

        visiting.Remove(method);
        return false;
    }

    /// <summary>True when the method's body disposes or closes the parameter at <paramref name="ordinal"/>.</summary>
    internal bool DisposesParameter(IMethodSymbol method, int ordinal)
    {
        method = method.ReducedFrom ?? method;
        method = Implementation(method.OriginalDefinition);
        if (method.DeclaringSyntaxReferences.Length != 1 || ordinal < 0 || ordinal >= method.Parameters.Length)
        {
            return false;
        }

        return disposesParameter.GetOrAdd((method, ordinal), static key =>
        {
            var name = key.Item1.Parameters[key.Item2].Name;
            var body = Body(key.Item1.DeclaringSyntaxReferences[0].GetSyntax());
            if (body is null)
            {
                return false;
            }

            foreach (var node in body.DescendantNodes())
            {
                if (node is InvocationExpressionSyntax invocation && IsDisposeCallOn(invocation, name))
                {
                    return true;
                }

                if (node is UsingStatementSyntax { Expression: IdentifierNameSyntax used } && used.Identifier.ValueText == name)
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary>
    /// True for a type declared in source whose Dispose methods do nothing but dispose members whose types need no
    /// disposal (and call its own Dispose(bool) or GC.SuppressFinalize), with no finalizer and no base type outside source.
    /// </summary>
    internal bool ReleasesNothing(INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal)
    {
        type = type.OriginalDefinition;
        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        // Only finished answers are shared between threads; a cycle is cut with the conservative "no".
        return releasesNothing.GetOrAdd(type, t => ReleasesNothing(t, needsDisposal, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default)));
    }

    private bool ReleasesNothing(INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal, HashSet<INamedTypeSymbol> visiting)
    {
        type = type.OriginalDefinition;
        if (visiting.Count > MaxDepth || type.DeclaringSyntaxReferences.Length == 0 || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) ||
            !visiting.Add(type))
        {
            return false;
        }

        var result = Compute(type, needsDisposal, visiting);
        visiting.Remove(type);
        return result;
    }

    private bool Compute(INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal, HashSet<INamedTypeSymbol> visiting)
    {
        if (IsScopeToken(type))
        {
            return true;
        }

        var baseType = type.BaseType;
        var baseReleasesNothing = false;
        if (baseType is not null && baseType.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType) &&
            baseType.DeclaringSyntaxReferences.Length == 0)
        {
            // A framework or library base may release something in its own Dispose, unless the tables say it needs
            // none (a StringWriter or MemoryStream subclass that adds no resource of its own), or it is an abstract
            // base whose own Dispose releases nothing (a Stream view, a MemoryPool).
            if (needsDisposal(baseType) && !KnownApis.BasesReleasingNothing.Contains(SymbolNames.FullMetadataName(baseType.OriginalDefinition)))
            {
                return false;
            }

            baseReleasesNothing = true;
        }

        var foundDispose = false;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            if (method.MethodKind == MethodKind.Destructor)
            {
                // `~Op() { Dispose(); }`: a finalizer that only runs the type's Dispose releases what Dispose does, judged below.
                if (!method.DeclaringSyntaxReferences.All(r => OnlyCallsDispose(r.GetSyntax())))
                {
                    return false;
                }

                continue;
            }

            if (!IsDisposeMethod(method))
            {
                continue;
            }

            foundDispose = true;
            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                var body = Body(reference.GetSyntax());
                if (body is null || !OnlyReleasesHarmlessMembers(body, type, needsDisposal, visiting))
                {
                    return false;
                }
            }
        }

        if (!foundDispose && baseType is { DeclaringSyntaxReferences.Length: > 0 })
        {
            return ReleasesNothing(baseType, needsDisposal, visiting);
        }

        return foundDispose || baseReleasesNothing;
    }

    /// <summary>A finalizer whose every statement is a call of the type's own Dispose (<c>Dispose()</c>, <c>Dispose(false)</c>, <c>this.Dispose(...)</c>).</summary>
    private static bool OnlyCallsDispose(SyntaxNode declaration) =>
        Body(declaration) switch
        {
            ArrowExpressionClauseSyntax arrow => IsOwnDisposeCall(arrow.Expression),
            BlockSyntax block => block.DescendantNodes().OfType<StatementSyntax>().Any() &&
                                 block.DescendantNodes().OfType<StatementSyntax>().All(statement =>
                                     statement is BlockSyntax || (statement is ExpressionStatementSyntax { Expression: var call } && IsOwnDisposeCall(call))),
            _ => false,
        };

    private static bool IsOwnDisposeCall(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax
        {
            Expression: IdentifierNameSyntax { Identifier.ValueText: "Dispose" } or
                        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" },
        };

    private bool OnlyReleasesHarmlessMembers(SyntaxNode body, INamedTypeSymbol type, Func<ITypeSymbol, bool> needsDisposal, HashSet<INamedTypeSymbol> visiting, int depth = 0)
    {
        foreach (var node in body.DescendantNodes())
        {
            if (node is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            switch (invocation.Expression)
            {
                // Dispose(true), this.Dispose(disposing)
                case IdentifierNameSyntax { Identifier.ValueText: "Dispose" }:
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" }:
                    continue;

                // `Dispose() => DisposeInternal(null);`: a method of the type, judged by its own body (two calls deep).
                case IdentifierNameSyntax { Identifier.ValueText: var helper } when type.GetMembers(helper) is { Length: > 0 } helpers &&
                                                                                   helpers.All(m => m is IMethodSymbol { DeclaringSyntaxReferences.Length: > 0 }):
                    if (depth < 2 && helpers.All(m => m.DeclaringSyntaxReferences.All(r => Body(r.GetSyntax()) is { } helperBody &&
                                                                                            OnlyReleasesHarmlessMembers(helperBody, type, needsDisposal, visiting, depth + 1))))
                    {
                        continue;
                    }

                    return false;

                // GC.SuppressFinalize(this)
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "GC" }, Name.Identifier.ValueText: "SuppressFinalize" }:
                    continue;

                // Monitor.Exit(gate): a lock scope's end; a monitor left held is a deadlock, not a resource kept.
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Monitor" } or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Monitor" }, Name.Identifier.ValueText: "Exit" }:
                    continue;

                // `foreach (var o in observers.ToArray()) o.OnCompleted();`: a subject telling its observers it is done.
                case MemberAccessExpressionSyntax { Expression: var observer, Name.Identifier.ValueText: "OnCompleted" or "OnError" } when
                    NameOf(observer) is not { } observerName || FindFieldType(type, observerName) is null:
                    continue;

                // `_tcs.TrySetCanceled()`: waking the waiters of a task completion source (an async event's Dispose);
                // the source holds no resource, only the task it completes.
                case MemberAccessExpressionSyntax { Expression: var completed, Name.Identifier.ValueText: "TrySetCanceled" or "SetCanceled" or "TrySetResult" or "SetResult" or "TrySetException" or "SetException" } when
                    NameOf(completed) is { } completedName && FindFieldType(type, completedName) is INamedTypeSymbol { Name: "TaskCompletionSource", ContainingNamespace: { } tcsNamespace } &&
                    tcsNamespace.ToDisplayString() == "System.Threading.Tasks":
                    continue;

                // `disposed = true; while (pending != 0) Thread.Yield();`: waiting for work in flight releases nothing.
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Thread" or "Interlocked" or "Volatile" or "SpinWait" }, Name.Identifier.ValueText: "Yield" or "Sleep" or "SpinWait" or "SpinUntil" or "Increment" or "Decrement" or "Read" or "Write" or "MemoryBarrier" }:
                    continue;

                // `Interlocked.Exchange(ref _isStopped, 1)`: setting a flag or counter of the type releases nothing.
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Interlocked" }, Name.Identifier.ValueText: "Exchange" or "CompareExchange" } when
                    invocation.ArgumentList.Arguments.FirstOrDefault() is { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword, Expression: var exchanged } &&
                    NameOf(exchanged) is { } flagName && FindFieldType(type, flagName) is { } flagType && IsPlainNumberOrFlag(flagType):
                    continue;

                // `CryptographicOperations.ZeroMemory(_key)`, `Array.Clear(_buffer)`: wiping a managed array of the type
                // (secret hygiene) releases nothing.
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "CryptographicOperations" or "Array" }, Name.Identifier.ValueText: "ZeroMemory" or "Clear" or "Fill" } when
                    invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is { } wiped &&
                    NameOf(wiped is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsSpan", Expression: var spanned } } ? spanned : wiped) is { } wipedName &&
                    FindFieldType(type, wipedName) is IArrayTypeSymbol:
                    continue;

                // base.Dispose(...) on a source base is judged with the base.
                case MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax }:
                    if (type.BaseType is { } baseType &&
                        (baseType.DeclaringSyntaxReferences.Length == 0
                            ? !needsDisposal(baseType) || KnownApis.BasesReleasingNothing.Contains(SymbolNames.FullMetadataName(baseType.OriginalDefinition))
                            : ReleasesNothing(baseType, needsDisposal, visiting)))
                    {
                        continue;
                    }

                    return false;
            }

            // ArrayPool<T>.Shared.Return(buffer), pool.Return(buffer), OwnPool<T>.Shared.Return(buffer) of a source
            // subclass of ArrayPool<T>: an array not given back is only garbage.
            if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Return", Expression: var pool } &&
                (pool is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Shared", Expression: var sharedOf } &&
                 (sharedOf is QualifiedNameSyntax qualified ? qualified.Right : sharedOf) is GenericNameSyntax { Identifier.ValueText: var poolTypeName } &&
                 (poolTypeName == "ArrayPool" || IsArrayPoolName(poolTypeName)) ||
                 (NameOf(pool) is { } poolName && FindFieldType(type, poolName) is INamedTypeSymbol poolType && IsArrayPool(poolType))))
            {
                continue;
            }

            // items.Clear(), cache.Remove(key): a collection of the framework holds only managed references.
            if (DisposedMemberName(invocation) is null && CalledMemberName(invocation) is { } collectionName &&
                FindFieldType(type, collectionName) is { } collectionType && IsFrameworkCollection(collectionType))
            {
                continue;
            }

            // x.Dispose(), or any call on x (semaphore.Release()), where x is a disposable member that needs no disposal.
            var name = DisposedMemberName(invocation) ?? CalledMemberName(invocation);
            if (name is null || FindFieldType(type, name) is not { } memberType ||
                (DisposedMemberName(invocation) is null && !IsDisposableType(memberType)) ||
                (needsDisposal(memberType) && !(memberType is INamedTypeSymbol named && ReleasesNothing(named, needsDisposal, visiting)) &&
                 !KnownApis.ReleasesNothingIn(memberType, type, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Operations.IArgumentOperation>.Empty, name) &&
                 !OnlyWrapsNewMemory(type, name, memberType)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>writer = new BinaryWriter(new MemoryStream())</c>: a reader or writer of the known-APIs table that the type
    /// only ever makes over a new in-memory stream or text (a type of <see cref="KnownApis.NoDisposalTypes"/>), or sets
    /// to null. Disposing it releases nothing but managed memory.
    /// </summary>
    private static bool OnlyWrapsNewMemory(INamedTypeSymbol type, string name, ITypeSymbol memberType) =>
        memberType is INamedTypeSymbol wrapper && OwnershipModel.PureWrapperBase(wrapper) is not null &&
        OnlyMade(type, name, value =>
            value is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments } &&
            (IsNewMemory(arguments[0].Expression) ||
             // `output = new BinaryWriter(outputStream)` where `outputStream = new MemoryStream()` is the type's only assignment of it.
             (NameOf(arguments[0].Expression) is { } input && input != name && OnlyMade(type, input, IsNewMemory))));

    /// <summary><c>new MemoryStream()</c>, <c>new StringBuilder()</c>: a type of <see cref="KnownApis.NoDisposalTypes"/>, made here.</summary>
    private static bool IsNewMemory(ExpressionSyntax expression) =>
        expression is ObjectCreationExpressionSyntax { Type: var made } &&
        SourceNames.RightmostName(made) is { } madeName &&
        KnownApis.NoDisposalTypes.Any(noDisposal => noDisposal.EndsWith("." + madeName, StringComparison.Ordinal));

    /// <summary>Whether every value the type's code gives its member <paramref name="name"/> is null or passes <paramref name="made"/>, and at least one does.</summary>
    private static bool OnlyMade(INamedTypeSymbol type, string name, Func<ExpressionSyntax, bool> made)
    {
        var count = 0;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                var value = node switch
                {
                    AssignmentExpressionSyntax assignment when NameOf(assignment.Left) == name => assignment.Right,
                    VariableDeclaratorSyntax { Initializer.Value: var initial } declarator when declarator.Identifier.ValueText == name => initial,
                    PropertyDeclarationSyntax { Initializer.Value: var initial } property when property.Identifier.ValueText == name => initial,
                    _ => null,
                };

                switch (value)
                {
                    case null:
                        continue;
                    case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NullLiteralExpression):
                        continue;
                    case var given when made(given):
                        count++;
                        continue;
                    default:
                        return false;
                }
            }
        }

        return count > 0;
    }

    /// <summary>A list, dictionary, set or queue of the framework (<c>System.Collections</c>), or an array: managed memory only.</summary>
    private static bool IsFrameworkCollection(ITypeSymbol type) =>
        type is IArrayTypeSymbol ||
        (!IsDisposableType(type) && type.ContainingNamespace?.ToDisplayString() is { } ns &&
         (ns == "System.Collections" || ns.StartsWith("System.Collections.", StringComparison.Ordinal)));

    /// <summary>A number, a flag, a character or an enum: never a handle (<c>IntPtr</c> and structs are not counted).</summary>
    internal static bool IsPlainNumberOrFlag(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum ||
        type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_Byte or SpecialType.System_SByte or
            SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    /// <summary>A private nested class no other nested class of its container derives from: sealed in effect.</summary>
    private static bool IsPrivateLeaf(INamedTypeSymbol type) =>
        type.DeclaredAccessibility == Accessibility.Private && type.ContainingType is { } container &&
        !container.GetTypeMembers().Any(other => SymbolEqualityComparer.Default.Equals(other.BaseType?.OriginalDefinition, type.OriginalDefinition));

    private static bool IsScopeToken(INamedTypeSymbol type)
    {
        // A struct, or a sealed class of its own (no base to release anything, no finalizer): an undo token such as
        // `Add(item)` returning an object whose Dispose removes the item again.
        // A Stream subclass too (the end of an in-memory pipe whose Dispose(bool) tells its pipe): the base Stream
        // releases nothing.
        if (type.TypeKind != TypeKind.Struct &&
            !(type.TypeKind == TypeKind.Class && (type.IsSealed || IsPrivateLeaf(type)) &&
              (type.BaseType?.SpecialType == SpecialType.System_Object || (type.BaseType is { } baseType && SymbolNames.FullMetadataName(baseType) == "System.IO.Stream")) &&
              !type.GetMembers().Any(member => member is IMethodSymbol { MethodKind: MethodKind.Destructor })))
        {
            return false;
        }

        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IFieldSymbol { IsStatic: false, IsConst: false, AssociatedSymbol: IPropertySymbol }:
                    break; // an auto-property's storage: judged with the property
                case IFieldSymbol { IsStatic: false, IsConst: false } field when IsPlainNumberOrFlag(field.Type):
                    break; // a timeout, a count, a flag: state, not a resource
                case IFieldSymbol { IsStatic: false, IsConst: false } field:
                    if (field.DeclaringSyntaxReferences.Length != 1 ||
                        field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer: null } ||
                        field.Type.IsValueType)
                    {
                        return false;
                    }

                    fields.Add(field.Name);
                    break;
                case IPropertySymbol { IsStatic: false } property when !property.IsAbstract && property.DeclaringSyntaxReferences.Length > 0 &&
                    property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors } declaration &&
                    accessors.Accessors.All(accessor => accessor.Body is null && accessor.ExpressionBody is null):
                    // An auto-property is a field with a name of its own: given, never made, like the fields.
                    if (declaration.Initializer is not null || property.Type.IsValueType ||
                        accessors.Accessors.Any(accessor => accessor.IsKind(SyntaxKind.SetAccessorDeclaration) && !accessor.Modifiers.Any(SyntaxKind.PrivateKeyword)))
                    {
                        return false;
                    }

                    fields.Add(property.Name);
                    break;
            }
        }

        var foundDispose = false;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || !IsDisposeMethod(method))
            {
                continue;
            }

            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                if (Body(reference.GetSyntax()) is not { } body)
                {
                    return false;
                }

                foreach (var invocation in body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
                {
                    if (invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax })
                    {
                        continue; // base.Dispose(disposing), base.Close(): the base releases nothing
                    }

                    if (DisposedMemberName(invocation) is not null || CalledMemberName(invocation) is not { } called || !fields.Contains(called))
                    {
                        return false;
                    }
                }

                foundDispose = true;
            }
        }

        if (!foundDispose || fields.Count == 0)
        {
            return false;
        }

        // Every field is given, never made: set only in constructors, from one of their parameters.
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var assignment in reference.GetSyntax().DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (NameOf(assignment.Left) is not { } name || !fields.Contains(name))
                {
                    continue;
                }

                if (assignment.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is not { } constructor ||
                    assignment.Right is not IdentifierNameSyntax { Identifier.ValueText: var value } ||
                    !constructor.ParameterList.Parameters.Any(parameter => parameter.Identifier.ValueText == value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary><c>x.M(...)</c>, <c>x?.M(...)</c>, <c>this.x.M(...)</c>: the name of the member x a method is called on.</summary>
    private static string? CalledMemberName(InvocationExpressionSyntax invocation)
    {
        var receiver = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Expression,
            MemberBindingExpressionSyntax when invocation.Parent is ConditionalAccessExpressionSyntax conditional => conditional.Expression,
            _ => null,
        };
        return receiver switch
        {
            IdentifierNameSyntax identifier => CopiedMemberName(identifier) ?? identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
            InvocationExpressionSyntax exchange => ExchangedMemberName(exchange) is { Length: > 0 } exchanged ? exchanged : null,
            _ => null,
        };
    }

    /// <summary><c>Interlocked.Exchange(ref _timer, null)</c>: the member whose old value the call returns.</summary>
    private static string? ExchangedMemberName(InvocationExpressionSyntax invocation) =>
        invocation is { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Interlocked" }, Name.Identifier.ValueText: "Exchange" } } &&
        invocation.ArgumentList.Arguments.FirstOrDefault() is { RefKindKeyword.ValueText: "ref" } target
            ? NameOf(target.Expression) ?? string.Empty
            : null;

    /// <summary>
    /// <c>var group = _group; _group = null; group.Dispose();</c>, <c>var t = Interlocked.Exchange(ref _timer, null);</c>:
    /// a local of the enclosing function, declared once, whose initializer is a member of this object names that member.
    /// </summary>
    private static string? CopiedMemberName(IdentifierNameSyntax identifier)
    {
        var function = identifier.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        if (function is null)
        {
            return null;
        }

        string? copied = null;
        foreach (var declarator in function.DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (declarator.Identifier.ValueText != identifier.Identifier.ValueText)
            {
                continue;
            }

            if (copied is not null)
            {
                return null; // two locals of that name: which one is disposed is not for syntax to say
            }

            copied = declarator.Initializer?.Value switch
            {
                InvocationExpressionSyntax exchange => ExchangedMemberName(exchange) ?? string.Empty,
                { } value => NameOf(value) ?? string.Empty,
                null => string.Empty,
            };
        }

        return copied is { Length: > 0 } ? copied : null;
    }

    private static bool IsDisposableType(ITypeSymbol type) =>
        type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable || i.Name == "IAsyncDisposable") ||
        type.SpecialType == SpecialType.System_IDisposable;

    /// <summary>The type of the field or property of that name, on the type or a base type.</summary>
    internal static ITypeSymbol? FindFieldType(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                switch (member)
                {
                    case IFieldSymbol field:
                        return field.Type;
                    case IPropertySymbol property:
                        return property.Type;
                }
            }
        }

        return null;
    }

    /// <summary><c>x.Dispose()</c>, <c>x?.Dispose()</c>, <c>this.x.Close()</c>: the name of x.</summary>
    private static string? DisposedMemberName(InvocationExpressionSyntax invocation)
    {
        var method = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };
        return method is "Dispose" or "Close" or "DisposeAsync" && invocation.ArgumentList.Arguments.Count == 0
            ? CalledMemberName(invocation)
            : null;
    }

    private static bool IsDisposeCallOn(InvocationExpressionSyntax invocation, string name) =>
        DisposedMemberName(invocation) == name;

    private static bool IsDisposeMethod(IMethodSymbol method)
    {
        var name = method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0
            ? method.ExplicitInterfaceImplementations[0].Name
            : method.Name;
        return name is "Dispose" or "DisposeAsync" or "Close";
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, DisposeGuard?> disposeGuards = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when the object <paramref name="creation"/> builds (of a source type) releases nothing in Dispose because
    /// every Dispose of the type first tests a bool member that only constructors set (<c>if (isPooled)
    /// ArrayPool.Return(...)</c>, <c>if (!ownsHandle) return;</c>), and this constructor, with these arguments, leaves
    /// it false: the member's initial value when the constructor does not set it, or the constant (or default) value
    /// of the parameter it is set from.
    /// </summary>
    internal bool GuardedOff(IObjectCreationOperation creation, Func<IMethodSymbol, IMethodSymbol?>? chainedConstructor = null)
    {
        if (chainedConstructor is not null &&
            creation.Type is INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } subclass && creation.Constructor is { } subConstructor &&
            subclass.BaseType is { DeclaringSyntaxReferences.Length: > 0 } guardedBase &&
            !DeclaresARelease(subclass) &&
            disposeGuards.GetOrAdd(guardedBase.OriginalDefinition, FindGuard) is { } inherited &&
            BaseConstructorLeavesOff(subConstructor, chainedConstructor(subConstructor), inherited))
        {
            // `new Attachment(message) : base(node)` over a base constructor that never sets what Dispose releases.
            return true;
        }

        if (creation.Type is not INamedTypeSymbol type || creation.Constructor is not { } constructor ||
            type.OriginalDefinition.DeclaringSyntaxReferences.Length == 0 ||
            disposeGuards.GetOrAdd(type.OriginalDefinition, FindGuard) is not { } guard)
        {
            return false;
        }

        constructor = Implementation(constructor.OriginalDefinition);
        if (constructor.DeclaringSyntaxReferences.Length == 0)
        {
            return guard.Initial == false; // the implicit constructor sets nothing
        }

        if (DeclarationOf(constructor) is not { } declaration)
        {
            return false;
        }

        if (declaration.Initializer is { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.ThisKeyword } chained)
        {
            // `Scoped(inner) : this(inner, false)`: the flag is what the chained constructor sets it from.
            return !Sets(declaration, guard.Name) && ChainedLeavesOff(type, chained, guard, creation);
        }

        AssignmentExpressionSyntax? set = null;
        foreach (var assignment in declaration.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (NameOf(assignment.Left) == guard.Name)
            {
                if (set is not null || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
                {
                    return false;
                }

                set = assignment;
            }
        }

        if (set is null)
        {
            return guard.Initial == false;
        }

        switch (set.Right)
        {
            case LiteralExpressionSyntax literal:
                return guard.IsOff(literal);
            case IdentifierNameSyntax identifier:
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Parameter is { } parameter && parameter.Name == identifier.Identifier.ValueText &&
                        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, creation.Constructor.OriginalDefinition))
                    {
                        return guard.IsOff(argument.Value);
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<string>> undoDelegates = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// True when the object <paramref name="creation"/> builds is an undo token whose (non-virtual) Dispose only runs delegates its
    /// constructor was given (<c>Dispose() =&gt; close();</c> with <c>this.close = close</c>), and this creation gives
    /// lambdas that release nothing: they assign, or call methods none of which is a release (<c>() =&gt; Type = old</c>,
    /// <c>() =&gt; items.Remove(item)</c>, a method of this compilation that cannot be overridden and reaches no release).
    /// Dropping such a token keeps the change; nothing is held. A lambda that disposes, closes, frees, cancels or
    /// returns something, or calls another delegate or an overridable method of this compilation, keeps the token an owner.
    /// </summary>
    internal bool RunsOnlyHarmlessUndo(IObjectCreationOperation creation)
    {
        if (creation.Type is not INamedTypeSymbol type || creation.Constructor is not { } constructor ||
            type.OriginalDefinition.DeclaringSyntaxReferences.Length == 0 ||
            undoDelegates.GetOrAdd(type.OriginalDefinition, DelegatesDisposeRuns) is not { IsDefaultOrEmpty: false } fields)
        {
            return false;
        }

        if (DeclarationOf(Implementation(constructor.OriginalDefinition)) is not { Initializer: null } declaration)
        {
            return false;
        }

        foreach (var field in fields)
        {
            // The field must come from a parameter of this constructor, and the creation must give that parameter a lambda.
            var from = declaration.DescendantNodes().OfType<AssignmentExpressionSyntax>()
                .Where(assignment => NameOf(assignment.Left) == field)
                .Select(assignment => assignment.Right as IdentifierNameSyntax)
                .ToList();
            if (from.Count != 1 || from[0] is not { } parameterName)
            {
                return false;
            }

            var argument = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameterName.Identifier.ValueText);
            if (Operations.SkipConversions(argument?.Value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } ||
                !ReleasesNothing(lambda))
            {
                return false;
            }
        }

        return true;

        bool ReleasesNothing(IAnonymousFunctionOperation lambda) =>
            lambda.Body.Descendants().All(operation => operation is not IInvocationOperation call ||
                (call.TargetMethod.MethodKind != MethodKind.DelegateInvoke &&
                 !IsReleaseName(call.TargetMethod.Name) &&
                 (!SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingAssembly, compilation.Assembly) || ReleasesNothingItself(call.TargetMethod))));

        // `() => Remove(item)`: a method of this compilation that cannot be overridden and reaches no release call.
        static bool ReleasesNothingItself(IMethodSymbol method) =>
            !method.IsVirtual && !method.IsAbstract && !method.IsOverride && method.DeclaringSyntaxReferences.Length > 0 &&
            !Reaches(method.OriginalDefinition, invocation => CalledName(invocation) is { } name && IsReleaseName(name), skipCatchesAndLambdas: false,
                     new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
    }

    private static string? CalledName(InvocationExpressionSyntax invocation) =>
        invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };

    private static bool IsReleaseName(string name) =>
        name is "Dispose" or "DisposeAsync" or "Close" or "CloseAsync" or "Cancel" or "Return" or "Stop" or "Abort" ||
        name.StartsWith("Free", StringComparison.Ordinal) || name.StartsWith("Release", StringComparison.Ordinal);

    /// <summary>
    /// For a class whose every parameterless Dispose only invokes delegate fields (and sets flags or returns early),
    /// and which no subclass can change (sealed, or a Dispose that is not virtual): those fields' names. Empty for
    /// anything else.
    /// </summary>
    private static ImmutableArray<string> DelegatesDisposeRuns(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class)
        {
            return ImmutableArray<string>.Empty;
        }

        var delegates = type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && f.Type.TypeKind == TypeKind.Delegate).Select(f => f.Name).ToImmutableHashSet();
        var invoked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => IsDisposeMethod(m) && m.Parameters.Length == 0))
        {
            if (!type.IsSealed && (method.IsVirtual || method.IsOverride || method.IsAbstract))
            {
                return ImmutableArray<string>.Empty;
            }

            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                if (Body(reference.GetSyntax()) is not { } body)
                {
                    return ImmutableArray<string>.Empty;
                }

                foreach (var invocation in body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
                {
                    // close(), close?.Invoke(), this.close.Invoke()
                    var name = invocation.Expression switch
                    {
                        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var member } => member.Identifier.ValueText,
                        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Invoke", Expression: var target } => NameOf(target),
                        MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Invoke" } when invocation.Parent is ConditionalAccessExpressionSyntax access => NameOf(access.Expression),
                        _ => null,
                    };
                    if (name is null || !delegates.Contains(name))
                    {
                        return ImmutableArray<string>.Empty;
                    }

                    invoked.Add(name);
                }
            }
        }

        return invoked.ToImmutableArray();
    }

    /// <summary>The one declaration of a source constructor; null for an implicit or a partial one.</summary>
    private static ConstructorDeclarationSyntax? DeclarationOf(IMethodSymbol constructor) =>
        constructor.DeclaringSyntaxReferences.Length == 1 ? constructor.DeclaringSyntaxReferences[0].GetSyntax() as ConstructorDeclarationSyntax : null;

    /// <summary>
    /// A subclass constructor that sets nothing of the guard and chains <c>: base(...)</c> to a base constructor
    /// that neither sets the guarded member nor chains further: the guard keeps its initial "off" value.
    /// </summary>
    private static bool BaseConstructorLeavesOff(IMethodSymbol constructor, IMethodSymbol? baseConstructor, DisposeGuard guard) =>
        guard.Initial == false && constructor.OriginalDefinition.DeclaringSyntaxReferences.Length == 1 &&
        constructor.OriginalDefinition.DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax
        {
            Initializer.ThisOrBaseKeyword.RawKind: (int)SyntaxKind.BaseKeyword,
        } declaration &&
        !Sets(declaration, guard.Name) &&
        baseConstructor is { MethodKind: MethodKind.Constructor } && baseConstructor.OriginalDefinition.DeclaringSyntaxReferences.Length == 1 &&
        baseConstructor.OriginalDefinition.DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax { Initializer: null } target &&
        !Sets(target, guard.Name);

    private static bool Sets(ConstructorDeclarationSyntax declaration, string member) =>
        declaration.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(assignment => NameOf(assignment.Left) == member);

    /// <summary>
    /// Whether the constructor a <c>this(...)</c> initializer calls (the only one of the type with that many
    /// parameters) sets the guard from a parameter that the initializer passes as "off": a <c>false</c> or <c>null</c>
    /// literal, or a parameter of the chaining constructor that this creation passes as one.
    /// </summary>
    private static bool ChainedLeavesOff(INamedTypeSymbol type, ConstructorInitializerSyntax chained, DisposeGuard guard, IObjectCreationOperation creation)
    {
        var count = chained.ArgumentList.Arguments.Count;
        var targets = type.InstanceConstructors.Where(c => c.Parameters.Length == count && !c.Parameters.Any(p => p.IsParams)).ToList();
        if (targets.Count != 1 || targets[0].DeclaringSyntaxReferences.Length != 1 ||
            targets[0].DeclaringSyntaxReferences[0].GetSyntax() is not ConstructorDeclarationSyntax { Initializer: null or { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.BaseKeyword } } target)
        {
            return false;
        }

        var sets = target.DescendantNodes().OfType<AssignmentExpressionSyntax>().Where(assignment => NameOf(assignment.Left) == guard.Name).ToList();
        if (sets.Count != 1 || sets[0].Right is not IdentifierNameSyntax { Identifier.ValueText: var from } ||
            targets[0].Parameters.FirstOrDefault(p => p.Name == from) is not { } parameter ||
            chained.ArgumentList.Arguments[parameter.Ordinal] is not { NameColon: null } passed)
        {
            return false;
        }

        if (guard.IsOff(passed.Expression))
        {
            return true;
        }

        // Passed on from the chaining constructor's own parameter: what this creation gives it.
        return passed.Expression is IdentifierNameSyntax { Identifier.ValueText: var forwarded } &&
               creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == forwarded) is { } argument &&
               guard.IsOff(argument.Value);
    }

    /// <summary>
    /// The member every Dispose, DisposeAsync and Close of <paramref name="type"/> tests before it releases anything
    /// (see <see cref="GuardOf"/>): <c>x</c> for a flag that allows the release, <c>!x</c> for one that stops it,
    /// <c>?x</c> for a member tested against null. Null when a release is not guarded, or there is a finalizer.
    /// </summary>
    private static string? GuardName(INamedTypeSymbol type)
    {
        string? guard = null;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            if (method.MethodKind == MethodKind.Destructor)
            {
                // `~Storage() { Dispose(); }` runs the guarded Dispose, guard and all.
                if (method.DeclaringSyntaxReferences.All(r => OnlyCallsDispose(r.GetSyntax())))
                {
                    continue;
                }

                return null;
            }

            if (!IsDisposeMethod(method))
            {
                continue;
            }

            foreach (var reference in Implementation(method).DeclaringSyntaxReferences)
            {
                switch (Body(reference.GetSyntax()))
                {
                    case BlockSyntax block when OnlyDelegates(block):
                        continue;
                    case BlockSyntax block when GuardOf(block, type) is { } found && (guard is null || guard == found):
                        guard = found;
                        continue;
                    case ArrowExpressionClauseSyntax { Expression: ConditionalAccessExpressionSyntax { Expression: var receiver } }
                        when IsMember(NameOf(receiver), type) && (guard is null || guard == "?" + NameOf(receiver)):
                        guard = "?" + NameOf(receiver); // Dispose() => owner?.Dispose();
                        continue;
                    default:
                        return null;
                }
            }
        }

        return guard;
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> selfEnding = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A source class that looks after its own lifetime: every constructor hands <c>this</c> to another object (it
    /// registers itself: <c>Id = registry.Add(this)</c>), and a method of its own other than Dispose ends it
    /// (<c>OnMessage(m) { tcs.TrySetResult(m); Dispose(); }</c>, not in a catch or a lambda). Whatever registered it
    /// keeps it until that method runs; the code that wrote <c>new</c> only starts it, as with a future or a pending
    /// request that removes itself when answered.
    /// </summary>
    internal bool EndsItself(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, DeclaringSyntaxReferences.Length: > 0 } named &&
        selfEnding.GetOrAdd(named.OriginalDefinition, ComputeEndsItself);

    private static bool ComputeEndsItself(INamedTypeSymbol type)
    {
        var constructors = type.InstanceConstructors.Where(c => c.DeclaringSyntaxReferences.Length > 0).ToList();
        if (constructors.Count == 0 || !constructors.All(HandsItselfOver))
        {
            return false;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary } method && !IsDisposeMethod(method) &&
                method.DeclaringSyntaxReferences.Length > 0 &&
                Reaches(method, IsDisposeCallOnThis, skipCatchesAndLambdas: true, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)))
            {
                return true;
            }
        }

        return false;

        // `registry.Add(this)`, `Id = _registry.Register(this)`: `this` is an argument of a call on another object.
        static bool HandsItselfOver(IMethodSymbol constructor) =>
            constructor.DeclaringSyntaxReferences.Any(reference =>
                Body(reference.GetSyntax()) is { } body &&
                body.DescendantNodes(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                    .OfType<ArgumentSyntax>()
                    .Any(argument => argument.Expression is ThisExpressionSyntax && argument.Parent?.Parent is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: not ThisExpressionSyntax } }));
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> selfDisposingOnClose = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A source form that disposes itself when its window goes away: an override of <c>DestroyHandle</c>,
    /// <c>OnHandleDestroyed</c>, <c>OnClosed</c> or <c>OnFormClosed</c> (its own or a source base's) that calls its own
    /// <c>Dispose()</c>. Shown modally too, it ends its own life when it is closed.
    /// </summary>
    internal bool DisposesItselfWhenClosed(ITypeSymbol? type) =>
        type is INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } named &&
        selfDisposingOnClose.GetOrAdd(named.OriginalDefinition, ComputeDisposesItselfWhenClosed);

    private static bool ComputeDisposesItselfWhenClosed(INamedTypeSymbol type)
    {
        for (var current = type; current is { DeclaringSyntaxReferences.Length: > 0 }; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IMethodSymbol { IsOverride: true, Name: "DestroyHandle" or "OnHandleDestroyed" or "OnClosed" or "OnFormClosed" } method)
                {
                    continue;
                }

                foreach (var reference in method.DeclaringSyntaxReferences)
                {
                    if (Body(reference.GetSyntax()) is { } body &&
                        body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call =>
                            call.ArgumentList.Arguments.Count == 0 &&
                            call.Expression is IdentifierNameSyntax { Identifier.ValueText: "Dispose" } or
                                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" }))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private readonly ConcurrentDictionary<INamedTypeSymbol, string?> releaseGuards = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// <c>if (!handle.IsSet) return null;</c> where the type's Dispose starts with <c>if (IsSet)</c>: whether an object
    /// of a source class or struct releases nothing when <paramref name="test"/> (a bool member of it) is true (true)
    /// or when it is false (false). Null when the member is not what its Dispose tests.
    /// </summary>
    internal bool? ReleasesNothingWhen(IMemberReferenceOperation test)
    {
        if (test is not { Member: IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false, Parameters.Length: 0 }, Type.SpecialType: SpecialType.System_Boolean } ||
            test.Member.ContainingType is not { DeclaringSyntaxReferences.Length: > 0 } type || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) ||
            type.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) } ||
            releaseGuards.GetOrAdd(type.OriginalDefinition, GuardName) is not { } guard)
        {
            return null;
        }

        return guard == test.Member.Name ? false : guard == "!" + test.Member.Name ? true : null;
    }

    private static DisposeGuard? FindGuard(INamedTypeSymbol type)
    {
        // A Stream subclass too: the base Stream releases nothing, so `base.Close()` adds nothing to the guarded release.
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsRecord ||
            (type.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) } baseType &&
             SymbolNames.FullMetadataName(baseType) != "System.IO.Stream"))
        {
            return null;
        }

        var guard = GuardName(type);
        if (guard is null)
        {
            return null;
        }

        // The guard is a bool field (or, for a null test, a reference field) that only the type can set, or a get-only
        // auto-property; only constructors set it. Its value "off" is false, or null; for a flag that stops the release
        // when set (`if (leaveOpen) return;`), true.
        var nullTest = guard[0] == '?';
        var stopsRelease = guard[0] == '!';
        var name = nullTest || stopsRelease ? guard.Substring(1) : guard;
        bool IsOffValue(ExpressionSyntax value) => stopsRelease ? value.IsKind(SyntaxKind.TrueLiteralExpression) : IsOff(value, nullTest);
        // A flag's default, false, releases when the flag stops the release.
        bool? initial = stopsRelease ? null : false;
        switch (type.GetMembers(name).FirstOrDefault())
        {
            case IFieldSymbol { IsStatic: false } field when (nullTest ? CanBeNull(field.Type) : field.Type.SpecialType == SpecialType.System_Boolean) &&
                                                             (field.IsReadOnly || field.DeclaredAccessibility == Accessibility.Private ||
                                                              // A struct's copy made by `new S()` holds default fields; what is
                                                              // written into another copy later is that copy's to release.
                                                              type.TypeKind == TypeKind.Struct):
                foreach (var reference in field.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: var value })
                    {
                        initial = IsOffValue(value) ? false : null;
                    }
                }

                break;
            case IPropertySymbol { IsStatic: false, SetMethod: null } property when nullTest ? CanBeNull(property.Type) : property.Type.SpecialType == SpecialType.System_Boolean:
                foreach (var reference in property.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is not PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors } declaration ||
                        accessors.Accessors.Any(accessor => accessor.Body is not null || accessor.ExpressionBody is not null))
                    {
                        return null; // not an auto-property: its getter may compute anything
                    }

                    if (declaration.Initializer is { Value: var value })
                    {
                        initial = IsOffValue(value) ? false : null;
                    }
                }

                break;
            default:
                return null;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var assignment in reference.GetSyntax().DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (NameOf(assignment.Left) == name && assignment.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is null &&
                    !(nullTest && IsOff(assignment.Right, nullTest: true) && assignment.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method &&
                      IsDisposeName(method.Identifier.ValueText)))
                {
                    return null;
                }
            }
        }

        return new DisposeGuard(name, nullTest, stopsRelease, initial);
    }

    private static bool IsDisposeName(string name) => name is "Dispose" or "DisposeAsync" or "Close";

    /// <summary>A reference, or a native handle (<c>IntPtr</c>, <c>nint</c>) whose zero plays the part of null.</summary>
    private static bool CanBeNull(ITypeSymbol type) =>
        type.IsReferenceType || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    /// <summary>The value that leaves a guard off: <c>false</c> for a flag, <c>null</c> or <c>default</c> for a null test.</summary>
    private static bool IsOff(ExpressionSyntax value, bool nullTest) =>
        nullTest ? IsNullish(value) : value.IsKind(SyntaxKind.FalseLiteralExpression);

    /// <summary><c>null</c>, <c>default</c>, <c>default(T)</c>, <c>IntPtr.Zero</c>: the empty value of a reference or a handle.</summary>
    private static bool IsNullish(ExpressionSyntax value) =>
        Unparenthesize(value) switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression, Operand: var operand } => IsNullish(operand),
            LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.NullLiteralExpression) || literal.IsKind(SyntaxKind.DefaultLiteralExpression),
            DefaultExpressionSyntax => true,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero", Expression: var holder } =>
                holder is IdentifierNameSyntax { Identifier.ValueText: "IntPtr" or "UIntPtr" or "nint" or "nuint" } or
                    PredefinedTypeSyntax or
                    QualifiedNameSyntax { Right.Identifier.ValueText: "IntPtr" or "UIntPtr" } or
                    MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IntPtr" or "UIntPtr" },
            _ => false,
        };

    /// <summary>Dispose() { Dispose(true); GC.SuppressFinalize(this); }: only calls the type's other Dispose.</summary>
    private static bool OnlyDelegates(BlockSyntax block) =>
        block.Statements.All(statement => statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation } &&
            invocation.Expression switch
            {
                IdentifierNameSyntax { Identifier.ValueText: "Dispose" or "DisposeAsync" } => true,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" or "DisposeAsync" } => true,
                MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "GC" }, Name.Identifier.ValueText: "SuppressFinalize" } => true,
                _ => false,
            });

    /// <summary>
    /// The member a Dispose body tests before doing anything: <c>if (!flag) return;</c> (or <c>if (pool == null)
    /// return;</c>) first, or every statement an <c>if</c> without else whose condition is the flag (or
    /// <c>pool != null</c>), alone or and-ed with something else, or a call through <c>pool?.</c>; statements that
    /// only copy or clear values may come first. A null test is named <c>?member</c>.
    /// </summary>
    private static string? GuardOf(BlockSyntax block, INamedTypeSymbol type)
    {
        var statements = block.Statements.SkipWhile(IsNeutral).ToList();
        if (statements.Count == 0)
        {
            return null;
        }

        if (statements[0] is IfStatementSyntax { Else: null } first &&
            (first.Statement is ReturnStatementSyntax { Expression: null } ||
             (first.Statement is BlockSyntax { Statements.Count: 1 } only && only.Statements[0] is ReturnStatementSyntax { Expression: null })) &&
            Negated(first.Condition, type) is { } returned)
        {
            return returned;
        }

        string? guard = null;
        foreach (var statement in statements)
        {
            if (IsNeutral(statement))
            {
                continue; // `handle = IntPtr.Zero;` after the guarded release
            }

            var name = statement switch
            {
                IfStatementSyntax { Else: null } guarded => Conjunct(guarded.Condition, guard, type),
                ExpressionStatementSyntax { Expression: ConditionalAccessExpressionSyntax { Expression: var receiver } } when IsMember(NameOf(receiver), type) =>
                    "?" + NameOf(receiver),
                _ => null,
            };
            if (name is null || (guard is not null && guard != name))
            {
                return null;
            }

            guard = name;
        }

        return guard;
    }

    /// <summary>
    /// <c>var b = buffer;</c>, <c>buffer = null;</c>: copies and clears, no call; and <c>base.Close()</c> or
    /// <c>base.Dispose(disposing)</c>, whose base (object, a struct's, <c>Stream</c>) releases nothing.
    /// </summary>
    private static bool IsNeutral(StatementSyntax statement) =>
        statement switch
        {
            ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax, Name.Identifier.ValueText: "Dispose" or "Close" } } } => true,
            LocalDeclarationStatementSyntax declaration => !declaration.DescendantNodes().Any(node => node is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AwaitExpressionSyntax),
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: var right } } =>
                right is LiteralExpressionSyntax or IdentifierNameSyntax or DefaultExpressionSyntax || IsNullish(right),
            _ => false,
        };

    /// <summary><c>!flag</c> or <c>member == null</c> / <c>member is null</c>: the guard whose absence ends Dispose.</summary>
    private static string? Negated(ExpressionSyntax condition, INamedTypeSymbol type)
    {
        condition = Unparenthesize(condition);
        switch (condition)
        {
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var operand } when IsMember(NameOf(operand), type):
                return NameOf(operand);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax when IsMember(NameOf(condition), type):
                // `if (leaveOpen) return;`: a flag that stops the release.
                return "!" + NameOf(condition);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals when NullTested(equals.Left, equals.Right, type) is { } tested:
                return "?" + tested;
            case IsPatternExpressionSyntax { Pattern: ConstantPatternSyntax { Expression: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } } } pattern
                when IsMember(NameOf(pattern.Expression), type):
                return "?" + NameOf(pattern.Expression);
            default:
                return null;
        }
    }

    /// <summary>The member name among the and-ed terms of <paramref name="condition"/> (the one named <paramref name="expected"/>, when given).</summary>
    private static string? Conjunct(ExpressionSyntax condition, string? expected, INamedTypeSymbol type)
    {
        condition = Unparenthesize(condition);
        string? name;
        switch (condition)
        {
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and:
                return Conjunct(and.Left, expected, type) ?? Conjunct(and.Right, expected, type);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } notEquals when NullTested(notEquals.Left, notEquals.Right, type) is { } tested:
                name = "?" + tested;
                break;
            case IsPatternExpressionSyntax { Pattern: UnaryPatternSyntax { Pattern: ConstantPatternSyntax { Expression: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } } } } notNull
                when IsMember(NameOf(notNull.Expression), type):
                name = "?" + NameOf(notNull.Expression);
                break;
            case IsPatternExpressionSyntax { Pattern: RecursivePatternSyntax { Type: null, PositionalPatternClause: null, PropertyPatternClause.Subpatterns.Count: 0 } } notNull
                when IsMember(NameOf(notNull.Expression), type):
                name = "?" + NameOf(notNull.Expression);
                break;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var operand } when IsMember(NameOf(operand), type):
                // `if (!leaveOpen) inner.Dispose();`: a flag that stops the release.
                name = "!" + NameOf(operand);
                break;
            default:
                name = IsMember(NameOf(condition), type) ? NameOf(condition) : null;
                break;
        }

        return name is not null && (expected is null || expected == name) ? name : null;
    }

    private static string? NullTested(ExpressionSyntax left, ExpressionSyntax right, INamedTypeSymbol type) =>
        IsNullish(right) && IsMember(NameOf(left), type) ? NameOf(left) :
        IsNullish(left) && IsMember(NameOf(right), type) ? NameOf(right) :
        null;

    private static bool IsMember(string? name, INamedTypeSymbol type) => name is not null && !type.GetMembers(name).IsEmpty;

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary><c>flag</c> or <c>this.flag</c>: the name of a member of this object.</summary>
    internal static string? NameOf(ExpressionSyntax expression) =>
        Unparenthesize(expression) switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
            _ => null,
        };

    private sealed class DisposeGuard
    {
        internal DisposeGuard(string name, bool nullTest, bool stopsRelease, bool? initial)
        {
            Name = name;
            NullTest = nullTest;
            StopsRelease = stopsRelease;
            Initial = initial;
        }

        internal string Name { get; }

        /// <summary>The guard is a reference member tested against null, not a flag.</summary>
        internal bool NullTest { get; }

        /// <summary>The guard is a flag that stops the release when true (<c>leaveOpen</c>), not one that allows it (<c>owns</c>).</summary>
        internal bool StopsRelease { get; }

        /// <summary>Whether a value written in source leaves the guard off: the release does not run.</summary>
        internal bool IsOff(ExpressionSyntax value) =>
            StopsRelease ? value.IsKind(SyntaxKind.TrueLiteralExpression) : SourceDisposal.IsOff(value, NullTest);

        /// <summary>Whether an argument's value leaves the guard off.</summary>
        internal bool IsOff(IOperation value) =>
            NullTest ? value.ConstantValue is { HasValue: true, Value: null }
            : value.ConstantValue is { HasValue: true, Value: bool flag } && flag == StopsRelease;

        /// <summary>False when no constructor setting it leaves it off (false, or null); null when its initializer is not off.</summary>
        internal bool? Initial { get; }
    }

    /// <summary>A partial method or constructor declares on one part and has its body on the other.</summary>
    private static IMethodSymbol Implementation(IMethodSymbol method) => method.PartialImplementationPart ?? method;

    private static SyntaxNode? Body(SyntaxNode declaration) =>
        declaration switch
        {
            BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
}
