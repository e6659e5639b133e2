using System.Net;
using CleanCognito.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Microsoft.Extensions.Logging;
using WireMock.Server;

namespace CleanCognito.Web.FunctionalTests.Objects;

/// <summary>
/// AppSync going away and coming back, with the app signed in for real. A WireMock proxy stands
/// between the app and the AppSync stand-in so the test can cut the line (connections closed
/// without an answer) without stopping the stack the other tests share.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class AppSyncOutageTests : IAsyncLifetime, IDisposable
{
    private const string Seeded = "/Objects/1234567890abcdef";
    private readonly LocalAwsStack _stack;
    private readonly WireMockServer _line = WireMockServer.Start();
    private readonly StandInApp _app;

    public AppSyncOutageTests(LocalAwsStack stack)
    {
        _stack = stack;
        _app = new StandInApp(stack, new Dictionary<string, string?>
        {
            ["AppSync:Endpoint"] = $"{_line.Url}/graphql",
            ["AppSync:TimeoutSeconds"] = "4",
            ["AppSync:AttemptTimeoutSeconds"] = "2",
            ["AppSync:MaxQueryRetries"] = "1",
        });
    }

    public Task InitializeAsync()
    {
        Connect();
        return _stack.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _app.Dispose();
        _line.Stop();
        _line.Dispose();
    }

    [Fact]
    public async Task With_AppSync_unreachable_the_page_is_503_and_it_recovers_when_AppSync_is_back()
    {
        var alice = await _app.SignInAsync(_stack.Alice);
        (await alice.GetStringAsync(new Uri(Seeded, UriKind.Relative))).Should().Contain("My first object");

        Disconnect();
        using var down = await alice.GetAsync(new Uri(Seeded, UriKind.Relative));

        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        down.Headers.RetryAfter.Should().NotBeNull();
        (await down.Content.ReadAsStringAsync()).Should().Contain("Temporarily unavailable");

        Connect();
        using var back = await alice.GetAsync(new Uri(Seeded, UriKind.Relative));

        back.StatusCode.Should().Be(HttpStatusCode.OK);
        (await back.Content.ReadAsStringAsync()).Should().Contain("My first object");
    }

    [Theory]
    [InlineData("refused", "ConnectionRefused", "AppSync did not answer GetMyObject.")]
    [InlineData("5xx", "error status", "AppSync answered HTTP 503 to GetMyObject.")]
    public async Task A_failed_AppSync_call_logs_one_Warning_naming_upstream_kind_and_correlation_id_without_a_stack_trace(
        string outage, string kind, string reason)
    {
        var alice = await _app.SignInAsync(_stack.Alice);
        if (outage == "refused")
        {
            _line.Stop();
        }
        else
        {
            _line.Reset();
            _line.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(503));
        }

        var before = _app.Factory.Logs.Entries.Count;
        using var request = new HttpRequestMessage(HttpMethod.Get, Seeded);
        request.Headers.Add("X-Correlation-Id", "outage-probe-1");

        using var down = await alice.SendAsync(request);

        down.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        // The retries happened (MaxQueryRetries = 1): each attempt was a candidate for its own line.
        var warnings = _app.Factory.Logs.Entries.Skip(before).Where(e => e.Level >= LogLevel.Warning).ToList();
        warnings.Should().ContainSingle("one failed call, one line; the retries and attempts are Debug")
            .Which.Should().Match<CapturedLog>(e => e.Level == LogLevel.Warning && e.Exception == null);
        warnings[0].Message.Should().StartWith($"Upstream AppSync unavailable ({kind}): {reason}")
            .And.EndWith("Correlation id outage-probe-1");
    }

    private void Connect()
    {
        _line.Reset();
        _line.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithProxy(new Uri(_stack.AppSync).GetLeftPart(UriPartial.Authority)));
    }

    private void Disconnect()
    {
        _line.Reset();
        _line.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));
    }
}
