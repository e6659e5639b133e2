using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.ListFiles;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Web.Files;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Files;

/// <summary>
/// The user's files: one page of the list, and uploads two ways — the plain multipart form, and the
/// raw body that <c>upload.js</c> sends so it can show progress (and the server can stream it to
/// S3 without a form parser in between).
/// </summary>
[Authorize]
[UploadLimit]
public sealed class IndexModel(ISender sender, UploadLimits limits) : PageModel
{
    /// <summary>How many previous page tokens the pager keeps in the URL.</summary>
    private const int MaxHistory = 20;

    public FilePage? Listing { get; private set; }

    /// <summary>Tokens of the pages before this one, oldest first; the last is the previous page.</summary>
    public IReadOnlyList<string> History { get; private set; } = [];

    public string? Token { get; private set; }

    public long MaxUploadBytes => limits.MaxUploadBytes;

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The name that clashed on the last upload, to offer replacing it.</summary>
    public string? ClashName { get; set; }

    public async Task OnGetAsync([FromQuery(Name = "token")] string? token, [FromQuery(Name = "prev")] string[]? prev, CancellationToken cancellationToken)
    {
        Token = string.IsNullOrEmpty(token) ? null : token;
        History = (prev ?? []).Where(p => !string.IsNullOrEmpty(p)).TakeLast(MaxHistory).ToList();
        Listing = await sender.Send(new ListFilesQuery(PageToken: Token), cancellationToken);
    }

    /// <summary>The plain form (works without JavaScript). The form reader keeps large files on disk, not in memory.</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, bool overwrite, CancellationToken cancellationToken)
    {
        ClashName = file?.FileName;
        if (file is null)
        {
            ModelState.AddModelError(nameof(file), "Choose a file to upload.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await using var content = file.OpenReadStream();
        var stored = await sender.Send(new UploadFileCommand(file.FileName, content, file.Length, file.ContentType, overwrite), cancellationToken);
        Notice = $"Uploaded {stored.Name}.";
        return RedirectToPage();
    }

    /// <summary>The body is the file itself (sent by <c>upload.js</c>); antiforgery comes in the RequestVerificationToken header.</summary>
    public async Task<IActionResult> OnPostStreamAsync([FromQuery] string? name, [FromQuery] bool overwrite, [FromQuery] string? type, CancellationToken cancellationToken)
    {
        ClashName = name;
        var stored = await sender.Send(
            new UploadFileCommand(name ?? string.Empty, Request.Body, Request.ContentLength ?? 0, type, overwrite),
            cancellationToken);
        Notice = $"Uploaded {stored.Name}.";
        return new JsonResult(new { name = stored.Name, size = stored.Size });
    }

    /// <summary>Query values for the link to the next page.</summary>
    public Dictionary<string, string?> NextPageQuery() =>
        PageQuery(Listing?.NextPageToken, Token is null ? History : [.. History, Token]);

    /// <summary>Query values for the link to the previous page (null on the first page).</summary>
    public Dictionary<string, string?>? PreviousPageQuery() =>
        Token is null ? null : PageQuery(History.Count == 0 ? null : History[^1], History.Take(History.Count - 1).ToList());

    private static Dictionary<string, string?> PageQuery(string? token, IReadOnlyList<string> history)
    {
        var query = new Dictionary<string, string?>();
        if (token is not null)
        {
            query["token"] = token;
        }

        // Route values cannot repeat a key, so the history is numbered; ASP.NET binds prev[0], prev[1], … to the array.
        for (var i = 0; i < history.Count; i++)
        {
            query[$"prev[{i}]"] = history[i];
        }

        return query;
    }
}
