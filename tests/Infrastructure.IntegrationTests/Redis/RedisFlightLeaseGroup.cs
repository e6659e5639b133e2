namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>Runs <see cref="RedisFlightLeaseTests"/> alone, after the tests that run in parallel.</summary>
[CollectionDefinition(RedisFlightLeaseTests.Serial, DisableParallelization = true)]
public sealed class RedisFlightLeaseGroup;
