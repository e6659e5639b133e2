using CleanCognito.Application.Common.Interfaces;
using Mediator;

namespace CleanCognito.Application.Notes.ListNotes;

/// <summary>One page of the user's notes, newest first. <paramref name="NextToken"/> is the previous page's <see cref="NotePage.NextToken"/>.</summary>
public sealed record ListNotesQuery(int? PageSize = null, string? NextToken = null) : IQuery<NotePage>
{
    /// <summary>A page the list and the home page may ask for; DynamoDB's Query is bounded by 1 MB anyway.</summary>
    public const int MaxPageSize = 100;
}

public sealed class ListNotesQueryHandler(INoteStore store) : IQueryHandler<ListNotesQuery, NotePage>
{
    public async ValueTask<NotePage> Handle(ListNotesQuery query, CancellationToken cancellationToken)
    {
        var token = string.IsNullOrEmpty(query.NextToken) ? null : query.NextToken;
        return await store.ListAsync(query.PageSize ?? store.DefaultPageSize, token, cancellationToken);
    }
}
