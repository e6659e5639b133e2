using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Web.Authentication;

/// <summary>
/// <see cref="ICurrentUserTokens"/> from the request's <see cref="RequestSession"/>. Safe to use from
/// several upstream calls at once: reads take the holder's lock, and a renewal replaces the tokens
/// there without writing to the response (the cookies follow when the response starts).
/// </summary>
internal sealed class HttpContextUserTokens(IHttpContextAccessor accessor, SessionCookieValidator sessionValidator) : ICurrentUserTokens
{
    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("No current request.");

    private CognitoSession? Session => RequestSession.Find(Context)?.Session;

    public UserTokens GetTokens() => Session?.Tokens ?? throw new SignInRequiredException();

    public string? GetRefreshToken() => Session?.RefreshToken;

    public async ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken)
    {
        var held = RequestSession.Find(Context);
        var seen = held?.Session;
        if (held is null || seen?.RefreshToken is not { } refreshToken)
        {
            return null;
        }

        // One renewal per request at a time. The refresher already shares one refresh across
        // requests and instances; this lock keeps a request's parallel calls from each replacing
        // the session: whoever waited finds it renewed and takes that.
        await held.Renewal.WaitAsync(cancellationToken);
        try
        {
            var current = held.Session;
            if (current is null || !ReferenceEquals(current, seen))
            {
                return current?.Tokens;
            }

            var renewed = await sessionValidator.RenewAsync(Context, refreshToken);
            return renewed?.Tokens;
        }
        finally
        {
            held.Renewal.Release();
        }
    }
}
