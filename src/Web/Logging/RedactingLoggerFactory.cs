namespace CleanCognito.Web.Logging;

/// <summary>
/// Wraps the app's logger factory so no logger, the framework's included, writes the sign-in
/// callback's <c>code</c> or <c>state</c>. ASP.NET Core logs the full URL with its query ("Request
/// starting … /signin-oidc?code=…&amp;state=…" at Information, the OpenID Connect handler's
/// "MessageReceived" at Trace) before any middleware of ours runs, and a level in configuration
/// is one edit away from Information, so the redaction sits where every line passes.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces the registered factory (from <c>AddLogging</c>) with itself around it.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddLogging(); // idempotent: makes sure there is a factory to wrap
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(Create(sp, registered)));
    }

    private static ILoggerFactory Create(IServiceProvider services, ServiceDescriptor registered) =>
        registered switch
        {
            { ImplementationInstance: ILoggerFactory instance } => instance,
            { ImplementationFactory: { } factory } => (ILoggerFactory)factory(services),
            _ => new LoggerFactory(
                services.GetServices<ILoggerProvider>(),
                services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<LoggerFilterOptions>>(),
                services.GetService<Microsoft.Extensions.Options.IOptions<LoggerFactoryOptions>>(),
                services.GetService<IExternalScopeProvider>()),
        };

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            // Structured state (every LoggerMessage and message template): redact the values and the
            // message alike, so a JSON formatter writing the fields leaks nothing either.
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.Any(f => f.Value is string s && QuerySecretRedaction.Applies(s)))
            {
                var message = QuerySecretRedaction.Redact(formatter(state, exception));
                var redacted = fields.Select(f => f.Value is string s ? new KeyValuePair<string, object?>(f.Key, QuerySecretRedaction.Redact(s)) : f).ToList();
                inner.Log(logLevel, eventId, new RedactedState(redacted, message), exception, static (s, _) => s.Message);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> fields, string message)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => fields.Count;

        public KeyValuePair<string, object?> this[int index] => fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
