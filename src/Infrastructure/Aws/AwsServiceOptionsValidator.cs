using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// Start-up validation of an AWS service section: the shared settings (region, endpoint, the two
/// timeouts) the same way for every service, then the section's own. Messages name the key and its
/// environment variable (<see cref="SettingErrors"/>).
/// </summary>
internal class AwsServiceOptionsValidator<TOptions>(IHostEnvironment environment) : IValidateOptions<TOptions>
    where TOptions : class, IAwsServiceOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new SettingErrors(TOptions.Section);
        options.AddProblems(errors);
        if (!string.IsNullOrWhiteSpace(options.Region) && !AwsRegion.Pattern().IsMatch(options.Region))
        {
            errors.Add(nameof(options.Region), $"must be an AWS region such as eu-west-1, but is \"{options.Region}\".");
        }

        errors.Url(nameof(options.ServiceUrl), options.ServiceUrl, requireHttps: !environment.IsLocal(), required: false);
        errors.Range(options, nameof(options.TimeoutSeconds));
        errors.Range(options, nameof(options.AttemptTimeoutSeconds));
        errors.NotAbove(nameof(options.AttemptTimeoutSeconds), options.AttemptTimeoutSeconds, nameof(options.TimeoutSeconds), options.TimeoutSeconds);
        return errors.ToResult();
    }
}
