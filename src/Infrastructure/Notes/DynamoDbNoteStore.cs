using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Notes;
using CleanCognito.Infrastructure.Aws;
using Microsoft.Extensions.Options;

namespace CleanCognito.Infrastructure.Notes;

/// <summary>
/// <see cref="INoteStore"/> on DynamoDB with the user's own identity pool credentials (not through
/// AppSync): partition key <c>ownerId</c> = the caller's IdentityId, sort key <c>noteId</c> (sorts by
/// creation). The role's policy grants only items whose leading key is the caller's own
/// (<c>dynamodb:LeadingKeys</c> = <c>${cognito-identity.amazonaws.com:sub}</c>), so AWS enforces the
/// isolation as well as here, where the owner always comes from the credentials, never from input.
/// Calls go through <see cref="UserAwsClients"/> like every AWS adapter.
/// </summary>
internal sealed class DynamoDbNoteStore(UserAwsClients aws, IOptions<NotesOptions> options, NotePageTokens tokens) : INoteStore
{
    /// <summary>The service in a user's words, on the 503 page and in the log.</summary>
    public const string ServiceName = "notes";

    private const string Owner = "ownerId";
    private const string Id = "noteId";
    private const string Text = "text";
    private const string CreatedAt = "createdAt";

    public int DefaultPageSize => options.Value.PageSize;

    public Task<NotePage> ListAsync(int pageSize, string? nextToken, CancellationToken cancellationToken) =>
        aws.CallAsync<AmazonDynamoDBClient, NotePage>("Query", async (user, ct) =>
        {
            var after = nextToken is null ? null : tokens.Unprotect(user.IdentityId, nextToken);
            var request = new QueryRequest
            {
                TableName = options.Value.TableName,
                KeyConditionExpression = $"{Owner} = :owner",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":owner"] = new() { S = user.IdentityId } },
                // Newest first: noteId sorts by creation time.
                ScanIndexForward = false,
                // One more than shown, so "there is a next page" is known, not guessed from LastEvaluatedKey
                // (DynamoDB sets it whenever the limit is reached, also when nothing follows).
                Limit = pageSize + 1,
                ExclusiveStartKey = after is null ? null : Key(user.IdentityId, after),
            };
            var response = await user.Client.QueryAsync(request, ct);
            var notes = (response.Items ?? []).Select(ToNote).OfType<Note>().ToList();
            var more = notes.Count > pageSize || response.LastEvaluatedKey is { Count: > 0 };
            var shown = notes.Take(pageSize).ToList();
            var next = more && shown.Count > 0 ? tokens.Protect(user.IdentityId, shown[^1].Id) : null;
            return new NotePage(shown, next);
        }, cancellationToken);

    public Task<Note?> FindAsync(NoteId id, CancellationToken cancellationToken) =>
        aws.CallAsync<AmazonDynamoDBClient, Note?>("GetItem", async (user, ct) =>
        {
            var response = await user.Client.GetItemAsync(new GetItemRequest { TableName = options.Value.TableName, Key = Key(user.IdentityId, id) }, ct);
            return response.Item is { Count: > 0 } item ? ToNote(item) : null;
        }, cancellationToken);

    public Task AddAsync(Note note, CancellationToken cancellationToken) =>
        aws.CallAsync<AmazonDynamoDBClient, bool>("PutItem", async (user, ct) =>
        {
            var item = Key(user.IdentityId, note.Id);
            item[Text] = new AttributeValue { S = note.Text };
            item[CreatedAt] = new AttributeValue { S = note.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };
            await user.Client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = options.Value.TableName,
                    Item = item,
                    // A new id never replaces a note, even in the one-in-four-billion case of a clash within a tick.
                    ConditionExpression = $"attribute_not_exists({Id})",
                },
                ct);
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(NoteId id, CancellationToken cancellationToken) =>
        aws.CallAsync<AmazonDynamoDBClient, bool>("DeleteItem", async (user, ct) =>
        {
            // ALL_OLD says whether there was a note to delete, in the same call (DeleteItem succeeds either way).
            var response = await user.Client.DeleteItemAsync(
                new DeleteItemRequest { TableName = options.Value.TableName, Key = Key(user.IdentityId, id), ReturnValues = ReturnValue.ALL_OLD },
                ct);
            return response.Attributes is { Count: > 0 };
        }, cancellationToken);

    private static Dictionary<string, AttributeValue> Key(string ownerId, NoteId id) => new()
    {
        [Owner] = new AttributeValue { S = ownerId },
        [Id] = new AttributeValue { S = id.Value },
    };

    /// <summary>An item as a note, or null for an item this app did not write (skipped, not a 500).</summary>
    private static Note? ToNote(Dictionary<string, AttributeValue> item)
    {
        if (!item.TryGetValue(Id, out var id) || !NoteId.IsValid(id.S) || !item.TryGetValue(Text, out var text) || text.S is null)
        {
            return null;
        }

        var noteId = NoteId.Parse(id.S);
        var created = item.TryGetValue(CreatedAt, out var at)
            && DateTimeOffset.TryParseExact(at.S, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : noteId.CreatedAt;
        return new Note(noteId, text.S, created);
    }
}
