namespace LeakAnalyzers.CodeFixes.Native;

using System.Linq;
using LeakAnalyzers.Native;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK401: wraps the statements after the allocation, to the end of the block, in try/finally with the matching
/// free (<c>Marshal.FreeHGlobal(p)</c>, <c>NativeMemory.AlignedFree(p)</c>, <c>handle.Free()</c>). Offered only where
/// the analyzer found it safe: one allocation, never handed over, never freed elsewhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NativeMemoryNotFreedCodeFix)), Shared]
public sealed class NativeMemoryNotFreedCodeFix() : LeakCodeFix(Descriptors.LEAK401NativeMemoryNotFreed.Id, new FixAction("Free in a finally block", nameof(NativeMemoryNotFreedCodeFix), Plan))
{
    /// <summary>Decided on the original tree; each wrap keeps the statements it moves, so the wraps of others still find theirs.</summary>
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        var semanticModel = editor.SemanticModel;
        var cancellationToken = editor.CancellationToken;
        if (Property(diagnostic, NativeMemoryNotFreedAnalyzer.FixKey) != "tryfinally" ||
            Property(diagnostic, NativeMemoryNotFreedAnalyzer.LocalKey) is not { } localName ||
            Property(diagnostic, NativeMemoryNotFreedAnalyzer.ReleaseKey) is not { } release ||
            editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
        {
            return false;
        }

        ILocalSymbol? local = statement switch
        {
            LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration =>
                semanticModel.GetDeclaredSymbol(declaration.Declaration.Variables[0], cancellationToken) as ILocalSymbol,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } =>
                semanticModel.GetSymbolInfo(assignment.Left, cancellationToken).Symbol as ILocalSymbol,
            _ => null,
        };

        if (local is null || local.Name != localName)
        {
            return false;
        }

        // Moving a local function or a label into the try block would change what can reach it.
        var rest = block.Statements.Skip(block.Statements.IndexOf(statement) + 1);
        if (rest.Any(s => s is LocalFunctionStatementSyntax or LabeledStatementSyntax))
        {
            return false;
        }

        var throughIntPtr = Property(diagnostic, NativeMemoryNotFreedAnalyzer.ThroughIntPtrKey) == "true";
        if (NativeReleaseSyntax.Build(release, throughIntPtr, SyntaxFactory.IdentifierName(local.Name), local.Type, semanticModel, statement.SpanStart) is not { } call)
        {
            return false;
        }

        editor.Rewrite(statement, (root, current) => Apply(root, current, SyntaxFactory.ExpressionStatement(call)));
        return true;
    }

    private static SyntaxNode Apply(SyntaxNode root, StatementSyntax statement, StatementSyntax release)
    {
        if (statement.Parent is not BlockSyntax block)
        {
            return root;
        }

        var index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        StatementSyntax added;
        if (rest.Count == 0)
        {
            added = release.WithAdditionalAnnotations(Formatter.Annotation);
        }
        else
        {
            added = SyntaxFactory.TryStatement(
                    SyntaxFactory.Block(rest),
                    default,
                    SyntaxFactory.FinallyClause(SyntaxFactory.Block(release)))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        var statements = block.Statements.Take(index + 1).Append(added);
        return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statements)));
    }
}
