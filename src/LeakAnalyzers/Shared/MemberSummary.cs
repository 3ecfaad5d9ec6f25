namespace LeakAnalyzers.Shared;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

/// <summary>What a source member hands its caller, as ownership goes.</summary>
internal enum ReturnedValue
{
    /// <summary>Cannot be told (a mix, a framework call, an iterator, a value we do not follow).</summary>
    Unknown,

    /// <summary>Null, default, or a value that needs no disposal.</summary>
    Nothing,

    /// <summary>A new object that only the caller holds: the caller must dispose it.</summary>
    Owned,

    /// <summary>Something the member's object (or a static, or a cache) keeps: lent, the caller must not dispose it.</summary>
    Kept,

    /// <summary><c>this</c>: a fluent call returns its receiver.</summary>
    Self,

    /// <summary>One of its parameters (<see cref="ReturnFact.Parameter"/>): the result is the argument itself.</summary>
    Parameter,
}

/// <summary>What a source member returns, with the parameter it returns when it returns one.</summary>
internal readonly struct ReturnFact
{
    internal ReturnFact(ReturnedValue kind, int parameter = -1, bool takesFromReceiver = false)
    {
        Kind = kind;
        Parameter = parameter;
        TakesFromReceiver = takesFromReceiver;
    }

    /// <summary>
    /// An owned result that takes over a resource its receiver holds (<c>Stream GetStream() =&gt; new NetworkStream(socket,
    /// ownsSocket: true)</c>): what the receiver owned leaves with the result.
    /// </summary>
    internal bool TakesFromReceiver { get; }

    internal ReturnedValue Kind { get; }

    internal int Parameter { get; }

    internal static ReturnFact Unknown => new(ReturnedValue.Unknown);

    public override string ToString() => Kind == ReturnedValue.Parameter ? $"Parameter({Parameter})" : Kind.ToString();
}

/// <summary>What a source member does with a value passed to one of its parameters.</summary>
internal enum ParameterUse
{
    /// <summary>Cannot be told: stored somewhere we do not follow, captured, handed to an unknown callee.</summary>
    Unknown,

    /// <summary>Only read: the caller still owns it.</summary>
    Borrowed,

    /// <summary>Disposed (or closed) by the member, on some path.</summary>
    Disposed,

    /// <summary>Stored in a member of its own object that the object disposes: ownership moves to the object.</summary>
    Owned,

    /// <summary>Wrapped in a new object the member returns, which owns it (<c>s =&gt; new StreamReader(s)</c>).</summary>
    OwnedByResult,

    /// <summary>Returned as it is: the result is the argument.</summary>
    Returned,

    /// <summary>
    /// Kept, without being owned, by what the call produces: the object a constructor builds, or the object the
    /// member returns (<c>Pair.Create(a, b)</c>). The caller still owns it; it leaves with that object.
    /// </summary>
    Kept,

    /// <summary>Written to an out or ref parameter (<see cref="ParameterFact.Output"/>): the caller gets it back there.</summary>
    WrittenToOutput,
}

/// <summary>
/// What a source member does with one parameter; for <see cref="ParameterUse.Owned"/>, the bool parameter that can
/// say otherwise (<c>leaveOpen</c>, <c>ownsStream</c>) and the value with which the caller keeps ownership.
/// </summary>
internal readonly struct ParameterFact
{
    internal ParameterFact(ParameterUse use, string? flag = null, bool flagValueThatKeepsOwnership = false, int output = -1, bool hidden = false)
    {
        Output = output;
        Hidden = hidden;
        Use = use;
        Flag = flag;
        FlagValueThatKeepsOwnership = flagValueThatKeepsOwnership;
    }

    internal ParameterUse Use { get; }

    internal string? Flag { get; }

    internal bool FlagValueThatKeepsOwnership { get; }

    /// <summary>
    /// For <see cref="ParameterUse.Kept"/>: the member that keeps it is private and never returned by a non-private
    /// member, so nothing outside the keeping object can ever reach the value to dispose it.
    /// </summary>
    internal bool Hidden { get; }

    /// <summary>For <see cref="ParameterUse.WrittenToOutput"/>, the ordinal of the out or ref parameter.</summary>
    internal int Output { get; }

    public override string ToString() => Flag is null ? Use.ToString() : $"{Use} unless {Flag} is {FlagValueThatKeepsOwnership}";
}

