using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>
/// The AppSync adapter as the app registers it (Refit client + resilience, through
/// <c>AddInfrastructureServices</c>) against a stub HTTP server.
/// </summary>
public sealed class AppSyncGatewayTests : IDisposable
{
    private const string AccessToken = "eyJhbGciOiJSUzI1NiJ9.test-access-token.signature";
    private static readonly GraphQlOperation GetMyObject = new(
        "query GetMyObject($id: ID!) { getMyObject(id: $id) { id name date } }",
        "GetMyObject",
        new Dictionary<string, object?> { ["id"] = "1234567890abcdef" });

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public AppSyncGatewayTests()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AppSync:Endpoint"] = $"{_server.Url}/graphql",
                ["AppSync:TimeoutSeconds"] = "5",
                ["AppSync:AttemptTimeoutSeconds"] = "2",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new TestEnvironment());
        services.AddLogging();
        services.AddSingleton<ICurrentUserTokens>(new FakeTokens(AccessToken));
        services.AddInfrastructureServices();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public sealed record Data(ObjectData? GetMyObject);

    public sealed record ObjectData(string Id, string Name, DateTimeOffset Date);

    private Task<GraphQlResult<Data>> QueryAsync()
    {
        var scope = _services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IGraphQlGateway>().QueryAsync<Data>(GetMyObject, CancellationToken.None);
    }

    private void Answer(int status, string body) =>
        _server.Given(Request.Create().WithPath("/graphql").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task Returns_the_data_of_a_200_answer()
    {
        Answer(200, """{"data":{"getMyObject":{"id":"1234567890abcdef","name":"First object","date":"2024-05-01T12:00:00Z"}}}""");

        var result = await QueryAsync();

        result.HasErrors.Should().BeFalse();
        result.Data!.GetMyObject.Should().Be(new ObjectData("1234567890abcdef", "First object", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Sends_the_raw_access_token_and_a_json_body_with_query_variables_and_operation_name()
    {
        Answer(200, """{"data":{"getMyObject":null}}""");

        await QueryAsync();

        var request = _server.LogEntries.Should().ContainSingle().Subject.RequestMessage!;
        request.Headers!["Authorization"].Should().Equal(AccessToken);
        request.Headers!["Content-Type"].Single().Should().StartWith("application/json");
        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("query").GetString().Should().Be(GetMyObject.Document);
        body.RootElement.GetProperty("operationName").GetString().Should().Be("GetMyObject");
        body.RootElement.GetProperty("variables").GetProperty("id").GetString().Should().Be("1234567890abcdef");
    }

    [Fact]
    public async Task Returns_GraphQL_errors_for_the_use_case_to_interpret()
    {
        Answer(200, """{"data":{"getMyObject":null},"errors":[{"message":"Not Authorized","errorType":"Unauthorized","path":["getMyObject"]}]}""");

        var result = await QueryAsync();

        result.Errors.Should().ContainSingle().Which.IsUnauthorized.Should().BeTrue();
    }

    [Fact]
    public async Task A_500_becomes_UpstreamUnavailable_after_the_query_was_retried()
    {
        Answer(500, """{"message":"internal"}""");

        var act = QueryAsync;

        (await act.Should().ThrowAsync<UpstreamUnavailableException>()).Which.Service.Should().Be("AppSync");
        _server.LogEntries.Should().HaveCount(3, "a query is sent once and retried twice (AppSync:MaxQueryRetries = 2)");
    }

    [Theory]
    [InlineData("{\"data\": {\"getMyObject\": ")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[]")]
    [InlineData("{}")]
    public async Task An_unreadable_answer_becomes_UpstreamUnavailable(string body)
    {
        Answer(200, body);

        var act = QueryAsync;

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
    }

    [Fact]
    public async Task A_mutation_is_never_retried()
    {
        Answer(503, "{}");
        using var scope = _services.CreateScope();
        var gateway = scope.ServiceProvider.GetRequiredService<IGraphQlGateway>();

        var act = () => gateway.MutateAsync<Data>(GetMyObject with { OperationName = "UpdateMyObject" }, CancellationToken.None);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
        _server.LogEntries.Should().ContainSingle();
    }

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private sealed class FakeTokens(string accessToken) : ICurrentUserTokens
    {
        public UserTokens GetTokens() => new(
            accessToken, "id-token", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test", "sub-1", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => null;
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Local";

        public string ApplicationName { get; set; } = "CleanCognito.Infrastructure.IntegrationTests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
