using CleanCognito.Application.Notes.DeleteNote;
using CleanCognito.Application.Notes.GetNote;
using CleanCognito.Domain.Notes;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Notes;

/// <summary>
/// Delete with a confirmation step: GET shows the note and asks, POST (with antiforgery) deletes.
/// An id that is not one of the user's notes — another user's included — is a 404.
/// </summary>
[Authorize]
public sealed class DeleteModel(ISender sender) : PageModel
{
    public string Id { get; private set; } = string.Empty;

    /// <summary>Null when the page is re-rendered for a refused POST.</summary>
    public Note? Note { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        Id = id ?? string.Empty;
        Note = await sender.Send(new GetNoteQuery(Id), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string? id, CancellationToken cancellationToken)
    {
        Id = id ?? string.Empty;
        await sender.Send(new DeleteNoteCommand(Id), cancellationToken);
        Notice = "The note is deleted.";
        return RedirectToPage("/Notes/Index");
    }
}
