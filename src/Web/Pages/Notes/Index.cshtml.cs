using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Notes.CreateNote;
using CleanCognito.Application.Notes.ListNotes;
using CleanCognito.Web.Paging;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanCognito.Web.Pages.Notes;

/// <summary>The user's notes in DynamoDB: one page of the list, newest first, and a form to write one.</summary>
[Authorize]
public sealed class IndexModel(ISender sender) : PageModel
{
    [BindProperty]
    public NewNoteInput NewNote { get; set; } = new();

    /// <summary>Survives the redirect after a create or delete (PRG), shown once.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Null when a refused create could not list the notes beside its message.</summary>
    public NotePage? Listing { get; private set; }

    public PageTrail Trail { get; private set; } = new(null, null, null);

    /// <summary>A refused note re-renders this page with its message and the typed text: show the list beside it, as the GET does.</summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (Listing is null && executed.Result is PageResult && executed.HandlerMethod?.Name == "Create")
        {
            try
            {
                Listing = await sender.Send(new ListNotesQuery(), HttpContext.RequestAborted);
            }
            catch (Application.Common.Exceptions.UpstreamUnavailableException)
            {
                // The message about the note matters more than the list: the page says the list cannot be shown.
            }
        }
    }

    // Parameter names match the query's properties so validation messages land beside them.
    public async Task OnGetAsync(string? nextToken, [FromQuery(Name = "prev")] string?[]? previous, CancellationToken cancellationToken)
    {
        Trail = new PageTrail(pageSize: null, nextToken, previous);
        Listing = await sender.Send(new ListNotesQuery(NextToken: Trail.Current), cancellationToken);
    }

    /// <summary>Writes the note, then shows the first page with it on top (PRG). A refused text re-renders this page (400) with the text kept.</summary>
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        await sender.Send(new CreateNoteCommand(NewNote.Text ?? string.Empty), cancellationToken);
        Notice = "Your note is saved.";
        return RedirectToPage();
    }

    public sealed class NewNoteInput
    {
        // Nullable on purpose: validation has one home, the use case's validator.
        public string? Text { get; set; }
    }
}
