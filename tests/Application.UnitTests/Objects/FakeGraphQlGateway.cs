using System.Text.Json;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.UnitTests.Objects;

/// <summary>Answers every operation with one prepared result and remembers what it was sent.</summary>
internal sealed class FakeGraphQlGateway : IGraphQlGateway
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private readonly Func<GraphQlOperation, object>? _answer;
    private readonly string? _dataJson;
    private readonly IReadOnlyList<GraphQlError> _errors = [];

    public FakeGraphQlGateway(Func<GraphQlOperation, object> answer) => _answer = answer;

    private FakeGraphQlGateway(string? dataJson, IReadOnlyList<GraphQlError> errors)
    {
        _dataJson = dataJson;
        _errors = errors;
    }

    public List<GraphQlOperation> Queries { get; } = [];

    public List<GraphQlOperation> Mutations { get; } = [];

    /// <summary>
    /// Answers with <c>data</c> JSON deserialised the way the AppSync adapter does, so handlers meet
    /// production shapes: nulls from failed resolvers, incomplete list items.
    /// </summary>
    public static FakeGraphQlGateway AnsweringJson(string? dataJson, params GraphQlError[] errors) => new(dataJson, errors);

    public static GraphQlError Error(string errorType, params string[] path) => new("resolver said no", errorType, path);

    public Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class
    {
        Queries.Add(operation);
        return Task.FromResult(Answer<TData>(operation));
    }

    public Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class
    {
        Mutations.Add(operation);
        return Task.FromResult(Answer<TData>(operation));
    }

    private GraphQlResult<TData> Answer<TData>(GraphQlOperation operation)
        where TData : class =>
        _answer is not null
            ? (GraphQlResult<TData>)_answer(operation)
            : new GraphQlResult<TData>(_dataJson is null ? null : JsonSerializer.Deserialize<TData>(_dataJson, JsonOptions), _errors);
}
