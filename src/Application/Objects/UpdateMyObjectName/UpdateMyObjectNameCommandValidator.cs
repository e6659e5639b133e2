using FluentValidation;

namespace CleanCognito.Application.Objects.UpdateMyObjectName;

public sealed class UpdateMyObjectNameCommandValidator : AbstractValidator<UpdateMyObjectNameCommand>
{
    public UpdateMyObjectNameCommandValidator()
    {
        RuleFor(c => c.Id).MustBeAnObjectId();
        RuleFor(c => c.Name).MustBeAnObjectName();
    }
}
