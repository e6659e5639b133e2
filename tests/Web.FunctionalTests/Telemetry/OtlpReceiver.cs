using System.Text;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CleanCognito.Web.FunctionalTests.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver on a free loopback port: answers every export with an empty protobuf
/// message (a valid "accepted" answer) and keeps the bodies. Protobuf carries strings as raw UTF-8,
/// so metric names, span attributes and log bodies can be searched in the bytes as sent.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public OtlpReceiver()
    {
        _server.Given(Request.Create().UsingPost().WithPath("/v1/traces", "/v1/metrics", "/v1/logs"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-protobuf"));
    }

    public string Url => _server.Url!;

    /// <summary>The paths exports arrived at, e.g. <c>/v1/metrics</c>.</summary>
    public IReadOnlyList<string> Paths => _server.LogEntries.Select(e => e.RequestMessage!.Path).ToList();

    /// <summary>Every export body received so far, decoded as UTF-8 (binary framing becomes noise; strings stay readable).</summary>
    public string Text() =>
        string.Join('\n', _server.LogEntries.Select(e => e.RequestMessage!.BodyAsBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : e.RequestMessage.Body ?? string.Empty));

    public void Dispose() => _server.Stop();
}
