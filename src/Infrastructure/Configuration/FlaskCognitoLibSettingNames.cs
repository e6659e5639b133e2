namespace CleanCognito.Infrastructure.Configuration;

/// <summary>
/// The environment variable names used by flask-cognito-lib (and its
/// AWS examples), mapped to this app's configuration keys. Teams moving from there keep their
/// deployment settings unchanged.
/// </summary>
public static class FlaskCognitoLibSettingNames
{
    /// <summary>flask-cognito-lib environment variable → configuration key.</summary>
    public static IReadOnlyDictionary<string, string> ToConfigurationKey { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_REGION"] = "Cognito:Region",
        ["AWS_COGNITO_USER_POOL_ID"] = "Cognito:UserPoolId",
        ["AWS_COGNITO_DOMAIN"] = "Cognito:Domain",
        ["AWS_COGNITO_USER_POOL_CLIENT_ID"] = "Cognito:ClientId",
        ["AWS_COGNITO_USER_POOL_CLIENT_SECRET"] = "Cognito:ClientSecret",
        ["AWS_COGNITO_REDIRECT_URL"] = "Cognito:RedirectUrl",
        ["AWS_COGNITO_LOGOUT_URL"] = "Cognito:LogoutUrl",
        ["AWS_COGNITO_COOKIE_AGE_SECONDS"] = "Cognito:CookieAgeSeconds",
        ["AWS_COGNITO_EXPIRATION_LEEWAY"] = "Cognito:ExpirationLeewaySeconds",
        ["AWS_COGNITO_SCOPES"] = "Cognito:Scopes",
        ["AWS_COGNITO_COOKIE_DOMAIN"] = "Cognito:CookieDomain",
        ["AWS_COGNITO_COOKIE_SAMESITE"] = "Cognito:CookieSameSite",
        ["AWS_COGNITO_REFRESH_FLOW_ENABLED"] = "Cognito:RefreshFlowEnabled",
        ["AWS_COGNITO_REFRESH_COOKIE_AGE_SECONDS"] = "Cognito:RefreshCookieAgeSeconds",
        ["AWS_APPSYNC_ENDPOINT"] = "AppSync:Endpoint",
        ["AWS_ACCOUNT_ID"] = "IdentityPool:AccountId",
        ["AWS_COGNITO_IDENTITY_POOL_ID"] = "IdentityPool:IdentityPoolId",
    };

    /// <summary>The flask-cognito-lib name for a configuration key, if it has one.</summary>
    public static string? For(string configurationKey) =>
        ToConfigurationKey.FirstOrDefault(p => string.Equals(p.Value, configurationKey, StringComparison.OrdinalIgnoreCase)).Key;
}
