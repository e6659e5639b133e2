using System.Text.RegularExpressions;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// One source per resolver: deploy/appsync/resolvers/&lt;Type&gt;.&lt;field&gt;.{req,res}.vtl is what the
/// template deploys and what the local stand-in executes; ownership and paging rules live in them.
/// </summary>
public sealed partial class ResolverTests
{
    private static readonly string[] Suffixes = ["req", "res"];

    [Fact]
    public void Every_resolver_deploys_its_pair_of_mapping_template_files_and_nothing_inline()
    {
        var resolvers = LoadFile().ResourcesOfType("AWS::AppSync::Resolver").ToList();
        resolvers.Should().NotBeEmpty();

        foreach (var (name, resource) in resolvers)
        {
            var properties = Properties(resource);
            var field = $"{Text(Get(properties, "TypeName"))}.{Text(Get(properties, "FieldName"))}";
            foreach (var inline in new[] { "RequestMappingTemplate", "ResponseMappingTemplate", "Code", "CodeS3Location", "Runtime" })
            {
                Get(properties, inline).Should().BeNull("{0} must take its code from the files only (no {1})", name, inline);
            }

            Text(Get(properties, "Kind")).Should().Be("UNIT", "the simulator runs UNIT resolvers");
            GetAttTarget(Get(properties, "DataSourceName")).Should().Be("ObjectsDataSource.Name");
            Text(Get(properties, "RequestMappingTemplateS3Location")).Should().Be($"./appsync/resolvers/{field}.req.vtl", name);
            Text(Get(properties, "ResponseMappingTemplateS3Location")).Should().Be($"./appsync/resolvers/{field}.res.vtl", name);
        }
    }

