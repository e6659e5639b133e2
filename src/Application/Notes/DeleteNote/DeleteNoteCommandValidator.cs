using FluentValidation;

namespace CleanCognito.Application.Notes.DeleteNote;

public sealed class DeleteNoteCommandValidator : AbstractValidator<DeleteNoteCommand>
{
    public DeleteNoteCommandValidator()
    {
        RuleFor(c => c.Id).MustBeANoteId();
    }
}
