namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.IO;
using System.Linq;
using System.Threading;
using LeakAnalyzers.Runtime.Internal;
using Xunit;

/// <summary>Dumps are larger than the heap (100 MB and more): every path out of a capture, good or bad, must delete them.</summary>
public sealed class TempFileTests
{
    [Fact]
    public void A_capture_leaves_nothing_in_the_temp_folder()
    {
        string[] before = OurFolders(Path.GetTempPath());
        string? seen = null;
        using (HeapDump dump = HeapDump.Capture())
        {
            seen = dump.Session.DumpFolder!;
            Assert.True(File.Exists(Path.Combine(seen, "heap.dmp")), "the dump exists while the capture is open");
            Assert.StartsWith(Path.GetTempPath(), seen);
        }

        Assert.False(Directory.Exists(seen));
        Assert.Equal(before, OurFolders(Path.GetTempPath()));
    }

    [Fact]
    public void A_capture_leaves_no_symbol_cache_folder()
    {
        // ClrMD's default file locator creates TMP/symbols for its symbol cache; the library's locator never asks a
        // symbol server. Where the folder exists already (left by another tool), the capture must not touch it.
        string symbols = Path.Combine(Path.GetTempPath(), "symbols");
        DateTime? before = Directory.Exists(symbols) ? Directory.GetLastWriteTimeUtc(symbols) : null;
        HeapSnapshot.Take(HeapFilter.Namespace("LeakAnalyzers"));
        RetentionPath.Find(new Keeper());
        DateTime? after = Directory.Exists(symbols) ? Directory.GetLastWriteTimeUtc(symbols) : null;
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_private_dump_folder_is_left_empty_after_snapshots_paths_and_failed_checks()
    {
        string root = NewFolder();
        try
        {
            var options = new HeapInspectionOptions { DumpDirectory = root };
            HeapSnapshot.Take(HeapFilter.Namespace("LeakAnalyzers"), options);
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));

            Assert.Throws<LeakAssertionException>(() => LeakAssert.Collected(() => new Keeper(), k => Keeper.Last = k, options));
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        }
        finally
        {
            Keeper.Last = null;
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_dump_that_cannot_be_written_is_a_clear_error_and_leaves_nothing()
    {
        string root = NewFolder();
        try
        {
            // A regular file where the dump folder should go: the folder cannot be created.
            string blocker = Path.Combine(root, "not-a-folder");
            File.WriteAllText(blocker, "x");
            var e = Assert.Throws<HeapInspectionException>(() => HeapSnapshot.Take(options: new HeapInspectionOptions { DumpDirectory = blocker }));
            Assert.Contains("The heap dump could not be written", e.Message);
            Assert.Equal(new[] { blocker }, Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_relative_dump_folder_is_taken_from_the_current_folder_and_left_empty()
    {
        string previous = Environment.CurrentDirectory;
        string root = NewFolder();
        try
        {
            Environment.CurrentDirectory = root;
            HeapSnapshot snapshot = HeapSnapshot.Take(HeapFilter.Namespace("LeakAnalyzers"), new HeapInspectionOptions { DumpDirectory = "dumps" });
            Assert.True(snapshot.HeapCount > 0);
            Assert.True(Directory.Exists(Path.Combine(root, "dumps")));
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "dumps")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_time_limit_that_is_not_positive_is_rejected_before_anything_is_written()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HeapSnapshot.Take(options: new HeapInspectionOptions { Timeout = TimeSpan.Zero }));
        Assert.Contains("Timeout must be positive", e.Message);
    }

    [Fact]
    public void A_dump_that_takes_too_long_is_abandoned_with_a_clear_error_and_deleted_when_the_runtime_finishes_it()
    {
        string root = NewFolder();
        try
        {
            // The dump is made slow on purpose (a 3 s pause before the runtime is asked), so the limit is reached
            // whatever the machine's load.
            DumpFile.BeforeWriteForTests = () => Thread.Sleep(3000);
            var options = new HeapInspectionOptions { DumpDirectory = root, Timeout = TimeSpan.FromMilliseconds(200) };
            var e = Assert.Throws<HeapInspectionException>(() => HeapSnapshot.Take(options: options));
            DumpFile.BeforeWriteForTests = null;
            Assert.Contains("took longer than 0.2 s and was abandoned", e.Message);
            Assert.Equal(1, DumpFile.AbandonedWrites);

            // The write goes on in the background; once it has ended, nothing of it may be left.
            DateTime deadline = DateTime.UtcNow.AddSeconds(60);
            while (DumpFile.AbandonedWrites > 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            Assert.Equal(0, DumpFile.AbandonedWrites);
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        }
        finally
        {
            DumpFile.BeforeWriteForTests = null;
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Folders_left_by_a_process_that_no_longer_runs_are_removed_by_the_next_capture()
    {
        string root = NewFolder();
        try
        {
            // No process has this ID on Linux or Windows (PIDs are far below it).
            string stale = Path.Combine(root, DumpFile.FolderPrefix + int.MaxValue + "-0123456789abcdef");
            Directory.CreateDirectory(stale);
            File.WriteAllText(Path.Combine(stale, "heap.dmp"), "left by a killed test host");
            string notOurs = Path.Combine(root, "someone-else");
            Directory.CreateDirectory(notOurs);

            HeapSnapshot.Take(HeapFilter.Namespace("LeakAnalyzers"), new HeapInspectionOptions { DumpDirectory = root });

            Assert.False(Directory.Exists(stale));
            Assert.True(Directory.Exists(notOurs));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string NewFolder()
    {
        string root = Path.Combine(Path.GetTempPath(), "leakanalyzers-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }

    private static string[] OurFolders(string root) =>
        Directory.GetDirectories(root, DumpFile.FolderPrefix + Environment.ProcessId + "-*").OrderBy(f => f, StringComparer.Ordinal).ToArray();

    private sealed class Keeper
    {
        public static Keeper? Last;
    }
}
