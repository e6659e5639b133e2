using CleanCognito.Application.Files.Uploads;
using FluentValidation;

namespace CleanCognito.Application.Files.CompleteUpload;

public sealed class CompleteUploadCommandValidator : AbstractValidator<CompleteUploadCommand>
{
    public CompleteUploadCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAFileName();
        RuleFor(c => c.UploadId).MustBeAnUploadId();
        RuleFor(c => c.Parts).NotEmpty().WithMessage("No parts were uploaded.")
            .Must(p => p is null || p.Count <= PartPlan.MaxParts).WithMessage($"A file has at most {PartPlan.MaxParts} parts.")
            .Must(p => p is null || p.Zip(p.Skip(1)).All(pair => pair.First.PartNumber < pair.Second.PartNumber))
            .WithMessage("The parts must be listed once each, in order.");
        RuleForEach(c => c.Parts).ChildRules(part =>
        {
            part.RuleFor(p => p.PartNumber).MustBeAPartNumber();
            part.RuleFor(p => p.ETag).Must(UploadRules.IsETag).WithMessage("A part's ETag is not one the store gave.");
        });
    }
}
