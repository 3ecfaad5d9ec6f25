namespace LeakAnalyzers.CodeFixes.Closures;

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using LeakAnalyzers.Closures;
using Microsoft.CodeAnalysis.Operations;

/// <summary>
/// LEAK302: ends the sharing by giving one side of it a block of its own. The compiler makes one closure object per
/// scope, and an inner block's closure points to its parent's, never the other way; so once the retained variable
/// (or the long-lived lambda) is declared in a nested block, the long-lived lambda's closure no longer holds it.
/// Two actions, each offered only when the move is mechanical:
/// <list type="bullet">
/// <item><b>Move the variable</b>: wrap the statements from the retained variable's declaration to its last use in
/// <c>{ }</c>. Offered when the long-lived lambda is outside that range.</item>
/// <item><b>Move the long-lived lambda</b>: wrap the statements from the declaration of the first local it captures
/// to the lambda's statement (and the last use of what it captures). Offered when every variable of the shared scope
/// it captures is declared in that range, so that its closure does not point back to the shared one.</item>
/// </list>
/// Both require that nothing declared in the range is used outside it, and that the range declares no <c>using</c>
/// local (its disposal would move) and no label (a <c>goto</c> could no longer reach it).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SplitClosureScopeCodeFix)), Shared]
public sealed class SplitClosureScopeCodeFix() : LeakCodeFix(
    Descriptors.LEAK302SharedClosureKeepsLocal.Id,
    new FixAction("Move the variable and its uses into a block of their own", MoveVariableKey, (editor, diagnostic) => Plan(editor, diagnostic, moveLambda: false), oneAtATime: true),
    new FixAction("Move the long-lived lambda and what it captures into a block of their own", MoveLambdaKey, (editor, diagnostic) => Plan(editor, diagnostic, moveLambda: true), oneAtATime: true))
{
    internal const string MoveVariableKey = "LEAK302.MoveVariable";
    internal const string MoveLambdaKey = "LEAK302.MoveLambda";

    /// <summary>
    /// Wraps the range in a block. Fix All moves one at a time (<see cref="FixAction.OneAtATime"/>), each decided on the
    /// document as the previous ones left it: two ranges of one block may overlap, and each move changes what the next may do.
    /// </summary>
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic, bool moveLambda)
    {
        if (Sharing.Find(editor.Root, editor.SemanticModel, diagnostic, editor.CancellationToken) is not { } sharing ||
            (moveLambda ? sharing.MoveLambda() : sharing.MoveVariable()) is not { } range)
        {
            return false;
        }

        if (!moveLambda)
        {
            editor.Title = "Move '" + sharing.Variable.Name + "' and its uses into a block of their own";
        }

        editor.Rewrite(sharing.Block, (root, block) => Wrap(root, block, range));
        return true;
    }

    /// <summary>
    /// Wraps the statements in <c>{ }</c>. The braces take the first statement's indentation and the last one's line
    /// end; every line of the moved statements gets one more indentation step, and nothing else of them is reformatted.
    /// </summary>
    private static SyntaxNode Wrap(SyntaxNode root, BlockSyntax block, (int Start, int End) range)
    {
        var statements = block.Statements;
        var moved = statements.Skip(range.Start).Take(range.End - range.Start + 1).ToList();
        var leading = moved[0].GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1].ToString() : string.Empty;
        var step = IndentationStep(block, indentation);
        var lastTrailing = moved[moved.Count - 1].GetTrailingTrivia();
        var newLine = lastTrailing.LastOrDefault(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia));
        var lineEnd = newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.ElasticCarriageReturnLineFeed;
        var indented = moved.Select(statement => Indent(statement, step)).ToList();
        var inner = SyntaxFactory.Block(
            SyntaxFactory.Token(leading, SyntaxKind.OpenBraceToken, SyntaxFactory.TriviaList(lineEnd)),
            SyntaxFactory.List(indented),
            SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indentation)), SyntaxKind.CloseBraceToken, SyntaxFactory.TriviaList(lineEnd)));
        indented[0] = indented[0].WithLeadingTrivia(SyntaxFactory.Whitespace(indentation + step));
        inner = inner.WithStatements(SyntaxFactory.List(indented));
        var rewritten = statements.Take(range.Start).Append(inner).Concat(statements.Skip(range.End + 1));
        return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(rewritten)));
    }

    /// <summary>The block's own step: its statements' indentation beyond its brace's; four spaces when unclear.</summary>
    private static string IndentationStep(BlockSyntax block, string statementIndentation)
    {
        var braceLeading = block.OpenBraceToken.LeadingTrivia;
        var braceIndentation = braceLeading.Count > 0 && braceLeading[braceLeading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? braceLeading[braceLeading.Count - 1].ToString()
            : string.Empty;
        return statementIndentation.Length > braceIndentation.Length && statementIndentation.StartsWith(braceIndentation, System.StringComparison.Ordinal)
            ? statementIndentation.Substring(braceIndentation.Length)
            : "    ";
    }

    /// <summary>Adds <paramref name="step"/> to the whitespace that starts each line of the statement.</summary>
    private static StatementSyntax Indent(StatementSyntax statement, string step)
    {
        var lineStarts = new HashSet<SyntaxToken>();
        var previousEndsLine = true;
        foreach (var token in statement.DescendantTokens())
        {
            if (previousEndsLine || token.LeadingTrivia.Any(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                lineStarts.Add(token);
            }

            previousEndsLine = token.TrailingTrivia.Any(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia));
        }

        return statement.ReplaceTokens(lineStarts, (original, _) =>
        {
            var list = new List<SyntaxTrivia>();
            var atLineStart = PrecededByLineEnd(original);
            foreach (var trivia in original.LeadingTrivia)
            {
                if (atLineStart && trivia.IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    list.Add(SyntaxFactory.Whitespace(step + trivia.ToString()));
                }
                else
                {
                    list.Add(trivia);
                }

                atLineStart = trivia.IsKind(SyntaxKind.EndOfLineTrivia);
            }

            return original.WithLeadingTrivia(list);
        });

        static bool PrecededByLineEnd(SyntaxToken token) =>
            token.GetPreviousToken().TrailingTrivia.Any(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia));
    }

    /// <summary>The long-lived lambda, the retained local, and the block whose closure they share.</summary>
    private sealed class Sharing
    {
        private readonly SemanticModel model;
        private readonly CancellationToken cancellationToken;
        private readonly int lambdaIndex;
        private readonly int variableIndex;

        private Sharing(AnonymousFunctionExpressionSyntax lambda, ILocalSymbol variable, BlockSyntax block, int lambdaIndex, int variableIndex, SemanticModel model, CancellationToken cancellationToken)
        {
            Lambda = lambda;
            Variable = variable;
            Block = block;
            this.lambdaIndex = lambdaIndex;
            this.variableIndex = variableIndex;
            this.model = model;
            this.cancellationToken = cancellationToken;
        }

        internal AnonymousFunctionExpressionSyntax Lambda { get; }

        internal ILocalSymbol Variable { get; }

        internal BlockSyntax Block { get; }

        /// <summary>The diagnostic's lambda and the declarator of the variable it names (its second additional location).</summary>
        internal static (AnonymousFunctionExpressionSyntax Lambda, VariableDeclaratorSyntax Declarator)? Nodes(SyntaxNode root, Diagnostic diagnostic)
        {
            if (diagnostic.AdditionalLocations.Count < 2 || diagnostic.AdditionalLocations[1] is not { IsInSource: true } variableLocation ||
                variableLocation.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(variableLocation.SourceSpan) ||
                !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
            {
                return null;
            }

            var lambda = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>();
            var declarator = root.FindToken(variableLocation.SourceSpan.Start).Parent as VariableDeclaratorSyntax;
            return lambda is null || declarator is null ? null : (lambda, declarator);
        }

        internal static Sharing? Find(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Nodes(root, diagnostic) is { } nodes ? Create(nodes.Lambda, nodes.Declarator, model, cancellationToken) : null;

        internal static Sharing? Create(AnonymousFunctionExpressionSyntax lambda, VariableDeclaratorSyntax declarator, SemanticModel model, CancellationToken cancellationToken)
        {
            // The variable is a local declared by a statement of a block (the analyzer's certain-scope rule).
            if (declarator.Parent?.Parent is not LocalDeclarationStatementSyntax { Parent: BlockSyntax block } declaration ||
                model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol variable)
            {
                return null;
            }

            var lambdaStatement = lambda.Ancestors().FirstOrDefault(node => node.Parent == block) as StatementSyntax;
            if (lambdaStatement is null)
            {
                return null;
            }

            return new Sharing(lambda, variable, block, block.Statements.IndexOf(lambdaStatement), block.Statements.IndexOf(declaration), model, cancellationToken);
        }

        /// <summary>From the variable's declaration to its last use, when the long-lived lambda's statement is not in it.</summary>
        internal (int Start, int End)? MoveVariable()
        {
            var end = LastUse(new[] { (ISymbol)Variable }, variableIndex);
            if (Close(variableIndex, end) is not { } range || (lambdaIndex >= range.Start && lambdaIndex <= range.End))
            {
                return null;
            }

            return range;
        }

        /// <summary>
        /// From the first declaration of a shared-scope local the lambda captures to the lambda's statement, when the
        /// lambda captures nothing else of the shared scope and the variable is not declared in the range.
        /// </summary>
        internal (int Start, int End)? MoveLambda()
        {
            var declaredBy = DeclaredByStatement();
            var moved = new List<ISymbol>();
            var start = lambdaIndex;
            foreach (var symbol in Captured(Lambda))
            {
                if (IsSharedParameter(symbol))
                {
                    // A parameter of the method shares the outermost block's closure and cannot move.
                    return null;
                }

                if (declaredBy.TryGetValue(symbol, out var index))
                {
                    moved.Add(symbol);
                    start = System.Math.Min(start, index);
                }
            }

            if (moved.Count == 0 || Close(start, System.Math.Max(lambdaIndex, LastUse(moved, start))) is not { } range ||
                (variableIndex >= range.Start && variableIndex <= range.End))
            {
                return null;
            }

            // A lambda of the range (the long-lived one included) that captures both a variable declared in the range
            // and one left in the shared scope would link the new closure to the shared one, which still holds the
            // variable.
            bool InRange(ISymbol symbol) => declaredBy.TryGetValue(symbol, out var index) && index >= range.Start && index <= range.End;
            foreach (var statement in Block.Statements.Skip(range.Start).Take(range.End - range.Start + 1))
            {
                foreach (var lambda in statement.DescendantNodesAndSelf().OfType<AnonymousFunctionExpressionSyntax>())
                {
                    var captured = Captured(lambda);
                    if (captured.Any(InRange) && captured.Any(symbol => IsSharedParameter(symbol) || (declaredBy.ContainsKey(symbol) && !InRange(symbol))))
                    {
                        return null;
                    }
                }
            }

            return range;
        }

        /// <summary>A parameter of the method whose outermost block is the shared block (the compiler merges the two scopes).</summary>
        private bool IsSharedParameter(ISymbol symbol) =>
            symbol is IParameterSymbol &&
            Block.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax &&
            SymbolEqualityComparer.Default.Equals(symbol.ContainingSymbol, model.GetEnclosingSymbol(Block.SpanStart, cancellationToken));

        /// <summary>Everything the block's statements declare, with the index of the statement that declares it.</summary>
        private Dictionary<ISymbol, int> DeclaredByStatement()
        {
            var result = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            for (var i = 0; i < Block.Statements.Count; i++)
            {
                foreach (var symbol in Declared(Block.Statements[i]))
                {
                    result[symbol] = i;
                }
            }

            return result;
        }

        /// <summary>Locals and parameters a lambda uses that are declared outside it, as the analyzer counts them.</summary>
        private HashSet<ISymbol> Captured(AnonymousFunctionExpressionSyntax lambda) =>
            model.GetOperation(lambda, cancellationToken) is IAnonymousFunctionOperation function
                ? SharedClosureKeepsLocalAnalyzer.Captured(function)
                : new HashSet<ISymbol>(SymbolEqualityComparer.Default);

        /// <summary>The index of the last statement from <paramref name="start"/> on that uses one of the symbols.</summary>
        private int LastUse(IReadOnlyCollection<ISymbol> symbols, int start)
        {
            var last = start;
            for (var i = start; i < Block.Statements.Count; i++)
            {
                if (Uses(Block.Statements[i], symbols))
                {
                    last = i;
                }
            }

            return last;
        }

        /// <summary>
        /// Grows the range until nothing it declares is used after it; null when something it declares is used
        /// before it (a local function), or when it holds a <c>using</c> local or a label at its top level.
        /// </summary>
        private (int Start, int End)? Close(int start, int end)
        {
            if (start < 0 || end < start)
            {
                return null;
            }

            while (true)
            {
                var declared = new List<ISymbol>();
                for (var i = start; i <= end; i++)
                {
                    declared.AddRange(Declared(Block.Statements[i]));
                }

                var grown = declared.Count == 0 ? end : LastUse(declared, end);
                if (grown == end)
                {
                    break;
                }

                end = grown;
            }

            for (var i = start; i <= end; i++)
            {
                if (Block.Statements[i] is LabeledStatementSyntax ||
                    Block.Statements[i] is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 })
                {
                    return null;
                }
            }

            var all = new List<ISymbol>();
            for (var i = start; i <= end; i++)
            {
                all.AddRange(Declared(Block.Statements[i]));
            }

            for (var i = 0; i < start; i++)
            {
                if (Uses(Block.Statements[i], all))
                {
                    return null;
                }
            }

            // The whole block needs no new block.
            return start == 0 && end == Block.Statements.Count - 1 ? null : (start, end);
        }

        /// <summary>
        /// Everything a statement declares that a later statement of the block could name: locals, local functions,
        /// and expression variables (<c>out var</c>, patterns), whose scope can be the enclosing block.
        /// </summary>
        private IEnumerable<ISymbol> Declared(StatementSyntax statement)
        {
            foreach (var node in statement.DescendantNodesAndSelf())
            {
                var symbol = node switch
                {
                    VariableDeclaratorSyntax declarator => model.GetDeclaredSymbol(declarator, cancellationToken),
                    SingleVariableDesignationSyntax designation => model.GetDeclaredSymbol(designation, cancellationToken),
                    LocalFunctionStatementSyntax function => model.GetDeclaredSymbol(function, cancellationToken),
                    _ => null,
                };
                if (symbol is not null)
                {
                    yield return symbol;
                }
            }
        }

        private bool Uses(SyntaxNode node, IReadOnlyCollection<ISymbol> symbols)
        {
            if (symbols.Count == 0)
            {
                return false;
            }

            var names = new HashSet<string>(symbols.Select(symbol => symbol.Name));
            foreach (var name in node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                if (names.Contains(name.Identifier.ValueText) &&
                    model.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol &&
                    symbols.Contains(symbol.OriginalDefinition, SymbolEqualityComparer.Default))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
