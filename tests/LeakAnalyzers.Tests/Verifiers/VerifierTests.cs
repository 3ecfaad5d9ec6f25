// The analyzers below exist only to test the verifier: no compiler loads them and they are never released, so
// the rules for shipped analyzers (netstandard2.0, no Workspaces, extended rules, release tracking) do not apply.
#pragma warning disable RS1036, RS1038, RS1041, RS2008

namespace LeakAnalyzers.Tests.Verifiers;

using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Xunit;
using VerifyCS = CSharpAnalyzerVerifier<WriteLineAnalyzer>;
using VerifyFix = CSharpCodeFixVerifier<WriteLineAnalyzer, WriteLineFix>;

/// <summary>
/// The verifier's own tests: with tiny analyzers and fixes defined below, each behaviour the rule tests rely on
/// is shown to pass when it should and to fail (with <see cref="VerificationException"/>) when it should.
/// </summary>
public class VerifierTests
{
    private const string OneCall = """
        using System;

        class C
        {
            void M()
            {
                Console.WriteLine("a");
            }
        }
        """;

    // ---- Expected diagnostics ----

    [Fact]
    public async Task Markup_span_of_the_default_descriptor_passes()
    {
        await VerifyCS.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                void M()
                {
                    [|Console.WriteLine("a")|];
                    Console.Write("not reported");
                }
            }
            """);
    }

    [Fact]
    public async Task Explicit_span_location_and_arguments_pass()
    {
        // Console.WriteLine("a") is on line 7, columns 9 to 31 (one-based; the end is exclusive).
        await VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithSpan(7, 9, 7, 31).WithArguments("\"a\""));
        await VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithLocation(7, 9));
        await VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic("TEST001").WithLocation(7, 9).WithMessage("Console.WriteLine(\"a\") writes to the console"));
        await VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic(WriteLineAnalyzer.Rule).WithLocation(7, 9).WithSeverity(DiagnosticSeverity.Warning));
    }

    [Fact]
    public async Task Unexpected_diagnostic_fails_and_prints_an_expectation_to_paste()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyCS.VerifyAnalyzerAsync(OneCall));
        Assert.Contains("Reported but not expected (1)", failure.Message);
        Assert.Contains("VerifyCS.Diagnostic().WithSpan(7, 9, 7, 31).WithSpan(7, 27, 7, 30).WithArguments(\"\\\"a\\\"\"),", failure.Message);
    }

    [Fact]
    public async Task Printed_expectation_passes_when_pasted()
    {
        // The line printed by the previous test, pasted: the verifier's suggestion must be right.
        await VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithSpan(7, 9, 7, 31).WithSpan(7, 27, 7, 30).WithArguments("\"a\""));
    }

    [Fact]
    public async Task Missing_diagnostic_fails()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyCS.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                void M()
                {
                    [|Console.Write("not reported")|];
                }
            }
            """));
        Assert.Contains("Expected but not reported (1)", failure.Message);
        Assert.Contains("(none)", failure.Message);
    }

    [Fact]
    public async Task Misplaced_diagnostic_fails_and_names_the_difference()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithSpan(7, 9, 7, 30)));
        Assert.Contains("location: expected /0/Test0.cs(7,9,7,30), reported /0/Test0.cs(7,9,7,31)", failure.Message);

        var line = await Assert.ThrowsAsync<VerificationException>(() => VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithLocation(6, 9)));
        Assert.Contains("location: expected /0/Test0.cs(6,9), reported /0/Test0.cs(7,9,7,31)", line.Message);
    }

    [Fact]
    public async Task Wrong_arguments_message_or_severity_fail()
    {
        var arguments = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithLocation(7, 9).WithArguments("\"b\"")));
        Assert.Contains("message from arguments: expected \"Console.WriteLine(\\\"b\\\") writes to the console\"", arguments.Message);

        var message = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithLocation(7, 9).WithMessage("something else")));
        Assert.Contains("message: expected \"something else\"", message.Message);

        var severity = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithLocation(7, 9).WithSeverity(DiagnosticSeverity.Error)));
        Assert.Contains("severity: expected Error, reported Warning", severity.Message);
    }

    [Fact]
    public async Task Each_reported_diagnostic_satisfies_one_expectation_only()
    {
        const string source = """
            using System;

            class C
            {
                void M()
                {
                    Console.WriteLine("a"); Console.WriteLine("b");
                }
            }
            """;
        await VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithSpan(7, 33, 7, 55).WithArguments("\"b\""),
            VerifyCS.Diagnostic().WithSpan(7, 9, 7, 31).WithArguments("\"a\""));
        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyCS.VerifyAnalyzerAsync(
            source,
            VerifyCS.Diagnostic().WithSpan(7, 9, 7, 31).WithArguments("\"a\""),
            VerifyCS.Diagnostic().WithSpan(7, 9, 7, 31).WithArguments("\"a\"")));
        Assert.Contains("Expected but not reported (1)", failure.Message);
        Assert.Contains("Reported but not expected (1)", failure.Message);
    }

    [Fact]
    public void Loose_expectation_does_not_take_the_diagnostic_a_strict_one_needs()
    {
        // Two diagnostics at one place that differ only in message. The loose expectation comes first; a greedy
        // pairing would give it the diagnostic the strict one needs and report a false failure.
        var tree = CSharpSyntaxTree.ParseText("class C { }", path: "/0/Test0.cs");
        var location = Location.Create(tree, new Microsoft.CodeAnalysis.Text.TextSpan(0, 5));
        var first = Diagnostic.Create(WriteLineAnalyzer.Rule, location, "x");
        var second = Diagnostic.Create(WriteLineAnalyzer.Rule, location, "y");
        var place = ImmutableArray.Create(new ResolvedLocation("/0/Test0.cs", new(0, 0), new(0, 5)));
        var loose = new Expectation(VerifyCS.Diagnostic(), place, "loose");
        var strict = new Expectation(VerifyCS.Diagnostic().WithArguments("x"), place, "strict");

        Assert.Equal(new[] { 1, 0 }, DiagnosticComparer.Match(new[] { loose, strict }, new[] { first, second }));
        Assert.Equal(new[] { 0, -1 }, DiagnosticComparer.Match(new[] { strict, strict }, new[] { first, second }));
    }

    [Fact]
    public async Task Markup_and_an_explicit_result_for_the_same_place_expect_one_diagnostic()
    {
        await VerifyCS.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                void M()
                {
                    [|Console.WriteLine("a")|];
                }
            }
            """,
            VerifyCS.Diagnostic().WithLocation(7, 9).WithArguments("\"a\""));
    }

    [Fact]
    public async Task Diagnostics_in_additional_sources_are_expected_by_markup_or_by_path()
    {
        var test = new VerifyCS.Test
        {
            TestCode = "class C { }",
            AdditionalSources =
            {
                ("Other.cs", "class D { void M() { [|System.Console.WriteLine(1)|]; } }"),
                ("Third.cs", "class E { void M() { System.Console.WriteLine(2); } }"),
            },
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithSpan("Third.cs", 1, 22, 1, 49).WithArguments("2") },
        };
        await test.RunAsync();

        test.ExpectedDiagnostics.Clear();
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithSpan(1, 22, 1, 49).WithArguments("2"));
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("WithSpan(\"/0/Third.cs\", 1, 22, 1, 49)", failure.Message);
    }

    [Fact]
    public async Task Analyzer_with_several_descriptors_needs_an_id()
    {
        Assert.Throws<InvalidOperationException>(() => CSharpAnalyzerVerifier<TwoRulesAnalyzer>.Diagnostic());
        Assert.Throws<InvalidOperationException>(() => CSharpAnalyzerVerifier<TwoRulesAnalyzer>.Diagnostic("TEST999"));

        const string source = """
            class C
            {
                void M()
                {
                    {|TEST101:System.Console.Write(1)|};
                    var line = System.Console.ReadLine();
                }
            }
            """;
        await CSharpAnalyzerVerifier<TwoRulesAnalyzer>.VerifyAnalyzerAsync(source, CSharpAnalyzerVerifier<TwoRulesAnalyzer>.Diagnostic("TEST102").WithSpan(6, 20, 6, 45));

        var wrongId = await Assert.ThrowsAsync<VerificationException>(
            () => CSharpAnalyzerVerifier<TwoRulesAnalyzer>.VerifyAnalyzerAsync(source, CSharpAnalyzerVerifier<TwoRulesAnalyzer>.Diagnostic("TEST101").WithSpan(6, 20, 6, 45)));
        Assert.Contains("VerifyCS.Diagnostic(\"TEST102\").WithSpan(6, 20, 6, 45)", wrongId.Message);
    }

    [Fact]
    public async Task Diagnostic_without_location_is_expected_with_no_location()
    {
        await CSharpAnalyzerVerifier<CompilationAnalyzer>.VerifyAnalyzerAsync(
            "class Marker { }",
            CSharpAnalyzerVerifier<CompilationAnalyzer>.Diagnostic());
        await Assert.ThrowsAsync<VerificationException>(() => CSharpAnalyzerVerifier<CompilationAnalyzer>.VerifyAnalyzerAsync(
            "class Marker { }",
            CSharpAnalyzerVerifier<CompilationAnalyzer>.Diagnostic().WithLocation(1, 1)));
        await CSharpAnalyzerVerifier<CompilationAnalyzer>.VerifyAnalyzerAsync("class NoMarker { }");
    }

    [Fact]
    public void Framework_references_are_the_framework_only()
    {
        var names = ReferenceAssemblies.Net.Select(r => System.IO.Path.GetFileNameWithoutExtension(r.Display)).ToList();
        Assert.Contains("System.Runtime", names);
        Assert.Contains("System.Private.CoreLib", names);
        Assert.Contains("netstandard", names);
        Assert.Contains("System.Collections.Immutable", names);
        Assert.DoesNotContain(names, n => n!.StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(names, n => n!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n!.StartsWith("Microsoft.TestPlatform", StringComparison.Ordinal));
        Assert.Same(ReferenceAssemblies.Net[0], ReferenceAssemblies.Net[0]);
    }

    // ---- Numbered locations and additional locations ----

    [Fact]
    public async Task Numbered_locations_check_primary_and_additional_locations_in_order()
    {
        const string source = """
            using System;

            class C
            {
                void M()
                {
                    {|#0:Console.WriteLine({|#1:"{0} {1}"|}, {|#2:1|}, {|#3:2|})|};
                }
            }
            """;
        var expected = VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithArguments("\"{0} {1}\", 1, 2");
        await VerifyCS.VerifyAnalyzerAsync(source, expected);

        // Only the primary location given: additional locations are not checked.
        await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0));

        var order = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(3).WithLocation(2)));
        Assert.Contains("additional location 2: expected /0/Test0.cs(7,41,7,42), reported /0/Test0.cs(7,38,7,39)", order.Message);

        var count = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithLocation(1)));
        Assert.Contains("additional locations: expected 1, reported 3", count.Message);

        var primary = await Assert.ThrowsAsync<VerificationException>(
            () => VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(1)));
        Assert.Contains("location: expected /0/Test0.cs(7,27,7,36)", primary.Message);
    }

    [Fact]
    public async Task Unknown_markup_key_or_broken_markup_is_a_test_error()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => VerifyCS.VerifyAnalyzerAsync(OneCall, VerifyCS.Diagnostic().WithLocation(5)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => VerifyCS.VerifyAnalyzerAsync("class C { [|void M() { } }"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => VerifyCS.VerifyAnalyzerAsync("class C { {|#0:void M() { }|] }"));
    }

    [Fact]
    public void Markup_parser_nests_and_keeps_everything_else()
    {
        var parsed = Markup.Parse("a{|#0:b[|c|]d|}e{|TEST001:f|}$$g", "test");
        Assert.Equal("abcdef$$g", parsed.Text);
        Assert.Equal(3, parsed.Spans.Length);
        Assert.Equal((0, 1, 4), (parsed.Spans[0].Key!.Value, parsed.Spans[0].Span.Start, parsed.Spans[0].Span.End));
        Assert.Equal((null, 2, 3), (parsed.Spans[1].DiagnosticId, parsed.Spans[1].Span.Start, parsed.Spans[1].Span.End));
        Assert.Equal(("TEST001", 5, 6), (parsed.Spans[2].DiagnosticId, parsed.Spans[2].Span.Start, parsed.Spans[2].Span.End));
        Assert.Empty(Markup.Parse("{|#1:|}", "test").Text);
        Assert.Throws<InvalidOperationException>(() => Markup.Parse("x|]", "test"));
        Assert.Throws<InvalidOperationException>(() => Markup.Parse("{|no spaces allowed:x|}", "test"));
    }

    // ---- Compiler errors ----

    [Fact]
    public async Task Code_that_does_not_compile_fails_unless_allowed()
    {
        const string source = """
            using System;

            class C
            {
                void M()
                {
                    [|Console.WriteLine("a")|];
                    int y = undefinedName;
                }
            }
            """;
        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyCS.VerifyAnalyzerAsync(source));
        Assert.Contains("does not compile", failure.Message);
        Assert.Contains("CS0103", failure.Message);
        Assert.Contains("int y = undefinedName;", failure.Message);

        await new VerifyCS.Test { TestCode = source, AllowCompilerErrors = true }.RunAsync();
    }

    [Fact]
    public async Task Expected_compiler_error_takes_part_in_the_comparison()
    {
        await VerifyCS.VerifyAnalyzerAsync("""
            class C
            {
                int M() => {|CS0103:undefinedName|};
            }
            """);
        await VerifyCS.VerifyAnalyzerAsync(
            "class C { int M() => undefinedName; }",
            DiagnosticResult.CompilerError("CS0103").WithSpan(1, 22, 1, 35).WithArguments("undefinedName"));
    }

    [Fact]
    public async Task Framework_references_are_available()
    {
        await VerifyCS.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(IEnumerable<int> values)
                {
                    using var client = new HttpClient();
                    using var stream = new MemoryStream();
                    await Task.Yield();
                    return values.Where(v => v > 0).Sum();
                }
            }
            """);
    }

    // ---- .editorconfig ----

    [Fact]
    public async Task EditorConfig_severity_none_suppresses()
    {
        var test = new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.TEST001.severity = none\n",
        };
        await test.RunAsync();

        test.TestCode = OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal);
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("Expected but not reported (1)", failure.Message);
        Assert.Contains("reported 0", failure.Message);
    }

    [Fact]
    public async Task EditorConfig_severity_error_raises()
    {
        var test = new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.TEST001.severity = error\n",
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithLocation(7, 9).WithSeverity(DiagnosticSeverity.Error) },
        };
        await test.RunAsync();

        test.ExpectedDiagnostics[0] = VerifyCS.Diagnostic().WithLocation(7, 9);
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("severity: expected Warning, reported Error", failure.Message);
    }

    [Fact]
    public async Task EditorConfig_section_that_does_not_match_has_no_effect()
    {
        await new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "root = true\n\n[*.vb]\ndotnet_diagnostic.TEST001.severity = none\n",
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithLocation(7, 9) },
        }.RunAsync();
    }

    [Fact]
    public async Task EditorConfig_keys_reach_the_analyzer_case_insensitively()
    {
        const string source = """
            using System;

            class C
            {
                void M()
                {
                    Console.WriteLine("skip");
                    [|Console.WriteLine("report")|];
                }
            }
            """;

        // AnalyzerConfig lower-cases keys; the analyzer asks for "leak_analyzers.TEST001.ignored_argument".
        await new VerifyCS.Test
        {
            TestCode = source,
            EditorConfig = "root = true\n[*.cs]\nleak_analyzers.TEST001.ignored_argument = \"skip\"\n",
        }.RunAsync();

        var failure = await Assert.ThrowsAsync<VerificationException>(() => new VerifyCS.Test { TestCode = source }.RunAsync());
        Assert.Contains("Console.WriteLine(\"skip\") writes to the console", failure.Message);
    }

    [Fact]
    public async Task EditorConfig_generated_code_is_honoured()
    {
        // The test analyzers skip generated code, as analyzers of this project do.
        await new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "root = true\n[*.cs]\ngenerated_code = true\n",
        }.RunAsync();
        await new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "root = true\n[*.cs]\ngenerated_code = false\n",
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithLocation(7, 9) },
        }.RunAsync();
    }

    [Fact]
    public async Task Global_analyzer_config_applies_too()
    {
        await new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "is_global = true\ndotnet_diagnostic.TEST001.severity = none\n",
        }.RunAsync();
        await new VerifyCS.Test
        {
            TestCode = OneCall,
            EditorConfig = "is_global = true\ndotnet_diagnostic.TEST001.severity = error\n",
            ExpectedDiagnostics = { VerifyCS.Diagnostic().WithLocation(7, 9).WithSeverity(DiagnosticSeverity.Error) },
        }.RunAsync();
    }

    [Fact]
    public async Task EditorConfig_mistakes_are_test_errors()
    {
        // Without a section the key would silently apply to nothing.
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => new VerifyCS.Test { TestCode = OneCall, EditorConfig = "root = true\ndotnet_diagnostic.TEST001.severity = none\n" }.RunAsync());
        var severity = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new VerifyCS.Test { TestCode = OneCall, EditorConfig = "root = true\n[*.cs]\ndotnet_diagnostic.TEST001.severity = loud\n" }.RunAsync());
        Assert.Contains("loud", severity.Message);
    }

    [Fact]
    public async Task Disabled_diagnostics_are_suppressed()
    {
        await new VerifyCS.Test { TestCode = OneCall, DisabledDiagnostics = { "TEST001" } }.RunAsync();
    }

    // ---- Analyzer exceptions ----

    [Fact]
    public async Task Analyzer_that_throws_fails_with_the_exception_text()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(
            () => CSharpAnalyzerVerifier<ThrowingAnalyzer>.VerifyAnalyzerAsync(OneCall));
        Assert.Contains("must never throw", failure.Message);
        Assert.Contains("boom from the test analyzer", failure.Message);
        Assert.Contains(nameof(InvalidOperationException), failure.Message);
    }

    // ---- Code fixes ----

    [Fact]
    public async Task Code_fix_and_fix_all_produce_the_fixed_code()
    {
        await VerifyFix.VerifyCodeFixAsync(
            """
            using System;

            class C
            {
                void M()
                {
                    [|Console.WriteLine("a")|];
                    int x = 1;
                    [|Console.WriteLine(x)|];
                }
            }
            """,
            """
            using System;

            class C
            {
                void M()
                {
                    int x = 1;
                }
            }
            """);
    }

    [Fact]
    public async Task Code_fix_with_explicit_expected_diagnostic()
    {
        await VerifyFix.VerifyCodeFixAsync(
            OneCall,
            VerifyFix.Diagnostic().WithSpan(7, 9, 7, 31).WithArguments("\"a\""),
            """
            using System;

            class C
            {
                void M()
                {
                }
            }
            """);
    }

    [Fact]
    public async Task Wrong_fixed_code_fails_with_a_diff()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyFix.VerifyCodeFixAsync(
            OneCall,
            VerifyFix.Diagnostic().WithLocation(7, 9),
            """
            using System;

            class C
            {
                void M()
                {
                    Console.WriteLine("a");
                }
            }
            """));
        Assert.Contains("code after applying the code fix is not the expected code", failure.Message);
        Assert.Contains("  -         Console.WriteLine(\"a\");", failure.Message);
    }

    [Fact]
    public async Task Wrong_batch_fixed_code_fails_for_fix_all()
    {
        var test = new VerifyFix.Test
        {
            TestCode = OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
            FixedCode = "using System;\n\nclass C\n{\n    void M()\n    {\n    }\n}",
        };
        await test.RunAsync();

        test.BatchFixedCode = test.FixedCode.Replace("void M()", "void N()", StringComparison.Ordinal);
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("Fix All in scope Document", failure.Message);
    }

    [Fact]
    public async Task Fixed_code_compares_line_endings_normalized_but_whitespace_exactly()
    {
        var test = new VerifyFix.Test
        {
            TestCode = "class C\n{\n    void M() { [|System.Console.WriteLine(1)|]; }\n}\n",
            FixedCode = "class C\r\n{\r\n    void M() { }\r\n}\r\n",
        };
        await test.RunAsync();

        test.FixedCode = "class C\n{\n    void M() {  }\n}\n";
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("  -     void M() {  }", failure.Message);
        Assert.Contains("  +     void M() { }", failure.Message);
    }

    [Fact]
    public async Task Code_action_is_chosen_by_index_or_equivalence_key()
    {
        const string fixedToDebug = """
            using System;

            class C
            {
                void M()
                {
                    System.Diagnostics.Debug.WriteLine("a");
                }
            }
            """;
        var byIndex = new VerifyFix.Test
        {
            TestCode = OneCall,
            ExpectedDiagnostics = { VerifyFix.Diagnostic().WithLocation(7, 9) },
            FixedCode = fixedToDebug,
            CodeActionIndex = 1,
        };
        await byIndex.RunAsync();

        var byKey = new VerifyFix.Test
        {
            TestCode = OneCall,
            ExpectedDiagnostics = { VerifyFix.Diagnostic().WithLocation(7, 9) },
            FixedCode = fixedToDebug,
            CodeActionEquivalenceKey = WriteLineFix.DebugKey,
        };
        await byKey.RunAsync();

        // A diagnostic without an action of the key is left unfixed, and the failure says what was offered instead.
        byKey.CodeActionEquivalenceKey = "NoSuchKey";
        var failure = await Assert.ThrowsAsync<VerificationException>(() => byKey.RunAsync());
        Assert.Contains("no code action with equivalence key \"NoSuchKey\"", failure.Message);
        Assert.Contains("'Write to Debug instead'", failure.Message);

        byKey.FixedCode = OneCall;
        byKey.RemainingDiagnostics.Add(VerifyFix.Diagnostic().WithLocation(7, 9));
        await byKey.RunAsync();

        byKey.CodeActionEquivalenceKey = WriteLineFix.DebugKey;
        byKey.CodeActionIndex = 1;
        failure = await Assert.ThrowsAsync<VerificationException>(() => byKey.RunAsync());
        Assert.Contains("offers 1 action(s) with equivalence key \"Debug\", so action index 1 does not exist", failure.Message);
    }

    [Fact]
    public async Task Equivalence_keys_listed_as_not_offered_fail_when_offered()
    {
        // Offered: 'Remove the call' and 'Write to Debug instead'; the first is applied.
        var test = new VerifyFix.Test
        {
            TestCode = OneCall,
            ExpectedDiagnostics = { VerifyFix.Diagnostic().WithLocation(7, 9) },
            FixedCode = "using System;\n\nclass C\n{\n    void M()\n    {\n    }\n}",
            NotOfferedEquivalenceKeys = { "NoSuchKey" },
        };
        await test.RunAsync();

        test.NotOfferedEquivalenceKeys = new() { "NoSuchKey", WriteLineFix.DebugKey };
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("NotOfferedEquivalenceKeys", failure.Message);
        Assert.Contains("'Write to Debug instead' (equivalence key \"Debug\")", failure.Message);
        Assert.DoesNotContain("'Remove the call'", failure.Message);

        // A diagnostic the fix offers nothing for passes, and stays.
        var declined = OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"keep\")|]", StringComparison.Ordinal);
        await new VerifyFix.Test
        {
            TestCode = declined,
            FixedCode = declined,
            NotOfferedEquivalenceKeys = { WriteLineFix.DebugKey, WriteLineFix.RemoveKey },
        }.RunAsync();
    }

    [Fact]
    public async Task Diagnostic_the_fix_declines_must_be_expected_to_remain()
    {
        const string source = """
            using System;

            class C
            {
                void M()
                {
                    [|Console.WriteLine("keep")|];
                    [|Console.WriteLine("a")|];
                }
            }
            """;
        await VerifyFix.VerifyCodeFixAsync(source, """
            using System;

            class C
            {
                void M()
                {
                    [|Console.WriteLine("keep")|];
                }
            }
            """);

        await new VerifyFix.Test
        {
            TestCode = source,
            FixedCode = source.Replace("        [|Console.WriteLine(\"a\")|];\n", string.Empty, StringComparison.Ordinal).Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal),
            RemainingDiagnostics = { VerifyFix.Diagnostic().WithSpan(7, 9, 7, 34).WithArguments("\"keep\"") },
        }.RunAsync();

        await new VerifyFix.Test
        {
            TestCode = source,
            FixedCode = """
                using System;

                class C
                {
                    void M()
                    {
                        {|#0:Console.WriteLine({|#1:"keep"|})|};
                    }
                }
                """,
            RemainingDiagnostics = { VerifyFix.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("\"keep\"") },
        }.RunAsync();

        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyFix.VerifyCodeFixAsync(source, """
            using System;

            class C
            {
                void M()
                {
                    Console.WriteLine("keep");
                }
            }
            """));
        Assert.Contains("The code fix offered no code action for:", failure.Message);
    }

    [Fact]
    public async Task Fix_that_never_converges_fails()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(
            () => CSharpCodeFixVerifier<WriteLineAnalyzer, ParenthesizeFix>.VerifyCodeFixAsync(
                OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
                OneCall));
        Assert.Contains("after 20 iterations", failure.Message);
    }

    [Fact]
    public async Task Fix_that_changes_nothing_fails()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(
            () => CSharpCodeFixVerifier<WriteLineAnalyzer, NoChangeFix>.VerifyCodeFixAsync(
                OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
                OneCall));
        Assert.Contains("changed nothing", failure.Message);
    }

    [Fact]
    public async Task Fix_that_breaks_the_code_fails()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(
            () => CSharpCodeFixVerifier<WriteLineAnalyzer, BreakingFix>.VerifyCodeFixAsync(
                OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
                OneCall.Replace("Console.WriteLine", "Undefined.WriteLine", StringComparison.Ordinal)));
        Assert.Contains("code after applying the code fix does not compile", failure.Message);
        Assert.Contains("CS0103", failure.Message);
    }

    [Fact]
    public async Task Formatter_and_simplifier_annotations_of_a_fix_are_applied()
    {
        // The fix inserts "System.Console.Write( \"a\" ) ;" marked for formatting and simplification.
        await CSharpCodeFixVerifier<WriteLineAnalyzer, FormattingFix>.VerifyCodeFixAsync(
            OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
            OneCall.Replace("Console.WriteLine(\"a\")", "Console.Write(\"a\")", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fix_that_throws_fails_with_the_exception_text()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(
            () => CSharpCodeFixVerifier<WriteLineAnalyzer, ThrowingFix>.VerifyCodeFixAsync(
                OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
                OneCall));
        Assert.Contains("ThrowingFix.RegisterCodeFixesAsync threw", failure.Message);
        Assert.Contains("boom from the test fix", failure.Message);
    }

    [Fact]
    public async Task Fix_without_fix_all_provider_fails_unless_fix_all_is_skipped()
    {
        var test = new CSharpCodeFixVerifier<WriteLineAnalyzer, NoFixAllFix>.Test
        {
            TestCode = OneCall.Replace("Console.WriteLine(\"a\")", "[|Console.WriteLine(\"a\")|]", StringComparison.Ordinal),
            FixedCode = "using System;\n\nclass C\n{\n    void M()\n    {\n    }\n}",
        };
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("GetFixAllProvider() returned null", failure.Message);

        test.FixAllScopes.Clear();
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_reaches_additional_sources_in_project_and_solution_scope()
    {
        var test = new VerifyFix.Test
        {
            TestCode = "class C { void M() { [|System.Console.WriteLine(1)|]; } }",
            AdditionalSources = { ("Other.cs", "class D { void M() { [|System.Console.WriteLine(2)|]; } }") },
            FixedCode = "class C { void M() { } }",
            FixedAdditionalSources = { ("Other.cs", "class D { void M() { } }") },
        };
        await test.RunAsync();

        test.FixedAdditionalSources.Clear();
        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());
        Assert.Contains("/0/Other.cs differs", failure.Message);
    }

    [Fact]
    public async Task Fixed_code_is_required()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => new VerifyFix.Test { TestCode = OneCall }.RunAsync());
    }

    [Fact]
    public async Task Code_fix_test_checks_the_test_code_diagnostics_first()
    {
        var failure = await Assert.ThrowsAsync<VerificationException>(() => VerifyFix.VerifyCodeFixAsync(OneCall, OneCall));
        Assert.Contains("Diagnostics in the test code do not match", failure.Message);
    }
}

