using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.LocalAws;

/// <summary>
/// The stand-in stack is coherent without the web app: a user signs in on the hosted UI (form, code,
/// PKCE), calls AppSync with the access token, exchanges the ID token at the identity pool for AWS
/// credentials and lists the bucket with them — the same wire protocols the app uses against AWS.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class StandInProtocolTests(LocalAwsStack stack)
{
    private const string GetMyObject = "query GetMyObject($id: ID!) { getMyObject(id: $id) { id name date } }";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task Sign_in_call_AppSync_exchange_the_ID_token_and_list_the_bucket()
    {
        using var hostedUi = HostedUiClient.For(stack);
        var tokens = await hostedUi.SignInAsync(stack.Alice.Username, stack.Alice.Password);

        // AppSync takes the raw access token (no Bearer) and a JSON body.
        using var appsync = await PostGraphQlAsync(tokens.AccessToken);
        var answer = await appsync.Content.ReadAsStringAsync();
        appsync.StatusCode.Should().Be(HttpStatusCode.OK, answer);
        using (var body = JsonDocument.Parse(answer))
        {
            body.RootElement.GetProperty("data").GetProperty("getMyObject").GetProperty("id").GetString().Should().Be("1234567890abcdef");
        }

        // The identity pool: GetId twice gives the same IdentityId (AWS keeps one per user).
        var logins = new Dictionary<string, string> { [stack.Issuer.Replace("https://", string.Empty, StringComparison.Ordinal)] = tokens.IdToken };
        var first = await IdentityAsync("GetId", new { IdentityPoolId = stack.IdentityPoolId, AccountId = "000000000000", Logins = logins });
        var second = await IdentityAsync("GetId", new { IdentityPoolId = stack.IdentityPoolId, AccountId = "000000000000", Logins = logins });
        var identityId = first.GetProperty("IdentityId").GetString();
        identityId.Should().StartWith($"{stack.Region}:");
        second.GetProperty("IdentityId").GetString().Should().Be(identityId);

        var credentials = (await IdentityAsync("GetCredentialsForIdentity", new { IdentityId = identityId, Logins = logins })).GetProperty("Credentials");

        // S3 through the AWS SDK with those credentials.
        using var s3 = new AmazonS3Client(
            new SessionAWSCredentials(
                credentials.GetProperty("AccessKeyId").GetString(),
                credentials.GetProperty("SecretKey").GetString(),
                credentials.GetProperty("SessionToken").GetString()),
            new AmazonS3Config { ServiceURL = stack.S3, ForcePathStyle = true, AuthenticationRegion = stack.Region });
        // The role's policy lets a user list only inside private/<identity id>/ (S3IsolationTests has the refusals).
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = $"private/{identityId}/" });
        listing.HttpStatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AppSync_refuses_a_request_without_a_token_with_401()
    {
        using var response = await PostGraphQlAsync(accessToken: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_hosted_UI_refuses_a_wrong_password_on_the_form()
    {
        using var hostedUi = HostedUiClient.For(stack);

        var act = () => hostedUi.GetCodeAsync(AuthorizeRequest.Create(), stack.Bob.Username, "wrong-password");

        (await act.Should().ThrowAsync<SignInRefusedException>()).Which.FormError.Should().Be("Incorrect username or password.");
    }

    [Fact]
    public async Task A_confidential_client_signs_in_with_Basic_auth_refreshes_and_revokes()
    {
        using var hostedUi = HostedUiClient.For(stack, LocalAwsStack.ConfidentialClientId);
        var tokens = await hostedUi.SignInAsync(stack.Bob.Username, stack.Bob.Password);
        tokens.RefreshToken.Should().NotBeNullOrEmpty();
        tokens.ExpiresIn.Should().BePositive();

        var refreshed = await hostedUi.RefreshAsync(tokens.RefreshToken!);
        refreshed.AccessToken.Should().NotBe(tokens.AccessToken);

        await hostedUi.RevokeAsync(tokens.RefreshToken!);
        var act = () => hostedUi.RefreshAsync(tokens.RefreshToken!);
        (await act.Should().ThrowAsync<TokenEndpointException>()).Which.Body.Should().Contain("invalid_grant");
    }

    [Fact]
    public async Task The_stack_reports_its_users_and_clients_and_can_be_reset()
    {
        stack.Users.Select(u => u.Username).Should().Contain(["alice", "bob"]);
        stack.Clients.Values.Should().Contain([LocalAwsStack.PublicClientId, LocalAwsStack.ConfidentialClientId, LocalAwsStack.ShortLivedClientId]);
        stack.AppSettings()["Cognito:MetadataAddress"].Should().Be($"{stack.Idp}/{stack.UserPoolId}/.well-known/openid-configuration");
        stack.AppSettings(LocalAwsStack.ConfidentialClientId)["Cognito:ClientSecret"].Should().Be(LocalAwsStack.ConfidentialClientSecret);

        await stack.ResetAsync();

        using var discovery = await Http.GetAsync(new Uri(stack.AppSettings()["Cognito:MetadataAddress"]!));
        discovery.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> PostGraphQlAsync(string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.AppSync))
        {
            Content = JsonContent.Create(new { query = GetMyObject, variables = new { id = "1234567890abcdef" }, operationName = "GetMyObject" }),
        };
        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", accessToken);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>One Cognito Identity call over JSON 1.1, as the AWS SDKs make it.</summary>
    private async Task<JsonElement> IdentityAsync(string operation, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{stack.Identity}/"))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", $"AWSCognitoIdentityService.{operation}");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"{operation} answered {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
