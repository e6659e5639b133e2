using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace CleanCognito.Web.Configuration;

internal static class FlaskCognitoLibEnvironmentVariables
{
    /// <summary>
    /// Accepts flask-cognito-lib's environment names (<c>AWS_COGNITO_USER_POOL_ID</c>, …) as aliases of
    /// the idiomatic keys. They override appsettings files, while the idiomatic environment
    /// variables (<c>Cognito__UserPoolId</c>) and command-line arguments still win over them.
    /// </summary>
    /// <param name="configuration">The app's configuration sources.</param>
    /// <param name="getVariable">Reads an environment variable (tests pass their own environment).</param>
    public static IConfigurationBuilder AddFlaskCognitoLibEnvironmentVariables(this IConfigurationBuilder configuration, Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (flaskCognitoLibName, key) in FlaskCognitoLibSettingNames.ToConfigurationKey)
        {
            var value = getVariable(flaskCognitoLibName);
            if (!string.IsNullOrEmpty(value))
            {
                values[key] = value;
            }
        }

        var source = new MemoryConfigurationSource { InitialData = values };
        var index = configuration.Sources
            .Select((s, i) => (s, i))
            .FirstOrDefault(x => x.s is EnvironmentVariablesConfigurationSource { Prefix: null or "" }, (null!, configuration.Sources.Count))
            .Item2;
        configuration.Sources.Insert(index, source);
        return configuration;
    }
}
