using System.Net;
using System.Text.Json;

namespace CleanCognito.Infrastructure.CognitoIdentity;

/// <summary>Reads the error type of a failed JSON 1.1 answer, however the service spells it.</summary>
internal static class CognitoIdentityErrors
{
    public const string NotAuthorized = "NotAuthorizedException";
    public const string TooManyRequests = "TooManyRequestsException";

    /// <summary>
    /// The short error type ("NotAuthorizedException") from <c>x-amzn-errortype</c>
    /// ("NotAuthorizedException:http://internal.amazon.com/…") or the body's <c>__type</c>
    /// (with or without the "namespace#" prefix); null when the answer names none.
    /// </summary>
    public static async Task<string?> TypeOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Headers.TryGetValues("x-amzn-errortype", out var values) && values.FirstOrDefault() is { Length: > 0 } header)
        {
            return Shorten(header);
        }

        try
        {
            // Buffered, so a retry predicate and the adapter can both read it.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = JsonSerializer.Deserialize(body, CognitoIdentityJsonContext.Default.WireError);
            return error?.Type is { Length: > 0 } type ? Shorten(type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Throttling, however it arrives: 429, or 400 with the TooManyRequests type.</summary>
    public static async ValueTask<bool> IsThrottlingAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        || (response.StatusCode == HttpStatusCode.BadRequest && await TypeOfAsync(response, cancellationToken) == TooManyRequests);

    private static string Shorten(string type)
    {
        var start = type.LastIndexOf('#') + 1;
        var end = type.IndexOf(':', start);
        return (end < 0 ? type[start..] : type[start..end]).Trim();
    }
}
