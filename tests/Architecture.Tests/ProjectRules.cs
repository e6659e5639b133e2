using System.Xml.Linq;

namespace CleanCognito.Architecture.Tests;

/// <summary>Rules read from the .csproj files, for what the compiled types cannot show.</summary>
internal static class ProjectRules
{
    /// <summary>A project file's name (relative to the repository) and its XML.</summary>
    public sealed record ProjectFile(string Path, XDocument Xml)
    {
        public IEnumerable<string> PackageReferences => Xml.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include") ?? string.Empty);

        public IEnumerable<string> ProjectReferences => Xml.Descendants("ProjectReference")
            .Select(e => System.IO.Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/')));
    }

    public static IReadOnlyList<ProjectFile> InRepository()
    {
        var root = TestSupport.RepositoryRoot.Path;
        return Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}node_modules{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => new ProjectFile(System.IO.Path.GetRelativePath(root, p).Replace('\\', '/'), XDocument.Load(p)))
            .ToList();
    }

    /// <summary>
    /// The Mediator source generator is referenced by src/Web only: a second reference generates a
    /// second mediator (CS0436/CS0121), and a generator below Web would wire handlers from the wrong layer.
    /// </summary>
    public static IReadOnlyList<string> MediatorGeneratorOnlyInWeb(IEnumerable<ProjectFile> projects) =>
        projects.Where(p => p.Path != "src/Web/Web.csproj" && p.PackageReferences.Contains("Mediator.SourceGenerator", StringComparer.OrdinalIgnoreCase))
            .Select(p => p.Path)
            .ToList();

    /// <summary>Domain references nothing; Application references Domain and no AWS, Refit, HTTP or ASP.NET package.</summary>
    public static IReadOnlyList<string> InnerLayersStayPlain(IEnumerable<ProjectFile> projects)
    {
        string[] forbiddenInApplication = ["AWSSDK", "Refit", "Microsoft.AspNetCore", "Microsoft.Extensions.Http", "Polly"];
        var problems = new List<string>();
        foreach (var project in projects)
        {
            if (project.Path == "src/Domain/Domain.csproj")
            {
                problems.AddRange(project.PackageReferences.Concat(project.ProjectReferences).Select(r => $"{project.Path} references {r}"));
                problems.AddRange(project.Xml.Descendants("FrameworkReference").Select(r => $"{project.Path} references the framework {(string?)r.Attribute("Include")}"));
            }
            else if (project.Path == "src/Application/Application.csproj")
            {
                problems.AddRange(project.ProjectReferences.Where(r => r != "Domain").Select(r => $"{project.Path} references {r}"));
                problems.AddRange(project.PackageReferences
                    .Where(r => forbiddenInApplication.Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
                    .Select(r => $"{project.Path} references {r}"));
                problems.AddRange(project.Xml.Descendants("FrameworkReference").Select(r => $"{project.Path} references the framework {(string?)r.Attribute("Include")}"));
            }
        }

        return problems;
    }
}
