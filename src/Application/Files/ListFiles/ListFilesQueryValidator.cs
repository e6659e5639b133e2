using FluentValidation;

namespace CleanCognito.Application.Files.ListFiles;

public sealed class ListFilesQueryValidator : AbstractValidator<ListFilesQuery>
{
    /// <summary>S3 returns at most 1000 keys per page.</summary>
    public const int MaxPageSize = 1000;

    public ListFilesQueryValidator()
    {
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize).When(q => q.PageSize is not null);
        // S3 continuation tokens are opaque and short; anything long is not one of ours.
        RuleFor(q => q.NextToken).MaximumLength(1024).WithMessage("That page link is not valid any more.");
    }
}
