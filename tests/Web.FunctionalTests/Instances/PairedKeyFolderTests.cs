using System.Security.Cryptography;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.FunctionalTests.Instances;

/// <summary>
/// Two instances behind a load balancer: what one encrypts with Data Protection (the refresh-token
/// cookie, antiforgery tokens) the other must read, as long as both use the same key folder.
/// </summary>
public sealed class PairedKeyFolderTests
{
    /// <summary>The purpose the sign-in code encrypts the <c>cognito_refresh_token</c> cookie with.</summary>
    private const string RefreshTokenPurpose = "CleanCognito.RefreshToken";

    [Fact]
    public void A_refresh_token_protected_on_one_instance_is_read_on_another_sharing_the_key_folder()
    {
        using var keys = new TempKeyFolder();
        using var first = new ProductionAppFactory(keys.Path);
        using var second = new ProductionAppFactory(keys.Path);

        var cookieValue = Protector(first).Protect("refresh-token-from-cognito");

        Protector(second).Unprotect(cookieValue).Should().Be("refresh-token-from-cognito");
        Directory.GetFiles(keys.Path, "key-*.xml").Should().ContainSingle("both instances use the one key the first created");
    }

    [Fact]
    public void An_instance_with_its_own_key_folder_rejects_the_other_instances_cookie()
    {
        using var keysA = new TempKeyFolder();
        using var keysB = new TempKeyFolder();
        using var first = new ProductionAppFactory(keysA.Path);
        using var second = new ProductionAppFactory(keysB.Path);

        var cookieValue = Protector(first).Protect("refresh-token-from-cognito");

        FluentActions.Invoking(() => Protector(second).Unprotect(cookieValue)).Should().Throw<CryptographicException>();
    }

    [Fact]
    public async Task An_antiforgery_token_issued_by_one_instance_is_accepted_by_another()
    {
        using var keys = new TempKeyFolder();
        using var first = new ProductionAppFactory(keys.Path);
        using var second = new ProductionAppFactory(keys.Path);

        using var issuing = first.Services.CreateScope();
        var tokens = issuing.ServiceProvider.GetRequiredService<IAntiforgery>()
            .GetAndStoreTokens(new DefaultHttpContext { RequestServices = issuing.ServiceProvider });
        var cookieName = issuing.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;

        using var validating = second.Services.CreateScope();
        var post = new DefaultHttpContext { RequestServices = validating.ServiceProvider };
        post.Request.Method = HttpMethods.Post;
        post.Request.Headers.Cookie = $"{cookieName}={tokens.CookieToken}";
        post.Request.Headers[tokens.HeaderName!] = tokens.RequestToken;

        (await validating.ServiceProvider.GetRequiredService<IAntiforgery>().IsRequestValidAsync(post)).Should().BeTrue();
    }

    [Fact]
    public void Outside_Local_a_missing_key_folder_is_logged_as_a_warning()
    {
        using var app = new ProductionAppFactory(keysPath: null);
        _ = app.Services;

        app.Logs.Entries.Should().Contain(l => l.Level == LogLevel.Warning
            && l.Message.Contains("DataProtection:KeysPath", StringComparison.Ordinal)
            && l.Message.Contains("DataProtection__KeysPath", StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_key_folder_there_is_no_warning_about_it()
    {
        using var keys = new TempKeyFolder();
        using var app = new ProductionAppFactory(keys.Path);
        _ = app.Services;

        app.Logs.Entries.Should().NotContain(l => l.Message.Contains("DataProtection:KeysPath", StringComparison.Ordinal));
    }

    private static IDataProtector Protector(ProductionAppFactory app) =>
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(RefreshTokenPurpose);
}
