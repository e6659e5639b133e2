namespace CleanCognito.Application.Common.Exceptions;

/// <summary>
/// A service the app depends on (AppSync, Cognito, S3) did not answer usefully: it timed out,
/// failed, throttled us past our retries or sent something unreadable. Users see a 503 page.
/// </summary>
public sealed class UpstreamUnavailableException : Exception
{
    public UpstreamUnavailableException() : base("A service this page needs is not available right now.") { }

    public UpstreamUnavailableException(string message) : base(message) { }

    public UpstreamUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    public UpstreamUnavailableException(string service, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Service = service;
    }

    /// <summary>Which upstream failed, in words a user understands ("AppSync", "file storage").</summary>
    public string? Service { get; }
}
