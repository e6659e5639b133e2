using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Files;

namespace CleanCognito.Application.Common.Credentials;

/// <summary>
/// The current request's user, looked up in the shared <see cref="ICredentialCache"/> with that
/// user's own tokens. Scoped, and it keeps what it found for the rest of the request: the handler's
/// folder and the AWS client's credentials come from one look-up of the IdentityId, not two
/// (docs/decisions/0009-one-aws-client-factory.md). A page may call several AWS services at once
/// (the home page's files and notes): one at a time through here, so they share that look-up.
/// </summary>
internal sealed class CurrentIdentity(ICurrentUserTokens tokens, ICredentialCache cache) : ICurrentIdentity, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _identityId;
    private IdentityCredentials? _credentials;
    private IdentityCredentials? _renewed;

    public async ValueTask<UserFolder> GetFolderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return UserFolder.For(await GetIdentityIdAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IdentityCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await CredentialsAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IdentityCredentials> RenewCredentialsAsync(IdentityCredentials rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RenewAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async ValueTask<IdentityCredentials> CredentialsAsync(CancellationToken cancellationToken)
    {
        if (_credentials is { } known)
        {
            return known;
        }

        var identityId = await GetIdentityIdAsync(cancellationToken);
        return _credentials = await cache.GetAsync(tokens.GetTokens(), identityId, cancellationToken);
    }

    private async ValueTask<IdentityCredentials> RenewAsync(CancellationToken cancellationToken)
    {
        if (_renewed is { } renewed)
        {
            // Renewed once in this request already: a second rejection is the service's answer, not the cache's fault.
            return renewed;
        }

        var user = tokens.GetTokens();
        // The sign-out path: every instance drops the entry (and its pooled clients), so none keeps
        // handing out keys the service no longer knows. Not the caller's token: the drop must happen.
        await cache.EvictAsync(user.UserId, CancellationToken.None);
        _identityId = null;
        _credentials = null;
        var fresh = await CredentialsAsync(cancellationToken);
        _renewed = fresh;
        return fresh;
    }

    private async ValueTask<string> GetIdentityIdAsync(CancellationToken cancellationToken) =>
        _identityId ??= await cache.GetIdentityIdAsync(tokens.GetTokens(), cancellationToken);
}