/// <summary>
/// The ownership summary of one source member (method, local function, accessor, constructor, operator): what it
/// returns, what it does with each parameter, and which out or ref parameters it fills with a new owned value.
/// Computed once per compilation by <see cref="SourceOwnership"/>, from the member's IOperation body.
/// </summary>
internal sealed class MemberSummary
{
    private readonly System.Lazy<bool>? takesFromReceiver;

    private readonly System.Lazy<bool>? storesReceiverElsewhere;

    internal MemberSummary(ReturnFact returns, ImmutableArray<ParameterFact> parameters, ImmutableArray<bool> writesOwned, System.Func<bool>? takesFromReceiver = null, bool returnsNewObject = false, System.Func<bool>? storesReceiverElsewhere = null)
    {
        ReturnsNewObject = returnsNewObject;
        this.storesReceiverElsewhere = storesReceiverElsewhere is null ? null : new System.Lazy<bool>(storesReceiverElsewhere);
        Returns = returns;
        Parameters = parameters;
        WritesOwned = writesOwned;
        this.takesFromReceiver = takesFromReceiver is null ? null : new System.Lazy<bool>(takesFromReceiver);
    }

    internal ReturnFact Returns { get; }

    /// <summary>
    /// Every return is an object made by the member (<c>var p = new Prop(); ...; return p;</c>), whoever else it was
    /// shown to: a new object, not one kept from before, even when <see cref="Returns"/> cannot say the caller alone owns it.
    /// </summary>
    internal bool ReturnsNewObject { get; }

    /// <summary>
    /// The member stores its own object in another one (<c>Prev = new Node(name); Prev.Next = this; return Prev;</c>)
    /// and returns a value: what it returns may keep the receiver, which then leaves with the result. Read from the
    /// member's body (and the methods it calls on its object) only when asked: few callers need it.
    /// </summary>
    internal bool StoresReceiverElsewhere => storesReceiverElsewhere?.Value ?? false;

    /// <summary>
    /// The owned result carries resources its receiver holds (<see cref="ReturnFact.TakesFromReceiver"/>). Read from
    /// the constructors the member's results call only when asked: most callers want only what kind of value it is.
    /// </summary>
    internal bool ReturnsReceiverResources => Returns.TakesFromReceiver || (takesFromReceiver?.Value ?? false);

    /// <summary>By parameter ordinal.</summary>
    internal ImmutableArray<ParameterFact> Parameters { get; }

    /// <summary>By parameter ordinal: an out or ref parameter that always receives a new owned value (or null).</summary>
    internal ImmutableArray<bool> WritesOwned { get; }

    internal ParameterFact Parameter(int ordinal) =>
        ordinal >= 0 && ordinal < Parameters.Length ? Parameters[ordinal] : new ParameterFact(ParameterUse.Unknown);

    internal bool Writes(int ordinal) => ordinal >= 0 && ordinal < WritesOwned.Length && WritesOwned[ordinal];

    internal static MemberSummary Unknown(IMethodSymbol method)
    {
        var parameters = ImmutableArray.CreateBuilder<ParameterFact>(method.Parameters.Length);
        var writes = ImmutableArray.CreateBuilder<bool>(method.Parameters.Length);
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            parameters.Add(new ParameterFact(ParameterUse.Unknown));
            writes.Add(false);
        }

        return new MemberSummary(ReturnFact.Unknown, parameters.MoveToImmutable(), writes.MoveToImmutable());
    }
}
