namespace LeakDemo;

using System;
using System.IO;
using LeakDemo.Disposables;

/// <summary>
/// Runs the demo's code on a temporary file. Build it to see LeakAnalyzers' warnings:
/// <c>dotnet build samples/LeakDemo</c>. Each leaky method has a clean counterpart beside it.
/// </summary>
public static class Program
{
    public static int Main()
    {
        var path = Path.Combine(Path.GetTempPath(), "leakdemo-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(path, ["# report", "alpha", "beta", "", "gamma"]);
        try
        {
            var reports = new ReportReader();
            Console.WriteLine($"header: {BitConverter.ToString(reports.ReadHeaderLeaky(path))} / {BitConverter.ToString(reports.ReadHeader(path))}");
            Console.WriteLine($"lines: {reports.CountLinesLeaky(path, skipEmpty: true)} / {reports.CountLines(path, skipEmpty: true)}");
            Console.WriteLine($"sizes: {reports.TotalSizeLeaky([path, path])} / {reports.TotalSize([path, path])}");
            Console.WriteLine($"hash: {reports.HashLeaky(path)[..8]} / {reports.Hash(path)[..8]}");
            using (var opened = reports.OpenReport(path))
            {
                Console.WriteLine($"first line: {opened.ReadLine()}");
            }

            var jobs = new JobRunner();
            Console.WriteLine($"job: {jobs.RunWithTimeoutLeaky(fail: false)} / {jobs.RunWithTimeout(fail: false)}");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
