using FluentValidation;

namespace CleanCognito.Application.Objects.DeleteMyObject;

public sealed class DeleteMyObjectCommandValidator : AbstractValidator<DeleteMyObjectCommand>
{
    public DeleteMyObjectCommandValidator()
    {
        RuleFor(c => c.Id).MustBeAnObjectId();
    }
}
