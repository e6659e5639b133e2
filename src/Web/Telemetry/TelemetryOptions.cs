using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace CleanCognito.Web.Telemetry;

/// <summary>
/// The <c>Telemetry</c> section. Telemetry is off unless an OTLP endpoint is configured, here or
/// with the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The standard variable the OTLP exporter reads itself (with its siblings: protocol, headers, timeout).</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Base URL of an OTLP receiver (a collector, or a vendor's endpoint), e.g. <c>http://otel-collector:4317</c>.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the OTLP default, port 4317) or <c>http/protobuf</c> (port 4318; <c>/v1/traces</c>, … are appended).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    internal OtlpExportProtocol? Protocol => OtlpProtocol.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => null,
    };

    internal Uri? Endpoint =>
        Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}

/// <summary>A malformed endpoint or protocol stops the app at start-up with one line naming the key, like every other setting.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && options.Endpoint is null)
        {
            problems.Add(Problem(nameof(options.OtlpEndpoint), $"must be an absolute http(s) URL, but is \"{options.OtlpEndpoint}\"."));
        }

        if (options.Protocol is null)
        {
            problems.Add(Problem(nameof(options.OtlpProtocol), $"must be \"grpc\" or \"http/protobuf\", but is \"{options.OtlpProtocol}\"."));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string Problem(string key, string problem) =>
        $"{TelemetryOptions.SectionName}:{key} {problem} Set it in appsettings.json or the environment variable {TelemetryOptions.SectionName}__{key}.";
}
