using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Domain.Objects;
using CleanCognito.Web.Authentication;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Objects;

/// <summary>One object; editors see the rename form, which posts to the editors-only <see cref="RenameModel"/>.</summary>
public sealed class DetailsModel(ISender sender, IAuthorizationService authorization) : PageModel
{
    public MyObject? Item { get; private set; }

    /// <summary>Whether to show the rename form; the Rename page's policy checks again, and the use case and AppSync once more.</summary>
    public bool CanEdit { get; private set; }

    /// <summary>Fills the form with the current name; the form is bound by the Rename page.</summary>
    public RenameModel.RenameInput Input { get; set; } = new();

    /// <summary>Survives the redirect after a rename (PRG), shown once.</summary>
    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);
        CanEdit = await IsEditorAsync();
        Input.Name = Item.Name;
    }

    private async Task<bool> IsEditorAsync() => (await authorization.AuthorizeAsync(User, Policies.Editors)).Succeeded;
}
