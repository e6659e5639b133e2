using CleanCognito.TestSupport;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>The one local AWS stack of this assembly; tests that need it join this xunit collection.</summary>
[CollectionDefinition(Name)]
public sealed class LocalAwsStackGroup : ICollectionFixture<LocalAwsStack>
{
    public const string Name = "local-aws";
}
