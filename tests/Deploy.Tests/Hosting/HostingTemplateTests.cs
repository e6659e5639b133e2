using System.Text.RegularExpressions;
using CleanCognito.Deploy.Tests.Template;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Hosting;

/// <summary>
/// The template's hosting half (ECS Fargate behind an HTTPS load balancer, a shared Valkey cache)
/// against the app and its Dockerfile: what the container is given is what the app needs to start.
/// </summary>
public sealed partial class HostingTemplateTests
{
    private static readonly CloudFormationTemplate Template = CloudFormationTemplate.LoadFile();

    [Fact]
    public async Task The_task_definition_gives_the_app_every_setting_it_needs_to_start()
    {
        var settings = TaskDefinitionSettings.Of(Template);
        settings["ASPNETCORE_ENVIRONMENT"].Should().Be("Production");

        var (exitCode, stderr) = await ContainerProcess.StartAsync(settings);

        exitCode.Should().BeNull("the app must start with the container's environment alone; it wrote:\n{0}", stderr);
    }

    // The control: the check above must fail when the template forgets a required setting.
    [Theory]
    [InlineData("Cognito__UserPoolId", "Cognito:UserPoolId")]
    [InlineData("AppSync__Endpoint", "AppSync:Endpoint")]
    [InlineData("IdentityPool__IdentityPoolId", "IdentityPool:IdentityPoolId")]
    [InlineData("Storage__BucketName", "Storage:BucketName")]
    public async Task Without_a_required_setting_the_app_refuses_to_start_and_names_it(string variable, string setting)
    {
        var settings = TaskDefinitionSettings.Of(Template);
        settings.Should().ContainKey(variable);

        var (exitCode, stderr) = await ContainerProcess.StartAsync(settings.Where(e => e.Key != variable).ToDictionary());

        exitCode.Should().Be(1);
        stderr.Should().Contain($"Configuration error: {setting} is missing.");
    }

    [Fact]
    public void The_shared_store_is_reached_over_tls()
    {
        TaskDefinitionSettings.Of(Template)["Redis__Configuration"].Should().EndWith(",ssl=true");
    }

    [Fact]
    public void The_service_runs_at_least_two_tasks_in_two_availability_zones_behind_https()
    {
        var minTasks = Map(Map(Template.Root, "Parameters"), "MinTasks")!;
        int.Parse(Text(Get(minTasks, "MinValue"))!, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(2);

        var service = Properties(Template.Resource("Service"))!;
        RefTarget(Get(service, "DesiredCount")).Should().Be("MinTasks");
        var subnets = Items(Get(Map(Map(service, "NetworkConfiguration"), "AwsvpcConfiguration"), "Subnets")).Select(RefTarget).ToList();
        // Each subnet's AvailabilityZone is !Select [i, !GetAZs ""]: distinct i, distinct zones.
        subnets.Select(s => Text(((YamlDotNet.RepresentationModel.YamlSequenceNode)Get(Properties(Template.Resource(s!)), "AvailabilityZone")!)[0]))
            .Should().OnlyHaveUniqueItems().And.HaveCountGreaterThanOrEqualTo(2);

        var https = Properties(Template.Resource("HttpsListener"))!;
        Text(Get(https, "Protocol")).Should().Be("HTTPS");
        RefTarget(Get(Items(Get(https, "Certificates")).OfType<YamlDotNet.RepresentationModel.YamlMappingNode>().Single(), "CertificateArn")).Should().Be("CertificateArn");
        Text(Get(Map(Items(Get(Properties(Template.Resource("HttpRedirectListener")), "DefaultActions"))[0] as YamlDotNet.RepresentationModel.YamlMappingNode, "RedirectConfig"), "Protocol"))
            .Should().Be("HTTPS", "plain HTTP only redirects");
    }

    [Fact]
    public void The_load_balancer_checks_liveness_on_the_port_the_image_serves()
    {
        // Liveness: a blip of one upstream must not mark every task unhealthy (the template says why).
        var targetGroup = Properties(Template.Resource("TargetGroup"))!;
        Text(Get(targetGroup, "HealthCheckPath")).Should().Be("/health/live");
        Text(Get(Map(targetGroup, "Matcher"), "HttpCode")).Should().Be("200");
        var port = Text(Get(targetGroup, "Port"));

        var container = TaskDefinitionSettings.AppContainer(Template);
        Text(Get(Items(Get(container, "PortMappings")).OfType<YamlDotNet.RepresentationModel.YamlMappingNode>().Single(), "ContainerPort")).Should().Be(port);

        var dockerfile = Dockerfile();
        ExposeLine().Match(dockerfile).Groups[1].Value.Should().Be(port);
        dockerfile.Should().Contain($"ASPNETCORE_HTTP_PORTS={port}");
    }

    [Fact]
    public void The_image_is_multi_stage_runs_unprivileged_and_checks_its_health()
    {
        var dockerfile = Dockerfile();

        FromLine().Matches(dockerfile).Should().HaveCountGreaterThanOrEqualTo(2, "the SDK stays out of the runtime image");
        UserLine().Match(dockerfile).Groups[1].Value.Should().BeOneOf(["$APP_UID", "app"], "the runtime image's unprivileged user, never root");
        // The probe follows the port setting, so overriding ASPNETCORE_HTTP_PORTS keeps it true
        // (tests/Web.BrowserTests/Image runs it against the built image).
        dockerfile.Should().Contain("HEALTHCHECK").And.Contain("http://127.0.0.1:${ASPNETCORE_HTTP_PORTS%%;*}/health/live");
        dockerfile.Should().Contain("ENTRYPOINT [\"dotnet\", \"CleanCognito.Web.dll\"]", "the assembly the Web project builds");
    }

    private static string Dockerfile() => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [GeneratedRegex(@"^EXPOSE (\d+)$", RegexOptions.Multiline)]
    private static partial Regex ExposeLine();

    [GeneratedRegex(@"^FROM ", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^USER (\S+)$", RegexOptions.Multiline)]
    private static partial Regex UserLine();
}
