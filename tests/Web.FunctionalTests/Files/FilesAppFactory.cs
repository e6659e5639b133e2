using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CleanCognito.Web.FunctionalTests.Files;

/// <summary>
/// The app against the local stand-ins, signed in (test scheme) as one user whose real tokens,
/// from the stand-in's hosted UI, go to the identity pool: so S3 sees that user's own identity.
/// </summary>
internal sealed class FilesAppFactory : CleanCognitoAppFactory
{
    private FilesAppFactory(LocalAwsStack stack, UserTokens tokens, TestUser user, IReadOnlyDictionary<string, string?>? overrides)
    {
        WithSettings(stack.AppSettings());
        if (overrides is not null)
        {
            WithSettings(overrides);
        }

        User = user;
        ConfigureTestServices(services => services.Replace(ServiceDescriptor.Scoped<ICurrentUserTokens>(_ => new FixedUserTokens(tokens))));
    }

    public static async Task<FilesAppFactory> ForAsync(LocalAwsStack stack, LocalUser user, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        using var hostedUi = HostedUiClient.For(stack);
        var tokens = await hostedUi.SignInAsync(user.Username, user.Password);
        var sub = SubOf(tokens.IdToken);
        var expires = DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresIn);
        var testUser = user.Username == "alice" ? TestUser.Alice with { Sub = sub } : TestUser.Bob with { Sub = sub };
        return new FilesAppFactory(stack, new UserTokens(tokens.AccessToken, tokens.IdToken, stack.Issuer, sub, expires, expires), testUser, overrides);
    }

    private static string SubOf(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.GetProperty("sub").GetString()!;
    }

    private sealed class FixedUserTokens(UserTokens tokens) : ICurrentUserTokens
    {
        public UserTokens GetTokens() => tokens;

        public ValueTask<UserTokens?> RefreshAsync(CancellationToken cancellationToken) => ValueTask.FromResult<UserTokens?>(null);

        public string? GetRefreshToken() => null;
    }
}
