using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;

namespace CleanCognito.Application.Common.Credentials;

/// <summary>The current request's user, looked up in the shared <see cref="ICredentialCache"/> with that user's own tokens.</summary>
internal sealed class CurrentIdentity(ICurrentUserTokens tokens, ICredentialCache cache) : ICurrentIdentity
{
    public async ValueTask<UserFolder> GetFolderAsync(CancellationToken cancellationToken) =>
        UserFolder.For(await cache.GetIdentityIdAsync(tokens.GetTokens(), cancellationToken));

    public ValueTask<IdentityCredentials> GetCredentialsAsync(CancellationToken cancellationToken) =>
        cache.GetAsync(tokens.GetTokens(), cancellationToken);
}
