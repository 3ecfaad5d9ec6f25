namespace LeakAnalyzers.Runtime.Tests;

using System;
using System.Collections.Generic;
using LeakAnalyzers.Runtime.Internal;
using Xunit;

public sealed class AddressMapTests
{
    [Fact]
    public void It_keeps_the_first_value_of_each_address_across_growth()
    {
        var map = new AddressMap(capacity: 4);
        var expected = new Dictionary<ulong, ulong>();
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            // Aligned addresses, many of them neighbours, some repeated.
            ulong address = 0x7f00_0000_0000UL + (ulong)random.Next(0, 150_000) * 8;
            bool added = map.TryAdd(address, (ulong)i);
            Assert.Equal(expected.TryAdd(address, (ulong)i), added);
        }

        Assert.Equal(expected.Count, map.Count);
        foreach (var pair in expected)
        {
            Assert.True(map.TryGetValue(pair.Key, out ulong value));
            Assert.Equal(pair.Value, value);
        }

        Assert.False(map.TryGetValue(0x10, out _));
        Assert.False(map.TryGetValue(0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.TryAdd(0, 1));
    }
}
