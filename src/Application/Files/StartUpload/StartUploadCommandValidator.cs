using FluentValidation;

namespace CleanCognito.Application.Files.StartUpload;

public sealed class StartUploadCommandValidator : AbstractValidator<StartUploadCommand>
{
    public StartUploadCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAFileName();
        RuleFor(c => c.Size).GreaterThan(0).WithMessage("The file is empty: choose a file with content.");
    }
}
