using CleanCognito.Application.Files.Uploads;
using FluentValidation;

namespace CleanCognito.Application.Files.SignParts;

public sealed class SignPartsCommandValidator : AbstractValidator<SignPartsCommand>
{
    public SignPartsCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAFileName();
        RuleFor(c => c.UploadId).MustBeAnUploadId();
        RuleFor(c => c.FirstPart).MustBeAPartNumber();
        RuleFor(c => c.LastPart).MustBeAPartNumber()
            .GreaterThanOrEqualTo(c => c.FirstPart).WithMessage("The last part comes after the first.")
            .LessThan(c => c.FirstPart + UploadRules.MaxPartsPerSigning).WithMessage($"At most {UploadRules.MaxPartsPerSigning} parts at a time.");
    }
}
