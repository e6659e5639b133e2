using CleanCognito.Application.Objects.DeleteMyObject;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Domain.Objects;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Objects;

/// <summary>Delete with a confirmation step: GET shows the object and asks, POST (with antiforgery) deletes.</summary>
public sealed class DeleteModel(ISender sender) : PageModel
{
    /// <summary>Null when the page is re-rendered for a refused id or a failed delete.</summary>
    public MyObject? Item { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    // Reading first makes another user's object (or a missing one) the 404 page before anything is asked.
    public async Task OnGetAsync(string id, CancellationToken cancellationToken) =>
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await sender.Send(new DeleteMyObjectCommand(id), cancellationToken);
        Notice = $"Deleted {deleted.Name}.";
        return RedirectToPage("Index");
    }
}
