using FluentValidation;

namespace CleanCognito.Application.Notes.ListNotes;

public sealed class ListNotesQueryValidator : AbstractValidator<ListNotesQuery>
{
    public ListNotesQueryValidator()
    {
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListNotesQuery.MaxPageSize).When(q => q.PageSize is not null)
            .WithMessage($"A page shows 1 to {ListNotesQuery.MaxPageSize} notes.");
        // The store checks the token itself (it is protected); this only refuses what cannot be one cheaply.
        RuleFor(q => q.NextToken).MaximumLength(NoteRules.MaxTokenLength).WithMessage(NoteRules.BadToken);
    }
}
