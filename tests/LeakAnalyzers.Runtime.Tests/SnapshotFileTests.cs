namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.IO;
using System.Linq;
using LeakAnalyzers.Runtime.Tests.Fixtures.Snapshots;
using Xunit;

/// <summary>Snapshot files: a snapshot saved earlier compares with one taken now, and bad files are refused clearly.</summary>
public sealed class SnapshotFileTests : IClassFixture<SnapshotFixture>, IDisposable
{
    private readonly SnapshotFixture fixture;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "leakanalyzers-test-" + Guid.NewGuid().ToString("N"));

    public SnapshotFileTests(SnapshotFixture fixture)
    {
        this.fixture = fixture;
        Directory.CreateDirectory(folder);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_saved_snapshot_loads_with_its_table_and_sampled_paths_and_compares_with_a_live_one()
    {
        HeapSnapshot taken = fixture.Dump.Snapshot(HeapFilter.Namespace(typeof(Sample).Namespace!), pathTypes: 2);
        string file = Path.Combine(folder, "before.json");
        taken.Save(file);
        Assert.Equal(new[] { "before.json" }, Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.True(new FileInfo(file).Length < 64 * 1024, "a snapshot file is a table, not a dump");

        HeapSnapshot loaded = HeapSnapshot.Load(file);
        Assert.Equal(taken.ToTable(), loaded.ToTable());
        Assert.Equal(SnapshotFixture.Samples, loaded.CountOf(typeof(Sample)));
        Assert.Equal(taken.TakenAt, loaded.TakenAt);

        // The paths of the two types with the most instances: Sample (1,234) in the static list, Other (56).
        RetentionPathGroup samples = Assert.Single(loaded.Paths, g => g.Path.Target.TypeName == typeof(Sample).FullName);
        Assert.Equal(100, samples.Count);
        Assert.Equal("static SampleStore.Samples", samples.Path.Root);
        Assert.Equal(LeakFamily.StaticCollection, samples.Path.Family);
        Assert.Equal(taken.Paths.Select(p => p.ToString()), loaded.Paths.Select(p => p.ToString()));

        // Compared with a snapshot of a heap that has more of them, the growth is found by type name.
        SampleStore.Samples.Add(new Sample());
        SampleStore.Samples.Add(new Sample());
        try
        {
            HeapSnapshot now = HeapSnapshot.Take(HeapFilter.Namespace(typeof(Sample).Namespace!));
            TypeDelta delta = now.CompareTo(loaded).Find(typeof(Sample))!;
            Assert.Equal(2, delta.CountDelta);
        }
        finally
        {
            SampleStore.Samples.RemoveRange(SnapshotFixture.Samples, 2);
        }
    }

    [Fact]
    public void A_file_of_a_newer_format_version_is_refused_with_the_versions_named()
    {
        string file = Path.Combine(folder, "newer.json");
        File.WriteAllText(file, "{\"format\": \"leakanalyzers-heap-snapshot\", \"version\": 99, \"types\": []}");
        var e = Assert.Throws<InvalidDataException>(() => HeapSnapshot.Load(file));
        Assert.Contains("format version 99", e.Message);
        Assert.Contains("reads versions up to 1", e.Message);
    }

    [Theory]
    [InlineData("not json at all", "it is not a JSON document")]
    [InlineData("{\"format\": \"something-else\", \"version\": 1}", "it is not a heap snapshot")]
    [InlineData("{\"format\": \"leakanalyzers-heap-snapshot\", \"version\": 1, \"takenAt\": \"2026-01-01T00:00:00Z\", \"filter\": \"all types\"}", "damaged or incomplete")]
    public void A_damaged_file_is_refused_with_a_reason(string content, string reason)
    {
        string file = Path.Combine(folder, "bad.json");
        File.WriteAllText(file, content);
        var e = Assert.Throws<InvalidDataException>(() => HeapSnapshot.Load(file));
        Assert.Contains("cannot be read as a heap snapshot", e.Message);
        Assert.Contains(reason, e.Message);
    }
}
