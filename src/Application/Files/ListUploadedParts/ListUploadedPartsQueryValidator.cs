using CleanCognito.Application.Files.Uploads;
using FluentValidation;

namespace CleanCognito.Application.Files.ListUploadedParts;

public sealed class ListUploadedPartsQueryValidator : AbstractValidator<ListUploadedPartsQuery>
{
    public ListUploadedPartsQueryValidator()
    {
        RuleFor(q => q.Name).MustBeAFileName();
        RuleFor(q => q.UploadId).MustBeAnUploadId();
    }
}
