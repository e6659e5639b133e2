using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.ListFiles;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Web.Files;
using CleanCognito.Web.Paging;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Files;

/// <summary>
/// The user's files: one page of the list, and uploads two ways — the plain multipart form, and the
/// raw body that <c>upload.js</c> sends so it can show progress (and the server can stream it to
/// S3 without a form parser in between).
/// </summary>
[Authorize]
[UploadLimit]
public sealed class IndexModel(ISender sender, UploadLimit limit) : PageModel
{
    public FilePage? Listing { get; private set; }

    public PageTrail Trail { get; private set; } = new(null, null, null);

    public long MaxUploadBytes => limit.MaxBytes;

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The name that clashed on the last upload, to offer replacing it.</summary>
    public string? ClashName { get; set; }

    /// <summary>
    /// A refused form upload (no JavaScript) re-renders this page with its one message: show the
    /// list beside it, as the GET does, instead of a page with the list missing.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (Listing is null && executed.Result is PageResult && executed.HandlerMethod?.Name == "Upload")
        {
            Listing = await sender.Send(new ListFilesQuery(), HttpContext.RequestAborted);
        }
    }

    public async Task OnGetAsync(string? nextToken, [FromQuery(Name = "prev")] string?[]? previous, CancellationToken cancellationToken)
    {
        Trail = new PageTrail(pageSize: null, nextToken, previous);
        Listing = await sender.Send(new ListFilesQuery(NextToken: Trail.Current), cancellationToken);
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
}
