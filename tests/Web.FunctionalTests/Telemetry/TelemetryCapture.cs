using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using CleanCognito.Application.Common.Telemetry;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CleanCognito.Web.FunctionalTests.Telemetry;

/// <summary>
/// What one app's telemetry records: its finished spans (the in-memory exporter, beside the app's own
/// OTLP exporter) and its measurements of the <see cref="AppMetrics"/> instruments.
/// </summary>
/// <remarks>
/// Measurements are read with <see cref="MetricCollector{T}"/> bound to the app's own
/// <see cref="IMeterFactory"/>, not from the SDK's metric export: the OpenTelemetry SDK subscribes to
/// meters by name, process-wide, so in a test run with many app hosts at once it also aggregates
/// other hosts' "CleanCognito" instruments into the same streams (and drops a stream when another
/// host disposes its meter — seen here as a count of 0 right after a recorded call). That the SDK
/// exports these instruments is shown on the OTLP receiver instead.
/// </remarks>
internal sealed class TelemetryCapture : IDisposable
{
    private static readonly string[] InstrumentNames =
    [
        "cleancognito.credentials.lookups",
        "cleancognito.identity_pool.calls",
        "cleancognito.session.refreshes",
        "cleancognito.appsync.errors",
        "cleancognito.files.uploaded",
        "cleancognito.upstream.calls",
    ];

    private readonly LockedList<Activity> _spans = new();
    private readonly Dictionary<string, MetricCollector<long>> _collectors = new(StringComparer.Ordinal);
    private CleanCognitoAppFactory? _app;

    /// <summary>
    /// Adds the in-memory span exporter to the app's tracer provider (which exists only when telemetry
    /// is on), and puts back the OpenTelemetry logger that the test factory's ClearProviders removed.
    /// </summary>
    public void AttachTo(CleanCognitoAppFactory app)
    {
        _app = app;
        app.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            services.AddLogging(logging => logging.AddOpenTelemetry());
        });
    }

    /// <summary>Starts listening to the app's instruments; call once the app is built (after its first client), before the flow.</summary>
    public void StartCollecting()
    {
        var meterFactory = _app!.Services.GetRequiredService<IMeterFactory>();
        foreach (var name in InstrumentNames)
        {
            _collectors[name] = new MetricCollector<long>(meterFactory, AppTelemetry.Name, name);
        }
    }

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>Makes every signal's exporters send what they hold now (the OTLP ones batch for seconds otherwise).</summary>
    public void FlushAll()
    {
        var services = _app!.Services;
        services.GetRequiredService<TracerProvider>().ForceFlush(10_000).Should().BeTrue("the span exporters must finish in time");
        services.GetRequiredService<MeterProvider>().ForceFlush(10_000).Should().BeTrue("the metric exporters must finish in time");
        services.GetRequiredService<LoggerProvider>().ForceFlush(10_000).Should().BeTrue("the log exporter must finish in time");
    }

    /// <summary>The total recorded by this app on <paramref name="name"/> with all of <paramref name="tags"/>.</summary>
    public long Sum(string name, params (string Key, string Value)[] tags) =>
        _collectors[name].GetMeasurementSnapshot()
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var value) && Equals(value?.ToString(), t.Value)))
            .Sum(m => m.Value);

    /// <summary>Every name, status text, tag, event and link tag of every span, one per line: what a trace backend would store.</summary>
    public string SpanText()
    {
        var text = new StringBuilder();
        foreach (var span in Spans)
        {
            text.AppendLine(span.DisplayName).AppendLine(span.OperationName).AppendLine(span.StatusDescription);
            foreach (var (key, value) in span.TagObjects)
            {
                text.Append(key).Append('=').AppendLine(value?.ToString());
            }

            foreach (var activityEvent in span.Events)
            {
                text.AppendLine(activityEvent.Name);
                foreach (var (key, value) in activityEvent.Tags)
                {
                    text.Append(key).Append('=').AppendLine(value?.ToString());
                }
            }

            foreach (var (key, value) in span.Baggage)
            {
                text.Append(key).Append('=').AppendLine(value);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Waits (up to 10 s) until a finished span matches: a server span ends a moment after its response
    /// reaches the client, so the condition, not a delay, decides.
    /// </summary>
    public Task<Activity> SpanAsync(Func<Activity, bool> match, string what) =>
        Eventually.ValueAsync(
            $"a finished span for {what}",
            () => Spans.FirstOrDefault(match),
            TimeSpan.FromSeconds(10),
            lastSeen: () => $"spans: {string.Join(", ", Spans.Select(s => s.DisplayName))}");

    public void Dispose()
    {
        foreach (var collector in _collectors.Values)
        {
            collector.Dispose();
        }
    }

    /// <summary>The exporters add from their own threads while the test reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
