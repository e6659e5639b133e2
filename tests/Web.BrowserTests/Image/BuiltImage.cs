using System.Diagnostics;
using System.Text.Json;
using CleanCognito.TestSupport;

namespace CleanCognito.Web.BrowserTests.Image;

/// <summary>
/// The app's image, built once per test run from the Dockerfile as shipped, on stand-in base images
/// (dev/image/base-images.sh) tagged with the names the Dockerfile uses. Its config (entrypoint, user,
/// health check) is read back from the built image, so the tests run what the image says.
/// </summary>
public sealed class BuiltImage : IAsyncLifetime
{
    public const string Tag = "localhost/cleancognito:image-test";

    /// <summary>Cold: debootstrap plus copying .NET (about 1.5 min); warm: a label check.</summary>
    private static readonly TimeSpan BaseImagesTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Cold: restore and publish inside the SDK image (about 1.5 min unloaded); warm: cached layers.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> Entrypoint { get; private set; } = [];

    public string User { get; private set; } = string.Empty;

    /// <summary>The HEALTHCHECK's test, e.g. <c>["CMD-SHELL", "curl … || exit 1"]</c>.</summary>
    public IReadOnlyList<string> HealthCheck { get; private set; } = [];

    public TimeSpan HealthCheckTimeout { get; private set; }

    /// <summary>How long the base images and the build took in this run, for the log.</summary>
    public TimeSpan BuildTime { get; private set; }

    /// <summary>One build per test run, shared by every test class that uses the image.</summary>
    private static readonly Lazy<Task<BuiltImage>> Once = new(BuildAsync);

    public async Task InitializeAsync()
    {
        var built = await Once.Value;
        (Entrypoint, User, HealthCheck, HealthCheckTimeout, BuildTime) = (built.Entrypoint, built.User, built.HealthCheck, built.HealthCheckTimeout, built.BuildTime);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<BuiltImage> BuildAsync()
    {
        var image = new BuiltImage();
        var root = RepositoryRoot.Path;
        var watch = Stopwatch.StartNew();
        await Command.RunCheckedAsync(Path.Combine(root, "dev", "image", "base-images.sh"), [], BaseImagesTimeout, root);
        var previous = await Command.RunAsync("podman", ["image", "inspect", "--format", "{{.Id}}", Tag], TimeSpan.FromMinutes(1));

        // The build documented in docs/aws-deployment.md: chroot isolation (crun cannot run here),
        // the host's network (NuGet, Debian's mirror), the Docker format (it keeps HEALTHCHECK).
        await Command.RunCheckedAsync(
            "podman",
            ["build", "--pull=never", "--isolation", "chroot", "--network", "host", "--format", "docker", "--file", "Dockerfile", "--tag", Tag, "."],
            BuildTimeout,
            root);
        image.BuildTime = watch.Elapsed;

        // The image this build replaced, unless it is the same one (nothing changed) or still in use.
        var current = await Command.RunCheckedAsync("podman", ["image", "inspect", "--format", "{{.Id}}", Tag], TimeSpan.FromMinutes(1));
        if (previous.ExitCode == 0 && previous.Stdout.Trim() != current.Stdout.Trim())
        {
            await Command.RunAsync("podman", ["rmi", previous.Stdout.Trim()], TimeSpan.FromMinutes(1));
        }

        // podman's inspect: Config is the OCI config; Healthcheck (Docker format only) sits beside it.
        var inspect = await Command.RunCheckedAsync("podman", ["image", "inspect", Tag], TimeSpan.FromMinutes(1));
        using var document = JsonDocument.Parse(inspect.Stdout);
        var built = document.RootElement[0];
        var config = built.GetProperty("Config");
        // The properties are named as the image config's keys.
        image.Entrypoint = config.GetProperty(nameof(Entrypoint)).EnumerateArray().Select(e => e.GetString()!).ToList();
        image.User = config.GetProperty(nameof(User)).GetString() ?? string.Empty;
        if (built.TryGetProperty("Healthcheck", out var healthCheck) && healthCheck.ValueKind == JsonValueKind.Object)
        {
            image.HealthCheck = healthCheck.GetProperty("Test").EnumerateArray().Select(e => e.GetString()!).ToList();
            // Go's time.Duration: nanoseconds.
            image.HealthCheckTimeout = TimeSpan.FromTicks(healthCheck.GetProperty("Timeout").GetInt64() / 100);
        }

        return image;
    }
}
