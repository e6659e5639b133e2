using System.Net;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>
/// An instance that starts while Redis is down has no Data Protection key ring, so it cannot write
/// the antiforgery token of any form. That is an outage of the shared store: the 503 page with
/// Retry-After and one Warning line, never the 500 page. Redis refusing the app's password is the
/// same for the pages, with one Error that says which settings to fix.
/// </summary>
public sealed class SharedStoreOutageTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_page_with_a_form_while_Redis_has_never_answered_is_the_503_page_not_a_500()
    {
        // Nothing listens on this port: the key ring cannot be read.
        await using var factory = new FunctionalTestFactory()
            .WithSettings(new Dictionary<string, string?> { ["Redis:Configuration"] = $"127.0.0.1:{FreePort.Pick()}" });
        using var client = factory.CreateHttpsClient();

        // The profile page calls no upstream; its layout carries the sign-out form.
        using var response = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.Should().BePositive();
        html.Should().Contain("<h1>Temporarily unavailable</h1>").And.NotContain("StackExchange");
        factory.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("Upstream Redis unavailable", StringComparison.Ordinal));
        // Not logged as a bug of ours (Data Protection itself logs its failed key-ring read).
        factory.Logs.Entries.Should().NotContain(e => e.Message.StartsWith("Unhandled exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_redis_password_gives_the_503_page_and_one_error_naming_the_settings_never_the_password()
    {
        var wrong = $"wrong-{Guid.NewGuid():N}{Guid.NewGuid():N}";
        await using var factory = new FunctionalTestFactory()
            .WithSettings(new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Endpoint, ["Redis:Password"] = wrong });
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));
        using var again = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        again.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        factory.Logs.Entries.Where(e => e.Level == LogLevel.Error && e.Message.Contains("Redis refused this app's credentials", StringComparison.Ordinal))
            .Should().ContainSingle().Which.Message.Should().Contain("Redis__Password");
        var everything = string.Join('\n', factory.Logs.Entries.Select(e => $"{e.Message} {e.Exception}"));
        SecretLeaks.Find(everything, [wrong, redis.Password]).Should().BeNull("no password is ever logged");
    }
}
