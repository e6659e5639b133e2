using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Application.UnitTests.Fakes;

internal sealed class FakeCurrentUser(string username, params string[] groups) : ICurrentUser
{
    public static FakeCurrentUser Alice => new("alice", "editors");

    public static FakeCurrentUser Bob => new("bob");

    public bool IsSignedIn => true;

    public string? UserId => $"sub-{username}";

    public string? Username => username;

    public string? Email => $"{username}@example.com";

    public IReadOnlyCollection<string> Groups => groups;
}
