using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Account.GetProfile;

/// <summary>Who the signed-in user is and when their tokens expire (never the token values).</summary>
public sealed record GetProfileQuery : IQuery<Profile>;

public sealed record Profile(
    string Username,
    string? Email,
    IReadOnlyCollection<string> Groups,
    DateTimeOffset AccessTokenExpiresAt,
    DateTimeOffset IdTokenExpiresAt);

public sealed class GetProfileQueryHandler(ICurrentUser user, ICurrentUserTokens tokens) : IQueryHandler<GetProfileQuery, Profile>
{
    public ValueTask<Profile> Handle(GetProfileQuery query, CancellationToken cancellationToken)
    {
        var current = tokens.GetTokens();
        return ValueTask.FromResult(new Profile(
            user.Username ?? current.UserId,
            user.Email,
            user.Groups,
            current.AccessTokenExpiresAt,
            current.IdTokenExpiresAt));
    }
}
