using System.Text.Json;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.UnitTests.Fakes;

/// <summary>
/// Answers every operation with the same <c>data</c> JSON and <c>errors[]</c>, deserialised the way
/// the AppSync adapter does, so handlers meet the same shapes as in production.
/// </summary>
internal sealed class FakeGraphQlGateway : IGraphQlGateway
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private string? _dataJson;
    private IReadOnlyList<GraphQlError> _errors = [];

    public List<(GraphQlOperation Operation, bool IsMutation)> Sent { get; } = [];

    public FakeGraphQlGateway Answers(string? dataJson, params GraphQlError[] errors)
    {
        _dataJson = dataJson;
        _errors = errors;
        return this;
    }

    public Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class => Answer<TData>(operation, isMutation: false);

    public Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class => Answer<TData>(operation, isMutation: true);

    private Task<GraphQlResult<TData>> Answer<TData>(GraphQlOperation operation, bool isMutation)
        where TData : class
    {
        Sent.Add((operation, isMutation));
        var data = _dataJson is null ? null : JsonSerializer.Deserialize<TData>(_dataJson, JsonOptions);
        return Task.FromResult(new GraphQlResult<TData>(data, _errors));
    }

    public static GraphQlError Error(string errorType, params string[] path) => new("resolver said no", errorType, path);
}
