using System.Text.RegularExpressions;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.CognitoIdentity;

/// <summary>The <c>IdentityPool</c> configuration section.</summary>
public sealed partial class IdentityPoolOptions
{
    public const string SectionName = "IdentityPool";

    /// <summary><c>region:uuid</c>; the flask-cognito-lib name is <c>AWS_COGNITO_IDENTITY_POOL_ID</c>.</summary>
    public string IdentityPoolId { get; set; } = string.Empty;

    /// <summary>Sent with GetId when set (flask-cognito-lib's examples send <c>AWS_ACCOUNT_ID</c>).</summary>
    public string? AccountId { get; set; }

    /// <summary>Defaults to the region in <see cref="IdentityPoolId"/>.</summary>
    public string? Region { get; set; }

    /// <summary>Defaults to <c>https://cognito-identity.{region}.amazonaws.com/</c>; set for a local stand-in.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Cached credentials are replaced this long before they expire.</summary>
    [SettingRange(0, 1800)]
    public int RefreshMarginSeconds { get; set; } = 300;

    /// <summary>Upper bound for one exchange call including retries.</summary>
    [SettingRange(1, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Retries on throttling (TooManyRequests), timeouts and 5xx, with jittered back-off.</summary>
    [SettingRange(0, 10)]
    public int MaxRetries { get; set; } = 3;

    public string EffectiveRegion => string.IsNullOrWhiteSpace(Region) ? IdentityPoolId.Split(':')[0] : Region;

    public Uri EffectiveServiceUrl => new(string.IsNullOrWhiteSpace(ServiceUrl)
        ? $"https://cognito-identity.{EffectiveRegion}.amazonaws.com/"
        : ServiceUrl.TrimEnd('/') + "/");

    [GeneratedRegex(@"\A[A-Za-z0-9-]{1,50}:[0-9a-f-]{1,50}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    internal static partial Regex IdentityPoolIdPattern();

    [GeneratedRegex(@"\A[0-9]{12}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    internal static partial Regex AccountIdPattern();
}

internal sealed class IdentityPoolOptionsValidator(IHostEnvironment environment) : IValidateOptions<IdentityPoolOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityPoolOptions options)
    {
        var errors = new SettingErrors(IdentityPoolOptions.SectionName);
        if (string.IsNullOrWhiteSpace(options.IdentityPoolId))
        {
            errors.Add(nameof(options.IdentityPoolId), "is missing.");
        }
        else if (!IdentityPoolOptions.IdentityPoolIdPattern().IsMatch(options.IdentityPoolId))
        {
            errors.Add(nameof(options.IdentityPoolId), $"must look like \"us-east-1:00000000-0000-0000-0000-000000000000\", but is \"{options.IdentityPoolId}\".");
        }

        if (!string.IsNullOrEmpty(options.AccountId) && !IdentityPoolOptions.AccountIdPattern().IsMatch(options.AccountId))
        {
            errors.Add(nameof(options.AccountId), "must be the 12 digits of an AWS account id.");
        }

        errors.Url(nameof(options.ServiceUrl), options.ServiceUrl, requireHttps: !environment.IsLocal(), required: false);
        errors.Range(options, nameof(options.RefreshMarginSeconds));
        errors.Range(options, nameof(options.TimeoutSeconds));
        errors.Range(options, nameof(options.MaxRetries));
        return errors.ToResult();
    }
}
