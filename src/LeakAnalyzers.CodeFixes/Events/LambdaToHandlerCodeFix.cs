namespace LeakAnalyzers.CodeFixes.Events;

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Formatting;

/// <summary>
/// LEAK102: gives the lambda a name that a <c>-=</c> can use, and removes it in Dispose. The lambda becomes a
/// private method (<c>OnTick</c>) when it uses nothing but <c>this</c> and its own parameters; when it captures
/// locals or parameters it is kept in a field instead. A <c>-=</c> in the type with the same lambda text (which
/// removed nothing) is pointed at the new name; otherwise the removal is added to Dispose.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LambdaToHandlerCodeFix)), Shared]
public sealed class LambdaToHandlerCodeFix() : LeakCodeFix(Descriptors.LEAK102LambdaCannotBeRemoved.Id, new FixAction("Give the lambda a name and remove it in Dispose", nameof(LambdaToHandlerCodeFix), Plan))
{
    private static bool Plan(TypeEditor editor, Diagnostic diagnostic)
    {
        var semanticModel = editor.SemanticModel;
        if (editor.TypeOf(diagnostic) is not { } type ||
            editor.NodeAt(diagnostic)?.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is not { } lambda ||
            lambda.FirstAncestorOrSelf<AssignmentExpressionSyntax>(a => a.IsKind(SyntaxKind.AddAssignmentExpression)) is not { } assignment ||
            !assignment.Right.Span.Contains(lambda.Span) ||
            editor.IsReplaced(assignment.Right) ||
            semanticModel.GetTypeInfo(lambda, editor.CancellationToken).ConvertedType is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke } delegateType ||
            lambda.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m.Parent == type) is not { } member)
        {
            return false;
        }

        var eventName = assignment.Left switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => "Event",
        };

        var useMethod = !CapturesLocals(lambda, semanticModel) && semanticModel.GetEnclosingSymbol(lambda.SpanStart, editor.CancellationToken) is not IMethodSymbol { IsGenericMethod: true };
        var name = editor.UniqueName(type, useMethod ? "On" + eventName : "on" + eventName + "Handler");
        var removalInType = RemovalsOfTheSameLambda(type, assignment, lambda).ToList();
        var removal = removalInType.Count > 0 ? null : EventFixes.Removal(diagnostic, name);
        if (removalInType.Count == 0 && (removal is null || !editor.CanAddToDispose(type)))
        {
            return false; // a name alone would not end the subscription.
        }

        var reference = SyntaxFactory.IdentifierName(name);
        if (useMethod)
        {
            editor.AddMember(type, Method(name, lambda, invoke, semanticModel), member);
            editor.Replace(assignment.Right, reference.WithTriviaFrom(assignment.Right));
        }
        else
        {
            editor.AddField(type, Field(name, delegateType, semanticModel, type.SpanStart));
            if (assignment.Parent is ExpressionStatementSyntax statement)
            {
                var store = SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, reference, assignment.Right.WithoutTrivia()))
                    .WithLeadingTrivia(statement.GetLeadingTrivia())
                    .WithTrailingTrivia(editor.NewLine);
                var subscribe = statement.WithExpression(assignment.WithRight(reference.WithTriviaFrom(assignment.Right)))
                    .WithLeadingTrivia(statement.GetLeadingTrivia());
                editor.ReplaceWithMany(statement, new SyntaxNode[] { store, subscribe });
            }
            else
            {
                editor.Replace(assignment.Right, SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, reference, assignment.Right.WithoutTrivia()).WithTriviaFrom(assignment.Right));
            }
        }

        foreach (var other in removalInType)
        {
            editor.Replace(other.Right, reference.WithTriviaFrom(other.Right));
        }

        return removal is null || editor.AddToDispose(type, removal);
    }

    /// <summary>Whether the lambda uses locals or parameters from outside it (a method could not see them).</summary>
    private static bool CapturesLocals(AnonymousFunctionExpressionSyntax lambda, SemanticModel semanticModel)
    {
        var flow = semanticModel.AnalyzeDataFlow(lambda);
        if (flow is null || !flow.Succeeded)
        {
            return true;
        }

        foreach (var symbol in flow.ReadInside.Concat(flow.WrittenInside))
        {
            if (symbol is IParameterSymbol { IsThis: true } || flow.VariablesDeclared.Contains(symbol, SymbolEqualityComparer.Default))
            {
                continue;
            }

            if (symbol is ILocalSymbol or IParameterSymbol)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>-=</c> with the same lambda text on the same event, anywhere in the type.</summary>
    private static IEnumerable<AssignmentExpressionSyntax> RemovalsOfTheSameLambda(TypeDeclarationSyntax type, AssignmentExpressionSyntax add, AnonymousFunctionExpressionSyntax lambda)
    {
        foreach (var node in type.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SubtractAssignmentExpression } removal &&
                removal.Left.IsEquivalentTo(add.Left, topLevel: false) &&
                removal.Right.IsEquivalentTo(add.Right, topLevel: false) &&
                removal.Right.DescendantNodesAndSelf().OfType<AnonymousFunctionExpressionSyntax>().Any(other => other.IsEquivalentTo(lambda, topLevel: false)))
            {
                yield return removal;
            }
        }
    }

    private static MethodDeclarationSyntax Method(string name, AnonymousFunctionExpressionSyntax lambda, IMethodSymbol invoke, SemanticModel semanticModel)
    {
        var position = lambda.SpanStart;
        var annotations = (semanticModel.GetNullableContext(position) & NullableContext.AnnotationsEnabled) != 0;
        TypeSyntax TypeName(ITypeSymbol type) =>
            type.SpecialType == SpecialType.System_Void
                ? SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.VoidKeyword))
                : SyntaxFactory.ParseTypeName((annotations || !type.IsReferenceType ? type : type.WithNullableAnnotation(NullableAnnotation.None)).ToMinimalDisplayString(semanticModel, position));

        var lambdaParameters = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter.Identifier.ValueText },
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters.Select(p => p.Identifier.ValueText).ToArray(),
            AnonymousMethodExpressionSyntax { ParameterList: { } list } => list.Parameters.Select(p => p.Identifier.ValueText).ToArray(),
            _ => new string[0],
        };

        var parameters = new List<ParameterSyntax>();
        for (var i = 0; i < invoke.Parameters.Length; i++)
        {
            var parameter = invoke.Parameters[i];
            var parameterName = i < lambdaParameters.Length && lambdaParameters[i] != "_" ? lambdaParameters[i] : parameter.Name;
            var syntax = SyntaxFactory.Parameter(SyntaxFactory.Identifier(parameterName))
                .WithType(TypeName(parameter.Type).WithTrailingTrivia(SyntaxFactory.Space));
            syntax = parameter.RefKind switch
            {
                RefKind.Ref => syntax.WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.RefKeyword).WithTrailingTrivia(SyntaxFactory.Space))),
                RefKind.Out => syntax.WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.OutKeyword).WithTrailingTrivia(SyntaxFactory.Space))),
                RefKind.In => syntax.WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.InKeyword).WithTrailingTrivia(SyntaxFactory.Space))),
                _ => syntax,
            };
            parameters.Add(syntax);
        }

        var modifiers = new List<SyntaxToken> { SyntaxFactory.Token(SyntaxKind.PrivateKeyword).WithTrailingTrivia(SyntaxFactory.Space) };
        if (lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
        {
            modifiers.Add(SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space));
        }

        var method = SyntaxFactory.MethodDeclaration(
                TypeName(invoke.ReturnType).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.Identifier(name))
            .WithModifiers(SyntaxFactory.TokenList(modifiers))
            .WithParameterList(SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(parameters)));

        method = lambda.Body switch
        {
            BlockSyntax block => method.WithBody(block.WithoutTrivia()),
            ExpressionSyntax expression => method
                .WithExpressionBody(SyntaxFactory.ArrowExpressionClause(expression.WithoutTrivia()))
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
            _ => method,
        };

        return method.WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static FieldDeclarationSyntax Field(string name, INamedTypeSymbol delegateType, SemanticModel semanticModel, int position)
    {
        var typeName = delegateType.ToMinimalDisplayString(semanticModel, position);
        if ((semanticModel.GetNullableContext(position) & NullableContext.AnnotationsEnabled) != 0)
        {
            typeName += "?";
        }

        return (FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration($"private {typeName} {name};")!;
    }
}
