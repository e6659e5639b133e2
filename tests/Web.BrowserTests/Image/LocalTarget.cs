using CleanCognito.TestSupport;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>Where the stand-ins of this test run listen, and the port the container is to take.</summary>
internal sealed record LocalTarget(LocalAwsStack Stack, int RedisPort, string RedisPassword, int AppPort);
