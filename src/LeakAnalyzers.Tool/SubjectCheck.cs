namespace LeakAnalyzers.Tool;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LeakAnalyzers.Runtime;
using LeakAnalyzers.Runtime.Internal;

internal enum ConfirmStatus
{
    Confirmed,
    NotObserved,
    CannotTell,
}

/// <summary>What a finding names that can be watched at run time, derived from its message, properties and source line.</summary>
internal enum SubjectKind
{
    /// <summary>Nothing: the rule's subject is not on the managed heap, or could not be named.</summary>
    None,

    /// <summary>A static event and its subscribers (LEAK1xx on a static publisher).</summary>
    StaticEvent,

    /// <summary>A static collection and its count (LEAK2xx).</summary>
    StaticCollection,

    /// <summary>A static field holding a delegate and its target (LEAK3xx kept by a static member).</summary>
    StaticDelegate,

    /// <summary>Instances of a type kept through a timer's callback (LEAK301's timer cycle), a closure or an event.</summary>
    RetainedInstances,

    /// <summary>Live instances of an undisposed type, or of a type holding one in a field (LEAK0xx).</summary>
    UndisposedInstances,
}

/// <summary>One finding of the SARIF log, the subject it names, and what the heap showed of it.</summary>
internal sealed partial class SubjectCheck
{
    private readonly long?[] amounts = new long?[2];
    private string evidence = string.Empty;
    private RetentionPath? path;

    internal SubjectCheck(Finding finding)
    {
        Finding = finding;
        Derive();
    }

    internal Finding Finding { get; }

    internal SubjectKind Kind { get; private set; }

    /// <summary>The type that declares the static member, or whose instances are watched (short name, as in messages).</summary>
    internal string? TypeName { get; private set; }

    /// <summary>The static member, or the field of an instance that holds the undisposed object.</summary>
    internal string? Member { get; private set; }

    /// <summary>For events: the subscriber's type; for collections: the collection's type, as the message shows them.</summary>
    internal string? Detail { get; private set; }

    /// <summary>The family the retention path must show for instances (closures for timers and lambdas, events for subscribers).</summary>
    internal LeakFamily Expected { get; private set; }

    internal string Subject { get; private set; } = string.Empty;

    internal ConfirmStatus Status { get; private set; } = ConfirmStatus.CannotTell;

    internal string Why { get; private set; } = string.Empty;

    internal void Observe(HeapDump dump, int sample)
    {
        switch (Kind)
        {
            case SubjectKind.StaticEvent:
            case SubjectKind.StaticDelegate:
            case SubjectKind.StaticCollection:
                ObserveStatic(dump, sample);
                break;
            case SubjectKind.RetainedInstances:
            case SubjectKind.UndisposedInstances:
                ObserveInstances(dump, sample);
                break;
        }

        Decide();
    }

    internal void Write(TextWriter output, bool measuredGrowth)
    {
        string status = Status switch
        {
            ConfirmStatus.Confirmed => "confirmed",
            ConfirmStatus.NotObserved => "not observed",
            _ => "cannot tell",
        };
        output.WriteLine($"{Finding.RuleId} {Finding.Location}: {status}");
        output.WriteLine($"  finding: {Finding.Message}");
        if (Subject.Length > 0)
        {
            output.WriteLine($"  watched: {Subject}");
        }

        if (evidence.Length > 0)
        {
            string growth = measuredGrowth && amounts[0] is long a && amounts[1] is long b
                ? string.Create(CultureInfo.InvariantCulture, $"; {(b > a ? "grows" : "does not grow")}: {a:N0} → {b:N0}")
                : string.Empty;
            output.WriteLine($"  seen: {evidence}{growth}");
        }

        output.WriteLine($"  {Why}");
        if (path is not null && Status == ConfirmStatus.Confirmed)
        {
            output.WriteLine("  retention path:");
            foreach (string line in path.ToString().Split('\n'))
            {
                output.WriteLine("    " + line.TrimEnd('\r'));
            }
        }
    }

