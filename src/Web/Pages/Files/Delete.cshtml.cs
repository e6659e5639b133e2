using CleanCognito.Application.Files.DeleteFile;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Files;

/// <summary>Delete with a confirmation step: GET asks, POST (with antiforgery) deletes.</summary>
[Authorize]
public sealed class DeleteModel(ISender sender) : PageModel
{
    public string Name { get; private set; } = string.Empty;

    [TempData]
    public string? Notice { get; set; }

    public void OnGet([FromQuery] string? name) => Name = name ?? string.Empty;

    public async Task<IActionResult> OnPostAsync([FromForm] string? name, CancellationToken cancellationToken)
    {
        Name = name ?? string.Empty;
        await sender.Send(new DeleteFileCommand(Name), cancellationToken);
        Notice = $"Deleted {Name}.";
        return RedirectToPage("/Files/Index");
    }
}
