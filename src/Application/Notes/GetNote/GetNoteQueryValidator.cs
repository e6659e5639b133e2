using FluentValidation;

namespace CleanCognito.Application.Notes.GetNote;

public sealed class GetNoteQueryValidator : AbstractValidator<GetNoteQuery>
{
    public GetNoteQueryValidator()
    {
        RuleFor(q => q.Id).MustBeANoteId();
    }
}
