using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Configuration;

/// <summary>
/// Collects configuration problems of one section as messages a person can act on: each names the
/// key, says what is wrong, and how to set it (appsettings, environment variable, flask-cognito-lib name).
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

    public IReadOnlyList<string> Messages => _messages;

    /// <summary>
    /// <paramref name="key"/> may not exceed the section's <paramref name="limitKey"/> (an attempt
    /// timeout and the total it is part of). Compared only when nothing else is wrong yet: a value
    /// out of its own range already has its message.
    /// </summary>
    public void NotAbove(string key, double value, string limitKey, double limit)
    {
        if (_messages.Count == 0 && value > limit)
        {
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            Add(key, $"must not exceed {Describe(limitKey)} ({limit.ToString(culture)}), but is {value.ToString(culture)}.");
        }
    }

    public void Range(string key, double value, double min, double max)
    {
        if (value < min || value > max || double.IsNaN(value))
        {
            Add(key, $"must be between {Number(min)} and {Number(max)}, but is {Number(value)}.");
        }
    }

    /// <summary>Checks <paramref name="key"/> of <paramref name="options"/> against its <see cref="SettingRangeAttribute"/>.</summary>
    public void Range<TOptions>(TOptions options, string key)
        where TOptions : class
    {
        var property = typeof(TOptions).GetProperty(key) ?? throw new ArgumentException($"{typeof(TOptions).Name} has no property {key}.", nameof(key));
        var range = (SettingRangeAttribute?)Attribute.GetCustomAttribute(property, typeof(SettingRangeAttribute))
            ?? throw new ArgumentException($"{typeof(TOptions).Name}.{key} has no [SettingRange].", nameof(key));
        Range(key, Convert.ToDouble(property.GetValue(options), System.Globalization.CultureInfo.InvariantCulture), range.Minimum, range.Maximum);
    }

    private static string Number(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ValidateOptionsResult ToResult() =>
        _messages.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_messages);

    private string Describe(string key) => $"{section}:{key}";

    private string HowToSet(string key)
    {
        var flaskCognitoLibName = FlaskCognitoLibSettingNames.For($"{section}:{key}");
        var alias = flaskCognitoLibName is null ? string.Empty : $" or {flaskCognitoLibName}";
        return $"Set it in appsettings.json or the environment variable {section}__{key}{alias}.";
    }
}
