using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;

namespace CleanCognito.TestSupport.Web;

/// <summary>
/// A fake API whose answer is chosen by the requested object id, so one app instance can show every
/// error path: <c>not-found</c>, <c>forbidden</c>, <c>upstream-down</c>, <c>rejected</c>,
/// <c>crash</c>; any other id returns an object named <c>Object {id}</c>.
/// </summary>
public sealed class ScriptedGateway : IGraphQlGateway
{
    /// <summary>Text of the unexpected exception: it must never reach a page.</summary>
    public const string SecretDetail = "connection string Password=hunter2 in Some.Internal.Type";

    public const string RejectionMessage = "That object id is reserved.";

    public Task<GraphQlResult<TData>> QueryAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class => Task.FromResult(Answer<TData>(operation));

    public Task<GraphQlResult<TData>> MutateAsync<TData>(GraphQlOperation operation, CancellationToken cancellationToken)
        where TData : class => Task.FromResult(Answer<TData>(operation));

    private static GraphQlResult<TData> Answer<TData>(GraphQlOperation operation)
        where TData : class
    {
        var id = operation.Variables.TryGetValue("id", out var value) ? value as string : null;
        Exception? failure = id switch
        {
            "not-found" => new NotFoundException("Object \"not-found\" was not found."),
            "forbidden" => new ForbiddenAccessException(),
            "upstream-down" => new UpstreamUnavailableException("AppSync", "AppSync did not answer in time."),
            "rejected" => new ValidationException("Id", RejectionMessage),
            "crash" => new InvalidOperationException(SecretDetail),
            _ => null,
        };
        if (failure is not null)
        {
            throw failure;
        }

        // The use case's data type is internal to Application: build it the way the real adapter does, from JSON.
        var json = $$$"""{"getMyObject":{"id":"{{{id}}}","name":"Object {{{id}}}","date":"2024-05-01T12:00:00Z"}}""";
        return new GraphQlResult<TData>(JsonSerializer.Deserialize<TData>(json, JsonOptions), []);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
