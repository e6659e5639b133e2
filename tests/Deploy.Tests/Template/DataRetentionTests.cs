using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// What holds users' data outlives the stack, but a failed first create leaves nothing behind:
/// <c>RetainExceptOnCreate</c> (plain <c>Retain</c> left an empty pool, bucket and table per failed attempt).
/// </summary>
public sealed class DataRetentionTests
{
    private static readonly string[] DataTypes = ["AWS::Cognito::UserPool", "AWS::S3::Bucket", "AWS::DynamoDB::Table"];

    [Fact]
    public void Every_user_pool_bucket_and_table_is_retained_except_when_its_first_create_fails()
    {
        var template = LoadFile();
        var holders = DataTypes.SelectMany(template.ResourcesOfType).ToList();

        holders.Select(h => h.Name).Should().Contain(["UserPool", "FilesBucket", "ObjectsTable"]);
        foreach (var (name, resource) in holders)
        {
            Text(Get(resource, "DeletionPolicy")).Should().Be("RetainExceptOnCreate", "{0} keeps users' data", name);
            Text(Get(resource, "UpdateReplacePolicy")).Should().Be("Retain", "{0}: a replacement must not delete the old data", name);
        }
    }

    [Fact]
    public void Nothing_else_is_kept_after_the_stack_is_deleted()
    {
        var template = LoadFile();
        var retained = Map(template.Root, "Resources")!.Children
            .Where(r => Text(Get(r.Value, "DeletionPolicy")) is "Retain" or "RetainExceptOnCreate")
            .Select(r => Text(Get(r.Value, "Type")))
            .ToList();

        retained.Should().OnlyContain(type => DataTypes.Contains(type), "logs, secrets, keys and caches go with the stack");
    }
}
