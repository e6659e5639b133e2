using System.Diagnostics;
using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>
/// The Refit adapter against a stub server, for what the AppSync stand-in cannot produce:
/// 5xx, slow answers, unreadable bodies, partial data, and counting the attempts.
/// </summary>
public sealed class AppSyncGatewayStubTests : IDisposable
{
    private const string Path = "/graphql";
    private const string AnObject = """{"data":{"getMyObject":{"id":"abc","name":"Stub","date":"2026-01-15T09:30:00Z"}}}""";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeUserTokens _tokens = new("access-token-1");
    private readonly AppSyncGateway _app;
    private readonly SemaphoreSlim _slowArrivals = new(0);

    public AppSyncGatewayStubTests() => _app = new AppSyncGateway(_server.Url + Path, _tokens);

    private static GraphQlOperation Query => new(
        "query GetMyObject($id: ID!) { getMyObject(id: $id) { id name date } }",
        "GetMyObject",
        new Dictionary<string, object?> { ["id"] = "abc" });

    private static GraphQlOperation Mutation => new(
        "mutation UpdateMyObject($id: ID!, $name: String!) { updateMyObject(id: $id, name: $name) { id name date } }",
        "UpdateMyObject",
        new Dictionary<string, object?> { ["id"] = "abc", ["name"] = "New" });

    public void Dispose()
    {
        _app.Dispose();
        _server.Stop();
        _server.Dispose();
        _slowArrivals.Dispose();
    }

    [Fact]
    public async Task Posts_query_variables_and_operation_name_with_the_raw_access_token()
    {
        Answer(200, AnObject);

        var result = await _app.Gateway.QueryAsync<Data>(Query, default);

        result.Data!.GetMyObject!.Name.Should().Be("Stub");
        var request = _server.LogEntries.Single().RequestMessage!;
        request.Headers!["Authorization"].ToArray().Should().Equal("access-token-1");
        using var body = JsonDocument.Parse(request.Body ?? "null");
        body.RootElement.GetProperty("query").GetString().Should().Contain("$id: ID!");
        body.RootElement.GetProperty("variables").GetProperty("id").GetString().Should().Be("abc");
        body.RootElement.GetProperty("operationName").GetString().Should().Be("GetMyObject");
    }

    [Fact]
    public async Task A_500_is_retried_for_a_query_then_reported_unavailable()
    {
        Answer(500, """{"errors":[{"errorType":"InternalFailure","message":"boom"}]}""");

        var act = async () => await _app.Gateway.QueryAsync<Data>(Query, default);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
        _server.LogEntries.Should().HaveCount(3, "one attempt and MaxQueryRetries = 2 retries");
    }

    [Fact]
    public async Task A_500_is_never_retried_for_a_mutation()
    {
        Answer(500, """{"errors":[{"errorType":"InternalFailure","message":"boom"}]}""");

        var act = async () => await _app.Gateway.MutateAsync<Data>(Mutation, default);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
        _server.LogEntries.Should().ContainSingle();
    }

