namespace CleanCognito.Infrastructure.IntegrationTests;

/// <summary>
/// The name of this assembly's one local AWS stack collection (defined by
/// <see cref="LocalAws.LocalAwsDefinition"/>), so tests written against either name share one stack.
/// </summary>
public static class LocalAwsStackGroup
{
    public const string Name = "LocalAws";
}
