using System.Security.Cryptography;

namespace CleanCognito.Upload.Benchmark;

/// <summary>A file of random bytes on disk (what a user picks) and its SHA-256.</summary>
internal sealed record TestFile(string Path, long Size, byte[] Sha256)
{
    public string Name => System.IO.Path.GetFileName(Path);

    public static async Task<TestFile> CreateAsync(string folder, string name, long size, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(folder, name);
        var buffer = new byte[4 * 1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
        {
            for (long written = 0; written < size;)
            {
                var n = (int)Math.Min(buffer.Length, size - written);
                RandomNumberGenerator.Fill(buffer.AsSpan(0, n));
                hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
                written += n;
            }
        }

        return new TestFile(path, size, hash.GetHashAndReset());
    }
}
