using System.Net;
using CleanCognito.Application.Common.Credentials;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using CleanCognito.Web.FunctionalTests.Files;
using Microsoft.Extensions.DependencyInjection;

namespace CleanCognito.Web.FunctionalTests.Notes;

/// <summary>
/// The README's IDE case: the stand-ins restarted while the app kept running. A full restart also
/// gives the user pool a new signing key, so the user's cookies (signed by the old one) end the
/// session whatever the app does; what the issue is about is the other half — the identity stand-in
/// and the front forgetting every key they issued, while the app's cache still holds one for an
/// hour. That half is reproduced exactly: the running app's cache entry is replaced by keys the
/// front never issued (what it holds after the front forgot them), with the session untouched.
/// Before, /Files answered 503 until sign-out (~55 minutes); now the first request works.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class ForgottenKeysTests(LocalAwsStack stack)
{
    [Fact]
    public async Task After_the_front_forgot_the_cached_keys_Files_and_Notes_work_on_the_next_request_without_signing_out()
    {
        await using var app = await FilesAppFactory.ForAsync(stack, stack.Alice);
        using var alice = new NotesClient(app.CreateHttpsClient());
        (await alice.GetAsync("/Files")).Status.Should().Be(HttpStatusCode.OK);
        (await alice.GetAsync("/Notes")).Status.Should().Be(HttpStatusCode.OK);
        await ForgetKeysAsync(app);

        var files = await alice.GetAsync("/Files");
        await ForgetKeysAsync(app);
        var notes = await alice.GetAsync("/Notes");
        var home = await alice.GetAsync("/");

        files.Status.Should().Be(HttpStatusCode.OK, "the refused keys were replaced and the call made once more");
        notes.Status.Should().Be(HttpStatusCode.OK);
        home.Status.Should().Be(HttpStatusCode.OK);
        home.Html.Should().Contain("id=\"notes-count\"").And.Contain("id=\"files-count\"");
    }

    /// <summary>The app's cached set for alice becomes one the front does not know, valid (as the app sees it) for two more hours.</summary>
    private static async Task ForgetKeysAsync(FilesAppFactory app)
    {
        var store = app.Services.GetRequiredService<ICredentialStore>();
        var user = app.User!.Sub;
        var identityId = await store.GetIdentityIdAsync(user, CancellationToken.None)
            ?? throw new InvalidOperationException("The app has not cached alice's identity.");
        var forgotten = new IdentityCredentials(identityId, "ASIAFORGOTTENBYFRONT", "not-a-secret", "not-a-session", DateTimeOffset.UtcNow.AddHours(2));
        await store.SetCredentialsAsync(CachedCredentials.For(forgotten, DateTimeOffset.UtcNow, CredentialCachePolicy.Default.RefreshMargin), CancellationToken.None);
    }
}
