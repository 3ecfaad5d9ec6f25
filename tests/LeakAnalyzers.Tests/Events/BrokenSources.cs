namespace LeakAnalyzers.Tests.Events;

using Xunit;

/// <summary>Half-typed and non-compiling event code, shared by the Broken tests of every event rule.</summary>
internal static class BrokenSources
{
    public static TheoryData<string> All() => new()
    {
        "",
        "class C { void M() { Clock.Tick += } }",
        "class C { void M() { Missing.Tick += OnTick; } void OnTick(object s, System.EventArgs e) { } }",
        "class C { void M(Unknown u) { u.Changed += OnChanged; u.Changed -= } }",
        "class C { C() { System.AppDomain.CurrentDomain.ProcessExit += (s, e) => ; } }",
        "class C { C() { System.AppDomain.CurrentDomain.ProcessExit -= (s, e => Foo(); } }",
        "class C { event System.EventHandler E; C() { E += E; E -= ; } }",
        "class C { ~C() { System.Console.CancelKeyPress -= OnCancel } }",
        "class C : { protected override void OnAppearing() { System.Console.CancelKeyPress += OnCancel; } }",
        "class C { System.EventHandler h; C() { h = ; System.Console.CancelKeyPress += h; } }",
        "class C { int P { get { foreach (var x in ) System.Console.CancelKeyPress += OnCancel; return 0; } } }",
        "partial class C { C() { System.AppDomain.CurrentDomain.ProcessExit += this.; } }",
        "class C<T> where T : System.IDisposable { C(T t) { t.Disposed += OnDisposed; } }",
        "struct S { S(int x) { System.Console.CancelKeyPress += OnCancel; } void OnCancel(object s, System.ConsoleCancelEventArgs e) { } }",
        "class C { static C() { System.Console.CancelKeyPress += OnCancel; } void OnCancel(object s, System.ConsoleCancelEventArgs e) { } }",
        "class C { C() { (System.AppDomain.CurrentDomain).ProcessExit += OnExit; } void OnExit(object s) { } }",
        "class C { C(dynamic d) { d.Changed += (System.EventHandler)OnChanged; } void OnChanged(object s, System.EventArgs e) { } }",
    };
}
