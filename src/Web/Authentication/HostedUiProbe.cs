using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Infrastructure.Cognito;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// Asks the hosted UI domain whether it answers before the app sends the browser there (sign-in,
/// sign-out). Otherwise an outage ends on the browser's "can't be reached" page instead of the
/// app's 503 page, which says to try again later.
/// </summary>
public sealed partial class HostedUiProbe(IHttpClientFactory httpClientFactory, IOptions<CognitoOptions> options, ILogger<HostedUiProbe> logger)
{
    public const string HttpClientName = "hosted-ui-probe";

    /// <summary>
    /// Any HTTP answer means the domain is there (whatever a HEAD of its root returns, the browser
    /// will at least get the hosted UI's own page); only no answer at all, or none in 3 s, is an outage.
    /// </summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        var domain = options.Value.DomainUri;
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Head, domain);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, domain.GetLeftPart(UriPartial.Authority), ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Throws <see cref="UpstreamUnavailableException"/> (the 503 page) when the domain does not answer.</summary>
    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        if (!await IsReachableAsync(cancellationToken))
        {
            throw new UpstreamUnavailableException("Cognito", "The hosted sign-in page could not be reached.");
        }
    }

    // Debug: the caller answers with the 503 page, which writes the one Warning for the failed call.
    [LoggerMessage(Level = LogLevel.Debug, Message = "The hosted UI domain {Domain} did not answer ({ExceptionType})")]
    private static partial void LogUnreachable(ILogger logger, string domain, string exceptionType);
}
