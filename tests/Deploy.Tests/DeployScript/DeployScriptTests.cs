using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CleanCognito.Deploy.Tests.Template;
using Microsoft.Extensions.Configuration;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.DeployScript;

/// <summary>
/// deploy/deploy.sh without an AWS account: a fake <c>aws</c> on PATH (fake-aws.mjs) records the
/// calls and answers describe-stacks from describe-stacks.json, a document in the CLI's real shape.
/// What it proves: the arguments, the order of the steps, and the outputs → settings mapping, read
/// back through the same JSON configuration provider the app uses. What only an account proves
/// (the real package, deploy and outputs) is listed in docs/aws-deployment.md.
/// </summary>
public sealed partial class DeployScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepositoryPaths.Deploy, "deploy.sh");
    private static readonly string Here = Path.Combine(RepositoryPaths.Root, "tests", "Deploy.Tests", "DeployScript");
    private static readonly string Recorded = Path.Combine(Here, "describe-stacks.json");

    private readonly string _scratch = Directory.CreateTempSubdirectory("cleancognito-deploy-sh-").FullName;

    private string Log => Path.Combine(_scratch, "aws-calls.jsonl");

    private string SettingsFile => Path.Combine(_scratch, "out", "appsettings.Production.json");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Packages_deploys_then_writes_the_settings_the_app_reads_from_the_stack_outputs()
    {
        var run = await RunAsync(["--region", "eu-west-1", "--settings", SettingsFile, "AppHost=app.example.com", "HostedUiDomainPrefix=example-cleancognito", "ExtraCallbackHosts=localhost:5001"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        var calls = Calls();
        calls.Select(c => $"{c[0]} {c[1]}").Should().Equal(
            "sts get-caller-identity", "s3api head-bucket", "cloudformation package", "cloudformation deploy", "cloudformation describe-stacks");

        var package = calls[2];
        Option(package, "--template-file").Should().Be(RepositoryPaths.Template);
        Option(package, "--s3-bucket").Should().Be("cleancognito-artifacts-123456789012-eu-west-1");
        var deploy = calls[3];
        Option(deploy, "--template-file").Should().Be(Option(package, "--output-template-file"), "deploy sends what package wrote");
        Option(deploy, "--stack-name").Should().Be("cleancognito");
        Option(deploy, "--capabilities").Should().Be("CAPABILITY_IAM");
        deploy.Should().Contain("--no-fail-on-empty-changeset", "running it again without a change must not fail");
        deploy.SkipWhile(a => a != "--parameter-overrides").Skip(1)
            .Should().Equal("AppHost=app.example.com", "HostedUiDomainPrefix=example-cleancognito", "ExtraCallbackHosts=localhost:5001");
        File.Exists(Option(package, "--output-template-file")).Should().BeFalse("the packaged template is a temporary file");

        var settings = new ConfigurationBuilder().AddJsonFile(SettingsFile).Build();
        var outputs = RecordedOutputs();
        settings["Cognito:Region"].Should().Be(outputs["CognitoRegion"]);
        settings["Cognito:UserPoolId"].Should().Be(outputs["CognitoUserPoolId"]);
        settings["Cognito:ClientId"].Should().Be(outputs["CognitoClientId"]);
        settings["Cognito:Domain"].Should().Be(outputs["CognitoDomain"]);
        settings["AppSync:Endpoint"].Should().Be(outputs["AppSyncEndpoint"]);
        settings["IdentityPool:IdentityPoolId"].Should().Be(outputs["IdentityPoolId"]);
        settings["IdentityPool:AccountId"].Should().Be(outputs["AccountId"]);
        settings["Storage:BucketName"].Should().Be(outputs["StorageBucketName"]);
        settings["Storage:Region"].Should().Be(outputs["StorageRegion"]);
        settings["Notes:TableName"].Should().Be(outputs["NotesTableName"]);
        settings["Cognito:RedirectUrl"].Should().BeNull("the app builds it from the request: right for AppHost and every extra callback host");
        settings.AsEnumerable().Where(s => s.Value is not null).Should().HaveCount(10);
    }

    [Fact]
    public async Task A_missing_artifacts_bucket_is_created_first()
    {
        var run = await RunAsync(["--region", "eu-west-1", "--artifacts-bucket", "my-artifacts", "--settings", SettingsFile], new() { ["FAKE_AWS_NO_BUCKET"] = "1" });

        run.ExitCode.Should().Be(0, run.Stderr);
        Calls().Select(c => string.Join(' ', c.Take(3))).Should().StartWith(["s3api head-bucket --bucket", "s3 mb s3://my-artifacts"]);
    }

    [Fact]
    public async Task Settings_only_prints_an_existing_stacks_settings_and_deploys_nothing()
    {
        var run = await RunAsync(["--region", "eu-west-1", "--stack", "cleancognito", "--settings-only", "--print"]);

        run.ExitCode.Should().Be(0, run.Stderr);
        Calls().Select(c => $"{c[0]} {c[1]}").Should().Equal("cloudformation describe-stacks");
        using var printed = JsonDocument.Parse(run.Stdout);
        printed.RootElement.GetProperty("AppSync").GetProperty("Endpoint").GetString().Should().Be(RecordedOutputs()["AppSyncEndpoint"]);
        File.Exists(SettingsFile).Should().BeFalse();
    }

    [Fact]
    public async Task A_failed_deploy_stops_before_any_settings_are_written()
    {
        var run = await RunAsync(["--region", "eu-west-1", "--settings", SettingsFile, "AppHost=app.example.com"], new() { ["FAKE_AWS_DEPLOY_FAILS"] = "1" });

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("Failed to create/update the stack");
        Calls().Select(c => c[1]).Should().NotContain("describe-stacks");
        File.Exists(SettingsFile).Should().BeFalse();
    }

    [Fact]
    public async Task A_stack_without_an_expected_output_is_refused_by_the_outputs_name()
    {
        var recorded = JsonNode(Recorded);
        var outputs = recorded["Stacks"]![0]!["Outputs"]!.AsArray();
        outputs.Remove(outputs.Single(o => (string?)o!["OutputKey"] == "AppSyncEndpoint"));
        var edited = Path.Combine(_scratch, "describe-stacks.json");
        await File.WriteAllTextAsync(edited, recorded.ToJsonString());

        var run = await RunAsync(["--region", "eu-west-1", "--settings-only", "--settings", SettingsFile], new() { ["FAKE_AWS_DESCRIBE_STACKS"] = edited });

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("has no output AppSyncEndpoint");
        File.Exists(SettingsFile).Should().BeFalse();
    }

    [Theory]
    [InlineData("needs a value", "--region")]
    [InlineData("unknown option --regoin", "--regoin", "eu-west-1")]
    [InlineData("'AppHost' is neither an option nor ParameterKey=Value", "--region", "eu-west-1", "AppHost")]
    [InlineData("parameter overrides would be ignored", "--region", "eu-west-1", "--settings-only", "AppHost=app.example.com")]
    [InlineData("is not a CloudFormation stack name", "--region", "eu-west-1", "--stack", "1-not-a-name")]
    [InlineData("no region", "AppHost=app.example.com")]
    public async Task Bad_arguments_are_refused_before_any_aws_call(string message, params string[] arguments)
    {
        var run = await RunAsync(arguments);

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain(message);
        File.Exists(Log).Should().BeFalse("nothing may reach AWS with arguments the script refuses");
    }

    [Fact]
    public async Task Help_lists_every_option_the_script_takes()
    {
        var run = await RunAsync(["--help"]);
        var script = await File.ReadAllTextAsync(Script);

        run.ExitCode.Should().Be(0);
        foreach (var option in OptionCase().Matches(script).Select(m => m.Groups[1].Value).Distinct())
        {
            run.Stdout.Should().Contain(option);
        }
    }

    /// <summary>The recorded document must still describe this template, and every required setting an output names is written.</summary>
    [Fact]
    public async Task Every_setting_the_templates_outputs_name_is_mapped_and_the_recording_matches_the_template()
    {
        var templateOutputs = Map(LoadFile().Root, "Outputs")!.Children.ToDictionary(o => Text(o.Key)!, o => Text(Get(o.Value, "Description")) ?? string.Empty);
        RecordedOutputs().Keys.Should().BeEquivalentTo(templateOutputs.Keys, "describe-stacks.json must have the template's outputs (update it with the template)");

        var run = await RunAsync(["--region", "eu-west-1", "--settings-only", "--settings", SettingsFile]);
        run.ExitCode.Should().Be(0, run.Stderr);
        var settings = new ConfigurationBuilder().AddJsonFile(SettingsFile).Build();

        foreach (var (output, description) in templateOutputs)
        {
            var named = NamedSetting().Match(description);
            if (named.Success && !description.Contains("(optional", StringComparison.Ordinal))
            {
                settings[named.Groups[1].Value].Should().Be(RecordedOutputs()[output], "output {0} feeds {1}", output, named.Groups[1].Value);
            }
        }
    }

    [Fact]
    public async Task The_deploy_scripts_are_shellcheck_clean()
    {
        var shellcheck = Tools.Find("shellcheck");
        shellcheck.Should().NotBeNull("shellcheck is needed (./test.sh installs it: apt-get install shellcheck)");

        // Every script a user runs to deploy, check, smoke-test or build the image, and the ones ./run.sh sources.
        string[] scripts =
        [
            Script, RepositoryPaths.CheckScript, Path.Combine(RepositoryPaths.Deploy, "smoke.sh"),
            Path.Combine(RepositoryPaths.Root, "dev", "image", "base-images.sh"),
            Path.Combine(RepositoryPaths.Root, "dev", "balancer", "supervise.sh"),
            Path.Combine(RepositoryPaths.Root, "dev", "balancer", "journey.sh"),
            Path.Combine(RepositoryPaths.Root, "dev", "lib", "progress.sh"),
        ];
        var run = await RunProcessAsync(shellcheck!, scripts, new Dictionary<string, string>());

        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments, Dictionary<string, string>? extra = null)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        var aws = Path.Combine(bin, "aws");
        await File.WriteAllTextAsync(aws, $"#!/bin/sh\nexec node '{Path.Combine(Here, "fake-aws.mjs")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = new Dictionary<string, string>
        {
            // The fake first; node and the shell's tools after it. No AWS_* of the machine leaks in.
            ["PATH"] = $"{bin}:{Path.GetDirectoryName(Tools.Find("node"))}:/usr/bin:/bin",
            ["HOME"] = _scratch,
            ["TMPDIR"] = _scratch,
            ["FAKE_AWS_LOG"] = Log,
            ["FAKE_AWS_DESCRIBE_STACKS"] = Recorded,
        };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        return await RunProcessAsync("bash", [Script, .. arguments], environment);
    }

    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(string fileName, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (environment.Count > 0)
        {
            start.Environment.Clear();
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private List<string[]> Calls() =>
        File.Exists(Log) ? File.ReadAllLines(Log).Select(l => JsonSerializer.Deserialize<string[]>(l)!).ToList() : [];

    private static string? Option(string[] call, string name) => call.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static Dictionary<string, string> RecordedOutputs() =>
        JsonNode(Recorded)["Stacks"]![0]!["Outputs"]!.AsArray().ToDictionary(o => (string)o!["OutputKey"]!, o => (string)o!["OutputValue"]!);

    private static System.Text.Json.Nodes.JsonNode JsonNode(string path) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;

    [GeneratedRegex(@"^\s+(--[a-z-]+)(?: \| -h \| --help)?\)", RegexOptions.Multiline)]
    private static partial Regex OptionCase();

    [GeneratedRegex(@"^(\w+:\w+) \(")]
    private static partial Regex NamedSetting();
}
