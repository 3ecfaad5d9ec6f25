namespace LeakAnalyzers.Runtime.Tests;

using System.Linq;
using LeakAnalyzers.Runtime.Tests.Fixtures.Growth;
using Xunit;

public sealed class GrowthTests
{
    private static readonly HeapFilter Mine = HeapFilter.Namespace(typeof(RequestRecord).Namespace!);

    [Fact]
    public void A_type_that_grows_every_iteration_is_reported_with_its_rate_and_retention_path()
    {
        var handler = new RequestHandler { Keep = true };
        try
        {
            GrowthReport report = Growth.Measure(() => { handler.Handle(); handler.Handle(); }, Mine, iterations: 3);

            Assert.True(report.HasGrowth);
            TypeGrowth growth = Assert.Single(report.Growing);
            Assert.Equal(typeof(RequestRecord).FullName, growth.TypeName);
            Assert.Equal(2.0, growth.PerIteration);
            Assert.Equal(new long[] { 2, 4, 6, 8 }, growth.Counts);
            Assert.Equal(4, report.SampleCount);
            Assert.Equal(LeakFamily.StaticCollection, growth.Family);
            Assert.Equal("static RequestLog.Records", growth.Paths[0].Path.Root);
            Assert.Equal(8, growth.Paths.Sum(p => p.Count));
            Assert.Contains("+2", report.ToString());
            Assert.Contains("2 → 4 → 6 → 8", report.ToString());
        }
        finally
        {
            RequestLog.Records.Clear();
        }
    }

    [Fact]
    public void A_scenario_that_keeps_nothing_passes_even_when_it_fills_a_cache_once()
    {
        var handler = new RequestHandler { Keep = false };
        LeakAssert.NoGrowth(() => { handler.Handle(); LazyTable.Size(); }, Mine, iterations: 2);
    }

    [Fact]
    public void NoGrowth_fails_on_a_growing_type_with_the_growth_table()
    {
        var handler = new RequestHandler { Keep = true };
        try
        {
            var e = Assert.Throws<LeakAssertionException>(() => LeakAssert.NoGrowth(() => handler.Handle(), Mine, iterations: 2));
            Assert.Contains("RequestRecord", e.Message);
            Assert.Contains("1 → 2 → 3", e.Message);
            Assert.Contains("confirms LEAK2xx", e.Message);
        }
        finally
        {
            RequestLog.Records.Clear();
        }
    }

    [Fact]
    public void A_scenario_that_throws_stops_the_measurement_with_the_iteration()
    {
        int calls = 0;
        var e = Assert.Throws<LeakScenarioException>(() => Growth.Measure(() => { if (++calls == 1) { throw new System.InvalidOperationException("first"); } }, Mine, iterations: 2, warmup: 1));
        Assert.Contains("iteration 1", e.Message);
    }

    [Fact]
    public void Fewer_than_two_iterations_cannot_tell_growth_from_a_one_off()
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => Growth.Measure(() => { }, Mine, iterations: 1));
    }
}
