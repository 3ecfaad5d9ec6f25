namespace LeakAnalyzers.Runtime;

/// <summary>One object on a retention path, and how the previous one refers to it.</summary>
public sealed class RetentionStep
{
    internal RetentionStep(string? via, string description, string typeName, ulong address)
    {
        Via = via;
        Description = description;
        TypeName = typeName;
        Address = address;
    }

    /// <summary>
    /// How the previous object (or the root, for the first step) holds this one: <c>field _items</c>, <c>item [3]</c>,
    /// <c>value for key "a"</c>, <c>handler [1]</c>, <c>target</c>, <c>captured this</c>, <c>event Changed</c>.
    /// <see langword="null"/> for the first step.
    /// </summary>
    public string? Via { get; }

    /// <summary>The object as a person reads it, for example <c>EventHandler → ViewModel.OnChanged</c> or <c>closure of a lambda in ViewModel.Subscribe</c>.</summary>
    public string Description { get; }

    /// <summary>The runtime's full name of the object's type.</summary>
    public string TypeName { get; }

    /// <summary>The object's address in the heap at capture time (for cross-checking with a debugger).</summary>
    public ulong Address { get; }

    /// <inheritdoc/>
    public override string ToString() => Via is null ? Description : $"{Via}: {Description}";
}