    [Fact]
    public async Task A_query_that_recovers_on_retry_succeeds()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(AnObject));

        var result = await _app.Gateway.QueryAsync<Data>(Query, default);

        result.Data!.GetMyObject!.Id.Should().Be("abc");
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_slow_answer_past_the_timeout_is_retried_for_a_query_then_unavailable_within_the_total_timeout()
    {
        AnswerSlowly(TimeSpan.FromSeconds(1.5));
        using var app = new AppSyncGateway(_server.Url + Path, _tokens, AppSyncGateway.FastTimeouts);
        var clock = Stopwatch.StartNew();

        var act = async () => await app.Gateway.QueryAsync<Data>(Query, default);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "the total timeout is 2 s");
        (await SlowRequestsSeen(3)).Should().Be(3, "each 0.5 s attempt timed out and MaxQueryRetries = 2");
    }

    [Fact]
    public async Task A_slow_mutation_is_abandoned_after_one_attempt()
    {
        AnswerSlowly(TimeSpan.FromSeconds(1.5));
        using var app = new AppSyncGateway(_server.Url + Path, _tokens, AppSyncGateway.FastTimeouts);

        var act = async () => await app.Gateway.MutateAsync<Data>(Mutation, default);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
        (await SlowRequestsSeen(1)).Should().Be(1);
    }

    [Theory]
    [InlineData("{\"data\": {\"getMyObject\": ")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{}")]
    [InlineData("{\"data\":{\"getMyObject\":{\"id\":\"abc\",\"name\":\"n\",\"date\":\"not a date\"}}}")]
    public async Task An_unreadable_body_is_unavailable(string body)
    {
        Answer(200, body);

        var act = async () => await _app.Gateway.QueryAsync<Data>(Query, default);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
    }

    [Fact]
    public async Task Partial_data_comes_back_with_its_errors()
    {
        Answer(200, """
            {"data":{"getMyObject":{"id":"abc","name":"Stub","date":"2026-01-15T09:30:00Z"}},
             "errors":[{"message":"one item failed","errorType":"DynamoDB:UnprocessedKeys","path":["getMyObject","tags",3],"errorInfo":null}]}
            """);

        var result = await _app.Gateway.QueryAsync<Data>(Query, default);

        result.Data!.GetMyObject!.Name.Should().Be("Stub");
        result.Errors.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new GraphQlError("one item failed", "DynamoDB:UnprocessedKeys", ["getMyObject", "tags", "3"]));
    }

    [Fact]
    public async Task Errors_without_data_are_returned_not_thrown()
    {
        Answer(200, """{"data":null,"errors":[{"message":"Not Authorized to access updateMyObject on type Mutation","errorType":"Unauthorized","path":["updateMyObject"]}]}""");

        var result = await _app.Gateway.MutateAsync<Data>(Mutation, default);

        result.Data.Should().BeNull();
        result.Errors.Single().IsUnauthorized.Should().BeTrue();
    }

    [Fact]
    public async Task A_400_with_errors_is_read_as_a_graphql_answer()
    {
        Answer(400, """{"data":null,"errors":[{"message":"Validation error of type FieldUndefined","errorType":"ValidationError"}]}""");

        var result = await _app.Gateway.QueryAsync<Data>(Query, default);

        result.Errors.Single().ErrorType.Should().Be("ValidationError");
        _server.LogEntries.Select(e => e.ResponseMessage!.StatusCode).Should().Equal([400], "a 400 is not transient");
    }

    [Fact]
    public async Task A_401_refreshes_the_tokens_once_and_retries_with_the_new_token()
    {
        _tokens.RefreshedToken = "access-token-2";
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("Authorization", "access-token-1"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"errors":[{"errorType":"UnauthorizedException","message":"expired"}]}"""));
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("Authorization", "access-token-2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(AnObject));

        var result = await _app.Gateway.MutateAsync<Data>(Mutation, default);

        result.Data!.GetMyObject!.Id.Should().Be("abc");
        _tokens.Refreshes.Should().Be(1);
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_401_after_another_call_renewed_the_session_is_resent_with_those_tokens_without_a_refresh()
    {
        _tokens.RefreshedToken = "access-token-3";
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("Authorization", "access-token-1"))
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                // While this call was in flight, another call of the request renewed the session.
                _tokens.AccessToken = "access-token-2";
                return new ResponseMessage
                {
                    StatusCode = 401,
                    BodyData = new BodyData { BodyAsString = """{"errors":[{"errorType":"UnauthorizedException","message":"expired"}]}""", DetectedBodyType = BodyType.String },
                };
            }));
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("Authorization", "access-token-2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(AnObject));

        var result = await _app.Gateway.QueryAsync<Data>(Query, default);

        result.Data!.GetMyObject!.Id.Should().Be("abc");
        _tokens.Refreshes.Should().Be(0, "the request's tokens were already renewed");
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task Concurrent_calls_refused_with_401_each_resend_once_with_the_renewed_token()
    {
        _tokens.RefreshedToken = "access-token-2";
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("Authorization", "access-token-1"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"errors":[{"errorType":"UnauthorizedException","message":"expired"}]}"""));
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("Authorization", "access-token-2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(AnObject));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _app.Gateway.QueryAsync<Data>(Query, default)));

        results.Should().OnlyContain(r => r.Data!.GetMyObject!.Id == "abc");
        _server.LogEntries.Should().HaveCount(8, "each call is sent once and resent once, never more");
    }

    [Fact]
    public async Task A_401_that_no_refresh_can_fix_asks_the_user_to_sign_in()
    {
        _tokens.RefreshedToken = "access-token-2";
        Answer(401, """{"errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}""");

        var act = async () => await _app.Gateway.QueryAsync<Data>(Query, default);

        await act.Should().ThrowAsync<SignInRequiredException>();
        _tokens.Refreshes.Should().Be(1);
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_401_without_a_refreshable_session_asks_the_user_to_sign_in_without_retrying()
    {
        Answer(401, """{"errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}""");

        var act = async () => await _app.Gateway.QueryAsync<Data>(Query, default);

        await act.Should().ThrowAsync<SignInRequiredException>();
        _server.LogEntries.Should().ContainSingle();
    }

    [Fact]
    public async Task A_refused_connection_is_unavailable()
    {
        _server.Stop();

        var act = async () => await _app.Gateway.QueryAsync<Data>(Query, default);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
    }

    [Fact]
    public async Task A_cancelled_request_stays_a_cancellation()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(AnObject).WithDelay(TimeSpan.FromSeconds(2)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = async () => await _app.Gateway.QueryAsync<Data>(Query, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>
    /// Counts each request as it arrives, then answers after <paramref name="delay"/>: WireMock logs a
    /// request only once its answer is written, which never happens when the client has given up.
    /// </summary>
    private void AnswerSlowly(TimeSpan delay) =>
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                _slowArrivals.Release();
                await Task.Delay(delay); // the slow upstream itself, not a barrier
                return new ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new BodyData { BodyAsString = AnObject, DetectedBodyType = BodyType.String },
                };
            }));

    /// <summary>
    /// The client's attempts are over once it has thrown: wait (bounded) for the expected arrivals,
    /// then count any extra, so the result is the exact number the stub saw.
    /// </summary>
    private async Task<int> SlowRequestsSeen(int expected)
    {
        var seen = 0;
        while (seen < expected && await _slowArrivals.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            seen++;
        }

        while (_slowArrivals.Wait(0))
        {
            seen++;
        }

        return seen;
    }

    private void Answer(int status, string body) =>
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    public sealed record Data(Item? GetMyObject);

    public sealed record Item(string Id, string Name, DateTimeOffset Date);
}
