using System.Text.RegularExpressions;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// One schema file, deploy/appsync/schema.graphql, serves both the deployed API and the local
/// stand-in: these tests fail as soon as either side points at (or embeds) something else.
/// </summary>
public sealed partial class SchemaTests
{
    [Fact]
    public void Template_deploys_the_shared_schema_file()
    {
        var schemas = LoadFile().ResourcesOfType("AWS::AppSync::GraphQLSchema").ToList();
        schemas.Should().ContainSingle();
        var properties = Properties(schemas[0].Resource);

        Get(properties, "Definition").Should().BeNull("an inline schema would be a second copy; use DefinitionS3Location");
        var location = Text(Get(properties, "DefinitionS3Location"));
        location.Should().NotBeNull("the schema must come from a file that `aws cloudformation package` uploads");
        Path.GetFullPath(Path.Combine(RepositoryPaths.Deploy, location!)).Should().Be(RepositoryPaths.Schema);
        File.Exists(RepositoryPaths.Schema).Should().BeTrue();
    }

    [Fact]
    public void Template_resolves_every_query_and_mutation_field_of_the_schema()
    {
        var schemaFields = RootFields(File.ReadAllText(RepositoryPaths.Schema));

        var resolved = LoadFile().ResourcesOfType("AWS::AppSync::Resolver")
            .Select(r => Properties(r.Resource))
            .Select(p => $"{Text(Get(p, "TypeName"))}.{Text(Get(p, "FieldName"))}")
            .ToHashSet();

        schemaFields.Should().BeEquivalentTo(["Query.getMyObject", "Query.listMyObjects", "Mutation.createMyObject", "Mutation.updateMyObject", "Mutation.deleteMyObject"]);
        resolved.Should().BeEquivalentTo(schemaFields);
    }

    [Fact]
    public void Schema_lets_only_editors_update_objects()
    {
        var schema = File.ReadAllText(RepositoryPaths.Schema);

        // @aws_auth is the form AppSync documents for an API whose only mode is user pools; the
        // resolver checks the group as well (RenameWithoutDirectiveTests runs it without this).
        EditorsOnlyUpdate().IsMatch(schema).Should().BeTrue("updateMyObject needs @aws_auth(cognito_groups: [\"editors\"])");
        File.ReadAllText(Path.Combine(RepositoryPaths.Resolvers, "Mutation.updateMyObject.req.vtl")).Should().Contain("$util.unauthorized()");
    }

    [Fact]
    public void Local_stand_in_loads_the_same_schema_file()
    {
        var sources = Directory.EnumerateFiles(RepositoryPaths.LocalStandIn, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        sources.Where(f => f.EndsWith(".graphql", StringComparison.Ordinal) || f.EndsWith(".gql", StringComparison.Ordinal))
            .Should().BeEmpty("a schema copy under dev/local-aws would drift from the deployed one");

        var references = sources
            .Where(f => Path.GetExtension(f) is ".mjs" or ".js" or ".cjs" or ".ts" or ".json")
            .SelectMany(f => SchemaPathLiteral().Matches(File.ReadAllText(f)).Select(m => (File: f, Literal: m.Groups["path"].Value)))
            .ToList();

        references.Should().NotBeEmpty("the stand-in must load deploy/appsync/schema.graphql");
        foreach (var (file, literal) in references)
        {
            // path.resolve(<this file's folder>, '../../../deploy/…') or a path from the repository root.
            var fromFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, literal));
            var fromRoot = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, literal));
            new[] { fromFile, fromRoot }.Should().Contain(RepositoryPaths.Schema,
                "{0} refers to '{1}', which is not the deployed schema file", Path.GetRelativePath(RepositoryPaths.Root, file), literal);
        }
    }

    /// <summary>Every <c>Type.field</c> of the schema's Query and Mutation types.</summary>
    public static HashSet<string> RootFields(string schema) =>
        RootTypeBlock().Matches(schema)
            .SelectMany(block => FieldName().Matches(Arguments().Replace(block.Groups["body"].Value, string.Empty)).Select(f => $"{block.Groups["type"].Value}.{f.Groups[1].Value}"))
            .ToHashSet();

    [GeneratedRegex(@"type\s+(?<type>Query|Mutation)\s*\{(?<body>[^}]*)\}")]
    private static partial Regex RootTypeBlock();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Arguments();

    [GeneratedRegex(@"^\s*([A-Za-z_]\w*)\s*:", RegexOptions.Multiline)]
    private static partial Regex FieldName();

    [GeneratedRegex(@"updateMyObject\s*\([^)]*\)\s*:\s*MyObject\s*@aws_auth\(\s*cognito_groups:\s*\[\s*""editors""\s*\]\s*\)")]
    private static partial Regex EditorsOnlyUpdate();

    [GeneratedRegex(@"['""`](?<path>[^'""`\r\n]*schema\.graphql)['""`]")]
    private static partial Regex SchemaPathLiteral();
}
