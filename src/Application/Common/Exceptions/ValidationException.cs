using FluentValidation.Results;

namespace CleanCognito.Application.Common.Exceptions;

/// <summary>A request failed validation; <see cref="Errors"/> holds the messages per property.</summary>
public sealed class ValidationException : Exception
{
    public ValidationException()
        : base("One or more validation failures have occurred.")
    {
        Errors = new Dictionary<string, string[]>();
    }

    public ValidationException(IEnumerable<ValidationFailure> failures)
        : this()
    {
        Errors = failures
            .GroupBy(f => f.PropertyName, f => f.ErrorMessage)
            .ToDictionary(g => g.Key, g => g.Distinct().ToArray());
    }

    /// <summary>Creates a failure for one property, for checks that only a handler can make.</summary>
    public ValidationException(string propertyName, string message)
        : this()
    {
        Errors = new Dictionary<string, string[]> { [propertyName] = [message] };
    }

    public ValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public ValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
