using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.AppSync;

/// <summary>
/// A throw-away checkout holding what the local stand-in reads (dev/local-aws, with its node_modules
/// linked, and deploy/), copied from this one with edits to deploy/ files: a second stack started on
/// it runs the edited schema or resolvers through the same simulator. Edits are made here from the
/// real files, never kept by hand, so they always apply to what ships.
/// </summary>
internal sealed class EditedCheckout : IDisposable
{
    private EditedCheckout(string root) => Root = root;

    public string Root { get; }

    /// <summary>Copies the stand-in and deploy/ and applies <paramref name="edits"/> (path under deploy/ → new text from old).</summary>
    public static EditedCheckout Create(IReadOnlyDictionary<string, Func<string, string>> edits)
    {
        var root = Directory.CreateTempSubdirectory("cleancognito-edited-").FullName;
        var checkout = new EditedCheckout(root);
        try
        {
            var standIn = Path.Combine(RepositoryRoot.Path, "dev", "local-aws");
            CopyTree(standIn, Path.Combine(root, "dev", "local-aws"), skip: "node_modules");
            Directory.CreateSymbolicLink(Path.Combine(root, "dev", "local-aws", "node_modules"), Path.Combine(standIn, "node_modules"));
            CopyTree(Path.Combine(RepositoryRoot.Path, "deploy"), Path.Combine(root, "deploy"), skip: null);

            foreach (var (relative, edit) in edits)
            {
                var file = Path.Combine(root, "deploy", relative);
                var before = File.ReadAllText(file);
                var after = edit(before);
                after.Should().NotBe(before, "the edit of deploy/{0} must change the file as shipped", relative);
                File.WriteAllText(file, after);
            }

            return checkout;
        }
        catch
        {
            checkout.Dispose();
            throw;
        }
    }

    public string ReadDeployFile(string relative) => File.ReadAllText(Path.Combine(Root, "deploy", relative));

    public void Dispose()
    {
        // The link first, so deleting the copy never follows it into the real node_modules.
        var link = new DirectoryInfo(Path.Combine(Root, "dev", "local-aws", "node_modules"));
        if (link.Exists && link.LinkTarget is not null)
        {
            link.Delete();
        }

        Directory.Delete(Root, recursive: true);
    }

    private static void CopyTree(string from, string to, string? skip)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from).Where(d => Path.GetFileName(d) != skip))
        {
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)), skip: null);
        }
    }
}
