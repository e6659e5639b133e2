using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CleanCognito.TestSupport;

/// <summary>One captured log entry with the scope values that were active (for example <c>CorrelationId</c>).</summary>
public sealed record CapturedLog(
    string Category,
    LogLevel Level,
    string Message,
    Exception? Exception,
    IReadOnlyDictionary<string, object?> Scope);

/// <summary>Keeps every log entry in memory so tests can assert what the app logged, and with which scope.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => _entries.ToArray();

    /// <summary>Raised after each entry is kept, so a test can wait for a line instead of polling.</summary>
    public event Action<CapturedLog>? Logged;

    /// <summary>Completes when an entry matching <paramref name="match"/> was logged (before or after this call).</summary>
    public Task WaitForAsync(Func<CapturedLog, bool> match, TimeSpan within)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLogged(CapturedLog entry)
        {
            if (match(entry))
            {
                seen.TrySetResult();
            }
        }

        Logged += OnLogged;
        if (_entries.Any(match))
        {
            seen.TrySetResult();
        }

        return seen.Task.WaitAsync(within).ContinueWith(
            t =>
            {
                Logged -= OnLogged;
                t.GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            provider._scopes.ForEachScope(
                (value, values) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            values[key] = item;
                        }
                    }
                },
                scope);
            var entry = new CapturedLog(category, logLevel, formatter(state, exception), exception, scope);
            provider._entries.Enqueue(entry);
            provider.Logged?.Invoke(entry);
        }
    }
}
