using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Web.Authentication;

/// <summary><see cref="ICurrentUserTokens"/> from the session the authentication handler validated for this request.</summary>
internal sealed class HttpContextUserTokens(IHttpContextAccessor accessor, SessionCookieValidator sessionValidator) : ICurrentUserTokens
{
    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("No current request.");

    private CognitoSession? Session => Context.Features.Get<CognitoSession>();

    public UserTokens GetTokens() => Session?.Tokens ?? throw new SignInRequiredException();

    public string? GetRefreshToken() => Session?.RefreshToken;

    public async ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken)
    {
        if (Session?.RefreshToken is not { } refreshToken)
        {
            return null;
        }

        var renewed = await sessionValidator.RenewAsync(Context, refreshToken);
        return renewed?.Tokens;
    }
}
