using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CleanCognito.TestSupport;
using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// Runs the documented deploy step, <c>aws cloudformation package</c>, against a moto_server S3 of
/// its own and reads back what it uploaded: the text AppSync would receive for every resolver (and
/// the schema) must be byte for byte the file in the repository.
/// </summary>
public sealed class PackagedTemplateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Aws_cloudformation_package_uploads_exactly_the_resolver_and_schema_files()
    {
        // Both are prerequisites of the deploy guide and of test.sh (which installs them): a missing
        // tool fails here, it never turns the check into a skip.
        foreach (var tool in new[] { "aws", "moto_server" })
        {
            Tools.Find(tool).Should().NotBeNull("{0} is needed (./test.sh installs it: apt-get install awscli; moto ships with the machine)", tool);
        }

        var port = FreePort();
        var endpoint = $"http://127.0.0.1:{port}";
        using var moto = Start(Tools.Find("moto_server")!, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>());
        // Drained so moto's request log never fills the pipe and stalls it.
        moto.BeginOutputReadLine();
        moto.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilAnswersAsync(http, $"{endpoint}/moto-api/data.json");
            (await http.PutAsync(new Uri($"{endpoint}/artifacts"), content: null)).EnsureSuccessStatusCode();

            var scratch = Directory.CreateTempSubdirectory("cleancognito-package-").FullName;
            var output = Path.Combine(scratch, "packaged.yaml");
            var downloaded = Path.Combine(scratch, "uploaded");
            try
            {
                using var package = Start(Tools.Find("aws")!, ["cloudformation", "package", "--template-file", RepositoryPaths.Template, "--s3-bucket", "artifacts", "--output-template-file", output], AwsCliEnvironment(endpoint));
                var (exitCode, log) = await WaitAsync(package);
                exitCode.Should().Be(0, "aws cloudformation package said:\n{0}", log);

                var packaged = Load(await File.ReadAllTextAsync(output));
                var uploads = new List<(string Location, string File)>();
                foreach (var (_, resolver) in packaged.ResourcesOfType("AWS::AppSync::Resolver"))
                {
                    var p = Properties(resolver);
                    var field = $"{Text(Get(p, "TypeName"))}.{Text(Get(p, "FieldName"))}";
                    uploads.Add((Text(Get(p, "RequestMappingTemplateS3Location"))!, Path.Combine(RepositoryPaths.Resolvers, $"{field}.req.vtl")));
                    uploads.Add((Text(Get(p, "ResponseMappingTemplateS3Location"))!, Path.Combine(RepositoryPaths.Resolvers, $"{field}.res.vtl")));
                }

                var schema = packaged.ResourcesOfType("AWS::AppSync::GraphQLSchema").Single().Resource;
                uploads.Add((Text(Get(Properties(schema), "DefinitionS3Location"))!, RepositoryPaths.Schema));

                uploads.Should().HaveCount(Directory.GetFiles(RepositoryPaths.Resolvers).Length + 1);

                // Read back what was uploaded with the same CLI (signed requests), into a folder of its own.
                using var download = Start(Tools.Find("aws")!, ["s3", "cp", "--recursive", "--only-show-errors", "s3://artifacts/", downloaded], AwsCliEnvironment(endpoint));
                var (copied, copyLog) = await WaitAsync(download);
                copied.Should().Be(0, "aws s3 cp said:\n{0}", copyLog);

                foreach (var (location, file) in uploads)
                {
                    location.Should().StartWith("s3://artifacts/", "package replaces each local path with where it uploaded the file");
                    var deployed = await File.ReadAllBytesAsync(Path.Combine(downloaded, location["s3://artifacts/".Length..]));
                    deployed.Should().Equal(await File.ReadAllBytesAsync(file), "{0} must deploy as {1}", location, Path.GetFileName(file));
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        finally
        {
            moto.Kill(entireProcessTree: true);
            await moto.WaitForExitAsync();
        }
    }

    /// <summary>Throw-away credentials and moto as the S3 endpoint; no profile or config of the machine's user is read.</summary>
    private static Dictionary<string, string> AwsCliEnvironment(string s3Endpoint) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL_S3"] = s3Endpoint,
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process Start(string fileName, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    private static async Task<(int ExitCode, string Output)> WaitAsync(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static Task WaitUntilAnswersAsync(HttpClient http, string url) =>
        Eventually.TrueAsync(
            $"moto_server answers {url}",
            async () =>
            {
                using var response = await http.GetAsync(new Uri(url));
                return response.IsSuccessStatusCode;
            },
            Deadline,
            every: TimeSpan.FromMilliseconds(100),
            notYet: Eventually.Unreachable);
}

/// <summary>The command-line tools the deploy guide uses, on PATH or in pyenv's shims.</summary>
internal static class Tools
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".pyenv", "shims"))
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
