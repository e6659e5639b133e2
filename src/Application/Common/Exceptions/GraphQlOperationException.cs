using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.Common.Exceptions;

/// <summary>
/// The API answered, but refused or failed the operation (a resolver error). The user sees a
/// generic message on the page; the raw GraphQL messages are only logged, since they can carry
/// resolver internals.
/// </summary>
public sealed class GraphQlOperationException : Exception
{
    public GraphQlOperationException() : base("The request could not be completed.") { }

    public GraphQlOperationException(string message) : base(message) { }

    public GraphQlOperationException(string message, Exception innerException) : base(message, innerException) { }

    public GraphQlOperationException(IReadOnlyList<GraphQlError> errors)
        : base("The request could not be completed.")
    {
        Errors = errors;
    }

    public IReadOnlyList<GraphQlError> Errors { get; } = [];

    /// <summary>The error types (never the messages) for logs and diagnostics.</summary>
    public string ErrorTypes => string.Join(", ", Errors.Select(e => e.ErrorType ?? "unknown").Distinct());
}
