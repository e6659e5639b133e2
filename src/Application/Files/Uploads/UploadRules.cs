using System.Text.RegularExpressions;
using FluentValidation;

namespace CleanCognito.Application.Files.Uploads;

/// <summary>The shapes of what the browser sends back about an upload: its id, part numbers and ETags.</summary>
internal static partial class UploadRules
{
    /// <summary>Parts signed per request, at most: enough for a few rounds of four parts at a time.</summary>
    public const int MaxPartsPerSigning = 100;

    /// <summary>S3's upload ids are URL-safe base64-like text of a few hundred characters at most.</summary>
    public static IRuleBuilderOptions<T, string> MustBeAnUploadId<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("The upload is not known: start it again.")
            .MaximumLength(1024).WithMessage("The upload is not known: start it again.")
            .Must(id => id is null || UploadIdPattern().IsMatch(id)).WithMessage("The upload is not known: start it again.");

    public static IRuleBuilderOptions<T, int> MustBeAPartNumber<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(1, PartPlan.MaxParts).WithMessage($"A part number is between 1 and {PartPlan.MaxParts}.");

    /// <summary>A part's ETag as S3 sends it: 32 hex digits, quoted or not.</summary>
    public static bool IsETag(string? value) => value is not null && ETagPattern().IsMatch(value);

    [GeneratedRegex(@"\A[A-Za-z0-9._~+/=-]+\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex UploadIdPattern();

    [GeneratedRegex(@"\A""?[0-9A-Fa-f]{32}""?\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ETagPattern();
}
