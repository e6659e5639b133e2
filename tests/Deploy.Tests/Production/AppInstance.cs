using CleanCognito.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Deploy.Tests.Production;

/// <summary>
/// One instance of the app as deployed (environment Production unless told otherwise), with
/// settings that pass start-up validation without reaching AWS. Two of them with the same
/// <c>DataProtection:KeysPath</c> stand for two instances behind a load balancer.
/// </summary>
internal sealed class AppInstance(string? keysPath, string environment = "Production", IDictionary<string, string?>? extraSettings = null)
    : WebApplicationFactory<Program>
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);

        var settings = new Dictionary<string, string?>
        {
            ["Cognito:Region"] = "eu-west-1",
            ["Cognito:UserPoolId"] = "eu-west-1_Deploy1",
            ["Cognito:ClientId"] = "deploytestsclient",
            ["Cognito:Domain"] = "https://deploy-tests.auth.eu-west-1.amazoncognito.com",
            ["AppSync:Endpoint"] = "https://deploy-tests.appsync-api.eu-west-1.amazonaws.com/graphql",
            ["IdentityPool:IdentityPoolId"] = "eu-west-1:00000000-0000-4000-8000-000000000001",
            ["Storage:BucketName"] = "deploy-tests-files",
            ["https_port"] = "443",
            ["DataProtection:KeysPath"] = keysPath,
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

/// <summary>A fresh key folder per test, deleted afterwards.</summary>
internal sealed class TempKeyFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
