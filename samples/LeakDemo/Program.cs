namespace LeakDemo;

using System;
using System.IO;
using System.Threading;
using LeakDemo.Closures;
using LeakDemo.Disposables;
using LeakDemo.StaticCollections;

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
            Console.WriteLine($"largest: {reports.LargestLeaky([path, path])} / {reports.Largest([path, path])}");
            Console.WriteLine($"text: {reports.ReadAllLeaky(path).Length} / {reports.ReadAll(path).Length}");
            reports.TouchLeaky(path + ".touched");
            try
            {
                reports.Touch(path + ".touched");
                Console.WriteLine("touch: the handle TouchLeaky dropped was already finalized");
            }
            catch (IOException e)
            {
                // What LEAK002 warns about, live: the dropped stream still holds the file.
                Console.WriteLine($"touch: the handle TouchLeaky dropped still locks the file: {e.Message}");
            }

            using (var opened = reports.OpenReport(path))
            {
                Console.WriteLine($"first line: {opened.ReadLine()}");
            }

            new AuditLogLeaky(path + ".audit").Write("opened without a way to close");
            using (var audit = new AuditLog(path + ".audit"))
            {
                audit.Write("opened and closed");
            }

            var jobs = new JobRunner();
            Console.WriteLine($"job: {jobs.RunWithTimeoutLeaky(fail: false)} / {jobs.RunWithTimeout(fail: false)}");
            Console.WriteLine($"pattern: {PatternCacheLeaky.IsMatch("a+", "aaa")} / {PatternCache.IsMatch("a+", "aaa")}");
            Requests.Handle("/index");
            MetricsLeaky.Instance.Count("requests");
            Metrics.Instance.Count("requests");
            using (var session = new Session("demo"))
            {
                Console.WriteLine($"sessions: {Session.Count}, user {new SessionLeaky("demo").User}");
            }

            using (var quotes = new QuoteClient())
            using (var shutdown = new CancellationTokenSource())
            {
                var fetched = quotes.FetchLeaky(1, shutdown.Token).GetAwaiter().GetResult() + quotes.Fetch(2, shutdown.Token).GetAwaiter().GetResult();
                quotes.PublishStatus();
                quotes.StartRefresh();
                QuoteClient.WarmUp("quotes").Wait();
                Console.WriteLine($"quotes: {fetched}, {quotes.Status()}, warmed up: {QuoteClient.LastWarmUp()}");
            }

            return 0;
        }
        finally
        {
            // Let the finalizers close what the leaky methods dropped, so the files can be deleted everywhere.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            File.Delete(path);
            File.Delete(path + ".touched");
            File.Delete(path + ".audit");
        }
    }
}
