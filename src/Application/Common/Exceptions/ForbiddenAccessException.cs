namespace CleanCognito.Application.Common.Exceptions;

/// <summary>The user is signed in but not allowed to do this (for example not in the required group).</summary>
public sealed class ForbiddenAccessException : Exception
{
    public ForbiddenAccessException() : base("You do not have permission to do this.") { }

    public ForbiddenAccessException(string message) : base(message) { }

    public ForbiddenAccessException(string message, Exception innerException) : base(message, innerException) { }
}
