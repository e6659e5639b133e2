using CleanCognito.Application.Files.Uploads;
using FluentValidation;

namespace CleanCognito.Application.Files.AbortUpload;

public sealed class AbortUploadCommandValidator : AbstractValidator<AbortUploadCommand>
{
    public AbortUploadCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAFileName();
        RuleFor(c => c.UploadId).MustBeAnUploadId();
    }
}