    private void Derive()
    {
        string message = Finding.Message;
        string rule = Finding.RuleId;
        Match subscriber = ThisType().Match(message);
        if (rule.StartsWith("LEAK1", StringComparison.Ordinal) && rule != "LEAK103")
        {
            Match staticEvent = StaticEvent().Match(message);
            if (staticEvent.Success)
            {
                Set(SubjectKind.StaticEvent, staticEvent.Groups["type"].Value, staticEvent.Groups["member"].Value, subscriber.Success ? subscriber.Groups["type"].Value : null, LeakFamily.EventSubscription);
                Subject = $"the static event {TypeName}.{Member} and its {(Detail is null ? string.Empty : Detail + " ")}subscribers";
            }
            else if (subscriber.Success)
            {
                Set(SubjectKind.RetainedInstances, subscriber.Groups["type"].Value, null, null, LeakFamily.EventSubscription);
                Subject = $"live {TypeName} instances held through an event";
            }
        }
        else if (rule is "LEAK201" or "LEAK202" or "LEAK203")
        {
            Match collection = StaticCollection().Match(message);
            if (collection.Success)
            {
                Set(SubjectKind.StaticCollection, SourceFacts.EnclosingType(Finding.File, Finding.Line), collection.Groups["field"].Value, collection.Groups["type"].Success ? collection.Groups["type"].Value : null, LeakFamily.StaticCollection);
                Subject = $"the static {(Detail is null ? string.Empty : Detail + " ")}{(TypeName is null ? string.Empty : TypeName + ".")}{Member} and its count";
            }
        }
        else if (rule == "LEAK301")
        {
            Match member = StaticMember().Match(message);
            if ((message.Contains("System.Threading.Timer", StringComparison.Ordinal) || message.Contains("held by the timer", StringComparison.Ordinal) ||
                 message.Contains("Rx timer subscription", StringComparison.Ordinal)) &&
                subscriber.Success && !member.Success)
            {
                Set(SubjectKind.RetainedInstances, subscriber.Groups["type"].Value, null, "timer", LeakFamily.Closure);
                Subject = $"live {TypeName} instances held through a timer's callback";
            }
            else if (member.Success)
            {
                Set(SubjectKind.StaticDelegate, member.Groups["type"].Value, member.Groups["member"].Value, null, LeakFamily.Closure);
                Subject = $"the static {TypeName}.{Member} and the target of the delegate it holds";
            }
            else if (subscriber.Success)
            {
                Set(SubjectKind.RetainedInstances, subscriber.Groups["type"].Value, null, null, LeakFamily.Closure);
                Subject = $"live {TypeName} instances held through a delegate";
            }
        }
        else if (rule == "LEAK003")
        {
            Match field = CreatedBy().Match(message);
            if (field.Success)
            {
                Set(SubjectKind.UndisposedInstances, field.Groups["owner"].Value, field.Groups["field"].Value, null, LeakFamily.None);
                Subject = $"live {TypeName} instances holding an object in '{Member}'";
            }
        }
        else if (rule is "LEAK001" or "LEAK002" or "LEAK004")
        {
            string? created = SourceFacts.CreatedType(Finding.File, Finding.Line);
            if (created is not null)
            {
                Set(SubjectKind.UndisposedInstances, created, null, null, LeakFamily.None);
                Subject = $"live {TypeName} instances";
            }
        }

        if (Kind == SubjectKind.None)
        {
            Why = rule switch
            {
                "LEAK103" => "A removal that removes nothing leaves no trace on the heap to watch.",
                _ when rule.StartsWith("LEAK4", StringComparison.Ordinal) => "Unmanaged memory and handles are not on the managed heap, which is what dotnet-leaks reads.",
                "LEAK302" => "A closure that keeps a local it does not use looks, on the heap, like one that uses it: nothing tells the two apart.",
                _ => "The finding names nothing dotnet-leaks can find on the heap (its message and source line name no static member or type it recognises).",
            };
        }
    }

    private void Set(SubjectKind kind, string? type, string? member, string? detail, LeakFamily expected)
    {
        Kind = kind;
        TypeName = type;
        Member = member;
        Detail = detail;
        Expected = expected;
    }

    private void ObserveStatic(HeapDump dump, int sample)
    {
        string? declaring = TypeName;
        IReadOnlyList<StaticFieldValue> values = HeapQueries.Statics(dump, Member!, name => declaring is null || Commands.TypeMatcher(declaring)(name));
        if (Kind == SubjectKind.StaticCollection && Detail is not null && values.Count > 1)
        {
            values = values.Where(v => TypeNames.Short(v.ValueType) == Detail).ToList();
        }

        if (values.Count == 0)
        {
            amounts[sample] = 0;
            evidence = $"{TypeName ?? "a type"}.{Member} holds nothing: it is null, or its type was never initialized in this process";
            path = null;
            return;
        }

        StaticFieldValue value = values[0];
        string owner = $"static {TypeNames.Short(value.DeclaringType)}.{value.Field}";
        if (value.IsDelegate)
        {
            long matching = Detail is null ? value.TargetTypes.Values.Sum() : value.TargetTypes.Where(t => Commands.TypeMatcher(Detail)(t.Key)).Sum(t => t.Value);
            amounts[sample] = matching;
            string targets = value.TargetTypes.Count == 0 ? "no target" : string.Join(", ", value.TargetTypes.OrderByDescending(t => t.Value).Take(4).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value:N0} on {TypeNames.Short(t.Key)}")));
            evidence = string.Create(CultureInfo.InvariantCulture, $"{owner} holds {value.Count:N0} handler(s): {targets}");
        }
        else
        {
            amounts[sample] = value.Count ?? (value.Path is null ? 0 : 1);
            evidence = value.Count is long n
                ? string.Create(CultureInfo.InvariantCulture, $"{owner} is a {TypeNames.Short(value.ValueType)} holding {n:N0} entr{(n == 1 ? "y" : "ies")}")
                : $"{owner} holds {value.Description}";
        }

        path = value.Path;
    }

