using System.Net;
using System.Text.Json;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanCognito.Web.FunctionalTests.Objects;

/// <summary>
/// What the stand-in cannot produce on a page: a list answer with items and errors[] side by side
/// (a resolver's <c>$util.appendError</c>), and one with no list at all.
/// </summary>
public sealed class PartialListTests : IDisposable
{
    private readonly CleanCognitoAppFactory _factory = new();

    [Fact]
    public async Task A_partial_list_shows_the_items_that_came_back_and_a_notice()
    {
        using var client = Client("""
            {"listMyObjects":{"items":[
              {"id":"a1","name":"Arrived","date":"2026-01-15T09:30:00Z"},
              null],
              "nextToken":null}}
            """, new GraphQlError("Some keys were not processed", "DynamoDB:UnprocessedKeys", ["listMyObjects", "items", "1"]));

        using var response = await client.GetAsync(new Uri("/Objects", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("Arrived").And.Contain("id=\"partial-notice\"").And.Contain("Showing the 1 that came back")
            .And.NotContain("Some keys were not processed", "resolver messages are logged, never shown");
    }

    [Fact]
    public async Task No_list_at_all_is_the_generic_502_message_on_the_page()
    {
        using var client = Client(null, new GraphQlError("table cc-objects-prod throttled", "DynamoDB:ProvisionedThroughputExceededException", ["listMyObjects"]));

        using var response = await client.GetAsync(new Uri("/Objects", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        html.Should().Contain("The service could not complete this request").And.NotContain("cc-objects-prod");
    }

    public void Dispose() => _factory.Dispose();

    private HttpClient Client(string? dataJson, params GraphQlError[] errors)
    {
        _factory.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IGraphQlGateway>(new CannedGateway(dataJson, errors))));
        return _factory.CreateHttpsClient();
    }

    /// <summary>One canned answer, deserialised as the AppSync adapter does (the use cases' data types are internal).</summary>
    private sealed class CannedGateway(string? dataJson, IReadOnlyList<GraphQlError> errors) : IGraphQlGateway
    {
        private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

        public Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
            where TData : class =>
            Task.FromResult(new GraphQlResult<TData>(dataJson is null ? null : JsonSerializer.Deserialize<TData>(dataJson, JsonOptions), errors));

        public Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
            where TData : class => QueryAsync<TData>(operation, cancellationToken);
    }
}
