using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>
/// A copy of deploy/cleancognito.yaml with text edits, made from the real file at run time (never
/// kept by hand), and a private stack whose front enforces it. Each edit must apply to the current
/// template, or the variant would silently test the original.
/// </summary>
internal sealed class TemplateVariant : IAsyncDisposable
{
    private readonly string _directory;

    private TemplateVariant(string directory, LocalAwsStack stack)
    {
        _directory = directory;
        Stack = stack;
    }

    public LocalAwsStack Stack { get; }

    public string TemplatePath => Path.Combine(_directory, "cleancognito.yaml");

    public static async Task<TemplateVariant> StartAsync(params (string Original, string Replacement)[] edits)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "cleancognito.yaml"));
        foreach (var (original, replacement) in edits)
        {
            text.Should().Contain(original, "the edit must change the real statement");
            text = text.Replace(original, replacement, StringComparison.Ordinal);
        }

        var directory = Directory.CreateTempSubdirectory("cleancognito-variant-").FullName;
        var path = Path.Combine(directory, "cleancognito.yaml");
        await File.WriteAllTextAsync(path, text);
        var stack = LocalAwsStack.WithS3PolicyTemplate(path);
        try
        {
            await stack.InitializeAsync();
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        return new TemplateVariant(directory, stack);
    }

    public async ValueTask DisposeAsync()
    {
        await Stack.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
