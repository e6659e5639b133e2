using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>The <c>Cognito</c> configuration section: the user pool, its app client and the session cookies.</summary>
public sealed class CognitoOptions
{
    public const string SectionName = "Cognito";

    public string Region { get; set; } = string.Empty;

    public string UserPoolId { get; set; } = string.Empty;

    public string ClientId { get; set; } = string.Empty;

    /// <summary>Only for confidential app clients; sent with HTTP Basic to the token endpoint.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The hosted UI / managed login domain, e.g. <c>https://myapp.auth.eu-west-1.amazoncognito.com</c> (https:// is added when missing).</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The discovery document. Defaults to the user pool's; set it for the local stand-in.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The full callback URL registered on the app client. Defaults to <c>{this app}/signin-oidc</c>.</summary>
    public string? RedirectUrl { get; set; }

    /// <summary>Where Cognito's logout sends the user back. Defaults to <c>{this app}/Account/SignedOut</c>.</summary>
    public string? LogoutUrl { get; set; }

    /// <summary>Space- or comma-separated OAuth scopes.</summary>
    public string Scopes { get; set; } = "openid email profile";

    // Browsers cap cookie lifetimes at 400 days.
    [SettingRange(60, 34560000)]
    public int CookieAgeSeconds { get; set; } = 3600;

    // Up to ten years, Cognito's longest refresh-token validity.
    [SettingRange(60, 315360000)]
    public int RefreshCookieAgeSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>Clock skew tolerated on <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    [SettingRange(0, 300)]
    public int ExpirationLeewaySeconds { get; set; }

    public string? CookieDomain { get; set; }

    /// <summary><c>Lax</c> (default), <c>Strict</c> or <c>None</c>.</summary>
    public string CookieSameSite { get; set; } = "Lax";

    /// <summary>Refresh expired tokens with the refresh cookie instead of sending the user to sign in.</summary>
    public bool RefreshFlowEnabled { get; set; } = true;

    /// <summary>After a failed fetch for an unknown signing key, how long to wait before fetching the JWKS again.</summary>
    [SettingRange(1, 3600)]
    public int JwksRefreshPenaltySeconds { get; set; } = 30;

    /// <summary>
    /// How many validated tokens to remember by hash (two per signed-in browser), so a cookie pair is
    /// not verified again on every request; 0 turns the cache off. About 4 KB each at most.
    /// </summary>
    [SettingRange(0, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    /// <summary>Cognito's issuer: <c>https://cognito-idp.{region}.amazonaws.com/{userPoolId}</c>.</summary>
    public string Issuer => $"https://cognito-idp.{Region}.amazonaws.com/{UserPoolId}";

    public Uri DomainUri => new(Domain.Contains("://", StringComparison.Ordinal) ? Domain.TrimEnd('/') : $"https://{Domain.TrimEnd('/')}");

    public string EffectiveMetadataAddress => string.IsNullOrWhiteSpace(MetadataAddress)
        ? $"{Issuer}/.well-known/openid-configuration"
        : MetadataAddress;

    public IReadOnlyList<string> ScopeList =>
        Scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class CognitoOptionsValidator(IHostEnvironment environment) : IValidateOptions<CognitoOptions>
{
    private static readonly string[] SameSiteValues = ["Lax", "Strict", "None"];

    public ValidateOptionsResult Validate(string? name, CognitoOptions options)
    {
        var errors = new SettingErrors(CognitoOptions.SectionName);
        var requireHttps = !environment.IsLocal();
        errors.Required(nameof(options.Region), options.Region);
        errors.Required(nameof(options.ClientId), options.ClientId);
        errors.Required(nameof(options.UserPoolId), options.UserPoolId);
        if (!string.IsNullOrWhiteSpace(options.UserPoolId) && !string.IsNullOrWhiteSpace(options.Region)
            && !options.UserPoolId.StartsWith(options.Region + "_", StringComparison.Ordinal))
        {
            errors.Add(nameof(options.UserPoolId), $"must look like \"{options.Region}_AbC123\" (region, underscore, id), but is \"{options.UserPoolId}\".");
        }

        errors.Required(nameof(options.Domain), options.Domain);
        if (!string.IsNullOrWhiteSpace(options.Domain))
        {
            errors.Url(nameof(options.Domain), options.DomainUri.ToString(), requireHttps);
        }

        errors.Url(nameof(options.MetadataAddress), options.MetadataAddress, requireHttps, required: false);
        errors.Url(nameof(options.RedirectUrl), options.RedirectUrl, requireHttps, required: false);
        errors.Url(nameof(options.LogoutUrl), options.LogoutUrl, requireHttps, required: false);
        if (!options.ScopeList.Contains("openid"))
        {
            errors.Add(nameof(options.Scopes), $"must include \"openid\", but is \"{options.Scopes}\".");
        }

        errors.Range(options, nameof(options.CookieAgeSeconds));
        errors.Range(options, nameof(options.RefreshCookieAgeSeconds));
        errors.Range(options, nameof(options.ExpirationLeewaySeconds));
        errors.Range(options, nameof(options.JwksRefreshPenaltySeconds));
        errors.Range(options, nameof(options.ValidatedTokenCacheSize));
        if (!SameSiteValues.Contains(options.CookieSameSite, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(nameof(options.CookieSameSite), $"must be Lax, Strict or None, but is \"{options.CookieSameSite}\".");
        }

        return errors.ToResult();
    }
}
