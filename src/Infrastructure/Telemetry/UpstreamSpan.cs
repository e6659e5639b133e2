using System.Diagnostics;
using CleanCognito.Application.Common.Telemetry;

namespace CleanCognito.Infrastructure.Telemetry;

/// <summary>
/// One span around one upstream call the app makes on a user's behalf, tagged with what was called
/// and how it ended. Tags are fixed words only: no token, credential, IdentityId or URL is ever put
/// on a span (the HTTP span beneath it already says which host answered).
/// </summary>
internal static class UpstreamSpan
{
    /// <summary>Null (and free) when nothing listens to <see cref="AppTelemetry.ActivitySource"/>.</summary>
    public static Activity? Start(string name, string service, string operation)
    {
        var activity = AppTelemetry.ActivitySource.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", service);
        activity?.SetTag("rpc.method", operation);
        return activity;
    }

    public static void End(Activity? activity, string outcome, Exception? exception = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("cleancognito.outcome", outcome);
        if (exception is not null)
        {
            // The type only: messages are the app's own words, but nothing more is needed to find the log line.
            activity.SetTag("error.type", exception.GetType().Name);
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
