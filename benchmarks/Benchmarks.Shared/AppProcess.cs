using CleanCognito.Infrastructure.Configuration;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Instances;

namespace CleanCognito.Benchmarks;

/// <summary>
/// One app instance as its own process (<c>dotnet CleanCognito.Web.dll</c>, as the image runs it), in the
/// <c>Local</c> environment with the stand-ins' settings: the product with its own runtime settings
/// (src/Web/AppRuntime.props and the rest of its runtimeconfig), its CPU time read from its process. Any build can be
/// started this way, so a harness can load this build and an earlier one side by side in one run.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly AppInstanceProcess _instance;

    private AppProcess(string name, AppInstanceProcess instance)
    {
        Name = name;
        _instance = instance;
        BaseAddress = new Uri($"http://{instance.UpstreamAddress}/");
        Cpu = new AppCpu(() => _instance.Process.CpuTime, InThisProcess: false);
    }

    public string Name { get; }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public AppCpu Cpu { get; }

    public long ResidentBytes => _instance.Process.ResidentBytes;

    /// <summary>The build beside this harness (the one under test).</summary>
    public static string ThisBuild => Path.Combine(AppContext.BaseDirectory, "CleanCognito.Web.dll");

    /// <summary>Starts <paramref name="appDll"/> and waits (bounded) until it answers <c>/health/live</c>.</summary>
    /// <param name="runtime">Extra environment for the process, e.g. <c>DOTNET_gcServer=0</c> (a runtime setting tried side by side).</param>
    public static async Task<AppProcess> StartAsync(
        string name, string appDll, IReadOnlyDictionary<string, string?> settings, CancellationToken ct, IReadOnlyDictionary<string, string>? runtime = null)
    {
        if (!File.Exists(appDll))
        {
            throw new FileNotFoundException($"{name}: no build at {appDll}.");
        }

        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["ASPNETCORE_ENVIRONMENT"] = HostEnvironmentExtensions.LocalEnvironmentName;
        // As for the in-process instances: a console line per request would be part of what is measured.
        environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in runtime ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        ct.ThrowIfCancellationRequested();
        var instance = new AppInstanceProcess(name, FreePort.Pick(), environment, appDll);
        await instance.StartAsync();
        return new AppProcess(name, instance);
    }

    /// <summary>
    /// The other build or runtime to load beside this one, from the environment:
    /// <c>BENCHMARK_BASELINE_APP</c> (path to its CleanCognito.Web.dll; default: this build) and
    /// <c>BENCHMARK_BASELINE_ENV</c> (space-separated <c>NAME=value</c> pairs for its process). Null when neither is set.
    /// </summary>
    public static async Task<AppProcess?> StartBaselineAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken ct)
    {
        var dll = Environment.GetEnvironmentVariable("BENCHMARK_BASELINE_APP");
        var runtime = (Environment.GetEnvironmentVariable("BENCHMARK_BASELINE_ENV") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(dll) && runtime.Count == 0)
        {
            return null;
        }

        var what = string.Join(", ", new[] { string.IsNullOrEmpty(dll) ? "this build" : $"the build at {dll}" }.Concat(runtime.Select(r => $"{r.Key}={r.Value}")));
        return await StartAsync($"O: {what}", string.IsNullOrEmpty(dll) ? ThisBuild : dll, settings, ct, runtime);
    }

    public ValueTask DisposeAsync() => _instance.DisposeAsync();
}
