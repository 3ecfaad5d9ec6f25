namespace LeakAnalyzers.Runtime.Tests.Fixtures.Growth;

using System;
using System.Collections.Generic;

// Types of their own namespace, so that the growth tests watch only what their scenarios create.

/// <summary>A cache that is meant to grow without bound: one entry per request (LEAK2xx).</summary>
public static class RequestLog
{
    public static readonly List<RequestRecord> Records = new();
}

public sealed class RequestRecord
{
    public RequestRecord(int id) => Id = id;

    public int Id { get; }
}

/// <summary>A handler that creates a record per request and keeps it only for the duration of the call.</summary>
public sealed class RequestHandler
{
    private static int next;

    public bool Keep { get; init; }

    public int Handle()
    {
        var record = new RequestRecord(++next);
        if (Keep)
        {
            RequestLog.Records.Add(record);
        }

        return record.Id;
    }
}

/// <summary>Lazily filled once: grows on the first call only, which growth must not report.</summary>
public static class LazyTable
{
    private static List<TableRow>? rows;

    public static int Size()
    {
        rows ??= new List<TableRow> { new(), new(), new() };
        return rows.Count;
    }
}

public sealed class TableRow
{
    public Guid Id { get; } = Guid.NewGuid();
}
