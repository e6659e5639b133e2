using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests;

/// <summary>The tests of this assembly that need the local AWS stand-ins share one stack per run.</summary>
[CollectionDefinition(LocalAwsGroup.Name)]
public sealed class LocalAwsCollectionDefinition : ICollectionFixture<LocalAwsStack>;
