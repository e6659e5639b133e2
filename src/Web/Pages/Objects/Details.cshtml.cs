using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.Objects.UpdateMyObjectName;
using CleanCognito.Domain.Objects;
using CleanCognito.Web.Authentication;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Objects;

/// <summary>One object; editors can rename it (POST, then redirect back here).</summary>
public sealed class DetailsModel(ISender sender, IAuthorizationService authorization) : PageModel
{
    public MyObject? Item { get; private set; }

    /// <summary>Whether to show the rename form; the POST checks again and the use case and AppSync once more.</summary>
    public bool CanEdit { get; private set; }

    [BindProperty]
    public RenameInput Input { get; set; } = new();

    /// <summary>Survives the redirect after a rename (PRG), shown once.</summary>
    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);
        CanEdit = await IsEditorAsync();
        Input.Name = Item.Name;
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Refuse before anything else: a forged form from a non-editor gets 403, never a 400 or a read.
        if (!await IsEditorAsync())
        {
            return Forbid();
        }

        CanEdit = true;

        // Read first so that, if the new name is refused, the page re-renders with the object beside the message.
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);
        await sender.Send(new UpdateMyObjectNameCommand(id, Input.Name ?? string.Empty), cancellationToken);

        Notice = "The new name is saved.";
        return RedirectToPage(new { id });
    }

    private async Task<bool> IsEditorAsync() => (await authorization.AuthorizeAsync(User, Policies.Editors)).Succeeded;

    public sealed class RenameInput
    {
        // Nullable on purpose: MVC would add its own "required" message for a non-nullable string,
        // beside the use case's; validation has one home, the use case's validator.
        public string? Name { get; set; }
    }
}
