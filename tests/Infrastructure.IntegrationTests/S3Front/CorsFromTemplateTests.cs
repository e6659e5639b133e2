using System.Net;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.S3Front;

/// <summary>
/// The front's CORS comes from the template it is given, not from a copy: a copy of
/// deploy/cleancognito.yaml whose rule also allows DELETE (refused on the real template,
/// <see cref="CorsTests"/>) lets a DELETE preflight through; and LOCAL_AWS_CORS_ORIGINS set to one
/// exact origin replaces the default loopback pattern, so the app's origin on another port is refused.
/// </summary>
public sealed class CorsFromTemplateTests : IAsyncLifetime
{
    private const string Methods = "            AllowedMethods: [PUT]\n";
    private readonly string _directory = Directory.CreateTempSubdirectory("cleancognito-cors-").FullName;
    private readonly int[] _ports = FreePort.Pick(2);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private LocalAwsStack _stack = null!;

    private string Allowed => $"http://127.0.0.1:{_ports[0]}";

    public async Task InitializeAsync()
    {
        var original = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "cleancognito.yaml"));
        original.Should().Contain(Methods, "the edit must change the real rule");
        var path = Path.Combine(_directory, "cleancognito.yaml");
        await File.WriteAllTextAsync(path, original.Replace(Methods, "            AllowedMethods: [PUT, DELETE]\n", StringComparison.Ordinal));
        _stack = LocalAwsStack.WithS3PolicyTemplate(path, new Dictionary<string, string> { ["LOCAL_AWS_CORS_ORIGINS"] = Allowed });
        await _stack.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_rule_and_the_origins_are_the_ones_the_stack_was_given()
    {
        (await PreflightAsync(Allowed, "DELETE")).Should().Be(HttpStatusCode.OK, "the copy's rule allows DELETE");
        (await PreflightAsync(Allowed, "PUT")).Should().Be(HttpStatusCode.OK);
        (await PreflightAsync($"http://127.0.0.1:{_ports[1]}", "PUT")).Should().Be(HttpStatusCode.Forbidden, "only the configured origin stands for AppHost");
        (await PreflightAsync($"http://localhost:{_ports[0]}", "PUT")).Should().Be(HttpStatusCode.Forbidden);
    }

    private async Task<HttpStatusCode> PreflightAsync(string origin, string method)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri($"{_stack.S3}/{_stack.Bucket}/private/x/file.bin"));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }
}
