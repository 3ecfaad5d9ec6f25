namespace LeakAnalyzers.Runtime.Tests.Fixtures;

using System;
using System.Collections.Generic;

// Each family the analyzers report, as a real leak, plus the same code without the leak.
// Every test uses its own types so that tests do not see each other's objects.

/// <summary>LEAK1xx: a static event that subscribers join and never leave.</summary>
public static class EventBus
{
    public static event EventHandler? Changed;

    public static void Raise() => Changed?.Invoke(null, EventArgs.Empty);

    public static void Clear() => Changed = null;
}

public sealed class Subscriber
{
    public Subscriber() => EventBus.Changed += OnChanged;

    public int Seen { get; private set; }

    public void Leave() => EventBus.Changed -= OnChanged;

    private void OnChanged(object? sender, EventArgs e) => Seen++;
}

/// <summary>LEAK2xx: an instance registry in a static list.</summary>
public static class Registry
{
    public static readonly List<Registered> Items = new();
}

public sealed class Registered
{
    public Registered(bool register)
    {
        if (register)
        {
            Registry.Items.Add(this);
        }
    }

    public byte[] Payload { get; } = new byte[64];
}

/// <summary>LEAK3xx: a closure stored in a static field.</summary>
public static class Callbacks
{
    public static Action? OnTick;
}

public sealed class Ticker
{
    private int ticks;

    public void Start(bool store)
    {
        int step = 2;
        Action tick = () => ticks += step;
        tick();
        if (store)
        {
            Callbacks.OnTick = tick;
        }
    }
}

/// <summary>LEAK0xx: a disposable that opts into tracking and has a disposed flag.</summary>
public sealed class TrackedConnection : IDisposable
{
    public TrackedConnection() => DisposalTracker.Created(this);

    public void Dispose() => DisposalTracker.Disposed(this);
}

/// <summary>A disposable with a finalizer: when dropped undisposed it waits for finalization.</summary>
public sealed class FinalizableHandle : IDisposable
{
    public FinalizableHandle() => DisposalTracker.Created(this);

    ~FinalizableHandle()
    {
    }

    public void Dispose()
    {
        DisposalTracker.Disposed(this);
        GC.SuppressFinalize(this);
    }
}

/// <summary>A disposable that does not opt in: its state is read from the usual flag.</summary>
public sealed class FlaggedResource : IDisposable
{
    public static readonly List<FlaggedResource> Pool = new();

    private bool disposed;

    public void Dispose() => disposed = true;

    public override string ToString() => disposed ? "disposed" : "open";
}

/// <summary>A disposable with no flag and no finalizer: its state cannot be told.</summary>
public sealed class OpaqueResource : IDisposable
{
    public static readonly List<OpaqueResource> Pool = new();

    public void Dispose()
    {
    }
}

/// <summary>A disposable with a finalizer and no flag, not opted in: Dispose suppresses the finalizer.</summary>
public sealed class NativeBuffer : IDisposable
{
    public static readonly List<NativeBuffer> Pool = new();

    ~NativeBuffer()
    {
    }

    public void Dispose() => GC.SuppressFinalize(this);
}
