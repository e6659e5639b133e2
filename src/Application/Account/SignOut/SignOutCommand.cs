using CleanCognito.Application.Common.Interfaces;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Application.Account.SignOut;

/// <summary>Ends the user's session upstream: revokes the refresh token and forgets the user's identity and credentials.</summary>
public sealed record SignOutCommand : ICommand;

public sealed partial class SignOutCommandHandler(
    ICurrentUserTokens tokens,
    ICurrentUser user,
    IUserPoolClient userPool,
    ICredentialCache credentials,
    ILogger<SignOutCommandHandler> logger) : ICommandHandler<SignOutCommand>
{
    public async ValueTask<Unit> Handle(SignOutCommand command, CancellationToken cancellationToken)
    {
        if (user.UserId is { } userId)
        {
            await credentials.EvictAsync(userId, cancellationToken);
        }

        if (tokens.GetRefreshToken() is { } refreshToken)
        {
            try
            {
                await userPool.RevokeAsync(refreshToken, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Signing out must still clear the cookies; an unrevoked token expires on its own.
                LogRevokeFailed(logger, ex);
            }
        }

        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke the refresh token at sign-out")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception);
}
