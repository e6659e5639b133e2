using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.TestSupport.Web;

/// <summary>Who the test scheme signs in; null means signed out (challenge answers 401).</summary>
public sealed class TestUserOptions : AuthenticationSchemeOptions
{
    public TestUser? User { get; set; }
}

/// <summary>A signed-in user for tests that do not exercise the real sign-in.</summary>
public sealed record TestUser(string Sub, string Username, string Email, params string[] Groups)
{
    public static TestUser Alice { get; } = new("00000000-0000-4000-8000-0000000a11ce", "alice", "alice@example.com", "editors");

    public static TestUser Bob { get; } = new("00000000-0000-4000-8000-000000000b0b", "bob", "bob@example.com");
}

/// <summary>
/// Authenticates every request as <see cref="TestUserOptions.User"/> with Cognito's claim names, so
/// functional and browser tests can reach pages that need a signed-in user without the hosted UI.
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<TestUserOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<TestUserOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Options.User is not { } user)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim>
        {
            new("sub", user.Sub),
            new(ClaimTypes.NameIdentifier, user.Sub),
            new("cognito:username", user.Username),
            new("username", user.Username),
            new(ClaimTypes.Name, user.Username),
            new("email", user.Email),
        };
        claims.AddRange(user.Groups.Select(g => new Claim("cognito:groups", g)));
        var identity = new ClaimsIdentity(claims, SchemeName, "cognito:username", "cognito:groups");
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
