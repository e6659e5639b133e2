namespace CleanCognito.Deploy.Tests;

/// <summary>Files of the checkout the tests run in, found from the test assembly upwards.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Template => Path.Combine(Deploy, "cleancognito.yaml");

    public static string CheckScript => Path.Combine(Deploy, "check.sh");

    public static string Schema => Path.Combine(Deploy, "appsync", "schema.graphql");

    public static string LocalStandIn => Path.Combine(Root, "dev", "local-aws");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CleanCognito.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CleanCognito.sln not found above {AppContext.BaseDirectory}");
    }
}
