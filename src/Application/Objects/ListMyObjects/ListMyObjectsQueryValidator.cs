using FluentValidation;

namespace CleanCognito.Application.Objects.ListMyObjects;

public sealed class ListMyObjectsQueryValidator : AbstractValidator<ListMyObjectsQuery>
{
    public ListMyObjectsQueryValidator()
    {
        RuleFor(q => q.PageSize)
            .InclusiveBetween(1, ListMyObjectsQuery.MaxPageSize)
            .WithMessage($"Show 1 to {ListMyObjectsQuery.MaxPageSize} objects per page.");

        // Opaque, so only its size and characters are checked; the API decides if it is valid.
        RuleFor(q => q.NextToken)
            .Must(t => t is null || (t.Length is > 0 and <= ListMyObjectsQuery.MaxNextTokenLength && !t.Any(char.IsControl)))
            .WithMessage("This page link is not valid. Start again from the first page.");
    }
}
