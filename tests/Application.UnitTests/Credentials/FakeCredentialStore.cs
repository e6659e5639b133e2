using System.Collections.Concurrent;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.UnitTests.Credentials;

/// <summary>The store as plain dictionaries: keeps what it is given, forgets on removal, nothing expires by itself (the cache decides freshness).</summary>
internal sealed class FakeCredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, string> _identityIds = new();
    private readonly ConcurrentDictionary<string, CachedCredentials> _credentials = new();

    public event Action<string>? IdentityRemoved;

    public int CredentialWrites { get; private set; }

    /// <summary>Look-ups of a user's IdentityId: what "the identity is looked up once per request" counts.</summary>
    public int IdentityIdReads { get; private set; }

    public ValueTask<string?> GetIdentityIdAsync(string userId, CancellationToken cancellationToken)
    {
        IdentityIdReads++;
        return ValueTask.FromResult(_identityIds.TryGetValue(userId, out var id) ? id : null);
    }

    public ValueTask SetIdentityIdAsync(string userId, string identityId, CancellationToken cancellationToken)
    {
        _identityIds[userId] = identityId;
        return ValueTask.CompletedTask;
    }

    public ValueTask<CachedCredentials?> GetCredentialsAsync(string identityId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_credentials.TryGetValue(identityId, out var entry) ? entry : null);

    public ValueTask SetCredentialsAsync(CachedCredentials entry, CancellationToken cancellationToken)
    {
        CredentialWrites++;
        _credentials[entry.Credentials.IdentityId] = entry;
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(string userId, string? identityId, CancellationToken cancellationToken)
    {
        _identityIds.TryRemove(userId, out _);
        if (identityId is not null && _credentials.TryRemove(identityId, out _))
        {
            IdentityRemoved?.Invoke(identityId);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>What a sign-out on another instance looks like from here.</summary>
    public void RemovedElsewhere(string identityId)
    {
        _credentials.TryRemove(identityId, out _);
        IdentityRemoved?.Invoke(identityId);
    }
}
