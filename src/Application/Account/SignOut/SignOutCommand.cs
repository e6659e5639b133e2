using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Sessions;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Application.Account.SignOut;

/// <summary>
/// Ends the user's session everywhere: denylists its tokens (so copies of the cookies are refused on
/// every instance until they expire), revokes the refresh token and forgets the user's identity and credentials.
/// </summary>
public sealed record SignOutCommand : ICommand;

public sealed partial class SignOutCommandHandler(
    ICurrentUserTokens tokens,
    ICurrentUser user,
    IUserPoolClient userPool,
    ICredentialCache credentials,
    ISignedOutSessions signedOut,
    SignOutPolicy policy,
    TimeProvider time,
    ILogger<SignOutCommandHandler> logger) : ICommandHandler<SignOutCommand>
{
    public async ValueTask<Unit> Handle(SignOutCommand command, CancellationToken cancellationToken)
    {
        var refreshToken = tokens.GetRefreshToken();
        if (user.UserId is { } userId)
        {
            // First, before the revocation (which may be slow or fail): from here on no instance
            // accepts these tokens, nor tokens refreshed from them.
            if (SessionSignOut.Of(tokens.GetTokens(), refreshToken, time.GetUtcNow()) is { } session)
            {
                await signedOut.AddAsync(session, cancellationToken);
            }

            await credentials.EvictAsync(userId, cancellationToken);
        }

        if (refreshToken is not null)
        {
            try
            {
                await userPool.RevokeAsync(refreshToken, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Signing out must still clear the cookies. The pool may still honour the token, so
                // this app refuses it for as long as a browser may send it, not only for the tokens' lifetime.
                LogRevokeFailed(logger, ex.GetType().Name);
                var unrevoked = new SignedOutSession(new[] { SessionSignOut.RefreshTokenId(refreshToken) }, time.GetUtcNow() + policy.RefreshTokenLifetime);
                await signedOut.AddAsync(unrevoked, CancellationToken.None);
            }
        }

        return Unit.Value;
    }

    // An expected outage: the type, not the stack trace (one Warning line per failed upstream call).
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke the refresh token at sign-out ({ExceptionType})")]
    private static partial void LogRevokeFailed(ILogger logger, string exceptionType);
}
