using CleanCognito.Infrastructure.AppSync;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

public sealed class AppSyncOptionsTests
{
    [Fact]
    public void The_flask_cognito_lib_environment_name_maps_to_the_endpoint_key() =>
        FlaskCognitoLibSettingNames.ToConfigurationKey["AWS_APPSYNC_ENDPOINT"].Should().Be("AppSync:Endpoint");

    [Theory]
    [InlineData("Production", "https://abc.appsync-api.eu-west-1.amazonaws.com/graphql")]
    [InlineData("Local", "http://127.0.0.1:9002/graphql")]
    [InlineData("Local", "https://abc.appsync-api.eu-west-1.amazonaws.com/graphql")]
    public void An_absolute_https_endpoint_or_http_in_Local_is_accepted(string environment, string endpoint) =>
        Validate(environment, endpoint).Succeeded.Should().BeTrue();

    [Theory]
    [InlineData("Production", "http://abc.appsync-api.eu-west-1.amazonaws.com/graphql", "must use https")]
    [InlineData("Development", "http://127.0.0.1:9002/graphql", "must use https")]
    [InlineData("Production", "", "is missing")]
    [InlineData("Production", "/graphql", "absolute http(s) URL")]
    [InlineData("Local", "ftp://example.com/graphql", "absolute http(s) URL")]
    public void Other_endpoints_fail_with_a_message_that_names_the_key_and_both_ways_to_set_it(string environment, string endpoint, string problem)
    {
        var result = Validate(environment, endpoint);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("AppSync:Endpoint").And.Contain(problem)
            .And.Contain("AppSync__Endpoint").And.Contain("AWS_APPSYNC_ENDPOINT");
    }

    [Fact]
    public void An_attempt_timeout_longer_than_the_total_fails() =>
        Validate("Production", "https://x.example/graphql", new AppSyncOptions { TimeoutSeconds = 2, AttemptTimeoutSeconds = 3 })
            .FailureMessage.Should().Contain("AppSync:AttemptTimeoutSeconds");

    [Fact]
    public async Task A_bad_endpoint_stops_the_host_at_start_up()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration["AppSync:Endpoint"] = "http://insecure.example/graphql";
        builder.Services.AddInfrastructureServices();
        using var host = builder.Build();

        // The host reports every failed section at once, wrapped in an AggregateException.
        var thrown = await Record.ExceptionAsync(() => host.StartAsync());

        thrown.Should().NotBeNull();
        var failures = (thrown is AggregateException all ? all.Flatten().InnerExceptions : [thrown!])
            .OfType<OptionsValidationException>().SelectMany(e => e.Failures);
        failures.Should().Contain(f => f.Contains("AppSync:Endpoint", StringComparison.Ordinal));
    }

    private static ValidateOptionsResult Validate(string environment, string endpoint, AppSyncOptions? options = null)
    {
        options ??= new AppSyncOptions();
        options.Endpoint = endpoint;
        var hostEnvironment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };
        return new AppSyncOptionsValidator(hostEnvironment).Validate(null, options);
    }
}
