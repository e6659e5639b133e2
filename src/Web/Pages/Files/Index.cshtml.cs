using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Files.AbortUpload;
using CleanCognito.Application.Files.CompleteUpload;
using CleanCognito.Application.Files.ListFiles;
using CleanCognito.Application.Files.ListUploadedParts;
using CleanCognito.Application.Files.SignParts;
using CleanCognito.Application.Files.StartUpload;
using CleanCognito.Application.Files.UploadFile;
using CleanCognito.Application.Files.Uploads;
using CleanCognito.Domain.Files;
using CleanCognito.Web.Files;
using CleanCognito.Web.Paging;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Files;

/// <summary>
/// The user's files: one page of the list, and uploads two ways — the plain multipart form (no
/// JavaScript, up to <c>Storage:MaxUploadBytes</c>), and direct uploads that <c>upload.js</c> sends
/// straight to the bucket in parts (up to <c>Storage:MaxDirectUploadBytes</c>) through the JSON
/// handlers below: the bytes never pass through the app (docs/decisions/0010-direct-uploads.md).
/// The JSON handlers take antiforgery in the RequestVerificationToken header, as every POST here.
/// </summary>
[Authorize]
[UploadLimit]
public sealed class IndexModel(ISender sender, UploadLimit limit, DirectUploadLimit directLimit, ILogger<IndexModel> logger) : PageModel
{
    public FilePage? Listing { get; private set; }

    public long MaxDirectUploadBytes => directLimit.MaxBytes;

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

    /// <summary>
    /// The body is the file itself (for API clients; the page's script uploads to the bucket directly);
    /// antiforgery comes in the RequestVerificationToken header. The body is read into a temporary
    /// file first, within the request's size limit, so the S3 call's short attempt bound measures S3,
    /// never the client's uplink: a slow client never looks like a stalled S3 (issue 23).
    /// </summary>
    public async Task<IActionResult> OnPostStreamAsync([FromQuery] string? name, [FromQuery] bool overwrite, [FromQuery] string? type, CancellationToken cancellationToken)
    {
        ClashName = name;
        if (FileName.Problem(name) is { } problem)
        {
            // Refused before a byte is read.
            throw new ValidationException("Name", problem);
        }

        await using var spooled = new FileStream(
            Path.Combine(Path.GetTempPath(), $"cleancognito-upload-{Guid.NewGuid():N}"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await Request.Body.CopyToAsync(spooled, cancellationToken);
        spooled.Position = 0;
        var stored = await sender.Send(
            new UploadFileCommand(name!, spooled, spooled.Length, type, overwrite),
            cancellationToken);
        Notice = $"Uploaded {stored.Name}.";
        return new JsonResult(new { name = stored.Name, size = stored.Size });
    }

    public Task<IActionResult> OnPostStartUploadAsync([FromBody] StartUploadCommand? command, CancellationToken cancellationToken) =>
        JsonAsync(command, async c => await sender.Send(c, cancellationToken));

    public Task<IActionResult> OnPostSignPartsAsync([FromBody] SignPartsCommand? command, CancellationToken cancellationToken) =>
        JsonAsync(command, async c => await sender.Send(c, cancellationToken));

    public Task<IActionResult> OnPostListPartsAsync([FromBody] ListUploadedPartsQuery? query, CancellationToken cancellationToken) =>
        JsonAsync(query, async q => await sender.Send(q, cancellationToken));

    public Task<IActionResult> OnPostCompleteUploadAsync([FromBody] CompleteUploadCommand? command, CancellationToken cancellationToken) =>
        JsonAsync(command, async c =>
        {
            await sender.Send(c, cancellationToken);
            // No notice here: files of one batch complete at once and each answer would overwrite
            // the last; upload.js names every file of the batch after it reloads the list.
            return new { name = c.Name };
        });

    public Task<IActionResult> OnPostAbortUploadAsync([FromBody] AbortUploadCommand? command, CancellationToken cancellationToken) =>
        JsonAsync<AbortUploadCommand>(command, async c =>
        {
            await sender.Send(c, cancellationToken);
            return null;
        });

    /// <summary>A body that did not bind is a 400 problem; the rest is the handler's answer or its error as a JSON problem.</summary>
    private Task<IActionResult> JsonAsync<TRequest>(TRequest? request, Func<TRequest, Task<object?>> handle)
        where TRequest : class =>
        request is null || !ModelState.IsValid
            ? Task.FromResult(UploadApi.Unreadable())
            : UploadApi.AnswerAsync(HttpContext, logger, () => handle(request));
}
