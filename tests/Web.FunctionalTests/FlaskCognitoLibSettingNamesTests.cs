using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Web.Configuration;
using Microsoft.Extensions.Configuration;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>
/// Teams moving from flask-cognito-lib keep their 17 environment variable names: each one is read
/// into its configuration key; the app's own name (<c>Cognito__Region</c>, …) wins when both are set.
/// </summary>
public sealed class FlaskCognitoLibSettingNamesTests
{
    /// <summary>The names flask-cognito-lib and its examples use, pinned here (not read from the app).</summary>
    public static TheoryData<string, string> FlaskCognitoLibNames => new()
    {
        { "AWS_REGION", "Cognito:Region" },
        { "AWS_COGNITO_USER_POOL_ID", "Cognito:UserPoolId" },
        { "AWS_COGNITO_DOMAIN", "Cognito:Domain" },
        { "AWS_COGNITO_USER_POOL_CLIENT_ID", "Cognito:ClientId" },
        { "AWS_COGNITO_USER_POOL_CLIENT_SECRET", "Cognito:ClientSecret" },
        { "AWS_COGNITO_REDIRECT_URL", "Cognito:RedirectUrl" },
        { "AWS_COGNITO_LOGOUT_URL", "Cognito:LogoutUrl" },
        { "AWS_COGNITO_COOKIE_AGE_SECONDS", "Cognito:CookieAgeSeconds" },
        { "AWS_COGNITO_EXPIRATION_LEEWAY", "Cognito:ExpirationLeewaySeconds" },
        { "AWS_COGNITO_SCOPES", "Cognito:Scopes" },
        { "AWS_COGNITO_COOKIE_DOMAIN", "Cognito:CookieDomain" },
        { "AWS_COGNITO_COOKIE_SAMESITE", "Cognito:CookieSameSite" },
        { "AWS_COGNITO_REFRESH_FLOW_ENABLED", "Cognito:RefreshFlowEnabled" },
        { "AWS_COGNITO_REFRESH_COOKIE_AGE_SECONDS", "Cognito:RefreshCookieAgeSeconds" },
        { "AWS_APPSYNC_ENDPOINT", "AppSync:Endpoint" },
        { "AWS_ACCOUNT_ID", "IdentityPool:AccountId" },
        { "AWS_COGNITO_IDENTITY_POOL_ID", "IdentityPool:IdentityPoolId" },
    };

    [Fact]
    public void There_are_exactly_the_17_names()
    {
        var pinned = FlaskCognitoLibNames.Select(row => (string)row[0]).ToList();

        pinned.Should().HaveCount(17);
        FlaskCognitoLibSettingNames.ToConfigurationKey.Keys.Should().BeEquivalentTo(pinned);
    }

    [Theory]
    [MemberData(nameof(FlaskCognitoLibNames))]
    public void Each_flask_cognito_lib_name_is_read_into_its_key_over_appsettings(string flaskCognitoLibName, string key)
    {
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = "from-appsettings" })
            .AddEnvironmentVariables();
        var environment = new Dictionary<string, string> { [flaskCognitoLibName] = $"from-{flaskCognitoLibName}" };

        var configuration = builder.AddFlaskCognitoLibEnvironmentVariables(environment.GetValueOrDefault).Build();

        configuration[key].Should().Be($"from-{flaskCognitoLibName}");
    }

    [Fact]
    public async Task The_apps_own_name_wins_over_the_flask_cognito_lib_name()
    {
        var (exitCode, stderr) = await BuiltApp.RunAsync(new Dictionary<string, string>
        {
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_COGNITO_USER_POOL_ID"] = "eu-west-1_FromFlaskCognitoLib",
            ["Cognito__UserPoolId"] = "us-east-2_FromOwnName",
        });

        exitCode.Should().Be(1, "other settings are missing");
        stderr.Should().Contain(l => l.Contains("Cognito:UserPoolId", StringComparison.Ordinal) && l.Contains("\"us-east-2_FromOwnName\"", StringComparison.Ordinal), string.Join('\n', stderr))
            .And.NotContain(l => l.Contains("FromFlaskCognitoLib", StringComparison.Ordinal));
    }
}
