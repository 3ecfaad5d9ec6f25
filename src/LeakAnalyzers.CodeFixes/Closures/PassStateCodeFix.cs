namespace LeakAnalyzers.CodeFixes.Closures;

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using LeakAnalyzers.Closures;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

/// <summary>
/// LEAK302: hands the long-lived lambda its one variable through the API's state argument and makes it capture
/// nothing, so that it no longer holds the shared closure:
/// <c>new Timer(_ => Tick(queue), null, 0, 1000)</c> becomes <c>new Timer(static state => Tick((Queue)state!), queue, 0, 1000)</c>,
/// and <c>token.Register(() => request.Cancel())</c> becomes <c>token.Register(static state => ((Request)state!).Cancel(), request)</c>.
/// The place then keeps the variable's value, which the lambda used anyway, and not the closure.
/// <para>
/// Offered only when the rewrite means the same thing: the callback is a lambda whose delegate's first parameter is
/// an <c>object</c> the API fills with a state argument that is <c>null</c> today (or <c>CancellationToken.Register</c>
/// without state, which has a state overload); the lambda does not use that parameter, uses exactly one local or
/// parameter of the method and neither <c>this</c> nor a local function; and the variable is never assigned after its
/// declaration (the lambda then sees the value it would have read) and is a class, a primitive or an enum (a copy of
/// another struct could differ from the variable).
/// </para>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassStateCodeFix)), Shared]
public sealed class PassStateCodeFix() : LeakCodeFix(Descriptors.LEAK302SharedClosureKeepsLocal.Id, new FixAction("Pass the variable as the callback's state to a lambda that captures nothing", Key, PlanFix))
{
    internal const string Key = "LEAK302.PassState";

    /// <summary>
    /// Every plan is made on the original tree; the rewrites touch disjoint calls, so they apply together. A callback
    /// nested in another's arguments loses to the outer rewrite, which is written from the original nodes.
    /// </summary>
    private static bool PlanFix(TypeEditor editor, Diagnostic diagnostic)
    {
        if (Plan.Create(editor.Root, editor.SemanticModel, diagnostic, editor.CancellationToken) is not { } plan)
        {
            return false;
        }

        editor.Title = "Pass '" + plan.Variable.Name + "' as the callback's state to a lambda that captures nothing";
        editor.Replace(plan.ArgumentList, plan.NewArgumentList());
        return true;
    }

    private sealed class Plan
    {
        private readonly LambdaExpressionSyntax lambda;
        private readonly ArgumentSyntax? stateArgument;
        private readonly ParameterSyntax? stateParameter;
        private readonly IReadOnlyList<IdentifierNameSyntax> uses;
        private readonly TypeSyntax type;
        private readonly string stateName;
        private readonly bool suppressNull;
        private readonly bool makeStatic;

        private Plan(
            ArgumentListSyntax argumentList,
            LambdaExpressionSyntax lambda,
            ISymbol variable,
            ArgumentSyntax? stateArgument,
            ParameterSyntax? stateParameter,
            IReadOnlyList<IdentifierNameSyntax> uses,
            TypeSyntax type,
            string stateName,
            bool suppressNull,
            bool makeStatic)
        {
            ArgumentList = argumentList;
            this.lambda = lambda;
            Variable = variable;
            this.stateArgument = stateArgument;
            this.stateParameter = stateParameter;
            this.uses = uses;
            this.type = type;
            this.stateName = stateName;
            this.suppressNull = suppressNull;
            this.makeStatic = makeStatic;
        }

        internal ArgumentListSyntax ArgumentList { get; }

        internal ISymbol Variable { get; }

