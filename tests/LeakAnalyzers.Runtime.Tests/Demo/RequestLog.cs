// The types of the growth example in docs/runtime.md, in the namespace the example filters on.
namespace MyApp;

using System.Collections.Generic;

public sealed class RequestRecord
{
    public RequestRecord(int id) => Id = id;

    public int Id { get; }
}

public static class RequestLog
{
    public static readonly List<RequestRecord> Records = new();
}

public sealed class RequestHandler
{
    private int next;

    public void Handle() => RequestLog.Records.Add(new RequestRecord(next++));
}
