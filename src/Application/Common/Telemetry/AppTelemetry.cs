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

    /// <summary>Spans for the calls the framework does not trace by name: the identity-pool exchange and the session refresh.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);
}
