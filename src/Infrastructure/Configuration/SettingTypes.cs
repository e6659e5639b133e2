using System.Globalization;
using System.Reflection;
using CleanCognito.Infrastructure.AppSync;
using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.Cognito;
using CleanCognito.Infrastructure.CognitoIdentity;
using Microsoft.Extensions.Configuration;

namespace CleanCognito.Infrastructure.Configuration;

/// <summary>
/// Checks the raw text of every numeric and boolean setting before the options are bound: the binder
/// would throw on <c>abc</c> with a stack trace; this says which key, what is wrong and what is accepted.
/// </summary>
public static class SettingTypes
{
    /// <summary>
    /// Every bound options class with its section: the same list the registrations bind. The AWS
    /// service sections (<see cref="IAwsServiceOptions"/>: Storage, Notes, …) are found by their
    /// interface, so a new service's settings are checked here without editing this list.
    /// </summary>
    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
    [
        (CognitoOptions.SectionName, typeof(CognitoOptions)),
        (AppSyncOptions.SectionName, typeof(AppSyncOptions)),
        (IdentityPoolOptions.SectionName, typeof(IdentityPoolOptions)),
        .. typeof(IAwsServiceOptions).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAwsServiceOptions).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => ((string)typeof(SettingTypes).GetMethod(nameof(SectionOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t).Invoke(null, null)!, t)),
    ];

    private static string SectionOf<T>()
        where T : IAwsServiceOptions => T.Section;

    private static readonly Type[] Numbers = [typeof(int), typeof(long), typeof(double)];

    /// <summary>The numeric and boolean settings of every section.</summary>
    public static IReadOnlyList<TypedSetting> All { get; } = Sections
        .SelectMany(s => s.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => new TypedSetting(s.Section, p)))
        .Where(s => s.Type == typeof(bool) || Numbers.Contains(s.Type))
        .ToList();

    /// <summary>One message per setting whose text is not of its type (or, for a number, outside its range).</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var setting in All)
        {
            var text = configuration[setting.Key];
            if (text is null)
            {
                continue;
            }

            var errors = new SettingErrors(setting.Section);
            if (setting.Type == typeof(bool))
            {
                if (!bool.TryParse(text.Trim(), out _))
                {
                    errors.Add(setting.Property.Name, $"must be true or false, but is \"{text}\".");
                }
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                     || (setting.IsWholeNumber && (value != Math.Floor(value) || double.IsInfinity(value))))
            {
                errors.Add(setting.Property.Name, $"must be {Describe(setting)}, but is \"{text}\".");
            }
            else if (setting.Range is { } range)
            {
                errors.Range(setting.Property.Name, value, range.Minimum, range.Maximum);
            }

            problems.AddRange(errors.Messages);
        }

        return problems;
    }

    /// <summary>"a whole number between 1 and 120", "a number between 0.5 and 120".</summary>
    public static string Describe(TypedSetting setting)
    {
        var kind = setting.IsWholeNumber ? "a whole number" : "a number";
        return setting.Range is { } r
            ? $"{kind} between {r.Minimum.ToString(CultureInfo.InvariantCulture)} and {r.Maximum.ToString(CultureInfo.InvariantCulture)}"
            : kind;
    }
}
