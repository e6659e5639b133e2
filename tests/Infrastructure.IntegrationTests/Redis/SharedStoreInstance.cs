using CleanCognito.Infrastructure.SharedStore;
using CleanCognito.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Infrastructure.IntegrationTests.Redis;

/// <summary>
/// One app instance as far as the shared store goes: the Application and Infrastructure registrations
/// with <c>Redis:Configuration</c> set and the key ring in a folder the test's instances share, as the
/// app's instances share theirs. Two of these on one Redis are two instances behind a balancer.
/// </summary>
internal sealed class SharedStoreInstance : IDisposable
{
    private readonly IHost _host;

    public SharedStoreInstance(
        string redisConfiguration,
        string keyRingFolder,
        Action<SharedStoreOptions>? timings = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Redis:Configuration"] = redisConfiguration };
        _host = InfrastructureHost.Build(
            all,
            Logs,
            services =>
            {
                configure?.Invoke(services);
                services.AddDataProtection().SetApplicationName("CleanCognito").PersistKeysToFileSystem(new DirectoryInfo(keyRingFolder));
                services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
                services.Configure<SharedStoreOptions>(options => timings?.Invoke(options));
            });
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _host.Services;

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Completes when this instance logged a line containing <paramref name="text"/>.</summary>
    public Task LoggedAsync(string text, TimeSpan within) =>
        Logs.WaitForAsync(e => e.Message.Contains(text, StringComparison.Ordinal), within);

    public void Dispose() => _host.Dispose();
}
