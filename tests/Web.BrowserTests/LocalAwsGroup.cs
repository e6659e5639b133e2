using CleanCognito.TestSupport;

namespace CleanCognito.Web.BrowserTests;

/// <summary>Browser tests share one local AWS stack per run (and run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class LocalAwsGroup : ICollectionFixture<LocalAwsStack>
{
    public const string Name = "LocalAws";
}
