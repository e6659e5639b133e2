using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Account.GetProfile;

/// <summary>Who the signed-in user is, when their tokens expire (never the token values) and their identity pool identity.</summary>
public sealed record GetProfileQuery : IQuery<Profile>;

/// <param name="Identity">Null when the identity pool cannot be reached: the rest of the profile still shows.</param>
public sealed record Profile(
    string Username,
    string? Email,
    IReadOnlyCollection<string> Groups,
    DateTimeOffset AccessTokenExpiresAt,
    DateTimeOffset IdTokenExpiresAt,
    MyIdentity? Identity);

/// <summary>The user's identity pool IdentityId and when the app's current credentials for it expire.</summary>
public sealed record MyIdentity(string IdentityId, DateTimeOffset CredentialsExpireAt);

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
