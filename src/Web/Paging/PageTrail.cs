using Microsoft.AspNetCore.Http.Extensions;

namespace CleanCognito.Web.Paging;

/// <summary>
/// The way back through a paged list (objects from AppSync, files from S3). Continuation tokens only
/// go forward, so the list carries the tokens
/// of the pages before it in its own query string (<c>prev</c>, oldest first; an empty value is the
/// first page). The trail is bounded so the URL stays well under server limits: past
/// <see cref="MaxChars"/> the oldest entries are dropped, and "First page" still gets the reader home.
/// </summary>
public sealed class PageTrail
{
    // With a 2,048-character current token and URL-encoding (~1.3×), the request line stays under Kestrel's 8 KB.
    public const int MaxChars = 3000;

    private readonly List<string> _previous;

    /// <param name="pageSize">Kept in every link when the list lets the reader choose it; null otherwise.</param>
    public PageTrail(int? pageSize, string? current, IEnumerable<string?>? previous)
    {
        PageSize = pageSize;
        Current = string.IsNullOrEmpty(current) ? null : current;
        _previous = Bound((previous ?? []).Select(t => t ?? string.Empty).ToList());
    }

    public int? PageSize { get; }

    public string? Current { get; }

    public bool HasPrevious => Current is not null;

    /// <summary>The list's URL with <paramref name="next"/> as its page and this page pushed onto the trail.</summary>
    public string NextUrl(string basePath, string next) =>
        Url(basePath, next, [.. _previous, Current ?? string.Empty]);

    /// <summary>The page before this one: the top of the trail (or the first page when the trail is empty).</summary>
    public string PreviousUrl(string basePath) =>
        _previous.Count == 0
            ? Url(basePath, null, [])
            : Url(basePath, _previous[^1], _previous[..^1]);

    public string FirstUrl(string basePath) => Url(basePath, null, []);

    private string Url(string basePath, string? token, List<string> previous)
    {
        var query = new QueryBuilder();
        if (PageSize is { } pageSize)
        {
            query.Add("pageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(token))
        {
            query.Add("nextToken", token);
        }

        if (previous.Count > 0)
        {
            query.Add("prev", Bound(previous));
        }

        return basePath + query.ToQueryString();
    }

    private static List<string> Bound(List<string> tokens)
    {
        var kept = tokens.ToList();
        while (kept.Count > 0 && kept.Sum(t => t.Length + 6) > MaxChars)
        {
            kept.RemoveAt(0);
        }

        return kept;
    }
}
