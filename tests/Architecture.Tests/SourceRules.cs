using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CleanCognito.Architecture.Tests;

/// <summary>
/// Rules read from the source text itself (Roslyn syntax trees, no compilation): what a reader
/// meets when opening a file, which the compiled assemblies no longer show.
/// </summary>
internal static class SourceRules
{
    /// <summary>Every C# file under <c>src/</c>, as a path relative to the repository and its text.</summary>
    public static IEnumerable<(string Path, string Text)> SourceFiles(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(root, path).Replace('\\', '/'), File.ReadAllText(path)));

    /// <summary>
    /// The public top-level types of <paramref name="source"/> beyond the first (empty: the file keeps
    /// the rule). Classes, records, structs, interfaces, enums and delegates count, in any namespace
    /// form; nested types belong to their parent and do not. The one pair docs/decisions/0001 allows:
    /// a use case file holds its request and the request's handler (<c>XQuery</c> and <c>XQueryHandler</c>).
    /// </summary>
    public static IReadOnlyList<string> ExtraPublicTypes(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var names = root.DescendantNodes(node => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(member => member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            .Where(member => member.Parent is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .Where(member => member.Modifiers.Any(SyntaxKind.PublicKeyword))
            .Select(NameOf)
            .ToList();
        var counted = names.Where(name => !(name.EndsWith("Handler", StringComparison.Ordinal) && names.Contains(name[..^"Handler".Length]))).ToList();
        return counted.Count <= 1 ? [] : names;
    }

    /// <summary>Files of <paramref name="files"/> with more than one public top-level type, each with the types it holds.</summary>
    public static IReadOnlyList<string> FilesWithMoreThanOnePublicType(IEnumerable<(string Path, string Text)> files) =>
        files.Select(file => (file.Path, Types: ExtraPublicTypes(file.Text)))
            .Where(file => file.Types.Count > 0)
            .Select(file => $"{file.Path}: {string.Join(", ", file.Types)}")
            .ToList();

    /// <summary>
    /// Handlers that construct another handler (<c>new XHandler(…)</c>): that skips the other use case's
    /// validation and pipeline. A handler calls ports; shared reading goes in a helper both call.
    /// </summary>
    public static IReadOnlyList<string> HandlersConstructed(IEnumerable<(string Path, string Text)> files) =>
        files.SelectMany(file => CSharpSyntaxTree.ParseText(file.Text).GetRoot().DescendantNodes()
                .OfType<ObjectCreationExpressionSyntax>()
                .Select(creation => creation.Type.ToString())
                .Where(type => type.EndsWith("Handler", StringComparison.Ordinal))
                .Select(type => $"{file.Path}: new {type}(…)"))
            .ToList();

    private static string NameOf(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier.Text,
        DelegateDeclarationSyntax @delegate => @delegate.Identifier.Text,
        _ => member.Kind().ToString(),
    };
}
