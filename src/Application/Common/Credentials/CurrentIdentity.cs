using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.Common.Credentials;

/// <summary>The current request's user, looked up in the shared <see cref="ICredentialCache"/>.</summary>
internal sealed class CurrentIdentity(ICurrentUserTokens tokens, ICredentialCache cache) : ICurrentIdentity
{
    public ValueTask<IdentityCredentials> GetAsync(CancellationToken cancellationToken) =>
        cache.GetAsync(tokens.GetTokens(), cancellationToken);
}
