namespace LeakAnalyzers.Tests.Meta;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using LeakAnalyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

/// <summary>How long a message may be: what an editor's tooltip shows without making the reader scroll.</summary>
internal static class MessageLength
{
    /// <summary>No message, arguments filled in, is longer.</summary>
    internal const int Max = 140;

    /// <summary>The median message is shorter.</summary>
    internal const int MedianBelow = 110;

    internal static double Median(IEnumerable<int> lengths)
    {
        var sorted = lengths.OrderBy(l => l).ToList();
        Assert.NotEmpty(sorted);
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}

/// <summary>
/// Every descriptor's message, filled with arguments of the kind its analyzer passes (the longer variants of each
/// phrase, names of ordinary length), fits a tooltip. The demo's real messages are checked by
/// <see cref="DemoTests"/>; this covers the variants the demo does not show.
/// </summary>
public sealed class MessageTests
{
    /// <summary>
    /// Representative arguments per rule, as the analyzers word them: first the common case, then longer wordings
    /// the rule also uses. Every variant must fit; the common cases set the median.
    /// </summary>
    private static readonly Dictionary<string, string[][]> Arguments = new(StringComparer.Ordinal)
    {
        ["LEAK001"] =
        [
            ["stream", "never disposed", "its file handle stays open until the finalizer runs"],
            ["response", "not disposed on every path", "its connection is not returned to the pool until it is collected"],
        ],
        ["LEAK002"] =
        [
            ["'File.Create(...)'", "thrown away", "its file handle stays open until the finalizer runs"],
            ["'new StreamReader'", "used only to call 'ReadToEnd'", "the stream it reads stays open until a finalizer runs"],
            ["'source.Subscribe(...)'", "thrown away", "the subscription never ends and the source keeps the observer alive"],
            ["'new CancellationTokenSource'", "only lent to 'new Worker'", "its timer and registrations live until it is collected"],
        ],
        ["LEAK003"] =
        [
            ["writer", "AuditLog", "which is not disposable", "its stream stays open, unflushed"],
            ["connection", "OrderRepository", "which has no Dispose method that disposes it", "the connection is not returned to the pool"],
            ["timer", "Poller", "whose 'DisposeAsync' does not dispose it", "it stays scheduled and keeps its callback alive"],
        ],
        ["LEAK004"] =
        [
            ["current", "FileStream", "its file handle stays open until the finalizer runs"],
            ["connection", "SqlConnection", "the connection is not returned to the pool"],
        ],
        ["LEAK101"] =
        [
            ["'OnTick'", "the static event 'Clock.Tick'", "this 'View' lives until the process ends"],
            ["'OnSettingChanged'", "'Settings.Default.PropertyChanged'", "this 'SettingsView' lives until the process ends"],
            ["'OnPublished'", "the process-wide event 'AppDomain.ProcessExit'", "this 'Worker' lives until the process ends"],
            ["'OnElapsed'", "'timer.Elapsed'", "this 'Poller' lives as long as the timer runs"],
            ["'this'", "'StrongReferenceMessenger.Default' (via 'Register')", "this 'InboxViewModel' lives until the process ends"],
        ],
        ["LEAK102"] =
        [
            ["A lambda", "'bus.MessageReceived'", "this 'InboxViewModel' lives as long as the publisher"],
            ["An anonymous method", "'AppDomain.CurrentDomain.ProcessExit'", "this 'Worker' lives until the process ends"],
        ],
        ["LEAK103"] =
        [
            ["'-='", "a lambda is a new delegate, so 'OnPriceChanged' stays subscribed"],
            ["'-='", "an anonymous method is a new delegate, so the handler that was added stays subscribed"],
            ["'-='", "'OnPublished' is never added to 'Published' in this type, so a lambda stays subscribed"],
            ["'Unregister'", "'this' is never added to 'Unregister' in this type, so 'this' stays subscribed"],
        ],
        ["LEAK104"] =
        [
            ["'OnPriceChanged'", "'MarketFeed.Shared.PriceChanged'"],
            ["A lambda", "the static event 'Clock.Tick'"],
        ],
        ["LEAK105"] =
        [
            ["'OnModelChanged'", "model.PropertyChanged", "every time 'OnAppearing' runs", "MainPage"],
            ["A lambda", "feed.PriceChanged", "every time 'Items' is read", "OrderBoard"],
            ["'OnOwnerPublished'", "owner.Published", "on each 'RegisterOwner(mainWindow)'", "WindowTracker"],
            ["'OnPublished'", "bus.Published", "every time 'Attach' is called", "Presenter"],
        ],
        ["LEAK201"] =
        [
            ["'Cache'", "'IsMatch' adds an entry per new 'pattern'", "every entry stays until the process ends"],
            ["'Formats'", "'Register' adds an entry per new key (and 2 more places)", "every entry stays until the process ends"],
            ["The process-long 'Telemetry.events'", "'Track' adds to it", "every element stays until the process ends"],
        ],
        ["LEAK202"] =
        [
            ["'Open'", "every 'Connection' adds itself", "each one stays alive until the process ends"],
            ["'Providers'", "the constructor of 'StatusBoard' adds to it", "every element stays until the process ends"],
        ],
        ["LEAK203"] =
        [
            ["'Cache'", "'IsMatch' adds an entry per new 'pattern'", "every entry stays until the process ends"],
            ["The process-long 'Glyphs.byFamily'", "'Measure' adds an entry per new key", "every entry stays until the process ends"],
        ],
        ["LEAK301"] =
        [
            ["The method group 'Refresh'", "this 'View'", "until the process ends", "held by the static 'View.refreshAll'"],
            ["A lambda", "this 'QuoteClient'", "until the token's source is cancelled or disposed", "its token registration is dropped"],
            ["The local function 'Poll'", "this 'Poller'", "for good", "held by the timer in 'timer', which is never disposed"],
            ["A lambda", "'buffer'", "until its wait handle is signalled for the last time", "its thread-pool wait is never unregistered"],
            ["A lambda", "this 'SettingsEditor'", "until the process ends", "held by the static 'Hooks.OnShutdown', through 'Register'"],
            ["A lambda", "this 'LengthRule'", "until the process ends", "held by the static 'LengthRule.Rules', returned by a factory given to 'Get'"],
            ["A lambda", "this 'DashboardViewModel'", "for good", "its Rx timer subscription is kept in 'refreshSubscription', which is never disposed"],
            ["The method group 'Dispose'", "'stream'", "until the token's source is cancelled or disposed", "its token registration is dropped"],
        ],
        ["LEAK302"] =
        [
            ["A lambda", "the static 'QuoteClient.lastWarmUp'", "payload", "until the process ends"],
            ["A lambda", "a dropped registration", "buffer", "until the token's source is cancelled or disposed"],
            ["An anonymous method", "the static timer 'Cache.sweeper'", "entries", "until the timer is disposed"],
            ["A lambda", "'options.OnCompleted'", "buffer", "as long as 'options' lives"],
            ["A lambda", "'describe'", "payload", "as long as this 'ReportLoader' lives"],
        ],
        ["LEAK401"] =
        [
            ["'native'", "Marshal.StringToCoTaskMemUTF8", "not freed on every path", "no finalizer will ever free it"],
            ["The result", "Marshal.StringToHGlobalUni", "dropped, never freed", "no finalizer will ever free it"],
            ["'pin'", "GCHandle.Alloc", "never freed", "its target stays alive and pinned for good"],
        ],
        ["LEAK402"] =
        [
            ["block", "Marshal.AllocHGlobal", "Marshal.FreeCoTaskMem", "Marshal.FreeHGlobal", "this can corrupt the heap"],
            ["plain", "Marshal.SecureStringToBSTR", "Marshal.FreeBSTR", "Marshal.ZeroFreeBSTR", "the secret stays readable"],
        ],
        ["LEAK403"] =
        [
            ["memory", "memory", "Marshal.AllocHGlobal", "ScratchBuffer", "no finalizer will ever free it"],
            ["handle", "a GC handle", "GCHandle.Alloc", "PinnedBuffer", "its target stays alive and pinned for good"],
        ],
    };

