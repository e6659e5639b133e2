using FluentValidation;

namespace CleanCognito.Application.Notes.CreateNote;

public sealed class CreateNoteCommandValidator : AbstractValidator<CreateNoteCommand>
{
    public CreateNoteCommandValidator()
    {
        RuleFor(c => c.Text).MustBeNoteText();
    }
}
