namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Linq;
using LeakAnalyzers.Runtime.Tests.Fixtures.Snapshots;
using Xunit;

/// <summary>One heap capture shared by the assertions that look at the same moment.</summary>
public sealed class SnapshotFixture : IDisposable
{
    public const int Samples = 1234;
    public const int Others = 56;

    public SnapshotFixture()
    {
        for (int i = 0; i < Samples; i++)
        {
            SampleStore.Samples.Add(new Sample());
        }

        for (int i = 0; i < Others; i++)
        {
            var other = new Other();
            SampleStore.Others.Add(other);
            SampleStore.ByName["other-" + i] = other;
        }

        Dump = HeapDump.Capture(SampleStore.Samples[7], SampleStore.Others[3]);
        Snapshot = Dump.Snapshot(HeapFilter.Namespace(typeof(Sample).Namespace!));
    }

    public HeapDump Dump { get; }

    public HeapSnapshot Snapshot { get; }

    public void Dispose()
    {
        Dump.Dispose();
        SampleStore.Samples.Clear();
        SampleStore.Others.Clear();
        SampleStore.ByName.Clear();
    }
}

public sealed class SnapshotTests : IClassFixture<SnapshotFixture>
{
    private readonly SnapshotFixture fixture;

    public SnapshotTests(SnapshotFixture fixture)
    {
        this.fixture = fixture;
    }

    [Fact]
    public void A_namespace_filter_counts_exactly_the_live_instances_of_its_types()
    {
        HeapSnapshot snapshot = fixture.Snapshot;
        Assert.Equal(SnapshotFixture.Samples, snapshot.CountOf(typeof(Sample)));
        Assert.Equal(SnapshotFixture.Others, snapshot.CountOf(typeof(Other)));
        // The lists' backing arrays are arrays of the namespace's types, so they belong to it too.
        Assert.Equal(new[] { "Other", "Other[]", "Sample", "Sample[]" }, snapshot.Types.Select(t => t.DisplayName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(snapshot.Types, t => Assert.Equal("LeakAnalyzers.Runtime.Tests", t.Assembly));
    }

    [Fact]
    public void Bytes_are_the_shallow_sizes_of_the_instances()
    {
        TypeStatistics sample = fixture.Snapshot.Find(typeof(Sample))!;

        // Header and method table (16 bytes on 64-bit) plus two longs.
        int size = IntPtr.Size == 8 ? 32 : 24;
        Assert.Equal(SnapshotFixture.Samples * (long)size, sample.Bytes);
        Assert.Equal(fixture.Snapshot.Types.Sum(t => t.Bytes), fixture.Snapshot.Bytes);
        Assert.True(fixture.Snapshot.HeapBytes > fixture.Snapshot.Bytes);
    }

    [Fact]
    public void The_whole_heap_contains_the_runtime_and_generic_types_with_their_names()
    {
        HeapSnapshot all = fixture.Dump.Snapshot();
        TypeStatistics list = all.Find("System.Collections.Generic.List<LeakAnalyzers.Runtime.Tests.Fixtures.Snapshots.Sample>")!;
        Assert.NotNull(list);
        Assert.Equal("List<Sample>", list.DisplayName);
        Assert.Equal("System.Collections.Generic", list.Namespace);
        Assert.True(all.CountOf(typeof(string)) > 100);
        Assert.Equal(all.HeapCount, all.Count);
    }

    [Fact]
    public void Assembly_and_type_filters_select_what_they_name()
    {
        HeapSnapshot byAssembly = fixture.Dump.Snapshot(HeapFilter.AssemblyOf(typeof(Sample)));
        Assert.Equal(SnapshotFixture.Samples, byAssembly.CountOf(typeof(Sample)));
        Assert.All(byAssembly.Types, t => Assert.Equal("LeakAnalyzers.Runtime.Tests", t.Assembly));

        HeapSnapshot byType = fixture.Dump.Snapshot(HeapFilter.Types(typeof(Other)));
        Assert.Equal(SnapshotFixture.Others, Assert.Single(byType.Types).Count);

        HeapSnapshot narrowed = fixture.Snapshot.Where(HeapFilter.Types(typeof(Sample)));
        Assert.Equal(SnapshotFixture.Samples, Assert.Single(narrowed.Types).Count);
    }

    [Fact]
    public void The_table_lists_count_bytes_and_readable_names()
    {
        string table = fixture.Snapshot.ToTable();
        Assert.Contains("1,234", table);
        Assert.Contains("Sample", table);
        Assert.Contains("38.6 KB", table); // 1234 × 32 B
        string[] rows = table.Split('\n').Skip(2).ToArray();
        Assert.Contains(rows, r => r.TrimEnd().EndsWith("  Sample", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("LeakAnalyzers.Runtime.Tests.Fixtures", StringComparison.Ordinal));
    }

    [Fact]
    public void Instances_of_a_type_are_grouped_by_the_way_they_are_held()
    {
        var groups = fixture.Dump.FindPathsToInstancesOf(typeof(Other));

        // Every Other is both in the list and in the dictionary, at the same depth: whichever static is searched
        // first explains all of them, and slots and keys do not split a group.
        RetentionPathGroup group = Assert.Single(groups);
        Assert.Equal(SnapshotFixture.Others, group.Count);
        Assert.Equal(LeakFamily.StaticCollection, group.Path.Family);
    }

    [Fact]
    public void A_dictionary_value_is_named_by_its_key()
    {
        RetentionPath path = fixture.Dump.FindPath(SampleStore.Others[3])!;
        Assert.Equal(RootKind.StaticField, path.RootKind);
        Assert.True(
            path.Target.Via is "item [3]" or "value for key \"other-3\"",
            $"unexpected entry label: {path.Target.Via}");

        RetentionPath sample = fixture.Dump.FindPath(SampleStore.Samples[7])!;
        Assert.Equal("static SampleStore.Samples", sample.Root);
        Assert.Equal("item [7]", sample.Target.Via);
    }

    [Fact]
    public void Asking_for_an_object_not_passed_to_the_capture_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => fixture.Dump.FindPath(new Other()));
        Assert.Contains("was not passed to HeapDump.Capture", e.Message);
    }
}

public sealed class SnapshotComparisonTests
{
    [Fact]
    public void Comparing_two_snapshots_shows_what_was_added()
    {
        HeapFilter filter = HeapFilter.Types(typeof(Other), typeof(Sample));
        HeapSnapshot before = HeapSnapshot.Take(filter);
        try
        {
            for (int i = 0; i < 100; i++)
            {
                SampleStore.Others.Add(new Other());
            }

            HeapSnapshot after = HeapSnapshot.Take(filter);
            SnapshotComparison diff = after.CompareTo(before);
            TypeDelta delta = Assert.Single(diff.Changes);
            Assert.Equal(100, delta.CountDelta);
            Assert.Equal(delta.CountAfter - delta.CountBefore, delta.CountDelta);
            Assert.Equal(100 * (IntPtr.Size == 8 ? 24 : 12), delta.BytesDelta);
            Assert.Same(delta, diff.Find(typeof(Other)));
            Assert.Null(diff.Find(typeof(Sample)));
            Assert.Contains("+100", diff.ToTable());

            SnapshotComparison none = after.CompareTo(after);
            Assert.Empty(none.Changes);
            Assert.Contains("(no change)", none.ToTable());
        }
        finally
        {
            SampleStore.Others.Clear();
        }
    }
}
