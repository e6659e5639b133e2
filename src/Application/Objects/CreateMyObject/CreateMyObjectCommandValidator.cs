using FluentValidation;

namespace CleanCognito.Application.Objects.CreateMyObject;

public sealed class CreateMyObjectCommandValidator : AbstractValidator<CreateMyObjectCommand>
{
    public CreateMyObjectCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAnObjectName();
    }
}
