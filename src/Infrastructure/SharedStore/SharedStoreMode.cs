using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.SharedStore;

/// <summary>
/// Whether this app shares its state through Redis (<c>Redis:Configuration</c> set) or keeps it in
/// this process: the one place that decides. <see cref="SharedStoreRegistration"/> registers, per
/// port, the Redis adapter or its in-memory twin by this; no adapter checks it again.
/// </summary>
/// <remarks>
/// Decided when the container first needs it, not while services are added: the configuration is
/// complete only then (a test host adds its settings after Program registered the services).
/// </remarks>
public sealed class SharedStoreMode(IOptions<RedisOptions> options)
{
    /// <summary>True with <c>Redis:Configuration</c> set: every instance shares one store.</summary>
    public bool IsShared { get; } = options.Value.IsConfigured;
}
