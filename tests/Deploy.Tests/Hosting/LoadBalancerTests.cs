using System.Net;
using CleanCognito.Deploy.Tests.Template;
using CleanCognito.TestSupport;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// The load balancer in front of the tasks: it forwards only requests for AppHost, and its health
/// check (and ECS's) is answered 200 by the app started with exactly the task definition's environment.
/// </summary>
public sealed class LoadBalancerTests
{
    private static readonly CloudFormationTemplate Template = LoadFile();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public void Only_requests_for_app_host_reach_the_tasks()
    {
        var listener = Properties(Template.Resource("HttpsListener"));
        Items(Get(listener, "DefaultActions")).Select(a => Text(Get(a, "Type"))).Should().NotContain("forward", "an unknown Host must not reach the app");

        var rule = Properties(Template.Resource("AppHostRule"));
        RefTarget(Get(rule, "ListenerArn")).Should().Be("HttpsListener");
        var condition = Items(Get(rule, "Conditions")).Single();
        Text(Get(condition, "Field")).Should().Be("host-header");
        Items(Get(rule, "Actions")).Select(a => (Text(Get(a, "Type")), RefTarget(Get(a, "TargetGroupArn")))).Should().Equal(("forward", "TargetGroup"));

        var hosts = Get(Map(condition, "HostHeaderConfig"), "Values")!;
        foreach (var (appHost, expected) in new[] { ("app.example.com", "app.example.com"), ("app.example.com:443", "app.example.com") })
        {
            new IntrinsicEvaluator(Template, new Dictionary<string, string> { ["AppHost"] = appHost }).List(hosts).Should().Equal(expected);
        }
    }

    [Theory]
    [InlineData("10.20.3.4:8080")] // the load balancer: the task's private IP and port
    [InlineData("127.0.0.1:8080")] // ECS's container health check and the image's HEALTHCHECK
    public async Task The_health_probe_is_answered_200_by_the_app_with_the_task_environment(string host)
    {
        var status = await ProbeAsync(TaskDefinitionSettings.Of(Template), host);

        status.Should().Be(HttpStatusCode.OK, "plain http to the task, no X-Forwarded-Proto: neither a redirect nor a refused host");
    }

    // The control: the environment the issue first asked for (AllowedHosts = AppHost) fails the
    // probe, which is why the task definition leaves host filtering to the load balancer.
    [Fact]
    public async Task With_allowed_hosts_set_to_app_host_the_load_balancers_probe_would_be_refused()
    {
        var settings = new Dictionary<string, string>(TaskDefinitionSettings.Of(Template)) { ["AllowedHosts"] = "app.example.com" };

        (await ProbeAsync(settings, "10.20.3.4:8080")).Should().Be(HttpStatusCode.BadRequest);
    }

    private static async Task<HttpStatusCode> ProbeAsync(IReadOnlyDictionary<string, string> environment, string host)
    {
        var path = Text(Get(Properties(Template.Resource("TargetGroup")), "HealthCheckPath"))!;
        var port = FreePort.Pick();
        await using var app = BuiltAppProcess.Start(new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            app.HasExited.Should().BeFalse("the app must start with the task's environment; it wrote:\n{0}", app.HasExited ? await app.StderrAsync() : string.Empty);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{path}"));
                request.Headers.Host = host;
                using var response = await http.SendAsync(request, deadline.Token);
                await app.StopAsync();
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // not listening yet: a bounded poll (the deadline), not a fixed sleep
                await Task.Delay(200, deadline.Token);
            }
        }
    }
}
