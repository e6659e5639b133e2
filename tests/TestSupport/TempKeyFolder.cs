namespace CleanCognito.TestSupport;

/// <summary>A fresh key folder per test, deleted afterwards.</summary>
public sealed class TempKeyFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cleancognito-keys-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
