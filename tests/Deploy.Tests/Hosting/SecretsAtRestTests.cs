using CleanCognito.Deploy.Tests.Template;
using YamlDotNet.RepresentationModel;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// Issue 21, item 4, the template's part: the Data Protection key ring is encrypted with a KMS key
/// the tasks may only encrypt and decrypt with, and the cache requires AUTH with a password that
/// lives in Secrets Manager. (What the app does with them is tested where the app is.)
/// </summary>
public sealed class SecretsAtRestTests
{
    private static readonly CloudFormationTemplate Template = LoadFile();

    [Fact]
    public void The_key_rotates_and_its_policy_names_only_the_account()
    {
        var key = Properties(Template.Resource("DataProtectionKey"));

        Text(Get(key, "EnableKeyRotation")).Should().Be("true");
        Text(Get(key, "KeySpec")).Should().Be("SYMMETRIC_DEFAULT");
        var statements = Items(Get(Map(key, "KeyPolicy"), "Statement"));
        statements.Should().ContainSingle();
        SubTemplate(Get(Map(statements[0], "Principal"), "AWS")).Should().Be("arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
            "the account administers the key through IAM; no other principal and never \"*\"");
    }

    [Fact]
    public void The_task_role_may_only_encrypt_and_decrypt_with_the_data_protection_key()
    {
        TaskRoleScope.Violations(Template).Should().BeEmpty();
    }

    // Each edit gives the tasks more than the key's two actions; the check must catch every one.
    [Theory]
    [InlineData("                  - kms:Decrypt\n", "                  - kms:Decrypt\n                  - kms:GenerateDataKey\n")]
    [InlineData("                  - kms:Encrypt\n", "                  - kms:*\n")]
    [InlineData("                Resource: !GetAtt DataProtectionKey.Arn\n", "                Resource: \"*\"\n")]
    [InlineData("      Policies:\n        - PolicyName: data-protection-key", "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3FullAccess]\n      Policies:\n        - PolicyName: data-protection-key")]
    [InlineData("              - Sid: UseTheDataProtectionKey\n                Effect: Allow\n                Action:", "              - Sid: UseTheDataProtectionKey\n                Effect: Allow\n                NotAction:")]
    public void Task_role_check_catches_a_widened_policy(string original, string widened)
    {
        var text = File.ReadAllText(RepositoryPaths.Template);
        text.Should().Contain(original, "the edit must apply to the current template");

        TaskRoleScope.Violations(Load(ReplaceFirst(text, original, widened))).Should().NotBeEmpty();
    }

    [Fact]
    public void The_task_definition_names_the_key_and_the_cache_user_and_takes_the_password_from_secrets_manager()
    {
        var container = TaskDefinitionSettings.AppContainer(Template);
        var environment = Items(Get(container, "Environment")).ToDictionary(e => Text(Get(e, "Name"))!, e => Get(e, "Value"));

        GetAttTarget(environment["DataProtection__KmsKeyId"]).Should().Be("DataProtectionKey.Arn");
        RefTarget(environment["Redis__User"]).Should().Be("CacheAppUser");
        environment.Keys.Should().NotContain("Redis__Password", "a password in Environment would be readable in the task definition");
        SecretReferences(Get(container, "Secrets")).Should().Contain(("Redis__Password", "CachePassword"));
    }

    [Fact]
    public void The_execution_role_reads_exactly_the_secrets_the_task_definition_injects()
    {
        var injected = SecretReferences(Get(TaskDefinitionSettings.AppContainer(Template), "Secrets")).Select(s => s.Secret).ToHashSet();
        var statements = Items(Get(Properties(Template.Resource("TaskExecutionRole")), "Policies"))
            .SelectMany(p => Items(Get(Map(p, "PolicyDocument"), "Statement")))
            .ToList();

        statements.Should().ContainSingle();
        Items(Get(statements[0], "Action")).Select(Text).Should().Equal("secretsmanager:GetSecretValue");
        Items(Get(statements[0], "Resource")).SelectMany(RefsIn).ToHashSet().Should().BeEquivalentTo(injected);
        injected.Should().BeEquivalentTo(["CachePassword", "ClientSecret"]);
    }

    [Fact]
    public void The_cache_requires_auth_as_the_apps_user_whose_password_is_generated_in_secrets_manager()
    {
        RefTarget(Get(Properties(Template.Resource("SharedCache")), "UserGroupId")).Should().Be("CacheUserGroup");
        var group = Properties(Template.Resource("CacheUserGroup"));
        Items(Get(group, "UserIds")).Select(RefTarget).Should().BeEquivalentTo(["CacheDefaultUser", "CacheAppUser"]);

        var fallback = Properties(Template.Resource("CacheDefaultUser"));
        Text(Get(fallback, "UserName")).Should().Be("default");
        Text(Get(fallback, "AccessString")).Should().StartWith("off ", "a connection that does not authenticate may do nothing");

        var app = Properties(Template.Resource("CacheAppUser"));
        Text(Get(Map(app, "AuthenticationMode"), "Type")).Should().Be("password");
        Items(Get(Map(app, "AuthenticationMode"), "Passwords")).Select(SubTemplate)
            .Should().ContainSingle().Which.Should().Be("{{resolve:secretsmanager:${CachePassword}}}", "the password is read from the secret, never written in the template");
        Get(app, "Passwords").Should().BeNull();

        var engine = Text(Get(Properties(Template.Resource("SharedCache")), "Engine"));
        new[] { group, fallback, app }.Select(p => Text(Get(p, "Engine"))).Should().AllBe(engine);

        var generated = Map(Properties(Template.Resource("CachePassword")), "GenerateSecretString");
        Text(Get(generated, "ExcludePunctuation")).Should().Be("true", "ElastiCache refuses some punctuation in passwords, and a comma would split a connection string");
        Text(Get(generated, "IncludeSpace")).Should().Be("false");
        int.Parse(Text(Get(generated, "PasswordLength"))!, System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(32, 128, "ElastiCache takes 16 to 128 characters");
        Get(Properties(Template.Resource("CachePassword")), "SecretString").Should().BeNull();
    }

    /// <summary>(variable, secret resource) of the container's Secrets, including the ones under an !If.</summary>
    private static IEnumerable<(string Name, string Secret)> SecretReferences(YamlNode? secrets) =>
        Items(secrets).SelectMany(Entries)
            .Select(e => (Text(Get(e, "Name"))!, RefTarget(Get(e, "ValueFrom"))!));

    private static IEnumerable<YamlMappingNode> Entries(YamlNode node) =>
        node switch
        {
            YamlMappingNode entry => [entry],
            YamlSequenceNode conditional when HasTag(conditional, "!If") => conditional.Children.Skip(1).OfType<YamlMappingNode>(),
            _ => [],
        };

    /// <summary>The resources a Resource entry names: a Ref, or the Refs in both branches of an !If (NoValue aside).</summary>
    private static IEnumerable<string> RefsIn(YamlNode node) =>
        node is YamlSequenceNode conditional && HasTag(conditional, "!If")
            ? conditional.Children.Skip(1).SelectMany(RefsIn)
            : RefTarget(node) is { } target && target != "AWS::NoValue" ? [target] : [];

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length));
    }
}
