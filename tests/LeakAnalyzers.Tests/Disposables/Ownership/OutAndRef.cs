namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>Out and ref parameters that a source member fills with a new owned value, and Interlocked.Exchange.</summary>
public class OutAndRef
{
    private const string TryOpen = """
        static bool TryOpen(string p, out Stream stream)
        {
            stream = null;
            if (!File.Exists(p)) { return false; }
            stream = File.OpenRead(p);
            return true;
        }
        """;

    [Fact]
    public Task OutVariableNeverDisposed() => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{TryOpen}}
            int M(string p)
            {
                if (TryOpen(p, {|LEAK001:out var s|}))
                {
                    return s.ReadByte();
                }

                return -1;
            }
        }
        """);

    [Fact]
    public Task OutVariableDisposed() => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{TryOpen}}
            int M(string p)
            {
                if (TryOpen(p, out var s))
                {
                    using (s) { return s.ReadByte(); }
                }

                return -1;
            }

            int N(string p)
            {
                Stream s;
                if (!TryOpen(p, out s)) { return -1; }
                try { return s.ReadByte(); } finally { s.Dispose(); }
            }
        }
        """);

    [Fact]
    public Task OutDiscardDropsTheValue() => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{TryOpen}}
            bool M(string p) => TryOpen(p, {|LEAK002:out _|});
            bool N(string p) => TryOpen(p, {|LEAK002:out Stream _|});
        }
        """);

    [Fact]
    public Task SecondCallIntoTheSameLocalOverwrites() => Verify.VerifyAsync($$"""
        using System.IO;
        class C
        {
            {{TryOpen}}
            int M(string a, string b)
            {
                Stream s;
                TryOpen(a, out s);
                var first = s.ReadByte();
                TryOpen(b, {|LEAK004:out s|});
                var second = s.ReadByte();
                s.Dispose();
                return first + second;
            }
        }
        """);

    [Fact]
    public Task OutParameterThatReceivesAnythingButNewValuesIsNotGuessed() => Verify.VerifyAsync("""
        using System.IO;
        class C
        {
            Stream cached;
            bool TryGet(out Stream stream) { stream = cached; return stream != null; }
            bool TryOther(out Stream stream) { stream = Other(); return true; }
            static Stream Other() => System.Console.OpenStandardInput();
            int M()
            {
                TryGet(out var a);
                TryOther(out var b);
                TryGet(out _);
                return a.ReadByte() + b.ReadByte();
            }
        }
        """);

    [Fact]
    public Task FieldFilledThroughRef() => Verify.VerifyAsync("""
        using System.IO;
        sealed class Log
        {
            private Stream {|LEAK003:stream|};
            static void Open(ref Stream target) { target = File.OpenWrite("log"); }
            public Log() { Open(ref stream); }
            public void Write(byte b) => stream.WriteByte(b);
        }
        """);

    [Fact]
    public Task FieldFilledThroughRefAndDisposed() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        sealed class Log : IDisposable
        {
            private Stream stream;
            static void Open(ref Stream target) { target = File.OpenWrite("log"); }
            public Log() { Open(ref stream); }
            public void Write(byte b) => stream.WriteByte(b);
            public void Dispose() => stream?.Dispose();
        }
        """);

    [Fact]
    public Task InterlockedExchangeWhoseOldValueIsDropped() => Verify.VerifyAsync("""
        using System;
        using System.Threading;
        sealed class Poller : IDisposable
        {
            private CancellationTokenSource cts = new CancellationTokenSource(1000);
            public void Restart()
            {
                Interlocked.Exchange({|LEAK004:ref cts|}, new CancellationTokenSource(1000));
            }

            public void RestartCleanly()
            {
                Interlocked.Exchange(ref cts, new CancellationTokenSource(1000))?.Dispose();
            }

            public void Dispose() => Interlocked.Exchange(ref cts, null)?.Dispose();
        }
        """);

    [Fact]
    public Task OutParameterThatReturnsAnArgument() => Verify.VerifyAsync("""
        using System.IO;
        static class C
        {
            static bool TryGet(FileStream arg, out FileStream result)
            {
                result = arg;
                return true;
            }

            static bool Dropped(string p) => TryGet(File.OpenRead(p), {|LEAK002:out FileStream _|});
            static bool Kept(string p) => TryGet(File.OpenRead(p), {|LEAK001:out var temp|});
            static long Used(string p)
            {
                TryGet(File.OpenRead(p), out var temp);
                using (temp) { return temp.Length; }
            }
        }
        """);
    [Fact]
    public Task AReaderOverANewMemoryStreamWrittenToAnOutHoldsNothing() =>
        // Kerberos.NET's NTLM header check: the reader is over a copy of the bytes, nothing to release.
        Verify.VerifyAsync("""
            using System;
            using System.IO;
            static class Ntlm
            {
                public static bool HasHeader(byte[] data) => HasHeader(data, out _);
                public static bool Opened(string path) => Open(path, {|LEAK002:out _|});
                private static bool HasHeader(byte[] data, out BinaryReader reader)
                {
                    reader = new BinaryReader(new MemoryStream(data));
                    return reader.ReadUInt64() == 42;
                }
                private static bool Open(string path, out BinaryReader reader)
                {
                    reader = new BinaryReader(File.OpenRead(path));
                    return reader.ReadUInt64() == 42;
                }
            }
            """);
}
