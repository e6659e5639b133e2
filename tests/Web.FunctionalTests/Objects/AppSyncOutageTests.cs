using System.Net;
using CleanCognito.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
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
