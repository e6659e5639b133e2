using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>The user pool's tier and email sender as the docs' cost table and limits assume, and the app client's URLs.</summary>
public sealed class UserPoolTests
{
    private static readonly CloudFormationTemplate Template = LoadFile();

    [Fact]
    public void The_pool_is_on_the_lite_tier_the_cost_table_assumes()
    {
        Text(Get(Properties(Template.Resource("UserPool")), "UserPoolTier")).Should().Be("LITE");
        Docs().Should().Contain("Lite tier");
    }

    [Fact]
    public void Cognito_sends_the_email_and_the_docs_state_its_daily_cap()
    {
        Text(Get(Map(Properties(Template.Resource("UserPool")), "EmailConfiguration"), "EmailSendingAccount")).Should().Be("COGNITO_DEFAULT");
        Docs().Should().Contain("50 emails a day");
    }

    [Fact]
    public void Without_extra_hosts_the_client_allows_only_app_host()
    {
        var (callbacks, logouts) = ClientUrls(new Dictionary<string, string> { ["AppHost"] = "app.example.com" });

        callbacks.Should().Equal("https://app.example.com/signin-oidc");
        logouts.Should().Equal("https://app.example.com/Account/SignedOut");
    }

    [Fact]
    public void Extra_callback_hosts_add_their_sign_in_and_sign_out_urls_after_app_host()
    {
        var (callbacks, logouts) = ClientUrls(new Dictionary<string, string>
        {
            ["AppHost"] = "app.example.com",
            ["ExtraCallbackHosts"] = "localhost:5001,dev.example.com:8443",
        });

        callbacks.Should().Equal("https://app.example.com/signin-oidc", "https://localhost:5001/signin-oidc", "https://dev.example.com:8443/signin-oidc");
        logouts.Should().Equal("https://app.example.com/Account/SignedOut", "https://localhost:5001/Account/SignedOut", "https://dev.example.com:8443/Account/SignedOut");
        new IntrinsicEvaluator(Template, new Dictionary<string, string> { ["AppHost"] = "app.example.com" })
            .String(Get(Properties(Template.Resource("AppClient")), "DefaultRedirectURI")).Should().Be("https://app.example.com/signin-oidc", "AppHost stays the default");
    }

    [Theory]
    [InlineData("localhost:5001", true)]
    [InlineData("localhost:5001,dev.example.com", true)]
    [InlineData("", true)]
    [InlineData("https://localhost:5001", false)]
    [InlineData("localhost:5001, dev.example.com", false)]
    [InlineData("localhost:5001,", false)]
    [InlineData("localhost/signin-oidc", false)]
    public void Extra_callback_hosts_are_host_and_port_entries_only(string value, bool allowed)
    {
        var pattern = Text(Get(Map(Map(Template.Root, "Parameters"), "ExtraCallbackHosts"), "AllowedPattern"))!;

        System.Text.RegularExpressions.Regex.IsMatch(value, pattern).Should().Be(allowed);
    }

    private static (IReadOnlyList<string> Callbacks, IReadOnlyList<string> Logouts) ClientUrls(Dictionary<string, string> parameters)
    {
        var client = Properties(Template.Resource("AppClient"));
        var evaluator = new IntrinsicEvaluator(Template, parameters);
        return (evaluator.List(Get(client, "CallbackURLs")), evaluator.List(Get(client, "LogoutURLs")));
    }

    private static string Docs() => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "aws-deployment.md"));
}
