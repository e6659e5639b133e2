using System.Collections.Concurrent;
using Amazon.Runtime;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// One client per identity and service, kept as long as the credential cache keeps the identity.
/// Why per identity (not shared, not per request): the SDK signs with the client's credentials, and
/// shares the HttpClient between clients of equal config, so a client per identity is cheap while a
/// client per request is not (docs/decisions/0002, 0005, 0009).
/// </summary>
internal sealed class AwsClientPool : IDisposable
{
    private readonly ConcurrentDictionary<(string IdentityId, Type Client), Lazy<Entry>> _clients = new();
    private readonly ICredentialCache _cache;

    public AwsClientPool(ICredentialCache cache)
    {
        _cache = cache;
        // Signed out, swept, or its keys refused (on any instance): the credentials are gone, so are the clients built on them.
        _cache.IdentityEvicted += Drop;
    }

    /// <summary>
    /// The identity's client of <paramref name="service"/>, signing with <paramref name="credentials"/>
    /// or a set of the same identity that expires later. The caller fetched them just now, from its
    /// own user's tokens.
    /// </summary>
    public TClient ClientFor<TClient>(AwsService<TClient> service, IdentityCredentials credentials)
        where TClient : AmazonServiceClient
    {
        var entry = _clients.GetOrAdd(
            (credentials.IdentityId, typeof(TClient)),
            static (key, service) => new Lazy<Entry>(() =>
            {
                var signing = new IdentityPoolAwsCredentials(key.IdentityId);
                return new Entry(service.CreateClient(signing), signing);
            }),
            service).Value;
        entry.Credentials.Offer(credentials);
        return (TClient)entry.Client;
    }

    /// <summary>Forgets the identity's clients now (its keys were refused), whether or not the cache's event reaches here.</summary>
    public void Drop(string identityId)
    {
        // Not disposed: a request of the same user may still be using one; the GC takes them.
        foreach (var key in _clients.Keys.Where(k => k.IdentityId == identityId))
        {
            _clients.TryRemove(key, out _);
        }
    }

    public void Dispose()
    {
        _cache.IdentityEvicted -= Drop;
        foreach (var entry in _clients.Values.Where(e => e.IsValueCreated))
        {
            entry.Value.Client.Dispose();
        }
    }

    private sealed record Entry(AmazonServiceClient Client, IdentityPoolAwsCredentials Credentials);
}
