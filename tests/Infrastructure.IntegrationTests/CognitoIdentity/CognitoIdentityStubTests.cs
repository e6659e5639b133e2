using System.Text.Json;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CleanCognito.Infrastructure.IntegrationTests.CognitoIdentity;

/// <summary>The exchange's wire format and error mapping, against a stub that answers like Cognito Identity.</summary>
public sealed class CognitoIdentityStubTests : IDisposable
{
    private const string GetIdTarget = "AWSCognitoIdentityService.GetId";
    private const string CredentialsTarget = "AWSCognitoIdentityService.GetCredentialsForIdentity";
    private const string IdentityId = "us-east-1:6f1d8a52-3c4b-4e7a-9b0d-2f5c6e8a1b3d";

    private static readonly UserTokens Tokens = new(
        "access", "the-id-token", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_CcTest001", "sub-1",
        DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);

    private readonly WireMockServer _stub = WireMockServer.Start();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly IHost _host;

    public CognitoIdentityStubTests()
    {
        var settings = CleanCognitoAppFactory.UnreachableUpstreams();
        settings["IdentityPool:ServiceUrl"] = _stub.Urls[0];
        settings["IdentityPool:MaxRetries"] = "2";
        _host = InfrastructureHost.Build(settings, _logs);
    }

    private ICredentialExchange Exchange => _host.Services.GetRequiredService<ICredentialExchange>();

    public void Dispose()
    {
        _host.Dispose();
        _stub.Stop();
        _stub.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task GetId_is_an_unsigned_json_1_1_call_with_the_issuer_as_logins_key_and_the_account()
    {
        Answer(GetIdTarget, 200, $$"""{"IdentityId":"{{IdentityId}}"}""");

        (await Exchange.GetIdentityIdAsync(Tokens, CancellationToken.None)).Should().Be(IdentityId);

        var request = _stub.LogEntries.Should().ContainSingle().Which.RequestMessage!;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/");
        request.Headers!["X-Amz-Target"].Should().Equal(GetIdTarget);
        request.Headers["Content-Type"].Single().Should().StartWith("application/x-amz-json-1.1");
        request.Headers.Keys.Should().NotContain(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("IdentityPoolId").GetString().Should().Be("us-east-1:00000000-0000-4000-8000-00000000c0de");
        body.RootElement.GetProperty("AccountId").GetString().Should().Be("000000000000");
        body.RootElement.GetProperty("Logins").GetProperty("cognito-idp.us-east-1.amazonaws.com/us-east-1_CcTest001").GetString().Should().Be("the-id-token");
    }

    [Fact]
    public async Task GetCredentialsForIdentity_reads_SecretKey_and_a_fractional_epoch_Expiration()
    {
        Answer(CredentialsTarget, 200, $$$"""
            {"IdentityId":"{{{IdentityId}}}","Credentials":{"AccessKeyId":"ASIAEXAMPLE","SecretKey":"secret","SessionToken":"session","Expiration":1.7641548005E9}}
            """);

        var credentials = await Exchange.GetCredentialsAsync(IdentityId, Tokens, CancellationToken.None);

        credentials.Should().Be(new IdentityCredentials(IdentityId, "ASIAEXAMPLE", "secret", "session", DateTimeOffset.FromUnixTimeMilliseconds(1_764_154_800_500)));
        var request = _stub.LogEntries.Should().ContainSingle().Which.RequestMessage!;
        request.Headers!["X-Amz-Target"].Should().Equal(CredentialsTarget);
        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("IdentityId").GetString().Should().Be(IdentityId);
        body.RootElement.GetProperty("Logins").EnumerateObject().Should().ContainSingle();
    }

    [Theory]
    [InlineData("NotAuthorizedException")]
    [InlineData("com.amazonaws.cognito.identity.model#NotAuthorizedException")]
    public async Task NotAuthorized_means_sign_in_again(string type)
    {
        Answer(GetIdTarget, 400, $$"""{"__type":"{{type}}","message":"Invalid login token."}""");

        var act = () => Exchange.GetIdentityIdAsync(Tokens, CancellationToken.None);

        await act.Should().ThrowAsync<SignInRequiredException>();
        _stub.LogEntries.Should().ContainSingle("a refused token is not retried");
    }

    [Fact]
    public async Task NotAuthorized_is_also_read_from_the_error_type_header()
    {
        _stub.Given(Request.Create().UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400)
                .WithHeader("x-amzn-errortype", "NotAuthorizedException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.model/")
                .WithBody("{}"));

        var act = () => Exchange.GetCredentialsAsync(IdentityId, Tokens, CancellationToken.None);

        await act.Should().ThrowAsync<SignInRequiredException>();
    }

    [Theory]
    [InlineData(400, "ResourceNotFoundException")]
    [InlineData(400, "InvalidParameterException")]
    [InlineData(400, "LimitExceededException")]
    [InlineData(400, "InvalidIdentityPoolConfigurationException")]
    [InlineData(400, "ExternalServiceException")]
    [InlineData(400, "com.amazonaws.cognito.identity.model#ResourceConflictException")]
    [InlineData(500, "InternalErrorException")]
    public async Task Other_errors_are_503_with_the_type_in_the_message_and_no_Warning_of_their_own(int status, string type)
    {
        Answer(GetIdTarget, status, $$"""{"__type":"{{type}}","message":"detail"}""");

        var act = () => Exchange.GetIdentityIdAsync(Tokens, CancellationToken.None);

        var thrown = await act.Should().ThrowAsync<UpstreamUnavailableException>();
        var shortType = type[(type.LastIndexOf('#') + 1)..];
        // The type reaches the log in the exception's message, which the Web layer's one Warning of the
        // outage prints (UpstreamOutage); the adapter adds no Warning of its own (it made two per call).
        thrown.Which.Message.Should().Contain(shortType);
        _logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
        _logs.Entries.Should().NotContain(e => e.Message.Contains("the-id-token", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(429)]
    public async Task Throttling_is_retried_and_then_reported_as_503(int status)
    {
        Answer(GetIdTarget, status, """{"__type":"TooManyRequestsException","message":"Rate exceeded"}""");

        var act = () => Exchange.GetIdentityIdAsync(Tokens, CancellationToken.None);

        (await act.Should().ThrowAsync<UpstreamUnavailableException>()).Which.Message.Should().Contain("throttling");
        _stub.LogEntries.Should().HaveCount(3, "the first try and MaxRetries = 2 retries");
    }

    [Fact]
    public async Task A_throttled_call_that_succeeds_on_retry_returns_the_answer()
    {
        _stub.Given(Request.Create().UsingPost()).InScenario("throttle").WillSetStateTo("calm")
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"__type":"TooManyRequestsException"}"""));
        _stub.Given(Request.Create().UsingPost()).InScenario("throttle").WhenStateIs("calm")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"IdentityId":"{{IdentityId}}"}"""));

        (await Exchange.GetIdentityIdAsync(Tokens, CancellationToken.None)).Should().Be(IdentityId);
        _stub.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_unreadable_answer_is_503()
    {
        Answer(CredentialsTarget, 200, """{"IdentityId":"x","Credentials":{"AccessKeyId":"A"}}""");

        var act = () => Exchange.GetCredentialsAsync(IdentityId, Tokens, CancellationToken.None);

        await act.Should().ThrowAsync<UpstreamUnavailableException>();
    }

    private void Answer(string target, int status, string body) =>
        _stub.Given(Request.Create().WithPath("/").UsingPost().WithHeader("X-Amz-Target", target))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/x-amz-json-1.1").WithBody(body));
}