    public static TheoryData<string> DescriptorIds => DocumentationTests.DescriptorIds;

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Representative_messages_fit_a_tooltip(string id)
    {
        Assert.True(Arguments.TryGetValue(id, out var variants), $"Give {id} representative arguments in {nameof(MessageTests)}.{nameof(Arguments)}.");
        var descriptor = AnalyzerCatalog.Descriptors.Single(d => d.Id == id);
        var format = descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture);
        var placeholders = Regex.Matches(format, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
        foreach (var arguments in variants!)
        {
            // Arguments out of step with the format would measure a message no analyzer produces.
            Assert.Equal(placeholders, arguments.Length);
            var message = Diagnostic.Create(descriptor, Location.None, arguments).GetMessage(CultureInfo.InvariantCulture);
            Assert.True(message.Length <= MessageLength.Max, $"{id} ({message.Length} characters): {message}");
        }
    }

    [Fact]
    public void Median_common_message_is_short()
    {
        var lengths = AnalyzerCatalog.Descriptors
            .Where(d => Arguments.ContainsKey(d.Id))
            .Select(d => Diagnostic.Create(d, Location.None, Arguments[d.Id][0]).GetMessage(CultureInfo.InvariantCulture).Length)
            .ToList();
        Assert.Equal(AnalyzerCatalog.Descriptors.Length, lengths.Count);
        var median = MessageLength.Median(lengths);
        Assert.True(median < MessageLength.MedianBelow, $"The median common-case message is {median} characters; keep it under {MessageLength.MedianBelow}.");
    }

    [Fact]
    public void Every_listed_rule_exists()
    {
        var ids = AnalyzerCatalog.Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(Arguments.Keys, id => Assert.Contains(id, ids));
    }
}
