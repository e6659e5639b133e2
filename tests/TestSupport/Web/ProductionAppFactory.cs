namespace CleanCognito.TestSupport.Web;

/// <summary>
/// One instance of the app as deployed: the shared <see cref="CleanCognitoAppFactory"/> in environment
/// Production (unless told otherwise) with the real Cognito sign-in, and settings that pass start-up
/// validation without reaching AWS. Two of them with the same <c>DataProtection:KeysPath</c> stand for
/// two instances behind a load balancer.
/// </summary>
public sealed class ProductionAppFactory : CleanCognitoAppFactory
{
    public ProductionAppFactory(string? keysPath, string environment = "Production", IDictionary<string, string?>? extraSettings = null)
    {
        Environment = environment;
        UseCognitoSignIn = true;

        // Production refuses the factory's plain-http loopback upstreams: start from these instead.
        var settings = new Dictionary<string, string?>
        {
            ["Cognito:Region"] = "eu-west-1",
            ["Cognito:UserPoolId"] = "eu-west-1_Deploy1",
            ["Cognito:ClientId"] = "deploytestsclient",
            ["Cognito:Domain"] = "https://deploy-tests.auth.eu-west-1.amazoncognito.com",
            ["AppSync:Endpoint"] = "https://deploy-tests.appsync-api.eu-west-1.amazonaws.com/graphql",
            ["IdentityPool:IdentityPoolId"] = "eu-west-1:00000000-0000-4000-8000-000000000001",
            ["Storage:BucketName"] = "deploy-tests-files",
            ["Notes:TableName"] = "deploy-tests-notes",
            ["https_port"] = "443",
            ["DataProtection:KeysPath"] = keysPath,
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Settings.Clear();
        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            Settings[key] = value;
        }
    }
}
