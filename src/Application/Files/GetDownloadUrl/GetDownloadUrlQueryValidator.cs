using FluentValidation;

namespace CleanCognito.Application.Files.GetDownloadUrl;

public sealed class GetDownloadUrlQueryValidator : AbstractValidator<GetDownloadUrlQuery>
{
    public GetDownloadUrlQueryValidator()
    {
        RuleFor(q => q.Name).MustBeAFileName();
    }
}
