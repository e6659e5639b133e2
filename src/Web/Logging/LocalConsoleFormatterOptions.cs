using Microsoft.Extensions.Logging.Console;

namespace CleanCognito.Web.Logging;

/// <summary>Options of <see cref="LocalConsoleFormatter"/> (<c>Logging:Console:FormatterOptions</c>).</summary>
public sealed class LocalConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Longer messages, scope values and exception texts are cut here, with an ellipsis.</summary>
    public int MaxValueLength { get; set; } = 500;
}
