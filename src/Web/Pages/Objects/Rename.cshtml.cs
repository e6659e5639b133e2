using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.Objects.UpdateMyObjectName;
using CleanCognito.Domain.Objects;
using CleanCognito.Web.Authentication;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Objects;

/// <summary>
/// Renames one object (editors only). Its own page because Razor Pages apply authorization per
/// page, not per handler: the policy attribute refuses a non-editor (the 403 page) before the
/// antiforgery check and before anything reads the object. The use case and AppSync check again.
/// </summary>
[Authorize(Policy = Policies.Editors)]
public sealed class RenameModel(ISender sender) : PageModel
{
    public MyObject? Item { get; private set; }

    [BindProperty]
    public RenameInput Input { get; set; } = new();

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);
        Input.Name = Item.Name;
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Read first so that, if the new name is refused, the page re-renders with the object beside the message.
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);
        await sender.Send(new UpdateMyObjectNameCommand(id, Input.Name ?? string.Empty), cancellationToken);

        // Shown once by the details page after the redirect (PRG).
        TempData[nameof(DetailsModel.Notice)] = "The new name is saved.";
        return RedirectToPage("Details", new { id });
    }

    public sealed class RenameInput
    {
        // Nullable on purpose: MVC would add its own "required" message for a non-nullable string,
        // beside the use case's; validation has one home, the use case's validator.
        public string? Name { get; set; }
    }
}
