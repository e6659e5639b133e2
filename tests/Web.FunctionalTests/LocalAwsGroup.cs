using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>Tests that need the local AWS stand-ins share one stack per test run (and run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class LocalAwsGroup : ICollectionFixture<LocalAwsStack>
{
    public const string Name = "LocalAws";
}
