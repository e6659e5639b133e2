using System.Collections.Concurrent;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.ListFiles;
using CleanCognito.Application.Notes.ListNotes;
using CleanCognito.Application.Objects.ListMyObjects;
using Mediator;

namespace CleanCognito.Application.Overview.GetOverview;

/// <summary>What the signed-in user has and can do, for the home page: their objects, files and groups.</summary>
public sealed record GetOverviewQuery : IQuery<Overview>
{
    /// <summary>One page of objects at most: the home page never pages through everything.</summary>
    public const int ObjectSample = ListMyObjectsQuery.MaxPageSize;

    /// <summary>One S3 list request at most (S3 returns up to 1000 keys per page).</summary>
    public const int FileSample = ListFilesQueryValidator.MaxPageSize;

    /// <summary>One DynamoDB Query at most: a count beyond it is shown as "100+".</summary>
    public const int NoteSample = ListNotesQuery.MaxPageSize;

    /// <summary>
    /// How long each card may take before it shows as unavailable. The home page must render within
    /// 3 s when one upstream stalls (issue 23: a stalled S3 held the whole page for 60 s); the cards
    /// run in parallel, so 2 s for the slowest leaves a second for sign-in checks, rendering and a
    /// busy machine. A healthy upstream answers in tens of milliseconds (docs/BENCHMARKS.md).
    /// </summary>
    public static readonly TimeSpan CardBudget = TimeSpan.FromSeconds(2);
}

public sealed class GetOverviewQueryHandler(ICurrentUser user, IGraphQlGateway gateway, ICurrentIdentity identity, IFileStore store, INoteStore notes)
    : IQueryHandler<GetOverviewQuery, Overview>
{
    public async ValueTask<Overview> Handle(GetOverviewQuery query, CancellationToken cancellationToken)
    {
        // Together: the three upstreams are independent, so the page costs its slowest card, not
        // their sum. A renewal during one of them replaces the request's tokens under a lock and
        // writes no cookie until the response starts, so the others may read them meanwhile.
        var unavailable = new ConcurrentQueue<UnavailableCard>();
        var objects = ObjectsOrNullAsync(unavailable, cancellationToken);
        var files = FilesOrNullAsync(unavailable, cancellationToken);
        var notes = NotesOrNullAsync(unavailable, cancellationToken);
        // An array, not params: the span overload makes the compiler emit an inline-array type outside any namespace.
        await Task.WhenAll(new Task[] { objects, files, notes });
        return new Overview(user.Username ?? user.UserId ?? string.Empty, user.Groups, await objects, await files, await notes, unavailable.ToArray());
    }

    /// <summary>The card shows as unavailable; the upstream is named as its adapter names it, or as the card's when it ran over budget.</summary>
    private static void Unavailable(ConcurrentQueue<UnavailableCard> unavailable, string card, Exception cause) =>
        unavailable.Enqueue(new UnavailableCard((cause as UpstreamUnavailableException)?.Service ?? card, cause));

    /// <summary>
    /// A token cancelled after <see cref="GetOverviewQuery.CardBudget"/> (or with the request). Each card
    /// awaits its call with <c>WaitAsync(budget)</c> too, so a call that ignores the cancellation (a
    /// stalled connection) is not waited for.
    /// </summary>
    private static CancellationTokenSource Budget(CancellationToken cancellationToken)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(GetOverviewQuery.CardBudget);
        return budget;
    }

    /// <summary>The card's budget ran out; the request itself was not cancelled (that stays a cancellation).</summary>
    private static bool OverBudget(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && !cancellationToken.IsCancellationRequested;

    private async Task<ObjectsSummary?> ObjectsOrNullAsync(ConcurrentQueue<UnavailableCard> unavailable, CancellationToken cancellationToken)
    {
        using var budget = Budget(cancellationToken);
        try
        {
            // The list use case's own reading (its document and partial answers), over the port: not its handler.
            var page = await MyObjectPageReader.ReadAsync(gateway, new ListMyObjectsQuery(GetOverviewQuery.ObjectSample), budget.Token).WaitAsync(budget.Token);
            var latest = page.Items.MaxBy(o => o.Date);
            return new ObjectsSummary(page.Items.Count, page.NextToken is not null || page.IsPartial, latest);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or GraphQlOperationException or ForbiddenAccessException || OverBudget(ex, cancellationToken))
        {
            Unavailable(unavailable, "AppSync", ex);
            return null;
        }
    }

    private async Task<FilesSummary?> FilesOrNullAsync(ConcurrentQueue<UnavailableCard> unavailable, CancellationToken cancellationToken)
    {
        using var budget = Budget(cancellationToken);
        try
        {
            var page = await FirstFilesAsync(budget.Token).WaitAsync(budget.Token);
            var latest = page.Files.MaxBy(f => f.LastModified);
            return new FilesSummary(page.Files.Count, page.Files.Sum(f => f.Size), page.NextToken is not null, latest);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException || OverBudget(ex, cancellationToken))
        {
            Unavailable(unavailable, "file storage", ex);
            return null;
        }
    }

    private async Task<FilePage> FirstFilesAsync(CancellationToken cancellationToken)
    {
        var folder = await identity.GetFolderAsync(cancellationToken);
        return await store.ListAsync(folder, GetOverviewQuery.FileSample, nextToken: null, cancellationToken);
    }

    private async Task<NotesSummary?> NotesOrNullAsync(ConcurrentQueue<UnavailableCard> unavailable, CancellationToken cancellationToken)
    {
        using var budget = Budget(cancellationToken);
        try
        {
            var page = await notes.ListAsync(GetOverviewQuery.NoteSample, nextToken: null, budget.Token).WaitAsync(budget.Token);
            return new NotesSummary(page.Notes.Count, page.NextToken is not null, page.Notes.Count > 0 ? page.Notes[0] : null);
        }
        catch (Exception ex) when (ex is UpstreamUnavailableException or ForbiddenAccessException || OverBudget(ex, cancellationToken))
        {
            // Down, or a deployment whose role does not grant the table yet: the rest of the page still shows.
            Unavailable(unavailable, "notes", ex);
            return null;
        }
    }
}
