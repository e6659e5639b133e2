using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Identity.GetMyIdentity;

/// <summary>The user's identity pool IdentityId and when the app's current credentials for it expire (for the profile page).</summary>
public sealed record GetMyIdentityQuery : IQuery<MyIdentity>;

public sealed record MyIdentity(string IdentityId, DateTimeOffset CredentialsExpireAt);

public sealed class GetMyIdentityQueryHandler(ICurrentIdentity identity) : IQueryHandler<GetMyIdentityQuery, MyIdentity>
{
    public async ValueTask<MyIdentity> Handle(GetMyIdentityQuery query, CancellationToken cancellationToken)
    {
        var credentials = await identity.GetAsync(cancellationToken);
        return new MyIdentity(credentials.IdentityId, credentials.Expiration);
    }
}
