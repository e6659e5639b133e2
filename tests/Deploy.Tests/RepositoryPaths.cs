using CleanCognito.TestSupport;

namespace CleanCognito.Deploy.Tests;

/// <summary>The deployment files of the checkout the tests run in.</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string Template => Path.Combine(Deploy, "cleancognito.yaml");

    public static string CheckScript => Path.Combine(Deploy, "check.sh");

    public static string Schema => Path.Combine(Deploy, "appsync", "schema.graphql");

    public static string Resolvers => Path.Combine(Deploy, "appsync", "resolvers");

    public static string LocalStandIn => Path.Combine(Root, "dev", "local-aws");
}
