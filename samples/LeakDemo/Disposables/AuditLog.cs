namespace LeakDemo.Disposables;

using System;
using System.IO;

/// <summary>
/// LEAK003: the log opens a writer it owns, but is not disposable, so nobody can close the file;
/// buffered lines are lost if the finalizer never flushes them.
/// </summary>
public sealed class AuditLogLeaky
{
    private readonly StreamWriter writer;

    public AuditLogLeaky(string path)
    {
        this.writer = new StreamWriter(path, append: true);
    }

    public void Write(string entry) => this.writer.WriteLine($"{DateTime.UtcNow:O} {entry}");
}

/// <summary>Clean: the log owns the writer and disposes it in its own Dispose.</summary>
public sealed class AuditLog : IDisposable
{
    private readonly StreamWriter writer;

    public AuditLog(string path)
    {
        this.writer = new StreamWriter(path, append: true);
    }

    public void Write(string entry) => this.writer.WriteLine($"{DateTime.UtcNow:O} {entry}");

    public void Dispose() => this.writer.Dispose();
}
