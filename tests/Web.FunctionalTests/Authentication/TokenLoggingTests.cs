using System.Net;
using System.Text.RegularExpressions;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CleanCognito.Web.FunctionalTests.Authentication;

/// <summary>Sign-in, refresh and sign-out with every category logging at Trace: no token, nor 40 characters of one, in any log.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed partial class TokenLoggingTests(LocalAwsStack stack)
{
    [Fact]
    public async Task No_token_appears_in_any_log_entry_at_trace_level()
    {
        using var app = LocalSignIn.App(stack, LocalAwsStack.ShortLivedClientId, new Dictionary<string, string?> { ["Cognito:ExpirationLeewaySeconds"] = "0" });
        app.LogEverything();
        using var client = app.CreateHttpsClient();
        var secrets = new List<string?>();

        var signIn = await AppSignIn.SignInAsync(client, stack.Alice.Username, stack.Alice.Password, "/Account/Profile");
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CleanCognito.RefreshToken");
        secrets.AddRange([signIn.Cookie("cognito_access_token"), signIn.Cookie("cognito_id_token"), signIn.Cookie("cognito_refresh_token"), protector.Unprotect(signIn.Cookie("cognito_refresh_token"))]);

        await Expiry.WaitPastAsync(signIn.Cookie("cognito_access_token"));
        using (var refreshed = await client.GetAsync(new Uri("/Account/Profile", UriKind.Relative)))
        {
            refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
            var renewed = new AppSignInResult(refreshed.Headers.GetValues("Set-Cookie").ToList(), string.Empty);
            secrets.AddRange([renewed.Cookie("cognito_access_token"), renewed.Cookie("cognito_id_token")]);
        }

        var html = await client.GetStringAsync(new Uri("/Account/Logout", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryField().Match(html).Groups[1].Value });
        using (var logout = await client.PostAsync(new Uri("/Account/Logout", UriKind.Relative), form))
        {
            logout.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        var entries = app.Logs.Entries;
        entries.Should().Contain(e => e.Level == LogLevel.Trace || e.Level == LogLevel.Debug, "the capture really ran at Trace");
        entries.Should().Contain(e => e.Message.Contains("Session refreshed", StringComparison.Ordinal), "the refresh was logged");
        foreach (var entry in entries)
        {
            var text = string.Join('\n', new[] { entry.Message, entry.Exception?.ToString() }.Concat(entry.Scope.Select(s => $"{s.Key}={s.Value}")));
            SecretLeaks.Find(text, secrets).Should().BeNull($"[{entry.Category}] must not log a token: {entry.Message}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
