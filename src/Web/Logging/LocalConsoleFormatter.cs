using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Logging;

/// <summary>
/// The console format of the <c>Local</c> environment, for a person reading a terminal: one event
/// per line — <c>2026-11-30T15:08:02.123Z WARN  Category[12]: message | CorrelationId=… | Exception: …</c> —
/// with newlines flattened and long values cut, so an upstream's HTML error body cannot flood the
/// screen. Other environments keep the JSON formatter, for machines.
/// </summary>
public sealed class LocalConsoleFormatter(IOptionsMonitor<LocalConsoleFormatterOptions> options, TimeProvider time)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "local";

    /// <summary>
    /// Scope keys left out: the hosting scope repeats them on every line, and the correlation id
    /// (kept) already names the request. The JSON logs keep all of them.
    /// </summary>
    private static readonly HashSet<string> NoisyScopeKeys = new(StringComparer.Ordinal)
    {
        "{OriginalFormat}", "SpanId", "TraceId", "ParentId", "ConnectionId", "RequestId",
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var settings = options.CurrentValue;
        var line = new StringBuilder(256);
        line.Append(time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(LevelName(logEntry.LogLevel))
            .Append(' ')
            .Append(logEntry.Category);
        if (logEntry.EventId.Id != 0)
        {
            line.Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        line.Append(": ").Append(Cut(message ?? string.Empty, settings.MaxValueLength));

        if (settings.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope((scope, builder) => AppendScope(scope, builder, settings.MaxValueLength), line);
        }

        if (logEntry.Exception is { } exception)
        {
            line.Append(" | ").Append(Cut(Describe(exception), settings.MaxValueLength));
        }

        textWriter.Write(line.Append(Environment.NewLine).ToString());
    }

    /// <summary>Flattens line breaks (one event, one line) and cuts the text at <paramref name="max"/> characters.</summary>
    public static string Cut(string value, int max)
    {
        var flat = value.Replace("\r\n", " ⏎ ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max), "…");
    }

    private static void AppendScope(object? scope, StringBuilder line, int max)
    {
        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                if (!NoisyScopeKeys.Contains(key))
                {
                    line.Append(" | ").Append(key).Append('=').Append(Cut(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, max));
                }
            }
        }
        else if (scope is not null)
        {
            line.Append(" | ").Append(Cut(Convert.ToString(scope, CultureInfo.InvariantCulture) ?? string.Empty, max));
        }
    }

    /// <summary>Type and message of the exception and its inner ones, and where it was thrown; the full stack is in the JSON logs.</summary>
    private static string Describe(Exception exception)
    {
        var text = new StringBuilder();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (text.Length > 0)
            {
                text.Append(" ---> ");
            }

            text.Append(current.GetType().FullName).Append(": ").Append(current.Message);
        }

        var firstFrame = exception.StackTrace?.Split('\n', 2)[0].Trim();
        if (!string.IsNullOrEmpty(firstFrame))
        {
            text.Append(' ').Append(firstFrame);
        }

        return text.ToString();
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRIT ",
        _ => "NONE ",
    };
}
