using System.Net;
using Amazon.Runtime;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// What an AWS error code means to the user, the same for every service (S3 answers in XML,
/// DynamoDB and SQS in JSON; the SDK gives both as <see cref="AmazonServiceException.ErrorCode"/>).
/// </summary>
internal static class AwsErrors
{
    /// <summary>
    /// The service does not know or no longer accepts the keys: replace them, not the user's session.
    /// S3 says InvalidAccessKeyId / ExpiredToken / InvalidToken; the JSON services
    /// UnrecognizedClientException / ExpiredTokenException; the query services (SQS, STS) InvalidClientTokenId.
    /// </summary>
    private static readonly HashSet<string> KeysRejectedCodes = new(StringComparer.Ordinal)
    {
        "InvalidAccessKeyId", "ExpiredToken", "InvalidToken", "UnrecognizedClientException", "ExpiredTokenException", "InvalidClientTokenId",
    };

    /// <summary>The policy refuses this: S3's AccessDenied, DynamoDB's and the other JSON services' AccessDeniedException.</summary>
    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException",
    };

    /// <summary>Slow down and try later (after the SDK's own retries gave up).</summary>
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException", "SlowDown",
        "RequestLimitExceeded", "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestThrottledException",
    };

    public static bool AreKeysRejected(AmazonServiceException exception) => exception.ErrorCode is { } code && KeysRejectedCodes.Contains(code);

    public static bool IsAccessDenied(AmazonServiceException exception) => exception.ErrorCode is { } code && AccessDeniedCodes.Contains(code);

    public static bool IsThrottling(AmazonServiceException exception) =>
        exception.StatusCode == HttpStatusCode.TooManyRequests || (exception.ErrorCode is { } code && ThrottlingCodes.Contains(code));
}