        internal static Plan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan) ||
                root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<LambdaExpressionSyntax>() is not { } lambda ||
                lambda.Parent is not ArgumentSyntax { NameColon: null } callbackArgument ||
                callbackArgument.Parent is not ArgumentListSyntax argumentList ||
                model.GetOperation(callbackArgument, cancellationToken) is not IArgumentOperation { Parameter: { } callbackParameter } callback ||
                model.GetOperation(lambda, cancellationToken) is not IAnonymousFunctionOperation function)
            {
                return null;
            }

            // Where the state goes: the API's state argument, null today, or the state overload of Register.
            ArgumentSyntax? stateArgument = null;
            if (callback.Parent is IInvocationOperation or IObjectCreationOperation &&
                StateParameter(callback.Parent) is { } state)
            {
                if (!LeakAnalyzers.Shared.Operations.IsNullOrDefault(state.Value) || state.Syntax is not ArgumentSyntax stateSyntax)
                {
                    return null;
                }

                stateArgument = stateSyntax;
            }
            else if (!(callback.Parent is IInvocationOperation { TargetMethod: { Name: "Register", ContainingType: { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } } } &&
                       callbackParameter.Type is INamedTypeSymbol { Name: "Action", Arity: 0 } &&
                       argumentList.Arguments.All(argument => argument.NameColon is null)))
            {
                return null;
            }

            // The lambda's state parameter, which must be unused: it was null until now.
            var parameters = lambda switch
            {
                SimpleLambdaExpressionSyntax simple => SyntaxFactory.SingletonSeparatedList(simple.Parameter),
                ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters,
                _ => default,
            };
            var stateParameter = stateArgument is null ? null : parameters.FirstOrDefault();
            if ((stateArgument is null ? parameters.Count != 0 : stateParameter is null) ||
                (stateParameter is not null && function.Symbol.Parameters.Length > 0 && IsUsed(function, function.Symbol.Parameters[0])))
            {
                return null;
            }

            if (Captured(function) is not { } variable || !IsFixedValue(variable, function, model, cancellationToken) ||
                VariableType(variable) is not { } variableType || !CanTravelAsObject(variableType))
            {
                return null;
            }

            var uses = lambda.DescendantNodes().OfType<IdentifierNameSyntax>()
                .Where(name => name.Identifier.ValueText == variable.Name &&
                               SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, variable))
                .ToList();
            if (uses.Any(use => use.Ancestors().OfType<InvocationExpressionSyntax>().Any(invocation => invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" })))
            {
                // nameof(variable) names the variable, not its value.
                return null;
            }

            var typeSyntax = SyntaxFactory.ParseTypeName(variableType.ToMinimalDisplayString(model, lambda.SpanStart));
            var languageVersion = ((CSharpParseOptions)lambda.SyntaxTree.Options).LanguageVersion;
            var nullable = model.GetNullableContext(lambda.SpanStart);
            return new Plan(
                argumentList,
                lambda,
                variable,
                stateArgument,
                stateParameter,
                uses,
                typeSyntax,
                UniqueName(lambda, model, "state", cancellationToken),
                languageVersion >= LanguageVersion.CSharp8 && (nullable.AnnotationsEnabled() || nullable.WarningsEnabled()),
                languageVersion >= LanguageVersion.CSharp9 && !lambda.Modifiers.Any(SyntaxKind.StaticKeyword));
        }

        internal ArgumentListSyntax NewArgumentList()
        {
            var variable = SyntaxFactory.IdentifierName(Variable.Name);
            var separators = ArgumentList.Arguments.GetSeparators().ToList();
            var list = new List<SyntaxNodeOrToken>();
            for (var i = 0; i < ArgumentList.Arguments.Count; i++)
            {
                var argument = ArgumentList.Arguments[i];
                if (argument.Expression == lambda)
                {
                    list.Add(argument.WithExpression(NewLambda()));
                    if (stateArgument is null)
                    {
                        list.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
                        list.Add(SyntaxFactory.Argument(variable));
                    }
                }
                else
                {
                    list.Add(argument == stateArgument ? argument.WithExpression(variable.WithTriviaFrom(argument.Expression)) : argument);
                }

                if (i < separators.Count)
                {
                    list.Add(separators[i]);
                }
            }

            return ArgumentList.WithArguments(SyntaxFactory.SeparatedList<ArgumentSyntax>(list));
        }

        private LambdaExpressionSyntax NewLambda()
        {
            ExpressionSyntax Cast()
            {
                ExpressionSyntax state = SyntaxFactory.IdentifierName(stateName);
                if (suppressNull)
                {
                    state = SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, state);
                }

                return SyntaxFactory.ParenthesizedExpression(SyntaxFactory.CastExpression(type, state))
                    .WithAdditionalAnnotations(Simplifier.Annotation);
            }

            var rewritten = lambda.ReplaceNodes(uses, (original, _) => Cast().WithTriviaFrom(original));
            var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(stateName));
            LambdaExpressionSyntax result;
            if (stateParameter is null)
            {
                // () => ... becomes state => ...
                var parenthesized = (ParenthesizedLambdaExpressionSyntax)rewritten;
                result = SyntaxFactory.SimpleLambdaExpression(parameter.WithTriviaFrom(parenthesized.ParameterList), parenthesized.Body)
                    .WithArrowToken(parenthesized.ArrowToken)
                    .WithAsyncKeyword(parenthesized.AsyncKeyword)
                    .WithModifiers(parenthesized.Modifiers)
                    .WithTriviaFrom(parenthesized);
            }
            else
            {
                var index = lambda is SimpleLambdaExpressionSyntax ? 0 : ((ParenthesizedLambdaExpressionSyntax)lambda).ParameterList.Parameters.IndexOf(stateParameter);
                result = rewritten switch
                {
                    SimpleLambdaExpressionSyntax simple => simple.WithParameter(simple.Parameter.WithIdentifier(SyntaxFactory.Identifier(stateName).WithTriviaFrom(simple.Parameter.Identifier))),
                    ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithParameterList(parenthesized.ParameterList.WithParameters(
                        parenthesized.ParameterList.Parameters.Replace(
                            parenthesized.ParameterList.Parameters[index],
                            parenthesized.ParameterList.Parameters[index].WithIdentifier(SyntaxFactory.Identifier(stateName).WithTriviaFrom(parenthesized.ParameterList.Parameters[index].Identifier))))),
                    _ => rewritten,
                };
            }

            if (makeStatic)
            {
                var leading = result.GetLeadingTrivia();
                result = result.WithoutLeadingTrivia().WithModifiers(result.Modifiers.Insert(0, SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space)))
                    .WithLeadingTrivia(leading);
            }

            return result;
        }

        /// <summary>
        /// The argument of the API's <c>state</c> parameter (an <c>object</c> named <c>state</c>), when the callback's
        /// delegate takes an <c>object</c> first: the API passes that argument to the callback.
        /// </summary>
        private static IArgumentOperation? StateParameter(IOperation call)
        {
            var arguments = call switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };
            var hasObjectCallback = arguments.Any(argument =>
                argument.Parameter?.Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { Parameters.Length: > 0 } invoke } &&
                invoke.Parameters[0].Type.SpecialType == SpecialType.System_Object);
            return hasObjectCallback
                ? arguments.FirstOrDefault(argument => argument.Parameter is { Name: "state", Type.SpecialType: SpecialType.System_Object })
                : null;
        }

        private static bool IsUsed(IAnonymousFunctionOperation function, IParameterSymbol parameter) =>
            function.Body.Descendants().OfType<IParameterReferenceOperation>().Any(reference => SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter));

        /// <summary>The one local or parameter of the enclosing code the lambda uses; null if it uses more, or this, or a local function.</summary>
        private static ISymbol? Captured(IAnonymousFunctionOperation function)
        {
            foreach (var operation in function.Body.Descendants())
            {
                if (operation is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } or
                    IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction, IsStatic: false } } or
                    IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction, IsStatic: false } })
                {
                    return null;
                }
            }

            var captured = SharedClosureKeepsLocalAnalyzer.Captured(function);
            return captured.Count == 1 ? captured.First() : null;
        }

        /// <summary>Never written after its declaration, anywhere in the enclosing member.</summary>
        private static bool IsFixedValue(ISymbol variable, IAnonymousFunctionOperation function, SemanticModel model, CancellationToken cancellationToken)
        {
            IOperation root = function;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            foreach (var operation in root.DescendantsAndSelf())
            {
                var referenced = operation switch
                {
                    ILocalReferenceOperation local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (referenced is not null && SymbolEqualityComparer.Default.Equals(referenced, variable) && IsWrite(operation))
                {
                    return false;
                }
            }

            return variable is not IParameterSymbol { RefKind: not RefKind.None };
        }

        private static bool IsWrite(IOperation reference)
        {
            if (reference.Syntax.Parent is RefExpressionSyntax)
            {
                return true;
            }

            var child = reference;
            var parent = reference.Parent;
            while (parent is ITupleOperation or IConversionOperation { IsImplicit: true })
            {
                child = parent;
                parent = parent.Parent;
            }

            return parent switch
            {
                IAssignmentOperation assignment => assignment.Target == child,
                IIncrementOrDecrementOperation => true,
                IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                IAddressOfOperation => true,
                IDeclarationExpressionOperation => true,
                _ => false,
            };
        }

        private static ITypeSymbol? VariableType(ISymbol symbol) =>
            symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                _ => null,
            };

        /// <summary>Classes, interfaces, delegates, arrays, type parameters, primitives and enums; not other structs, anonymous or broken types.</summary>
        private static bool CanTravelAsObject(ITypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Error || type.IsAnonymousType || type is IPointerTypeSymbol or IFunctionPointerTypeSymbol || type.IsRefLikeType)
            {
                return false;
            }

            if (!type.IsValueType)
            {
                return true;
            }

            return type.TypeKind == TypeKind.Enum || type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double;
        }

        /// <summary>
        /// <paramref name="baseName"/>, or with a number, so that it neither hides nor is hidden by a name in scope:
        /// what can be looked up at the lambda, what the lambda uses, and every variable the enclosing member declares
        /// (a later local of the block is in scope too). Parameters of sibling lambdas do not count.
        /// </summary>
        private static string UniqueName(LambdaExpressionSyntax lambda, SemanticModel model, string baseName, CancellationToken cancellationToken)
        {
            var used = new HashSet<string>(model.LookupSymbols(lambda.SpanStart).Select(symbol => symbol.Name));
            used.UnionWith(lambda.DescendantTokens().Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText));
            var member = lambda.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)lambda;
            foreach (var node in member.DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var declared = node switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Identifier,
                    SingleVariableDesignationSyntax designation => designation.Identifier,
                    ForEachStatementSyntax loop => loop.Identifier,
                    CatchDeclarationSyntax @catch => @catch.Identifier,
                    LocalFunctionStatementSyntax function => function.Identifier,
                    ParameterSyntax parameter when parameter.Parent?.Parent is not AnonymousFunctionExpressionSyntax && parameter.Parent is not AnonymousFunctionExpressionSyntax => parameter.Identifier,
                    _ => default,
                };
                if (declared.RawKind != 0)
                {
                    used.Add(declared.ValueText);
                }
            }

            return LocalNames.Unique(baseName, used);
        }
    }
}
