using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CleanCognito.Infrastructure.IntegrationTests.CognitoIdentity;

/// <summary>The exchange against the local identity pool stand-in, with real tokens from its hosted UI.</summary>
[Collection(LocalAwsGroup.Name)]
public sealed class CognitoIdentityStandInTests(LocalAwsStack stack) : IDisposable
{
    private readonly IHost _host = InfrastructureHost.Build(stack.AppSettings());

    private ICredentialExchange Exchange => _host.Services.GetRequiredService<ICredentialExchange>();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_user_gets_the_same_IdentityId_every_time_and_credentials_for_it()
    {
        var alice = await SignInAsync(stack.Alice);

        var first = await Exchange.GetIdentityIdAsync(alice, CancellationToken.None);
        var second = await Exchange.GetIdentityIdAsync(await SignInAsync(stack.Alice), CancellationToken.None);
        var bobs = await Exchange.GetIdentityIdAsync(await SignInAsync(stack.Bob), CancellationToken.None);
        var credentials = await Exchange.GetCredentialsAsync(first, alice, CancellationToken.None);

        second.Should().Be(first);
        bobs.Should().NotBe(first);
        credentials.IdentityId.Should().Be(first);
        credentials.AccessKeyId.Should().StartWith("ASIA");
        credentials.Expiration.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task A_tampered_ID_token_is_refused_with_sign_in_required()
    {
        var alice = await SignInAsync(stack.Alice);
        var parts = alice.IdToken.Split('.');
        var forged = alice with { IdToken = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}" };

        var act = () => Exchange.GetIdentityIdAsync(forged, CancellationToken.None);

        await act.Should().ThrowAsync<SignInRequiredException>();
    }

    [Fact]
    public async Task Credentials_for_another_users_identity_are_refused()
    {
        var alice = await SignInAsync(stack.Alice);
        var bobsIdentity = await Exchange.GetIdentityIdAsync(await SignInAsync(stack.Bob), CancellationToken.None);

        var act = () => Exchange.GetCredentialsAsync(bobsIdentity, alice, CancellationToken.None);

        await act.Should().ThrowAsync<SignInRequiredException>();
    }

    internal static async Task<UserTokens> SignInAsync(LocalAwsStack stack, LocalUser user)
    {
        using var client = HostedUiClient.For(stack);
        var tokens = await client.SignInAsync(user.Username, user.Password);
        var sub = System.Text.Json.JsonDocument.Parse(Base64UrlDecode(tokens.IdToken.Split('.')[1])).RootElement.GetProperty("sub").GetString()!;
        return new UserTokens(tokens.AccessToken, tokens.IdToken, stack.Issuer, sub, DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresIn), DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresIn));
    }

    private Task<UserTokens> SignInAsync(LocalUser user) => SignInAsync(stack, user);

    private static byte[] Base64UrlDecode(string value) =>
        Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/').PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));
}