    private void ObserveInstances(HeapDump dump, int sample)
    {
        InstanceCount found = HeapQueries.Instances(dump, Commands.TypeMatcher(TypeName!), Member);
        RetentionPathGroup? held = found.Groups.FirstOrDefault(g => Expected == LeakFamily.None || Matches(g.Path));
        // For instances held a given way, the live count is what grows; the paths of a sample say whether they are held that way.
        long amount = Kind == SubjectKind.UndisposedInstances && Member is not null ? found.WithField : Expected == LeakFamily.None ? found.Count : HeldThatWay(found);
        amounts[sample] = Kind == SubjectKind.RetainedInstances && amount > 0 ? found.Count : amount;
        path = held?.Path;
        if (found.Count == 0)
        {
            evidence = $"no live {TypeName} instance";
            return;
        }

        evidence = Kind == SubjectKind.UndisposedInstances && Member is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{found.Count:N0} live {TypeName} instance(s), {found.WithField:N0} of them holding an object in '{Member}'")
            : Expected == LeakFamily.None
                ? string.Create(CultureInfo.InvariantCulture, $"{found.Count:N0} live {TypeName} instance(s)")
                : string.Create(CultureInfo.InvariantCulture, $"{found.Count:N0} live {TypeName} instance(s); of the {Math.Min(found.Count, 100):N0} followed, {amount:N0} are held {Way()}");
    }

    private long HeldThatWay(InstanceCount found) => found.Groups.Where(g => Matches(g.Path)).Sum(g => (long)g.Count);

    private bool Matches(RetentionPath candidate) =>
        candidate.Family == Expected && (Detail != "timer" || candidate.Reason.Contains("System.Threading.Timer", StringComparison.Ordinal));

    private string Way() => Detail == "timer" ? "through a timer's callback" : Expected == LeakFamily.EventSubscription ? "through an event subscription" : "through a delegate";

    private void Decide()
    {
        if (Kind == SubjectKind.None)
        {
            return;
        }

        long? first = amounts[0];
        long? last = amounts[1] ?? amounts[0];
        bool measured = amounts[1] is not null;
        bool grows = measured && last > first;
        if (Kind == SubjectKind.UndisposedInstances)
        {
            // The heap cannot show that Dispose was never called; instances that keep piling up can.
            (Status, Why) = last is null or 0
                ? (ConfirmStatus.NotObserved, "Nothing of it is alive now.")
                : grows
                    ? (ConfirmStatus.Confirmed, "They pile up between the two readings: consistent with objects that are never disposed or released.")
                    : (ConfirmStatus.CannotTell, measured
                        ? "They do not pile up between the two readings; whether each was disposed is not visible on the heap."
                        : "Live instances exist; whether they were disposed is not visible on the heap. Run with --interval to see whether they pile up.");
            return;
        }

        if (last is null or 0)
        {
            Status = ConfirmStatus.NotObserved;
            Why = Kind == SubjectKind.RetainedInstances
                ? $"No {TypeName} is held {Way()} now."
                : "The subject holds nothing now, so nothing leaks through it at the moment.";
            return;
        }

        Status = ConfirmStatus.Confirmed;
        Why = Kind switch
        {
            SubjectKind.StaticEvent => $"Subscribers are still attached to the static event: the {Finding.RuleId} finding is happening in this process.",
            SubjectKind.StaticCollection => $"The static collection holds entries: the {Finding.RuleId} finding is happening in this process.",
            SubjectKind.StaticDelegate => $"The static member holds a delegate and its target: the {Finding.RuleId} finding is happening in this process.",
            _ => $"Instances are held the way the {Finding.RuleId} finding says: it is happening in this process.",
        } + (measured ? grows ? " It grows." : " It did not grow between the two readings." : string.Empty);
    }

    [GeneratedRegex(@"the (?:static|process-wide) event '(?<type>[\w.]+)\.(?<member>\w+)'")]
    private static partial Regex StaticEvent();

    [GeneratedRegex(@"this '(?<type>[\w.]+)'")]
    private static partial Regex ThisType();

    // "'Entries' only grows: ..." (the collection's type is not in the message; the older wording named it).
    [GeneratedRegex(@"^(?:The static (?<type>.+?) )?'(?<field>\w+)' (?:only grows|has no bound)")]
    private static partial Regex StaticCollection();

    [GeneratedRegex(@"static (?:field|property|member|event )?'(?<type>[\w.]+)\.(?<member>\w+)'")]
    private static partial Regex StaticMember();

    [GeneratedRegex(@"^'(?<field>\w+)' is created by '(?<owner>[\w.]+)'")]
    private static partial Regex CreatedBy();
}
