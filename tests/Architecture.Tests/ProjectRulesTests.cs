using System.Xml.Linq;
using static CleanCognito.Architecture.Tests.ProjectRules;

namespace CleanCognito.Architecture.Tests;

public sealed class ProjectRulesTests
{
    private static ProjectFile Project(string path, string items) =>
        new(path, XDocument.Parse($"<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup>{items}</ItemGroup></Project>"));

    [Fact]
    public void The_rules_read_every_project_of_the_solution()
    {
        InRepository().Select(p => p.Path).Should().Contain(
            ["src/Domain/Domain.csproj", "src/Application/Application.csproj", "src/Infrastructure/Infrastructure.csproj", "src/Web/Web.csproj"]);
    }

    [Fact]
    public void Mediator_SourceGenerator_is_referenced_by_Web_only()
    {
        var projects = InRepository();
        projects.Single(p => p.Path == "src/Web/Web.csproj").PackageReferences.Should().Contain("Mediator.SourceGenerator");

        MediatorGeneratorOnlyInWeb(projects).Should().BeEmpty();
    }

    [Fact]
    public void The_generator_rule_fails_when_another_project_references_the_generator()
    {
        var projects = new[]
        {
            Project("src/Web/Web.csproj", "<PackageReference Include=\"Mediator.SourceGenerator\" />"),
            Project("src/Application/Application.csproj", "<PackageReference Include=\"Mediator.SourceGenerator\" />"),
        };

        MediatorGeneratorOnlyInWeb(projects).Should().Equal("src/Application/Application.csproj");
    }

    [Fact]
    public void Domain_references_nothing_and_Application_only_Domain_and_no_transport_packages()
    {
        InnerLayersStayPlain(InRepository()).Should().BeEmpty();
    }

    [Fact]
    public void The_project_rule_fails_when_an_AWS_or_Refit_package_moves_into_Application()
    {
        var projects = new[]
        {
            Project("src/Domain/Domain.csproj", "<PackageReference Include=\"FluentValidation\" />"),
            Project("src/Application/Application.csproj",
                "<ProjectReference Include=\"..\\Domain\\Domain.csproj\" /><ProjectReference Include=\"..\\Infrastructure\\Infrastructure.csproj\" />" +
                "<PackageReference Include=\"AWSSDK.S3\" /><PackageReference Include=\"Refit\" /><PackageReference Include=\"FluentValidation\" />"),
        };

        InnerLayersStayPlain(projects).Should().BeEquivalentTo(
            "src/Domain/Domain.csproj references FluentValidation",
            "src/Application/Application.csproj references Infrastructure",
            "src/Application/Application.csproj references AWSSDK.S3",
            "src/Application/Application.csproj references Refit");
    }
}
