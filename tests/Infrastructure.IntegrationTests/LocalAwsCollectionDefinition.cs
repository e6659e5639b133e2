using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests;

/// <summary>One local AWS stack for every test in this assembly that needs the stand-ins.</summary>
[CollectionDefinition(Name)]
public sealed class LocalAwsCollectionDefinition : ICollectionFixture<LocalAwsStack>
{
    public const string Name = "local-aws";
}
