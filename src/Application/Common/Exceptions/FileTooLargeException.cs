namespace CleanCognito.Application.Common.Exceptions;

/// <summary>An upload is larger than <c>Storage:MaxUploadBytes</c> (413).</summary>
public sealed class FileTooLargeException : Exception
{
    public FileTooLargeException() : base("The file is too large.") { }

    public FileTooLargeException(string message) : base(message) { }

    public FileTooLargeException(string message, Exception innerException) : base(message, innerException) { }

    public FileTooLargeException(long maxBytes)
        : base($"The file is too large: at most {maxBytes} bytes.")
    {
        MaxBytes = maxBytes;
    }

    public long? MaxBytes { get; }
}