/// <summary>TEST001 on every <c>Console.WriteLine</c> call; additional locations are the arguments.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class WriteLineAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        "TEST001", "Console output", "Console.WriteLine({0}) writes to the console", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var console = start.Compilation.GetTypeByMetadataName("System.Console");
            if (console is null)
            {
                return;
            }

            start.RegisterOperationAction(
                operationContext =>
                {
                    var invocation = (IInvocationOperation)operationContext.Operation;
                    if (invocation.TargetMethod.Name != "WriteLine"
                        || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, console))
                    {
                        return;
                    }

                    var arguments = ((InvocationExpressionSyntax)invocation.Syntax).ArgumentList.Arguments;
                    var argumentText = string.Join(", ", arguments.Select(a => a.ToString()));
                    var options = operationContext.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
                    if (options.TryGetValue("leak_analyzers.TEST001.ignored_argument", out var ignored) && ignored == argumentText)
                    {
                        return;
                    }

                    operationContext.ReportDiagnostic(Diagnostic.Create(
                        Rule,
                        invocation.Syntax.GetLocation(),
                        arguments.Select(a => a.GetLocation()),
                        argumentText));
                },
                OperationKind.Invocation);
        });
    }
}

/// <summary>TEST101 on <c>Console.Write</c>, TEST102 on <c>Console.ReadLine</c>.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class TwoRulesAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Write = new("TEST101", "Write", "Write", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
    private static readonly DiagnosticDescriptor ReadLine = new("TEST102", "ReadLine", "ReadLine", "Test", DiagnosticSeverity.Info, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Write, ReadLine);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(
            operationContext =>
            {
                var method = ((IInvocationOperation)operationContext.Operation).TargetMethod;
                if (method.ContainingType.ToDisplayString() != "System.Console")
                {
                    return;
                }

                var descriptor = method.Name switch { "Write" => Write, "ReadLine" => ReadLine, _ => null };
                if (descriptor is not null)
                {
                    operationContext.ReportDiagnostic(Diagnostic.Create(descriptor, operationContext.Operation.Syntax.GetLocation()));
                }
            },
            OperationKind.Invocation);
    }
}