    [Fact]
    public void Every_schema_field_has_exactly_one_pair_of_files_and_every_file_is_deployed()
    {
        var fields = SchemaTests.RootFields(File.ReadAllText(RepositoryPaths.Schema));
        var expected = fields.SelectMany(f => Suffixes.Select(s => $"{f}.{s}.vtl")).ToHashSet();
        var deployed = LoadFile().ResourcesOfType("AWS::AppSync::Resolver")
            .Select(r => Properties(r.Resource))
            .SelectMany(p => new[] { Text(Get(p, "RequestMappingTemplateS3Location")), Text(Get(p, "ResponseMappingTemplateS3Location")) })
            .Select(location => Path.GetFileName(location!))
            .ToList();

        Directory.EnumerateFiles(RepositoryPaths.Resolvers).Select(Path.GetFileName).Should().BeEquivalentTo(expected);
        deployed.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected);
    }

    [Fact]
    public void Resolvers_use_mapping_template_version_2018_05_29_and_owner_lists_are_a_query_on_the_owner_index()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Resolvers, "*.req.vtl"))
        {
            var text = File.ReadAllText(file);
            text.Should().Contain("\"version\": \"2018-05-29\"", "{0}: with 2017-02-28 a null result skips the response template", Path.GetFileName(file));
            text.Should().NotContain("\"Scan\"", "{0}: a Scan reads every user's objects", Path.GetFileName(file));
        }

        var list = File.ReadAllText(Path.Combine(RepositoryPaths.Resolvers, "Query.listMyObjects.req.vtl"));
        list.Should().Contain("\"operation\": \"Query\"").And.Contain("\"index\": \"byOwner\"").And.Contain("$ctx.identity.sub");
        list.Should().MatchRegex(@"\$limit < 1 \|\| \$limit > 100", "the limit is checked before DynamoDB sees it");

        var owner = GlobalIndex("byOwner");
        Text(Get(Items(Get(owner, "KeySchema"))[0], "AttributeName")).Should().Be("owner");
        Text(Get(Items(Get(owner, "KeySchema"))[0], "KeyType")).Should().Be("HASH");
    }

    [Fact]
    public void Every_resolver_that_touches_an_existing_object_checks_the_callers_ownership()
    {
        foreach (var answer in new[] { "Query.getMyObject.res.vtl", "Mutation.updateMyObject.res.vtl", "Mutation.deleteMyObject.res.vtl" })
        {
            File.ReadAllText(Path.Combine(RepositoryPaths.Resolvers, answer))
                .Should().Contain("$ctx.result.owner != $ctx.identity.sub", "{0} must never hand back an item the caller does not own", answer);
        }

        foreach (var write in new[] { "Mutation.updateMyObject.req.vtl", "Mutation.deleteMyObject.req.vtl" })
        {
            OwnerCondition().IsMatch(File.ReadAllText(Path.Combine(RepositoryPaths.Resolvers, write)))
                .Should().BeTrue("{0} must be conditional on #owner = the caller's sub", write);
        }

        File.ReadAllText(Path.Combine(RepositoryPaths.Resolvers, "Mutation.createMyObject.req.vtl"))
            .Should().Contain("\"owner\": $util.dynamodb.toDynamoDBJson($ctx.identity.sub)", "the owner comes from the token, never from an argument");
    }

    [Fact]
    public void The_data_source_role_allows_exactly_the_operations_the_resolvers_use_on_the_table_and_its_owner_index()
    {
        var operations = Directory.EnumerateFiles(RepositoryPaths.Resolvers, "*.req.vtl")
            .Select(f => OperationName().Match(File.ReadAllText(f)).Groups[1].Value)
            .Select(op => $"dynamodb:{op}")
            .ToHashSet();

        var statement = Items(Get(Map(Items(Get(Properties(LoadFile().Resource("AppSyncTableRole")), "Policies"))[0], "PolicyDocument"), "Statement")).Single();
        var actions = Items(Get(statement, "Action")).Select(Text).ToList();
        var resources = Items(Get(statement, "Resource")).Select(r => GetAttTarget(r) ?? SubTemplate(r)).ToList();

        actions.Should().BeEquivalentTo(operations);
        resources.Should().BeEquivalentTo(["ObjectsTable.Arn", "${ObjectsTable.Arn}/index/byOwner"]);
    }

    [Fact]
    public void Local_stand_in_runs_the_resolvers_the_template_lists_and_has_none_of_its_own()
    {
        var sources = Directory.EnumerateFiles(RepositoryPaths.LocalStandIn, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        sources.Where(f => f.EndsWith(".vtl", StringComparison.Ordinal)).Should().BeEmpty("a resolver copy would drift from the deployed one");
        var code = sources.Where(f => Path.GetExtension(f) is ".mjs" or ".js").ToDictionary(f => f, File.ReadAllText);
        code.Where(c => c.Value.Contains("2018-05-29", StringComparison.Ordinal) || c.Value.Contains("2017-02-28", StringComparison.Ordinal))
            .Select(c => Path.GetFileName(c.Key))
            .Should().BeEmpty("mapping templates written in the stand-in's code would be resolvers no deployment runs");

        var loader = code.Single(c => c.Key.EndsWith("deployed-api.mjs", StringComparison.Ordinal)).Value;
        loader.Should().Contain("'../../../deploy'").And.Contain("'cleancognito.yaml'")
            .And.Contain("RequestMappingTemplateS3Location").And.Contain("ResponseMappingTemplateS3Location");
        Path.GetFullPath(Path.Combine(RepositoryPaths.LocalStandIn, "lib", "../../../deploy", "cleancognito.yaml")).Should().Be(RepositoryPaths.Template);
    }

    private static YamlDotNet.RepresentationModel.YamlNode GlobalIndex(string name) =>
        Items(Get(Properties(LoadFile().Resource("ObjectsTable")), "GlobalSecondaryIndexes"))
            .Single(i => Text(Get(i, "IndexName")) == name);

    [GeneratedRegex(@"""condition"":\s*\{\s*""expression"":\s*""#owner = :owner"",\s*""expressionNames"":\s*\{\s*""#owner"":\s*""owner""\s*\},\s*""expressionValues"":\s*\{\s*"":owner"":\s*\$util\.dynamodb\.toDynamoDBJson\(\$ctx\.identity\.sub\)")]
    private static partial Regex OwnerCondition();

    [GeneratedRegex(@"""operation"":\s*""(\w+)""")]
    private static partial Regex OperationName();
}
