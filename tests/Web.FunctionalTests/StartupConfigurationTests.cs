using System.Globalization;
using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.FunctionalTests;

/// <summary>A missing or malformed setting stops the app with one line naming the key and how to set it.</summary>
public sealed class StartupConfigurationTests
{
    private const string MissingEndpoint =
        "Configuration error: AppSync:Endpoint is missing. Set it in appsettings.json or the environment variable AppSync__Endpoint or AWS_APPSYNC_ENDPOINT.";

    [Theory]
    [InlineData("AppSync:Endpoint", "", "AppSync:Endpoint is missing.")]
    [InlineData("AppSync:Endpoint", "not a url", "AppSync:Endpoint must be an absolute http(s) URL")]
    [InlineData("AppSync:AttemptTimeoutSeconds", "20", "AppSync:AttemptTimeoutSeconds must not exceed AppSync:TimeoutSeconds (10), but is 20.")]
    public async Task The_app_does_not_start_with_an_invalid_setting_and_names_the_key(string key, string value, string expected)
    {
        await using var factory = new FunctionalTestFactory();
        factory.Settings[key] = value;

        var act = () => factory.CreateClient();

        act.Should().Throw<Exception>();
        factory.StartupFailure.Should().NotBeNull("the host's start-up validation must have failed");
        Flatten(factory.StartupFailure!).OfType<OptionsValidationException>().SelectMany(v => v.Failures)
            .Should().Contain(f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_built_app_without_settings_exits_1_with_one_line_per_problem_and_no_stack_trace()
    {
        var (exitCode, stderr) = await BuiltApp.RunAsync(new Dictionary<string, string>());

        exitCode.Should().Be(1);
        stderr.Should().Contain(MissingEndpoint);
        stderr.Where(l => l.Length > 0).Should().OnlyContain(l => l.StartsWith("Configuration error: ", StringComparison.Ordinal), string.Join('\n', stderr));
        stderr.Should().NotContain(l => l.StartsWith("   at ", StringComparison.Ordinal));
        stderr.Where(l => l.Length > 0).Should().OnlyHaveUniqueItems("each problem is reported once");
    }

    [Fact]
    public async Task The_built_app_reads_the_flask_cognito_lib_name_AWS_APPSYNC_ENDPOINT()
    {
        var (exitCode, stderr) = await BuiltApp.RunAsync(new Dictionary<string, string> { ["AWS_APPSYNC_ENDPOINT"] = "http://appsync.example.test/graphql" });

        exitCode.Should().Be(1, "other settings are still missing");
        stderr.Should().NotContain(MissingEndpoint)
            .And.Contain("Configuration error: AppSync:Endpoint must use https outside the Local environment, but is \"http://appsync.example.test/graphql\". " +
                         "Set it in appsettings.json or the environment variable AppSync__Endpoint or AWS_APPSYNC_ENDPOINT.");
    }

    /// <summary>Every numeric and boolean key of every options class: a new key is a new row.</summary>
    public static TheoryData<string> TypedKeys => [.. SettingTypes.All.Select(s => s.Key)];

    [Fact]
    public void The_typed_settings_are_found_and_every_number_has_a_range()
    {
        SettingTypes.All.Select(s => s.Key).Should().Contain(["AppSync:TimeoutSeconds", "Cognito:RefreshFlowEnabled", "Storage:MaxUploadBytes"]);
        SettingTypes.All.Where(s => s.Type != typeof(bool)).Should().OnlyContain(s => s.Range != null, "a number without [SettingRange] could not tell the user what is accepted");
    }

    [Theory]
    [MemberData(nameof(TypedKeys))]
    public void A_value_of_the_wrong_type_gives_one_line_naming_the_key_and_what_is_accepted(string key)
    {
        var setting = SettingTypes.All.Single(s => s.Key == key);
        var accepted = setting.Type == typeof(bool) ? "true or false" : SettingTypes.Describe(setting);

        var problems = SettingTypes.Problems(Configuration(key, "abc"));

        problems.Should().ContainSingle().Which.Should().StartWith($"{key} must be {accepted}, but is \"abc\". Set it in appsettings.json or the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}");
        problems.Single().Should().NotContain("\n");
        if (setting.Range is { } range)
        {
            accepted.Should().Contain(range.Minimum.ToString(CultureInfo.InvariantCulture)).And.Contain(range.Maximum.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [MemberData(nameof(TypedKeys))]
    public void A_number_out_of_range_names_the_range_and_an_accepted_value_passes(string key)
    {
        var setting = SettingTypes.All.Single(s => s.Key == key);
        if (setting.Range is not { } range)
        {
            SettingTypes.Problems(Configuration(key, "TRUE")).Should().BeEmpty("booleans are read case-insensitively");
            SettingTypes.Problems(Configuration(key, "1")).Should().ContainSingle("only true and false are booleans");
            return;
        }

        var below = (range.Minimum - 1).ToString(CultureInfo.InvariantCulture);
        var above = (range.Maximum + 1).ToString(CultureInfo.InvariantCulture);
        var min = range.Minimum.ToString(CultureInfo.InvariantCulture);
        var max = range.Maximum.ToString(CultureInfo.InvariantCulture);

        SettingTypes.Problems(Configuration(key, below)).Should().ContainSingle().Which.Should().StartWith($"{key} must be between {min} and {max}, but is {below}.");
        SettingTypes.Problems(Configuration(key, above)).Should().ContainSingle().Which.Should().StartWith($"{key} must be between {min} and {max}, but is {above}.");
        SettingTypes.Problems(Configuration(key, max)).Should().BeEmpty();
        if (setting.IsWholeNumber)
        {
            SettingTypes.Problems(Configuration(key, "1.5")).Should().ContainSingle().Which.Should().Contain("must be a whole number between");
        }
    }

    [Theory]
    [InlineData("AppSync__TimeoutSeconds", "abc", "Configuration error: AppSync:TimeoutSeconds must be a number between 1 and 120, but is \"abc\".")]
    [InlineData("AWS_COGNITO_REFRESH_FLOW_ENABLED", "yes", "Configuration error: Cognito:RefreshFlowEnabled must be true or false, but is \"yes\".")]
    [InlineData("AppSync__TimeoutSeconds", "-5", "Configuration error: AppSync:TimeoutSeconds must be between 1 and 120, but is -5.")]
    public async Task The_built_app_with_a_setting_of_the_wrong_type_exits_1_with_one_line_and_no_stack_trace(string variable, string value, string expected)
    {
        var (exitCode, stderr) = await BuiltApp.RunAsync(new Dictionary<string, string> { [variable] = value });

        exitCode.Should().Be(1, string.Join('\n', stderr));
        stderr.Should().Contain(l => l.StartsWith(expected, StringComparison.Ordinal), string.Join('\n', stderr));
        stderr.Where(l => l.Length > 0).Should().ContainSingle("the type check stops before anything else is reported")
            .Which.Should().StartWith("Configuration error: ");
        stderr.Should().NotContain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    private static IConfiguration Configuration(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var nested in inner.SelectMany(Flatten))
        {
            yield return nested;
        }
    }
}
