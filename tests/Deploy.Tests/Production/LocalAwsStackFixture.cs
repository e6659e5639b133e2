using CleanCognito.TestSupport;

namespace CleanCognito.Deploy.Tests.Production;

/// <summary>The local AWS stand-ins, started once for the tests of this assembly that sign in for real.</summary>
[CollectionDefinition(Name)]
public sealed class LocalAwsStackFixture : ICollectionFixture<LocalAwsStack>
{
    public const string Name = "local aws";
}
