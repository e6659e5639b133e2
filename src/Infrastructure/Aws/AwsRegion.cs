using System.Text.RegularExpressions;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>The shape of a region name (eu-west-1, us-gov-west-1), to refuse a typo at start-up rather than at the first call.</summary>
internal static partial class AwsRegion
{
    [GeneratedRegex(@"\A[a-z]{2}(-[a-z]+)+-[0-9]\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    public static partial Regex Pattern();
}
