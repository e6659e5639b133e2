namespace CleanCognito.Deploy.Tests.Template;

public sealed class FilesBucketTests
{
    private static readonly CloudFormationTemplate Template = CloudFormationTemplate.LoadFile();

    [Fact]
    public void Browsers_may_put_parts_from_the_apps_origins_and_incomplete_uploads_go_after_a_day()
    {
        FilesBucketRules.Violations(Template).Should().BeEmpty();
    }

    [Theory]
    [InlineData("", new[] { "https://app.example.com" })]
    [InlineData("localhost:5001", new[] { "https://app.example.com", "https://localhost:5001" })]
    public void Cors_origins_are_AppHost_and_each_extra_callback_host_over_https(string extraCallbackHosts, string[] expected)
    {
        FilesBucketRules.Origins(Template, extraCallbackHosts).Should().Equal(expected);
    }

    // Each edit widens what another site's pages could do with the bucket, or keeps abandoned parts;
    // the check must catch every one, or the test above proves nothing.
    [Theory]
    [InlineData("            AllowedMethods: [PUT]\n", "            AllowedMethods: [PUT, GET]\n")]
    [InlineData("            AllowedMethods: [PUT]\n", "            AllowedMethods: [PUT, POST, DELETE]\n")]
    [InlineData("            AllowedMethods: [PUT]\n", "            AllowedMethods: [PUT]\n            AllowedHeaders: [\"*\"]\n")]
    [InlineData("            AllowedOrigins: !Split\n", "            AllowedOrigins: [\"*\"]\n            UnusedOrigins: !Split\n")]
    [InlineData("                - \"https://${AppHost}${Extra}\"\n", "                - \"https://*${Extra}\"\n")]
    [InlineData("                - \"https://${AppHost}${Extra}\"\n", "                - \"http://${AppHost}${Extra}\"\n")]
    [InlineData("            ExposedHeaders: [ETag]\n", "")]
    [InlineData("              DaysAfterInitiation: 1\n", "              DaysAfterInitiation: 7\n")]
    [InlineData("          - Id: abort-incomplete-multipart-uploads\n            Status: Enabled\n", "          - Id: abort-incomplete-multipart-uploads\n            Status: Disabled\n")]
    [InlineData("          - Id: abort-incomplete-multipart-uploads\n            Status: Enabled\n", "          - Id: abort-incomplete-multipart-uploads\n            Status: Enabled\n            Prefix: tmp/\n")]
    public void The_bucket_check_catches_a_widened_rule(string original, string widened)
    {
        var text = File.ReadAllText(RepositoryPaths.Template);
        text.Should().Contain(original, "the edit must apply to the current template");

        var edited = CloudFormationTemplate.Load(text.Replace(original, widened, StringComparison.Ordinal));

        FilesBucketRules.Violations(edited).Should().NotBeEmpty();
    }
}
