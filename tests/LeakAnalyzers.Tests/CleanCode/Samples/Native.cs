// Leak-free interop code: every allocation of unmanaged memory or GC handle is freed on every path, owned by a
// SafeHandle or a disposable type, or handed to its caller. Every analyzer of the package must stay silent on this file.
#nullable enable
using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace CleanCode.Native
{
    internal static class NativeMethods
    {
        [DllImport("native", CharSet = CharSet.Unicode)]
        public static extern int GetName(IntPtr buffer, int capacity);

        [DllImport("native")]
        public static extern void Write(IntPtr data, int length);

        [DllImport("native")]
        public static extern void Subscribe(IntPtr callback, IntPtr context);

        [DllImport("native")]
        public static extern void Unsubscribe(IntPtr context);
    }

    /// <summary>Owns an HGlobal block; the runtime frees it even if Dispose is never called.</summary>
    public sealed class HGlobalHandle : SafeHandle
    {
        public HGlobalHandle(int size) : base(IntPtr.Zero, ownsHandle: true)
        {
            SetHandle(Marshal.AllocHGlobal(size));
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            Marshal.FreeHGlobal(handle);
            return true;
        }
    }

    public static class Strings
    {
        public static string ReadName()
        {
            const int Capacity = 260;
            IntPtr buffer = Marshal.AllocHGlobal(Capacity * sizeof(char));
            try
            {
                int length = NativeMethods.GetName(buffer, Capacity);
                return Marshal.PtrToStringUni(buffer, length);
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        public static void Send(string text)
        {
            IntPtr utf8 = Marshal.StringToCoTaskMemUTF8(text);
            try
            {
                NativeMethods.Write(utf8, Encoding.UTF8.GetByteCount(text));
            }
            finally
            {
                Marshal.FreeCoTaskMem(utf8);
            }
        }

        public static int PlaintextLength(SecureString secret)
        {
            IntPtr plain = IntPtr.Zero;
            try
            {
                plain = Marshal.SecureStringToGlobalAllocUnicode(secret);
                int length = 0;
                while (Marshal.ReadInt16(plain, length * 2) != 0)
                {
                    length++;
                }

                return length;
            }
            finally
            {
                if (plain != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(plain);
                }
            }
        }

        /// <summary>The caller owns the result and frees it with Marshal.FreeHGlobal.</summary>
        public static IntPtr ToNative(string text) => Marshal.StringToHGlobalUni(text);
    }

    public static class Buffers
    {
        public static void WritePinned(byte[] data)
        {
            var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
            try
            {
                NativeMethods.Write(pin.AddrOfPinnedObject(), data.Length);
            }
            finally
            {
                pin.Free();
            }
        }

        public static void WriteOwned(int size)
        {
            using var owned = new HGlobalHandle(size);
            NativeMethods.Write(owned.DangerousGetHandle(), size);
        }

        public static unsafe long Checksum(ReadOnlySpan<byte> input)
        {
            byte* copy = (byte*)NativeMemory.Alloc((nuint)input.Length);
            try
            {
                input.CopyTo(new Span<byte>(copy, input.Length));
                long sum = 0;
                for (int i = 0; i < input.Length; i++)
                {
                    sum += copy[i];
                }

                return sum;
            }
            finally
            {
                NativeMemory.Free(copy);
            }
        }
    }

    /// <summary>A growable unmanaged buffer: reallocates in place, frees in Dispose and in the finalizer.</summary>
    public sealed unsafe class UnmanagedList : IDisposable
    {
        private byte* items;
        private int capacity;

        public UnmanagedList(int capacity)
        {
            this.capacity = capacity;
            items = (byte*)NativeMemory.AlignedAlloc((nuint)capacity, 64);
        }

        ~UnmanagedList() => Release();

        public void Grow()
        {
            capacity *= 2;
            items = (byte*)NativeMemory.AlignedRealloc(items, (nuint)capacity, 64);
        }

        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        private void Release()
        {
            if (items != null)
            {
                NativeMemory.AlignedFree(items);
                items = null;
            }
        }
    }

    /// <summary>A native callback reaches this object through a GCHandle carried as the context pointer.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly IntPtr context;

        public Subscription(IntPtr callback)
        {
            context = GCHandle.ToIntPtr(GCHandle.Alloc(this));
            NativeMethods.Subscribe(callback, context);
        }

        public static Subscription FromContext(IntPtr context) => (Subscription)GCHandle.FromIntPtr(context).Target!;

        public void Dispose()
        {
            NativeMethods.Unsubscribe(context);
            GCHandle.FromIntPtr(context).Free();
        }
    }

    public static class Com
    {
        public static long Identity(object instance)
        {
            IntPtr unknown = Marshal.GetIUnknownForObject(instance);
            try
            {
                return unknown.ToInt64();
            }
            finally
            {
                Marshal.Release(unknown);
            }
        }
    }
}
