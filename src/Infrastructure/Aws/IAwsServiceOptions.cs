using CleanCognito.Infrastructure.Configuration;

namespace CleanCognito.Infrastructure.Aws;

/// <summary>
/// What every AWS service section says (<c>Storage</c>, <c>Notes</c>, …): where the service is and
/// how long a call may take. <see cref="UserAwsClients"/> reads these; the section adds its own
/// settings (a bucket, a table) and checks them in <see cref="AddProblems"/>.
/// </summary>
internal interface IAwsServiceOptions
{
    /// <summary>The configuration section, e.g. <c>Notes</c> (env <c>Notes__TableName</c>).</summary>
    static abstract string Section { get; }

    /// <summary>The service's region; empty = the identity pool's.</summary>
    string? Region { get; }

    /// <summary>A compatible local endpoint (the stand-in); empty = AWS's own for the region.</summary>
    string? ServiceUrl { get; }

    /// <summary>One call, the SDK's retries included; then the page says "try again" (503).</summary>
    double TimeoutSeconds { get; }

    /// <summary>One HTTP attempt; a slower one is abandoned and retried if it can be.</summary>
    double AttemptTimeoutSeconds { get; }

    /// <summary>The section's own settings, checked at start-up beside the shared ones.</summary>
    void AddProblems(SettingErrors errors);
}
