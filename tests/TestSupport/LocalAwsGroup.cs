namespace CleanCognito.TestSupport;

/// <summary>
/// The one name of the xunit collection whose tests share a <see cref="LocalAwsStack"/> (and run one at a
/// time). xunit needs the definition inside each test assembly; every assembly defines it with this name.
/// </summary>
public static class LocalAwsGroup
{
    public const string Name = "LocalAws";
}
