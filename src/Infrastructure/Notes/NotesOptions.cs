using System.Text.RegularExpressions;
using CleanCognito.Infrastructure.Aws;
using CleanCognito.Infrastructure.Configuration;

namespace CleanCognito.Infrastructure.Notes;

/// <summary>The <c>Notes</c> configuration section (the DynamoDB table of the users' notes).</summary>
public sealed partial class NotesOptions : IAwsServiceOptions
{
    public const string SectionName = "Notes";

    static string IAwsServiceOptions.Section => SectionName;

    /// <summary>The table (the template's <c>NotesTable</c>; env <c>Notes__TableName</c>).</summary>
    public string TableName { get; set; } = string.Empty;

    /// <summary>The table's region; defaults to the identity pool's.</summary>
    public string? Region { get; set; }

    /// <summary>A DynamoDB-compatible endpoint (the local stand-in's front); empty on AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Notes per page on <c>/Notes</c>.</summary>
    [SettingRange(1, 100)]
    public int PageSize { get; set; } = 20;

    /// <summary>Upper bound for one DynamoDB call including the SDK's retries; then the page says "try again" (503).</summary>
    [SettingRange(1, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Upper bound for one HTTP attempt; DynamoDB answers in milliseconds, so a slow attempt is abandoned early and retried.</summary>
    [SettingRange(0.5, 120)]
    public double AttemptTimeoutSeconds { get; set; } = 3;

    void IAwsServiceOptions.AddProblems(SettingErrors errors)
    {
        if (string.IsNullOrWhiteSpace(TableName))
        {
            errors.Add(nameof(TableName), "is missing.");
        }
        else if (!TableNamePattern().IsMatch(TableName))
        {
            errors.Add(nameof(TableName), $"must be a DynamoDB table name (3 to 255 of A-Z, a-z, 0-9, '_', '-', '.'), but is \"{TableName}\".");
        }

        errors.Range(this, nameof(PageSize));
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_.-]{3,255}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex TableNamePattern();
}
