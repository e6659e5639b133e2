using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Configuration;

/// <summary>
/// Collects configuration problems of one section as messages a person can act on: each names the
/// key, says what is wrong, and how to set it (appsettings, environment variable, seed name).
/// </summary>
internal sealed class SettingErrors(string section)
{
    private readonly List<string> _messages = [];

    public void Add(string key, string problem) => _messages.Add($"{Describe(key)} {problem} {HowToSet(key)}");

    public void Required(string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(key, "is missing.");
        }
    }

    public void Url(string key, string? value, bool requireHttps, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(key, "is missing.");
            }

            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            Add(key, $"must be an absolute http(s) URL, but is \"{value}\".");
        }
        else if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            Add(key, $"must use https outside the Local environment, but is \"{value}\".");
        }
    }

    public void Range(string key, double value, double min, double max)
    {
        if (value < min || value > max)
        {
            Add(key, $"must be between {min} and {max}, but is {value}.");
        }
    }

    public ValidateOptionsResult ToResult() =>
        _messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_messages);

    private string Describe(string key) => $"{section}:{key}";

    private string HowToSet(string key)
    {
        var legacy = LegacySettingNames.For($"{section}:{key}");
        var alias = legacy is null ? string.Empty : $" or {legacy}";
        return $"Set it in appsettings.json or the environment variable {section}__{key}{alias}.";
    }
}
