using CleanCognito.Domain.Notes;
using FluentValidation;

namespace CleanCognito.Application.Notes;

/// <summary>Validation rules shared by the note use cases.</summary>
internal static class NoteRules
{
    /// <summary>The page tokens the store hands out are a few hundred characters; anything much longer is not one of ours.</summary>
    public const int MaxTokenLength = 2048;

    public const string BadToken = "That page link is not valid any more.";

    public static IRuleBuilderOptionsConditions<T, string> MustBeNoteText<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((text, context) =>
        {
            if (NoteText.Problem(text) is { } problem)
            {
                context.AddFailure(problem);
            }
        });

    public static IRuleBuilderOptions<T, string> MustBeANoteId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(NoteId.IsValid).WithMessage("That is not the id of a note.");
}
