namespace CleanCognito.Application.Common.Exceptions;

/// <summary>The user's session is missing or no longer accepted upstream; they must sign in again.</summary>
public sealed class SignInRequiredException : Exception
{
    public SignInRequiredException() : base("Please sign in again.") { }

    public SignInRequiredException(string message) : base(message) { }

    public SignInRequiredException(string message, Exception innerException) : base(message, innerException) { }
}
