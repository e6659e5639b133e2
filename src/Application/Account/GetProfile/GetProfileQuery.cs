using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Account.GetProfile;

/// <summary>Who the signed-in user is, when their tokens expire (never the token values) and their identity pool identity.</summary>
public sealed record GetProfileQuery : IQuery<Profile>;

public sealed class GetProfileQueryHandler(ICurrentUser user, ICurrentUserTokens tokens, ICurrentIdentity identity)
    : IQueryHandler<GetProfileQuery, Profile>
{
    public async ValueTask<Profile> Handle(GetProfileQuery query, CancellationToken cancellationToken)
    {
        var current = tokens.GetTokens();
        return new Profile(
            user.Username ?? current.UserId,
            user.Email,
            user.Groups,
            current.AccessTokenExpiresAt,
            current.IdTokenExpiresAt,
            await IdentityOrNullAsync(cancellationToken));
    }

    private async ValueTask<MyIdentity?> IdentityOrNullAsync(CancellationToken cancellationToken)
    {
        try
        {
            var credentials = await identity.GetCredentialsAsync(cancellationToken);
            return new MyIdentity(credentials.IdentityId, credentials.Expiration);
        }
        catch (UpstreamUnavailableException)
        {
            return null;
        }
    }
}
