namespace CleanCognito.Application.Common.Exceptions;

/// <summary>The thing the user asked for does not exist (or is not theirs to see).</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException() : base("The requested item was not found.") { }

    public NotFoundException(string message) : base(message) { }

    public NotFoundException(string message, Exception innerException) : base(message, innerException) { }

    public static NotFoundException For(string what, string key) => new($"{what} \"{key}\" was not found.");
}
