using CleanCognito.TestSupport;
using CleanCognito.Web.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CleanCognito.Web.FunctionalTests.Logging;

public sealed class LocalConsoleFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 15, 8, 2, 123, TimeSpan.Zero);

    [Fact]
    public void A_warning_is_one_line_with_timestamp_level_and_category_apart_scopes_and_the_exception()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var _ = scopes.Push(new Dictionary<string, object?> { ["CorrelationId"] = "req-42", ["SpanId"] = "noise" });
        var exception = Thrown(new HttpRequestException("Connection refused (127.0.0.1:9002)"));

        var line = Format(LogLevel.Warning, "CleanCognito.Web.ErrorHandling.Filter", new EventId(7), "Upstream AppSync unavailable", exception, scopes);

        line.Should().StartWith("2026-11-30T15:08:02.123Z WARN  CleanCognito.Web.ErrorHandling.Filter[7]: Upstream AppSync unavailable | CorrelationId=req-42 | System.Net.Http.HttpRequestException: Connection refused (127.0.0.1:9002) at ");
        line.Should().NotContain("noise", "per-request W3C ids are left to the JSON logs");
        line.Should().EndWith(Environment.NewLine);
        line.TrimEnd('\r', '\n').Should().NotContainAny("\n", "\r");
    }

    [Fact]
    public void Long_values_are_cut_with_an_ellipsis_and_line_breaks_flattened()
    {
        var body = "<html>\n" + new string('x', 16_000) + "\n</html>";

        var line = Format(LogLevel.Error, "Upstream", default, $"The service answered: {body}", new InvalidOperationException(body));

        line.Length.Should().BeLessThan(1_200, "a 16 KB body must not reach the terminal");
        line.Should().Contain("ERROR Upstream: The service answered: <html> xxx").And.Contain("x… | System.InvalidOperationException: <html> x");
        line.TrimEnd('\r', '\n').Should().NotContainAny("\n", "\r");
    }

    [Theory]
    [InlineData(LogLevel.Information, "INFO ")]
    [InlineData(LogLevel.Critical, "CRIT ")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    public void Levels_have_one_width_so_categories_line_up(LogLevel level, string name) =>
        Format(level, "Cat", default, "m").Should().Be($"2026-11-30T15:08:02.123Z {name} Cat: m{Environment.NewLine}");

    [Fact]
    public void The_Local_environment_picks_the_local_formatter_and_every_other_keeps_JSON()
    {
        ConsoleFormatterFor("appsettings.json").Should().Be("json");
        ConsoleFormatterFor("appsettings.json", "appsettings.Local.json").Should().Be(LocalConsoleFormatter.FormatterName);
    }

    [Fact]
    public async Task The_built_app_in_Local_writes_its_console_lines_in_the_local_format()
    {
        await using var app = BuiltAppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Local" }, "--urls", "http://127.0.0.1:0");

        // The host announces its address at Information: the first line the app writes.
        var line = await app.WaitForOutputLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        line.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  Microsoft\.Hosting\.Lifetime\[14\]: Now listening on: http://127\.0\.0\.1:\d+$");
    }

    private static string Format(LogLevel level, string category, EventId eventId, string message, Exception? exception = null, IExternalScopeProvider? scopes = null)
    {
        var formatter = new LocalConsoleFormatter(
            new StaticOptions(new LocalConsoleFormatterOptions { IncludeScopes = true }),
            new FakeTimeProvider(Now));
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<string>(level, category, eventId, message, exception, (state, _) => state), scopes, writer);
        return writer.ToString();
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private static string? ConsoleFormatterFor(params string[] files)
    {
        var builder = new ConfigurationBuilder().SetBasePath(Path.Combine(RepositoryRoot.Path, "src", "Web"));
        foreach (var file in files)
        {
            builder.AddJsonFile(file);
        }

        var options = new ConsoleLoggerOptions();
        builder.Build().GetSection("Logging:Console").Bind(options);
        return options.FormatterName;
    }

    private sealed class StaticOptions(LocalConsoleFormatterOptions value) : IOptionsMonitor<LocalConsoleFormatterOptions>
    {
        public LocalConsoleFormatterOptions CurrentValue => value;

        public LocalConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LocalConsoleFormatterOptions, string?> listener) => null;
    }
}
