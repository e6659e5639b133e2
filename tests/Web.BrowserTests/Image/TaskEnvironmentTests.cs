using CleanCognito.Deploy.Tests.Hosting;
using CleanCognito.Deploy.Tests.Template;
using CleanCognito.TestSupport;
using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>
/// The image test's reading of the task definition: every variable of the template reaches the
/// container, and one it cannot point at a stand-in stops the test with the variable's name
/// (so a setting added to the template cannot reach AWS untested).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class TaskEnvironmentTests(LocalAwsStack stack)
{
    private readonly LocalTarget _local = new(stack, RedisPort: 6390, RedisPassword: "local-test-password", AppPort: 8090);

    [Fact]
    public void Every_variable_and_secret_of_the_task_definition_reaches_the_container()
    {
        var template = CloudFormationTemplate.LoadFile();
        var container = AppContainer(template);
        var names = Items(Get(container, "Environment")).OfType<YamlMappingNode>().Concat(TaskDefinitionSettings.SecretEntries(Get(container, "Secrets")))
            .Select(v => Text(Get(v, "Name"))!).ToList();

        var environment = TaskEnvironment.For(template, _local);

        names.Should().NotBeEmpty().And.OnlyContain(name => environment.ContainsKey(name));
        environment["Storage__BucketName"].Should().Be(stack.Bucket, "a Ref to the bucket names the stand-in's bucket");
        environment["AppSync__Endpoint"].Should().Be(stack.AppSync);
        environment["Cognito__ClientSecret"].Should().Be(LocalAwsStack.ConfidentialClientSecret);
        environment["Redis__Password"].Should().Be("local-test-password", "the cache's AUTH secret is the local redis-server's password");
        environment["DataProtection__KmsKeyId"].Should().Be(stack.KmsKeyId, "the key ring's KMS key is the stand-in's");
        environment["ASPNETCORE_HTTP_PORTS"].Should().Be("8090");
    }

    [Theory]
    [InlineData("Archive__KeyId", "!Ref", "SomeNewKey")]
    [InlineData("Queue__Url", "!GetAtt", "SomeNewQueue.QueueUrl")]
    public void A_variable_without_a_local_value_fails_with_its_name(string variable, string function, string target)
    {
        var template = CloudFormationTemplate.LoadFile();
        var environment = (YamlSequenceNode)Get(AppContainer(template), "Environment")!;
        environment.Add(new YamlMappingNode(
            new YamlScalarNode("Name"), new YamlScalarNode(variable),
            new YamlScalarNode("Value"), new YamlScalarNode(target) { Tag = function }));

        var read = () => TaskEnvironment.For(template, _local);

        read.Should().Throw<InvalidOperationException>().WithMessage($"*{variable}*{target}*");
    }

    private static YamlMappingNode AppContainer(CloudFormationTemplate template) =>
        Items(Get(Properties(template.Resource("TaskDefinition")), "ContainerDefinitions")).OfType<YamlMappingNode>()
            .Single(c => Text(Get(c, "Name")) == "app");
}
