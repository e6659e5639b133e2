using System.Net;
using CleanCognito.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Objects.Benchmark;

/// <summary>
/// A GraphQL endpoint in this process that answers every POST with one recorded answer of the AppSync
/// stand-in. Not a stand-in: it checks no token and runs no resolver. It only lets the app run at its
/// own limit, so its CPU per request shows the app's work without waiting on the real stand-in.
/// </summary>
internal sealed class RecordedAppSync : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordedAppSync(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<RecordedAppSync> StartAsync(string recordedAnswer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = FreePort.Pick();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/graphql", () => Results.Text(recordedAnswer, "application/json"));
        await app.StartAsync();
        return new RecordedAppSync(app, new Uri($"http://127.0.0.1:{port}/graphql"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