/// <summary>TEST300, without a location, when the compilation declares a type named Marker.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class CompilationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new(
        "TEST300", "Marker", "The compilation has a Marker", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true, customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationAction(compilationContext =>
        {
            if (compilationContext.Compilation.GetTypeByMetadataName("Marker") is not null)
            {
                compilationContext.ReportDiagnostic(Diagnostic.Create(Rule, Location.None));
            }
        });
    }
}

/// <summary>Throws on every invocation: the verifier must turn that into a failure.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ThrowingAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("TEST900", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("boom from the test analyzer"), SyntaxKind.InvocationExpression);
    }
}

/// <summary>
/// Fixes TEST001: action 0 removes the statement, action 1 writes to Debug instead. Declines calls whose argument
/// is <c>"keep"</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp)]
internal class WriteLineFix : CodeFixProvider
{
    public const string RemoveKey = "Remove";
    public const string DebugKey = "Debug";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST001");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var invocation = root?.FindNode(context.Span).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        if (root is null || invocation is null || invocation.ArgumentList.Arguments.FirstOrDefault()?.ToString() == "\"keep\"")
        {
            return;
        }

        if (invocation.Parent is ExpressionStatementSyntax statement)
        {
            context.RegisterCodeFix(
                CodeAction.Create("Remove the call", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia)!)), RemoveKey),
                context.Diagnostics);
        }

        var debug = SyntaxFactory.ParseExpression("System.Diagnostics.Debug.WriteLine").WithTriviaFrom(invocation.Expression);
        context.RegisterCodeFix(
            CodeAction.Create("Write to Debug instead", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation.Expression, debug))), DebugKey),
            context.Diagnostics);
    }
}

