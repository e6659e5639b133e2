namespace CleanCognito.Application.Common.Exceptions;

/// <summary>An upload would replace a file the user did not ask to replace (409).</summary>
public sealed class FileAlreadyExistsException : Exception
{
    public FileAlreadyExistsException() : base("A file with this name already exists.") { }

    public FileAlreadyExistsException(string message) : base(message) { }

    public FileAlreadyExistsException(string message, Exception innerException) : base(message, innerException) { }

    public static FileAlreadyExistsException For(string name) => new($"A file named \"{name}\" already exists.") { FileName = name };

    /// <summary>The name that clashed, so the page can offer to replace it.</summary>
    public string? FileName { get; private init; }
}
