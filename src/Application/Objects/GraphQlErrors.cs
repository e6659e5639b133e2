using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.Objects;

/// <summary>
/// Turns GraphQL <c>errors[]</c> into the application's exceptions, in one place for every
/// object use case.
/// </summary>
internal static class GraphQlErrors
{
    /// <summary>The errors that concern <paramref name="field"/> (or the whole operation, when they have no path).</summary>
    public static IReadOnlyList<GraphQlError> On<TData>(GraphQlResult<TData> result, string field)
        where TData : class =>
        result.Errors
            .Where(e => e.Path.Count == 0 || string.Equals(e.Path[0], field, StringComparison.Ordinal))
            .ToList();

    /// <summary>
    /// Throws when an error touches <paramref name="field"/>. Use it where a partial answer is no
    /// answer (one object); a list decides itself what partial data is still worth showing.
    /// </summary>
    public static void ThrowIfFailed<TData>(GraphQlResult<TData> result, string field)
        where TData : class
    {
        var relevant = On(result, field);
        if (relevant.Count > 0)
        {
            throw ToException(relevant);
        }
    }

    /// <summary>
    /// Unauthorized → forbidden (checked first: a refusal must never be reported as something
    /// else); a resolver's NotFound → not found; anything else → <see cref="GraphQlOperationException"/>,
    /// whose message is safe to show (the raw messages may carry resolver internals).
    /// </summary>
    public static Exception ToException(IReadOnlyList<GraphQlError> errors)
    {
        if (errors.Any(e => e.IsUnauthorized))
        {
            return new ForbiddenAccessException("You are not allowed to do this with objects.");
        }

        if (errors.All(e => e.ErrorType?.Contains("NotFound", StringComparison.OrdinalIgnoreCase) == true))
        {
            return new NotFoundException("The object was not found.");
        }

        return new GraphQlOperationException(errors);
    }
}
