using FluentValidation;

namespace CleanCognito.Application.Objects.GetMyObject;

public sealed class GetMyObjectQueryValidator : AbstractValidator<GetMyObjectQuery>
{
    public GetMyObjectQueryValidator()
    {
        RuleFor(q => q.Id).MustBeAnObjectId();
    }
}
