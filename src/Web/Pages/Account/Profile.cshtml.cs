using CleanCognito.Application.Account.GetProfile;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Account;

public sealed class ProfileModel(ISender sender) : PageModel
{
    public Profile Profile { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Profile = await sender.Send(new GetProfileQuery(), cancellationToken);
}
