using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Objects.CreateMyObject;
using CleanCognito.Application.Objects.ListMyObjects;
using CleanCognito.Domain.Objects;
using CleanCognito.Web.Paging;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Objects;

/// <summary>The user's objects, a page at a time, a form to create one and a form to open one by id.</summary>
public sealed class IndexModel(ISender sender) : PageModel
{
    [BindProperty]
    public NewObjectInput NewObject { get; set; } = new();

    /// <summary>Survives the redirect after a delete (PRG), shown once.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Null when the page is re-rendered for a refused find-by-id.</summary>
    public MyObjectPage? Objects { get; private set; }

    public PageTrail Trail { get; private set; } = new(ListMyObjectsQuery.DefaultPageSize, null, null);

    // Parameter names match the query's properties so validation messages land beside them.
    public async Task OnGetAsync(int? pageSize, string? nextToken, [FromQuery(Name = "prev")] string?[]? previous, CancellationToken cancellationToken)
    {
        var size = pageSize ?? ListMyObjectsQuery.DefaultPageSize;
        Trail = new PageTrail(size, nextToken, previous);
        Objects = await sender.Send(new ListMyObjectsQuery(size, Trail.Current), cancellationToken);
    }

    /// <summary>
    /// GET so the result is a shareable link. Checks only the id's shape (the details page reads
    /// the object); a refused id re-renders this page with the message beside the field (400).
    /// </summary>
    public IActionResult OnGetFind(string? id) =>
        MyObjectId.IsValid(id)
            ? RedirectToPage("Details", new { id })
            : throw new ValidationException("Id", MyObjectId.Requirement);

    /// <summary>Creates an object owned by the user, then shows it (PRG). A refused name re-renders this page with the message beside the field (400).</summary>
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var created = await sender.Send(new CreateMyObjectCommand(NewObject.Name ?? string.Empty), cancellationToken);
        TempData[nameof(Notice)] = "The object is created.";
        return RedirectToPage("Details", new { id = created.Id });
    }

    public sealed class NewObjectInput
    {
        // Nullable on purpose: validation has one home, the use case's validator (see DetailsModel).
        public string? Name { get; set; }
    }
}
