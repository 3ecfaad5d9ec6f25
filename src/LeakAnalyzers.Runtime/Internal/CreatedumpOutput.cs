namespace LeakAnalyzers.Runtime.Internal;

using System;
using System.IO;
using System.Runtime.InteropServices;

/// <summary>
/// The runtime writes dumps with its <c>createdump</c> helper, which inherits this process's standard output and prints
/// five <c>[createdump]</c> progress lines there: in a test log or a program's output, noise. While a dump is written,
/// standard output goes to a file; afterwards every line of it that is not createdump's is written back, in order, so
/// nothing the process itself printed meanwhile is lost. Unix only: on Windows the runtime writes the dump itself.
/// </summary>
internal static class CreatedumpOutput
{
    private const int StandardOutput = 1;

    internal static void Quiet(string captureFile, Action write)
    {
        if (OperatingSystem.IsWindows())
        {
            write();
            return;
        }

        int saved;
        FileStream capture;
        try
        {
            Console.Out.Flush();
            capture = new FileStream(captureFile, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite);
            saved = Dup(StandardOutput);
            if (saved < 0 || Dup2((int)capture.SafeFileHandle.DangerousGetHandle(), StandardOutput) < 0)
            {
                if (saved >= 0)
                {
                    Close(saved);
                }

                capture.Dispose();
                write();
                return;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            write();
            return;
        }

        try
        {
            write();
        }
        finally
        {
            Console.Out.Flush();
            Dup2(saved, StandardOutput);
            Close(saved);
            Replay(capture);
        }
    }

    private static void Replay(FileStream capture)
    {
        using (capture)
        {
            try
            {
                capture.Position = 0;
                using var reader = new StreamReader(capture, leaveOpen: true);
                string? line;
                while ((line = reader.ReadLine()) is not null)
                {
                    if (!line.StartsWith("[createdump]", StringComparison.Ordinal))
                    {
                        Console.Out.WriteLine(line);
                    }
                }

                Console.Out.Flush();
            }
            catch (IOException)
            {
            }
        }
    }

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static extern int Dup2(int oldFd, int newFd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
