namespace CleanCognito.Application.Common.Interfaces;

/// <summary>What the API answered: <see cref="Data"/> may be partial or null when <see cref="Errors"/> is not empty.</summary>
public sealed record GraphQlResult<TData>(TData? Data, IReadOnlyList<GraphQlError> Errors)
    where TData : class
{
    public bool HasErrors => Errors.Count > 0;
}
