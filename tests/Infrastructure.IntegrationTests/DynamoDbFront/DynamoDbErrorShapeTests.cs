using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using CleanCognito.Infrastructure.IntegrationTests.S3Front;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>
/// The front answers in DynamoDB's own error shapes (HTTP 400, <c>{"__type": "…#Type", "message": …}</c>),
/// so the AWS SDK for .NET raises the exceptions it raises against AWS: the app's error mapping
/// (AccessDenied → 403, refused keys → one fresh exchange) is tested against what it will meet.
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class DynamoDbErrorShapeTests(LocalAwsStack stack)
{
    [Fact]
    public async Task A_policy_refusal_is_an_AccessDeniedException_naming_the_action_and_table()
    {
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);

        var refused = await DynamoDbIsolationTests.CatchAsync(() => alice.Db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey("us-east-1:00000000-0000-0000-0000-000000000000", "x") }));

        refused.ErrorCode.Should().Be("AccessDeniedException");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.Message.Should().Contain($"dynamodb:GetItem on resource: arn:aws:dynamodb:{stack.Region}:000000000000:table/{stack.NotesTable}");
        refused.RequestId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task An_access_key_nobody_issued_is_an_UnrecognizedClientException()
    {
        using var db = stack.DynamoDbClientWith(new SessionAWSCredentials("ASIALOCALNOBODY00001", "not-a-secret", "not-a-token"));

        var refused = await DynamoDbIsolationTests.CatchAsync(() => db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey("x", "y") }));

        refused.ErrorCode.Should().Be("UnrecognizedClientException");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.Message.Should().Be("The security token included in the request is invalid.");
    }

    [Fact]
    public async Task A_wrong_secret_is_an_InvalidSignatureException()
    {
        using var storage = await StorageUser.SignInAsync(stack, stack.Alice);
        var credentials = storage.Credentials;
        using var db = stack.DynamoDbClientWith(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretKey + "x", credentials.SessionToken));

        var refused = await DynamoDbIsolationTests.CatchAsync(() => db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey(storage.IdentityId, "y") }));

        refused.ErrorCode.Should().Be("InvalidSignatureException");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Credentials_past_their_expiry_are_an_ExpiredTokenException()
    {
        await stack.NextCredentialsExpireAfterAsync(TimeSpan.FromSeconds(1));
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var refused = await DynamoDbIsolationTests.CatchAsync(() => alice.Db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = alice.Key("y") }));

        refused.ErrorCode.Should().Be("ExpiredTokenException");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unsigned_request_is_a_MissingAuthenticationTokenException()
    {
        using var db = stack.DynamoDbClientWith(new AnonymousAWSCredentials());

        var refused = await DynamoDbIsolationTests.CatchAsync(() => db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey("x", "y") }));

        refused.ErrorCode.Should().Be("MissingAuthenticationTokenException");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_fail_next_hook_throttles_as_DynamoDB_does_for_the_app_s_throttling_path()
    {
        // moto never throttles; the front's hook answers the next matching call as DynamoDB would.
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);
        using var http = new HttpClient();
        using var hook = new StringContent("{\"target\":\"DynamoDB_20120810.GetItem\"}", System.Text.Encoding.UTF8, "application/json");
        (await http.PostAsync(new Uri($"{stack.DynamoDb}/_local/fail-next"), hook)).EnsureSuccessStatusCode();
        var request = new GetItemRequest { TableName = stack.NotesTable, Key = alice.Key("throttled") };

        var throttled = () => alice.Db.GetItemAsync(request);

        (await throttled.Should().ThrowAsync<ProvisionedThroughputExceededException>()).Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await alice.Db.GetItemAsync(request)).HttpStatusCode.Should().Be(HttpStatusCode.OK, "the hook fails one call only");
    }

    [Fact]
    public async Task The_account_owner_meets_moto_s_own_typed_exceptions_through_the_front()
    {
        // Past the front, DynamoDB's model errors are moto's, and the SDK maps them to its classes.
        using var owner = stack.DynamoDbSetupClient();

        var act = () => owner.GetItemAsync(new GetItemRequest { TableName = "no-such-table", Key = NotesUser.NoteKey("x", "y") });

        await act.Should().ThrowAsync<ResourceNotFoundException>();
    }
}
