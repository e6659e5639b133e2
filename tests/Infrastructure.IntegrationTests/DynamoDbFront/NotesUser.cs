using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using CleanCognito.Infrastructure.IntegrationTests.S3Front;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>
/// A user as DynamoDB sees them, without the app: signed in on the hosted UI, the real identity-pool
/// exchange (<see cref="StorageUser.SignInAsync"/>), then an AWS SDK DynamoDB client with those keys.
/// </summary>
internal sealed record NotesUser(string IdentityId, AmazonDynamoDBClient Db) : IDisposable
{
    public static async Task<NotesUser> SignInAsync(LocalAwsStack stack, LocalUser user)
    {
        using var storage = await StorageUser.SignInAsync(stack, user);
        var credentials = storage.Credentials;
        return new NotesUser(storage.IdentityId, stack.DynamoDbClientWith(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken)));
    }

    /// <summary>The key of one of this user's notes.</summary>
    public Dictionary<string, AttributeValue> Key(string noteId) => NoteKey(IdentityId, noteId);

    public Dictionary<string, AttributeValue> Note(string noteId, string text) => new(NoteKey(IdentityId, noteId))
    {
        ["text"] = new AttributeValue { S = text },
        ["createdAt"] = new AttributeValue { S = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static Dictionary<string, AttributeValue> NoteKey(string ownerId, string noteId) => new()
    {
        ["ownerId"] = new AttributeValue { S = ownerId },
        ["noteId"] = new AttributeValue { S = noteId },
    };

    /// <summary>A noteId in the contract's form: creation time, then 8 random hex digits.</summary>
    public static string NewNoteId() =>
        $"{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}";

    public void Dispose() => Db.Dispose();
}