/// <summary>Same as <see cref="WriteLineFix"/> but without Fix All.</summary>
internal sealed class NoFixAllFix : WriteLineFix
{
    public override FixAllProvider? GetFixAllProvider() => null;
}

/// <summary>Wraps the argument in parentheses: the diagnostic stays, so fixing never ends.</summary>
internal sealed class ParenthesizeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST001");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var argument = root?.FindNode(context.Span).FirstAncestorOrSelf<InvocationExpressionSyntax>()?.ArgumentList.Arguments.FirstOrDefault();
        if (root is null || argument is null)
        {
            return;
        }

        var wrapped = argument.WithExpression(SyntaxFactory.ParenthesizedExpression(argument.Expression));
        context.RegisterCodeFix(
            CodeAction.Create("Parenthesize", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument, wrapped))), "Parenthesize"),
            context.Diagnostics);
    }
}

/// <summary>Offers an action that returns the document unchanged.</summary>
internal sealed class NoChangeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST001");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        context.RegisterCodeFix(CodeAction.Create("Nothing", _ => Task.FromResult(context.Document), "Nothing"), context.Diagnostics);
        return Task.CompletedTask;
    }
}

/// <summary>Replaces the statement with an unformatted, fully qualified Console.Write marked for cleanup.</summary>
internal sealed class FormattingFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST001");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var statement = root?.FindNode(context.Span).FirstAncestorOrSelf<ExpressionStatementSyntax>();
        if (root is null || statement is null)
        {
            return;
        }

        var replacement = (ExpressionStatementSyntax)SyntaxFactory.ParseStatement("System.Console.Write( \"a\" ) ;");
        var invocation = (InvocationExpressionSyntax)replacement.Expression;
        replacement = replacement
            .ReplaceNode(invocation.Expression, invocation.Expression.WithAdditionalAnnotations(Simplifier.Annotation))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        context.RegisterCodeFix(
            CodeAction.Create("Write", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(statement, replacement))), "Write"),
            context.Diagnostics);
    }
}

/// <summary>Throws while registering its fix.</summary>
internal sealed class ThrowingFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST001");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => throw new InvalidOperationException("boom from the test fix");
}

/// <summary>Replaces <c>Console</c> with a name that does not exist.</summary>
internal sealed class BreakingFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("TEST001");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var invocation = root?.FindNode(context.Span).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        if (root is null || invocation?.Expression is not MemberAccessExpressionSyntax access)
        {
            return;
        }

        var broken = access.WithExpression(SyntaxFactory.IdentifierName("Undefined").WithTriviaFrom(access.Expression));
        context.RegisterCodeFix(
            CodeAction.Create("Break", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(access, broken))), "Break"),
            context.Diagnostics);
    }
}
