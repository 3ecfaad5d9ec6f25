namespace LeakAnalyzers.Tests.Disposables.Ownership;

using System.Threading.Tasks;
using Xunit;
using Verify = LeakAnalyzers.Tests.Verifiers.DisposablesVerifier;

/// <summary>Framework calls with ownership rules of their own.</summary>
public class KnownCalls
{
    private const string Forms = """
        namespace System.Windows.Forms
        {
            public class Form : System.IDisposable
            {
                public void Show() { }
                public System.Windows.Forms.DialogResult ShowDialog() => default;
                public void Dispose() => System.GC.SuppressFinalize(this);
                ~Form() { }
            }

            public enum DialogResult { None }
        }
        """;

    [Fact]
    public Task ShownFormDisposesItselfWhenClosed() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                using System.Windows.Forms;
                class C
                {
                    void Open()
                    {
                        var form = new Form();
                        form.Show();
                    }

                    void Ask()
                    {
                        var dialog = {|LEAK001:new Form()|};
                        dialog.ShowDialog();
                    }
                }
                """,
                ("Forms.cs", Forms),
            },
        },
    }.RunAsync();
}
