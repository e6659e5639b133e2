using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.Objects;

/// <summary>
/// Turns GraphQL <c>errors[]</c> into the application's exceptions, in one place for every
/// object use case.
/// </summary>
internal static class GraphQlErrors
{
    /// <summary>
    /// Throws when an error touches <paramref name="field"/>: Unauthorized → forbidden; anything else →
    /// <see cref="GraphQlOperationException"/> with a message safe to show. Errors on other fields
    /// (partial data) are left for the caller, which still gets the data it asked for.
    /// </summary>
    public static void ThrowIfFailed<TData>(GraphQlResult<TData> result, string field)
        where TData : class
    {
        var relevant = result.Errors
            .Where(e => e.Path.Count == 0 || string.Equals(e.Path[0], field, StringComparison.Ordinal))
            .ToList();
        if (relevant.Count == 0)
        {
            return;
        }

        if (relevant.Any(e => e.IsUnauthorized))
        {
            throw new ForbiddenAccessException("You are not allowed to do this with objects.");
        }

        throw new GraphQlOperationException(relevant);
    }
}
