using CleanCognito.Domain.Files;
using FluentValidation;

namespace CleanCognito.Application.Files;

/// <summary>Validation rules shared by the file use cases.</summary>
internal static class FileRules
{
    public static IRuleBuilderOptionsConditions<T, string> MustBeAFileName<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((name, context) =>
        {
            if (FileName.Problem(name) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
}
