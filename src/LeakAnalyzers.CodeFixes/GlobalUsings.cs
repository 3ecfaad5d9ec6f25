// What every fix names: the shared scaffold, Roslyn's C# syntax, and the attributes that export a fix.
global using System.Composition;
global using LeakAnalyzers.CodeFixes.Editing;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.CodeFixes;
global using Microsoft.CodeAnalysis.CSharp;
global using Microsoft.CodeAnalysis.CSharp.Syntax;
