using CleanCognito.Domain.Objects;
using FluentValidation;

namespace CleanCognito.Application.Objects;

/// <summary>Validation rules shared by the object use cases.</summary>
internal static class ObjectRules
{
    public static IRuleBuilderOptions<T, string> MustBeAnObjectId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(MyObjectId.IsValid).WithMessage(MyObjectId.Requirement);

    public static IRuleBuilderOptions<T, string> MustBeAnObjectName<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(MyObjectName.IsValid).WithMessage(MyObjectName.Requirement);
}
