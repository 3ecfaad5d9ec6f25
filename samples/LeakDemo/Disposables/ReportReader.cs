namespace LeakDemo.Disposables;

using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;

/// <summary>Reading report files: the everyday places where a file handle outlives the method that opened it.</summary>
public sealed class ReportReader
{
    /// <summary>LEAK001: the stream is read and dropped; the file stays open (and locked on Windows) until a finalizer runs.</summary>
    public byte[] ReadHeaderLeaky(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        var header = new byte[4];
        stream.ReadExactly(header);
        return header;
    }

    /// <summary>Clean: a using declaration disposes the stream on every path out of the method.</summary>
    public byte[] ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        var header = new byte[4];
        stream.ReadExactly(header);
        return header;
    }

    /// <summary>LEAK001: disposed on the early-return branch only; the normal path leaks the reader.</summary>
    public int CountLinesLeaky(string path, bool skipEmpty)
    {
        var reader = File.OpenText(path);
        if (reader.EndOfStream)
        {
            reader.Dispose();
            return 0;
        }

        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (!skipEmpty || line.Length > 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Clean: try/finally disposes the reader whichever way the method ends.</summary>
    public int CountLines(string path, bool skipEmpty)
    {
        var reader = File.OpenText(path);
        try
        {
            var count = 0;
            while (reader.ReadLine() is { } line)
            {
                if (!skipEmpty || line.Length > 0)
                {
                    count++;
                }
            }

            return count;
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>LEAK001: one handle per iteration, none of them closed.</summary>
    public long TotalSizeLeaky(IEnumerable<string> paths)
    {
        long total = 0;
        foreach (var path in paths)
        {
            var stream = File.OpenRead(path);
            total += stream.Length;
        }

        return total;
    }

    /// <summary>Clean: a using statement closes each handle before the next iteration.</summary>
    public long TotalSize(IEnumerable<string> paths)
    {
        long total = 0;
        foreach (var path in paths)
        {
            using (var stream = File.OpenRead(path))
            {
                total += stream.Length;
            }
        }

        return total;
    }

    /// <summary>LEAK001 twice: the hash algorithm and the file stream are both dropped undisposed.</summary>
    public string HashLeaky(string path)
    {
        var sha = SHA256.Create();
        var stream = File.OpenRead(path);
        return Convert.ToHexString(sha.ComputeHash(stream));
    }

    /// <summary>Clean: both disposed by using declarations.</summary>
    public string Hash(string path)
    {
        using var sha = SHA256.Create();
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(sha.ComputeHash(stream));
    }

    /// <summary>Clean: the reader is returned, so the caller owns it; the stream is owned by the reader.</summary>
    public StreamReader OpenReport(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        return new StreamReader(stream);
    }

    /// <summary>LEAK002: the reader is used once and dropped; nothing can ever dispose it.</summary>
    public string ReadAllLeaky(string path) => new StreamReader(path).ReadToEnd();

    /// <summary>Clean: the reader is kept in a using local.</summary>
    public string ReadAll(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadToEnd();
    }

    /// <summary>LEAK002: File.Create's stream is thrown away; the new file stays open until a finalizer runs.</summary>
    public void TouchLeaky(string path)
    {
        File.Create(path);
    }

    /// <summary>Clean: only the side effect is wanted, so the stream is disposed at once.</summary>
    public void Touch(string path)
    {
        File.Create(path).Dispose();
    }

    /// <summary>LEAK004: each iteration overwrites the stream the previous one opened; only the last is disposed.</summary>
    public long LargestLeaky(IEnumerable<string> paths)
    {
        Stream? current = null;
        long largest = 0;
        foreach (var path in paths)
        {
            current = File.OpenRead(path);
            largest = Math.Max(largest, current.Length);
        }

        current?.Dispose();
        return largest;
    }

    /// <summary>Clean: the previous stream is disposed before the variable is reused.</summary>
    public long Largest(IEnumerable<string> paths)
    {
        Stream? current = null;
        long largest = 0;
        foreach (var path in paths)
        {
            current?.Dispose();
            current = File.OpenRead(path);
            largest = Math.Max(largest, current.Length);
        }

        current?.Dispose();
        return largest;
    }
}
