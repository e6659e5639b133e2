using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace CleanCognito.TestSupport;

/// <summary>
/// The local AWS stand-ins (<c>dev/local-aws/stack.mjs</c>: user pool + hosted UI, AppSync, Cognito
/// Identity, S3 on moto) on free ports, started once per test assembly through an xunit collection
/// fixture. Fails with an actionable message when <c>node</c>, <c>moto_server</c> or the npm
/// packages are missing: a test that needs the stack must never pass without it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a stack of services, not a Stack<T>.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed partial class LocalAwsStack : IAsyncLifetime
{
    private const string ReadyPrefix = "LOCAL_AWS_READY ";
    private const string FailedPrefix = "LOCAL_AWS_FAILED ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Queue<string> _stderrTail = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _node;
    private readonly string _motoServer;
    private readonly string? _repositoryRoot;
    private readonly Dictionary<string, string> _extraEnvironment = new(StringComparer.Ordinal);
    private Process? _process;
    private string _logDir = string.Empty;

    /// <summary>The stack as xunit creates it: <c>node</c> and <c>moto_server</c> from PATH (or <c>LOCAL_AWS_MOTO_SERVER</c>).</summary>
    public LocalAwsStack()
        : this("node", Environment.GetEnvironmentVariable("LOCAL_AWS_MOTO_SERVER") is { Length: > 0 } moto ? moto : "moto_server", null)
    {
    }

    private LocalAwsStack(string node, string motoServer, string? repositoryRoot)
    {
        _node = node;
        _motoServer = motoServer;
        _repositoryRoot = repositoryRoot;
    }

    /// <summary>A stack with other tools or another checkout, to test the fixture's own failure messages.</summary>
    public static LocalAwsStack With(string node, string motoServer, string repositoryRoot) => new(node, motoServer, repositoryRoot);

    /// <summary>
    /// A stack whose S3 front enforces the policies (and bucket CORS rules) of another template (e.g. a
    /// widened copy made by a test), with optional extra <c>LOCAL_AWS_*</c> settings.
    /// </summary>
    public static LocalAwsStack WithS3PolicyTemplate(string templatePath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var stack = new LocalAwsStack();
        stack._extraEnvironment["LOCAL_AWS_S3_POLICY_TEMPLATE"] = templatePath;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            stack._extraEnvironment[name] = value;
        }

        return stack;
    }

    public string Idp { get; private set; } = string.Empty;

    public string UserPoolId { get; private set; } = string.Empty;

    public string Issuer { get; private set; } = string.Empty;

    /// <summary>The GraphQL endpoint, ending in <c>/graphql</c>.</summary>
    public string AppSync { get; private set; } = string.Empty;

    public string Identity { get; private set; } = string.Empty;

    /// <summary>The S3 front: SigV4 and the template's IAM policy are checked here, as on AWS.</summary>
    public string S3 { get; private set; } = string.Empty;

    /// <summary>DynamoDB: the same front as <see cref="S3"/> (SigV4 and the template's IAM policy, <c>dynamodb:LeadingKeys</c> included).</summary>
    public string DynamoDb { get; private set; } = string.Empty;

    /// <summary>The local name of the template's NotesTable, created at start and after a reset.</summary>
    public string NotesTable { get; private set; } = string.Empty;

    /// <summary>moto_server behind the S3 front (no authentication): never for S3 clients under test.</summary>
    public string Moto { get; private set; } = string.Empty;

    /// <summary>moto's KMS (unauthenticated: moto checks no signature) and the Data Protection key ring's key there.</summary>
    public string Kms { get; private set; } = string.Empty;

    /// <summary>What the app takes as <c>DataProtection:KmsKeyId</c> (an alias the stack keeps through a reset).</summary>
    public string KmsKeyId { get; private set; } = string.Empty;

    /// <summary>
    /// The local test key the app's KMS client signs with, as the stack's moto runs (any key works:
    /// on AWS it is the task role's, never a user's). Give it as <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>
    /// to an app process (the SDK's default credential chain), or to <see cref="KmsClient"/>.
    /// </summary>
    public static (string AccessKeyId, string SecretAccessKey) KmsTestKey => ("local", "local");

    /// <summary>The documented set-up key of the S3 front: full access, for fixtures and an operator's view of the bucket.</summary>
    public (string AccessKeyId, string SecretAccessKey) S3SetupKey { get; private set; }

    /// <summary>The template whose policies the S3 front enforces.</summary>
    public string S3PolicyTemplate { get; private set; } = string.Empty;

    public string Bucket { get; private set; } = string.Empty;

    public string IdentityPoolId { get; private set; } = string.Empty;

    public string Region { get; private set; } = string.Empty;

    /// <summary>Client ids by role (<c>public</c>, <c>confidential</c>, …) as the stack reports them.</summary>
    public IReadOnlyDictionary<string, string> Clients { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<LocalUser> Users { get; private set; } = [];

    /// <summary>The seeded user <c>alice</c> (group <c>editors</c>).</summary>
    public LocalUser Alice => User("alice");

    /// <summary>The seeded user <c>bob</c> (no group).</summary>
    public LocalUser Bob => User("bob");

    public const string PublicClientId = "cleancognito-local";
    public const string ConfidentialClientId = "cleancognito-confidential";
    public const string ConfidentialClientSecret = "local-client-secret";
    public const string ShortLivedClientId = "cleancognito-shortlived";

    public LocalUser User(string username) =>
        Users.FirstOrDefault(u => u.Username == username)
        ?? throw new InvalidOperationException($"The local stack has no user \"{username}\" (users: {string.Join(", ", Users.Select(u => u.Username))}).");

    /// <summary>The settings that encrypt the app's Data Protection key ring with the stack's KMS key.</summary>
    public Dictionary<string, string?> KmsSettings() => new()
    {
        ["DataProtection:KmsKeyId"] = KmsKeyId,
        ["DataProtection:KmsServiceUrl"] = Kms,
        ["DataProtection:Region"] = Region,
    };

    /// <summary>A KMS client on the stack's moto with the local test key: for an in-process app (replace the app's keyed client) and for asserting.</summary>
    public Amazon.KeyManagementService.AmazonKeyManagementServiceClient KmsClient() =>
        new(
            new Amazon.Runtime.BasicAWSCredentials(KmsTestKey.AccessKeyId, KmsTestKey.SecretAccessKey),
            new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig { ServiceURL = Kms, AuthenticationRegion = Region, Timeout = TimeSpan.FromSeconds(5) });

    /// <summary>The app's configuration for this stack, ready for <c>AddInMemoryCollection</c>.</summary>
    public Dictionary<string, string?> AppSettings(string clientId = PublicClientId)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cognito:Region"] = Region,
            ["Cognito:UserPoolId"] = UserPoolId,
            ["Cognito:ClientId"] = clientId,
            ["Cognito:Domain"] = Idp,
            ["Cognito:MetadataAddress"] = $"{Idp}/{UserPoolId}/.well-known/openid-configuration",
            ["AppSync:Endpoint"] = AppSync,
            ["IdentityPool:IdentityPoolId"] = IdentityPoolId,
            ["IdentityPool:AccountId"] = "000000000000",
            ["IdentityPool:ServiceUrl"] = Identity,
            ["Storage:BucketName"] = Bucket,
            ["Storage:Region"] = Region,
            ["Storage:ServiceUrl"] = S3,
            ["Notes:TableName"] = NotesTable,
            ["Notes:ServiceUrl"] = DynamoDb,
        };
        if (clientId == ConfidentialClientId)
        {
            settings["Cognito:ClientSecret"] = ConfidentialClientSecret;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        var root = _repositoryRoot ?? RepositoryRoot.Path;
        var stackDir = Path.Combine(root, "dev", "local-aws");
        var script = Path.Combine(stackDir, "stack.mjs");
        var node = ExecutableLookup.Find(_node)
            ?? throw new InvalidOperationException($"The local AWS stack needs Node.js 20+ on PATH (`{_node}` was not found). Install it, then run npm ci in dev/local-aws.");
        var motoServer = ExecutableLookup.Find(_motoServer)
            ?? throw new InvalidOperationException($"The local AWS stack needs `{_motoServer}` on PATH for S3: pip install \"moto[server]\" (or set LOCAL_AWS_MOTO_SERVER).");

        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing: the local AWS stand-in stack is not in this checkout.");
        }

        if (!Directory.Exists(Path.Combine(stackDir, "node_modules")))
        {
            throw new InvalidOperationException("dev/local-aws/node_modules is missing: run npm ci in dev/local-aws (./test.sh does it for you).");
        }

        _logDir = Directory.CreateTempSubdirectory("cleancognito-local-aws-").FullName;
        var ports = FreePort.Pick(5);
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.Environment["LOCAL_AWS_IDP_PORT"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOCAL_AWS_APPSYNC_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOCAL_AWS_APPSYNC_WS_PORT"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOCAL_AWS_IDENTITY_PORT"] = ports[3].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOCAL_AWS_S3_PORT"] = ports[4].ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LOCAL_AWS_LOG_DIR"] = _logDir;
        start.Environment["LOCAL_AWS_EXIT_WITH_PARENT"] = "1";
        start.Environment["LOCAL_AWS_MOTO_SERVER"] = motoServer;
        foreach (var (name, value) in _extraEnvironment)
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnStdout(e.Data);
        _process.ErrorDataReceived += (_, e) => OnStderr(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("The local AWS stack exited before it was ready."));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        string json;
        try
        {
            json = await _ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception ex)
        {
            var why = ex is TimeoutException ? $"did not print {ReadyPrefix.Trim()} within {StartTimeout.TotalSeconds:0} s" : ex.Message;
            var diagnostics = Diagnostics();
            await StopAsync();
            throw new InvalidOperationException($"The local AWS stack failed to start: {why}\n{diagnostics}", ex);
        }

        ReadReady(json);
    }

    /// <summary>Clears the state of the user pool, AppSync and the identity pool (codes, tokens, edits, identities).</summary>
    public async Task ResetAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var baseUrl in new[] { Idp, new Uri(new Uri(AppSync), "/").ToString().TrimEnd('/'), Identity, S3 })
        {
            using var response = await http.PostAsync(new Uri($"{baseUrl}/_local/reset"), content: null);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The S3 front stops answering (requests are held, as by a stalled S3) until <see cref="ResumeS3Async"/>.</summary>
    public Task PauseS3Async() => PostHookAsync($"{S3}/_local/pause");

    public Task ResumeS3Async() => PostHookAsync($"{S3}/_local/resume");

    /// <summary>The next <paramref name="count"/> identity-pool credentials expire after <paramref name="ttl"/> instead of an hour.</summary>
    public Task NextCredentialsExpireAfterAsync(TimeSpan ttl, int count = 1) =>
        PostHookAsync($"{Identity}/_local/next-credentials", $"{{\"ttlSeconds\":{(int)ttl.TotalSeconds},\"count\":{count}}}");

    private static async Task PostHookAsync(string url, string? json = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(url), content);
        response.EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => StopAsync();

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult(line[ReadyPrefix.Length..]);
        }
        else if (line.StartsWith(FailedPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetException(new InvalidOperationException($"it reported {line}"));
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > 40)
            {
                _stderrTail.Dequeue();
            }
        }
    }

    private void ReadReady(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidOperationException($"The local AWS stack's ready line has no \"{name}\": {json}");

        Idp = Text("idp").TrimEnd('/');
        UserPoolId = Text("userPoolId");
        Issuer = Text("issuer");
        AppSync = Text("appsync");
        Identity = Text("identity").TrimEnd('/');
        S3 = Text("s3").TrimEnd('/');
        Moto = Text("moto").TrimEnd('/');
        DynamoDb = Text("dynamodb").TrimEnd('/');
        NotesTable = Text("notesTable");
        Kms = Text("kms").TrimEnd('/');
        KmsKeyId = Text("kmsKeyId");
        S3PolicyTemplate = Text("s3PolicyTemplate");
        S3SetupKey = root.TryGetProperty("s3SetupKey", out var setupKey)
            ? (setupKey.GetProperty("accessKeyId").GetString()!, setupKey.GetProperty("secretAccessKey").GetString()!)
            : throw new InvalidOperationException($"The local AWS stack's ready line has no \"s3SetupKey\": {json}");
        Bucket = Text("bucket");
        IdentityPoolId = Text("identityPoolId");
        Region = Text("region");
        Clients = root.TryGetProperty("clients", out var clients) && clients.ValueKind == JsonValueKind.Object
            ? clients.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : new Dictionary<string, string>();
        Users = root.TryGetProperty("users", out var users) && users.ValueKind == JsonValueKind.Array
            ? users.EnumerateArray().Select(u => new LocalUser(u.GetProperty("username").GetString()!, u.GetProperty("password").GetString()!)).ToList()
            : [];
    }

    private string Diagnostics()
    {
        var text = new StringBuilder();
        lock (_stderrTail)
        {
            text.AppendLine("--- last lines of the stack's stderr ---");
            foreach (var line in _stderrTail)
            {
                text.AppendLine(line);
            }
        }

        if (Directory.Exists(_logDir))
        {
            foreach (var log in Directory.GetFiles(_logDir, "*.log"))
            {
                var lines = File.ReadAllLines(log);
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"--- last lines of {log} ---");
                foreach (var line in lines.TakeLast(15))
                {
                    text.AppendLine(line);
                }
            }
        }

        return text.ToString();
    }

    private async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        var children = ProcessTree.Descendants(process.Id);
        if (!process.HasExited)
        {
            // SIGTERM lets the stack stop moto_server itself; closing stdin is the fallback it also honours.
            _ = Kill(process.Id, Sigterm);
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        // Nothing of the stack may outlive the tests (a stray moto_server holds its port).
        await Eventually.WithinAsync(() => !children.Any(ProcessTree.IsAlive), TimeSpan.FromSeconds(5), every: TimeSpan.FromMilliseconds(100));

        foreach (var child in children.Where(ProcessTree.IsAlive))
        {
            _ = Kill(child, Sigkill);
        }

        process.Dispose();
    }

    private const int Sigterm = 15;
    private const int Sigkill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>A seeded user of the local user pool.</summary>
public sealed record LocalUser(string Username, string Password);

/// <summary>Reads the process tree from /proc (Linux), to make sure a stopped stack left nothing behind.</summary>
public static class ProcessTree
{
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var id))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[id] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.Count > 0)
        {
            var current = frontier.Dequeue();
            foreach (var (child, parent) in parents)
            {
                if (parent == current && !result.Contains(child))
                {
                    result.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }

        return result;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
