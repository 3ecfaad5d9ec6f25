namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

/// <summary>
/// Reads another process's memory a page at a time and keeps the pages. ClrMD reads a live process with one system
/// call per request, a few bytes each: millions of calls for a heap walk (2.4 million for a 100 MB heap, most of
/// the time of a snapshot). The process is suspended for the whole session, so its memory does not change under the
/// cache. Unreadable pages are not cached: those reads go to the process as asked.
/// </summary>
internal sealed class PageCachingReader : IDataReader, IDisposable
{
    private const int PageSize = 64 * 1024;
    private const int MaxPages = 2048; // 128 MB at most; a heap walk is mostly sequential, so clearing when full is enough.

    private readonly IDataReader inner;
    private readonly Dictionary<ulong, byte[]> pages = new();
    private readonly object gate = new();

    internal PageCachingReader(IDataReader inner)
    {
        this.inner = inner;
    }

    public string DisplayName => inner.DisplayName;

    public bool IsThreadSafe => true;

    public OSPlatform TargetPlatform => inner.TargetPlatform;

    public Architecture Architecture => inner.Architecture;

    public int ProcessId => inner.ProcessId;

    public int PointerSize => inner.PointerSize;

    public IEnumerable<ModuleInfo> EnumerateModules() => inner.EnumerateModules();

    public bool GetThreadContext(uint threadID, uint contextFlags, Span<byte> context) => inner.GetThreadContext(threadID, contextFlags, context);

    public void FlushCachedData()
    {
        lock (gate)
        {
            pages.Clear();
        }

        inner.FlushCachedData();
    }

    public int Read(ulong address, Span<byte> buffer)
    {
        int done = 0;
        lock (gate)
        {
            while (done < buffer.Length)
            {
                ulong current = address + (ulong)done;
                ulong start = current & ~(ulong)(PageSize - 1);
                byte[]? page = Page(start);
                if (page is null)
                {
                    break;
                }

                int offset = (int)(current - start);
                int count = Math.Min(buffer.Length - done, PageSize - offset);
                page.AsSpan(offset, count).CopyTo(buffer.Slice(done));
                done += count;
            }
        }

        // Not all in whole readable pages (the end of a mapping): ask the process for the rest as it is.
        return done == buffer.Length ? done : done + Math.Max(0, inner.Read(address + (ulong)done, buffer.Slice(done)));
    }

    public bool Read<T>(ulong address, out T value)
        where T : unmanaged
    {
        value = default;
        Span<byte> bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1));
        return Read(address, bytes) == bytes.Length;
    }

    public T Read<T>(ulong address)
        where T : unmanaged => Read(address, out T value) ? value : default;

    public bool ReadPointer(ulong address, out ulong value)
    {
        if (PointerSize == 8)
        {
            return Read(address, out value);
        }

        bool read = Read(address, out uint small);
        value = small;
        return read;
    }

    public ulong ReadPointer(ulong address) => ReadPointer(address, out ulong value) ? value : 0;

    public void Dispose()
    {
        lock (gate)
        {
            pages.Clear();
        }
    }

    private byte[]? Page(ulong start)
    {
        if (pages.TryGetValue(start, out byte[]? page))
        {
            return page;
        }

        page = new byte[PageSize];
        if (inner.Read(start, page) != PageSize)
        {
            return null;
        }

        if (pages.Count >= MaxPages)
        {
            pages.Clear();
        }

        pages[start] = page;
        return page;
    }
}
