using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.LocalAws;

/// <summary>One local AWS stack for every test of this assembly that joins the <c>LocalAws</c> collection.</summary>
[CollectionDefinition("LocalAws")]
public sealed class LocalAwsDefinition : ICollectionFixture<LocalAwsStack>;
