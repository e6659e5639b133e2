using FluentValidation;

namespace CleanCognito.Application.Files.UploadFile;

public sealed class UploadFileCommandValidator : AbstractValidator<UploadFileCommand>
{
    public UploadFileCommandValidator()
    {
        RuleFor(c => c.Name).MustBeAFileName();
        RuleFor(c => c.Length).GreaterThan(0).WithMessage("The file is empty: choose a file with content.");
        RuleFor(c => c.Content).NotNull();
    }

    /// <summary>
    /// A plain <c>type/subtype</c> as browsers send it. Anything else is stored as
    /// application/octet-stream rather than refused: the type only affects the download.
    /// </summary>
    internal static bool IsMediaType(string? value) =>
        value is { Length: > 2 and <= 127 }
        && value.Count(c => c == '/') == 1
        && value[0] != '/' && value[^1] != '/'
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_');
}
