using CleanCognito.Application.Files.GetDownloadUrl;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Files;

/// <summary>Sends the browser straight to S3 with a short-lived presigned URL; the file never passes through the app.</summary>
[Authorize]
public sealed class DownloadModel(ISender sender) : PageModel
{
    public async Task<IActionResult> OnGetAsync([FromQuery] string? name, CancellationToken cancellationToken)
    {
        var link = await sender.Send(new GetDownloadUrlQuery(name ?? string.Empty), cancellationToken);
        // The URL carries a signature: keep it out of shared caches and browser history replays.
        Response.Headers.CacheControl = "no-store";

        // Set by hand, not with RedirectResult: its executor logs the destination at Information,
        // and this destination carries X-Amz-Signature and the session token.
        Response.Redirect(link.Url.AbsoluteUri);
        return new EmptyResult();
    }
}
