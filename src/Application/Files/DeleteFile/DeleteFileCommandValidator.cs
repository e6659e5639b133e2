using FluentValidation;

namespace CleanCognito.Application.Files.DeleteFile;

public sealed class DeleteFileCommandValidator : AbstractValidator<DeleteFileCommand>
{
    public DeleteFileCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAFileName();
    }
}
