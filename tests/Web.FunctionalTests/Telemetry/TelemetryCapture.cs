using System.Diagnostics;
using System.Text;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CleanCognito.Web.FunctionalTests.Telemetry;

/// <summary>
/// What the app's OpenTelemetry pipeline exports, caught by the in-memory exporters beside the
/// app's own OTLP exporter: finished spans, and metric snapshots taken on <see cref="Sum"/>.
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly LockedList<Activity> _spans = new();
    private readonly LockedList<MetricSnapshot> _metrics = new();
    private CleanCognitoAppFactory? _app;

    /// <summary>Adds the in-memory exporters to the app's tracer and meter providers (which exist only when telemetry is on).</summary>
    public void AttachTo(CleanCognitoAppFactory app)
    {
        _app = app;
        app.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        });
    }

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>The current total of counter <paramref name="name"/> over the points whose tags include all of <paramref name="tags"/>.</summary>
    public long Sum(string name, params (string Key, string Value)[] tags)
    {
        _metrics.Clear();
        // Cumulative temporality: one flush exports every instrument's total so far.
        _app!.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000).Should().BeTrue("the metric readers must finish in time");
        long total = 0;
        foreach (var metric in _metrics.Snapshot().Where(m => m.Name == name))
        {
            foreach (var point in metric.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => pointTags.TryGetValue(t.Key, out var value) && Equals(value?.ToString(), t.Value)))
                {
                    total += point.GetSumLong();
                }
            }
        }

        return total;
    }

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
    public async Task<Activity> SpanAsync(Func<Activity, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (Spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"No span for {what} within 10 s; spans: {string.Join(", ", Spans.Select(s => s.DisplayName))}");
            }

            await Task.Delay(50);
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
