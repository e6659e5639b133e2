using System.Diagnostics;

namespace CleanCognito.Application.Common.Telemetry;

/// <summary>
/// The name of the app's own meter and activity source ("CleanCognito"), and the source itself.
/// Both are BCL types (System.Diagnostics), so any layer records without an OpenTelemetry package;
/// the Web layer subscribes to them only when an OTLP endpoint is configured.
/// </summary>
public static class AppTelemetry
{
    public const string Name = "CleanCognito";

    /// <summary>The app's own span around each upstream call (Infrastructure's <c>UpstreamCall</c>, the same for every upstream).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);
}
