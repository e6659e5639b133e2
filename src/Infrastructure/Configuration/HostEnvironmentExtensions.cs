using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.Configuration;

public static class HostEnvironmentExtensions
{
    /// <summary>The environment that runs against the local AWS stand-ins (plain http allowed).</summary>
    public const string LocalEnvironmentName = "Local";

    public static bool IsLocal(this IHostEnvironment environment) => environment.IsEnvironment(LocalEnvironmentName);
}
