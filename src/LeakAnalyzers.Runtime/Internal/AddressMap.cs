namespace LeakAnalyzers.Runtime.Internal;

using System;

/// <summary>
/// A map from object address to object address for the path search: open addressing with linear probing over two
/// arrays. A walk of a large heap inserts millions of entries, where <see cref="System.Collections.Generic.Dictionary{TKey, TValue}"/>
/// spends most of the search's time. Address 0 is never a key (it is the empty slot).
/// </summary>
internal sealed class AddressMap
{
    private ulong[] keys;
    private ulong[] values;
    private int mask;

    internal AddressMap(int capacity = 1 << 16)
    {
        int size = 1;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        keys = new ulong[size];
        values = new ulong[size];
        mask = size - 1;
    }

    internal int Count { get; private set; }

    /// <summary>Adds <paramref name="key"/> unless it is present; returns whether it was added.</summary>
    internal bool TryAdd(ulong key, ulong value)
    {
        if (key == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(key), "Address 0 is not an object.");
        }

        // Grow at 70 % full: linear probing stays short, and a 1 GB heap's map stays well under a gigabyte.
        if ((long)(Count + 1) * 10 > (long)keys.Length * 7)
        {
            Grow();
        }

        int slot = Slot(key);
        while (true)
        {
            ulong existing = keys[slot];
            if (existing == key)
            {
                return false;
            }

            if (existing == 0)
            {
                keys[slot] = key;
                values[slot] = value;
                Count++;
                return true;
            }

            slot = (slot + 1) & mask;
        }
    }

    internal bool TryGetValue(ulong key, out ulong value)
    {
        if (key != 0)
        {
            int slot = Slot(key);
            while (true)
            {
                ulong existing = keys[slot];
                if (existing == key)
                {
                    value = values[slot];
                    return true;
                }

                if (existing == 0)
                {
                    break;
                }

                slot = (slot + 1) & mask;
            }
        }

        value = 0;
        return false;
    }

    private int Slot(ulong key)
    {
        // Objects are 8-byte aligned; mix the rest so that neighbouring objects spread over the table.
        ulong hash = (key >> 3) * 0x9E3779B97F4A7C15UL;
        return (int)(hash >> 32) & mask;
    }

    private void Grow()
    {
        ulong[] oldKeys = keys;
        ulong[] oldValues = values;
        keys = new ulong[oldKeys.Length * 2];
        values = new ulong[oldKeys.Length * 2];
        mask = keys.Length - 1;
        Count = 0;
        for (int i = 0; i < oldKeys.Length; i++)
        {
            if (oldKeys[i] != 0)
            {
                TryAdd(oldKeys[i], oldValues[i]);
            }
        }
    }
}
