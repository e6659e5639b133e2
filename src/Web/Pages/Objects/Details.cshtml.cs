using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Domain.Objects;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Objects;

public sealed class DetailsModel(ISender sender) : PageModel
{
    public MyObject? Item { get; private set; }

    public async Task OnGetAsync(string id, CancellationToken cancellationToken) =>
        Item = await sender.Send(new GetMyObjectQuery(id), cancellationToken);
}
