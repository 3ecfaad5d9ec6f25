namespace LeakDemo.Native;

using System;
using System.Runtime.InteropServices;

/// <summary>
/// Unmanaged memory and GC handles: nothing the garbage collector will ever give back. Each leaky method has a
/// clean counterpart beside it. No unsafe code: the project needs no AllowUnsafeBlocks.
/// </summary>
public static class NativeText
{
    /// <summary>LEAK401: the UTF-8 copy is freed only for empty text; every other call leaks it.</summary>
    public static int Utf8LengthLeaky(string text)
    {
        IntPtr native = Marshal.StringToCoTaskMemUTF8(text);
        int length = 0;
        while (Marshal.ReadByte(native, length) != 0)
        {
            length++;
        }

        if (length == 0)
        {
            Marshal.FreeCoTaskMem(native);
        }

        return length;
    }

    /// <summary>Clean: freed in a finally block, on every path.</summary>
    public static int Utf8Length(string text)
    {
        IntPtr native = Marshal.StringToCoTaskMemUTF8(text);
        try
        {
            int length = 0;
            while (Marshal.ReadByte(native, length) != 0)
            {
                length++;
            }

            return length;
        }
        finally
        {
            Marshal.FreeCoTaskMem(native);
        }
    }

    /// <summary>LEAK401: nothing keeps the pointer, so nothing can ever free the copy.</summary>
    public static string RoundTripLeaky(string text) => Marshal.PtrToStringUni(Marshal.StringToHGlobalUni(text))!;

    /// <summary>Clean.</summary>
    public static string RoundTrip(string text)
    {
        IntPtr native = Marshal.StringToHGlobalUni(text);
        try
        {
            return Marshal.PtrToStringUni(native)!;
        }
        finally
        {
            Marshal.FreeHGlobal(native);
        }
    }

    /// <summary>LEAK402: HGlobal memory given to the CoTaskMem allocator's free: heap corruption on Windows.</summary>
    public static byte MarkerLeaky(byte marker)
    {
        IntPtr block = Marshal.AllocHGlobal(16);
        Marshal.WriteByte(block, marker);
        byte read = Marshal.ReadByte(block);
        Marshal.FreeCoTaskMem(block);
        return read;
    }

    /// <summary>Clean: the free that matches the allocator.</summary>
    public static byte Marker(byte marker)
    {
        IntPtr block = Marshal.AllocHGlobal(16);
        Marshal.WriteByte(block, marker);
        byte read = Marshal.ReadByte(block);
        Marshal.FreeHGlobal(block);
        return read;
    }
}

/// <summary>Buffers pinned so that native code can read them in place.</summary>
public static class PinnedBuffers
{
    /// <summary>LEAK401: the pinned handle is never freed; the array stays pinned, and alive, for good.</summary>
    public static long ChecksumLeaky(byte[] data)
    {
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        IntPtr address = pin.AddrOfPinnedObject();
        long sum = 0;
        for (int i = 0; i < data.Length; i++)
        {
            sum += Marshal.ReadByte(address, i);
        }

        return sum;
    }

    /// <summary>Clean.</summary>
    public static long Checksum(byte[] data)
    {
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            IntPtr address = pin.AddrOfPinnedObject();
            long sum = 0;
            for (int i = 0; i < data.Length; i++)
            {
                sum += Marshal.ReadByte(address, i);
            }

            return sum;
        }
        finally
        {
            pin.Free();
        }
    }
}

/// <summary>
/// LEAK403 (reported on the field): the type allocates a block per instance and nothing frees it; every
/// ScratchBufferLeaky dropped leaks 256 bytes for the life of the process.
/// </summary>
public sealed class ScratchBufferLeaky
{
    private readonly IntPtr memory = Marshal.AllocHGlobal(256);

    public void Write(int offset, int value) => Marshal.WriteInt32(memory, offset, value);

    public int Read(int offset) => Marshal.ReadInt32(memory, offset);
}

/// <summary>Clean: Dispose frees the block, once.</summary>
public sealed class ScratchBuffer : IDisposable
{
    private IntPtr memory = Marshal.AllocHGlobal(256);

    public void Write(int offset, int value) => Marshal.WriteInt32(memory, offset, value);

    public int Read(int offset) => Marshal.ReadInt32(memory, offset);

    public void Dispose()
    {
        if (memory != IntPtr.Zero)
        {
            Marshal.FreeHGlobal(memory);
            memory = IntPtr.Zero;
        }
    }
}
