using System.Text.Json;
using CleanCognito.TestSupport;

namespace CleanCognito.Upload.Benchmark;

/// <summary>The stand-ins' addresses as <c>./run.sh</c> runs them: src/Web/appsettings.Local.json, read, not copied.</summary>
internal sealed record LocalSettings(Uri IdentityService, string IdentityPoolId, string AccountId, Uri S3Service, string Bucket, string Region)
{
    public static LocalSettings Read()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Web", "appsettings.Local.json")));
        var pool = json.RootElement.GetProperty("IdentityPool");
        var storage = json.RootElement.GetProperty("Storage");
        return new LocalSettings(
            new Uri(pool.GetProperty("ServiceUrl").GetString()!),
            pool.GetProperty(nameof(IdentityPoolId)).GetString()!,
            pool.GetProperty(nameof(AccountId)).GetString()!,
            new Uri(storage.GetProperty("ServiceUrl").GetString()!),
            storage.GetProperty("BucketName").GetString()!,
            storage.GetProperty(nameof(Region)).GetString()!);
    }
}
