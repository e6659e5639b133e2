using Amazon.DynamoDBv2.Model;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>
/// The template's role grants no batch action and no Scan, so <see cref="DynamoDbIsolationTests"/>
/// sees those refused for want of an Allow. Here a copy of the template also grants BatchGetItem,
/// BatchWriteItem and Scan under the same <c>dynamodb:LeadingKeys</c> condition, to show the two
/// things that matter if anyone ever adds them: the front supplies the leading key of EVERY item of
/// a batch (one of bob's keys among alice's refuses the whole batch), and a Scan, which names no
/// key, passes <c>ForAllValues</c> and reads everyone's notes (which is why the template must never grant it).
/// </summary>
public sealed class BatchGrantedNotesPolicyTests : IAsyncLifetime
{
    private TemplateVariant _variant = null!;
    private NotesUser _alice = null!;
    private NotesUser _bob = null!;
    private string _bobsNote = null!;

    private string Table => _variant.Stack.NotesTable;

    public async Task InitializeAsync()
    {
        _variant = await TemplateVariant.StartAsync(("                  - dynamodb:DeleteItem\n", "                  - dynamodb:DeleteItem\n                  - dynamodb:BatchGetItem\n                  - dynamodb:BatchWriteItem\n                  - dynamodb:Scan\n"));
        _alice = await NotesUser.SignInAsync(_variant.Stack, _variant.Stack.Alice);
        _bob = await NotesUser.SignInAsync(_variant.Stack, _variant.Stack.Bob);
        _bobsNote = NotesUser.NewNoteId();
        await _bob.Db.PutItemAsync(new PutItemRequest { TableName = Table, Item = _bob.Note(_bobsNote, "bob's") });
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        await _variant.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_of_alices_own_keys_is_allowed_but_one_of_bobs_keys_refuses_the_whole_batch()
    {
        var first = NotesUser.NewNoteId();
        var second = NotesUser.NewNoteId();
        await _alice.Db.BatchWriteItemAsync(Writes(new WriteRequest { PutRequest = new PutRequest { Item = _alice.Note(first, "1") } }, new WriteRequest { PutRequest = new PutRequest { Item = _alice.Note(second, "2") } }));
        var own = await _alice.Db.BatchGetItemAsync(Gets(_alice.Key(first), _alice.Key(second)));
        own.Responses[Table].Should().HaveCount(2);

        var mixedRead = await DynamoDbIsolationTests.CatchAsync(() => _alice.Db.BatchGetItemAsync(Gets(_alice.Key(first), NotesUser.NoteKey(_bob.IdentityId, _bobsNote))));
        var mixedWrite = await DynamoDbIsolationTests.CatchAsync(() => _alice.Db.BatchWriteItemAsync(Writes(
            new WriteRequest { DeleteRequest = new DeleteRequest { Key = _alice.Key(first) } },
            new WriteRequest { DeleteRequest = new DeleteRequest { Key = NotesUser.NoteKey(_bob.IdentityId, _bobsNote) } })));

        mixedRead.ErrorCode.Should().Be("AccessDeniedException");
        mixedWrite.ErrorCode.Should().Be("AccessDeniedException");
        // Refused as a whole: neither alice's delete nor bob's happened.
        var after = await _bob.Db.GetItemAsync(new GetItemRequest { TableName = Table, Key = _bob.Key(_bobsNote) });
        after.Item["text"].S.Should().Be("bob's");
        (await _alice.Db.GetItemAsync(new GetItemRequest { TableName = Table, Key = _alice.Key(first) })).Item.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_granted_scan_names_no_leading_key_and_reads_bobs_notes()
    {
        var all = await _alice.Db.ScanAsync(new ScanRequest { TableName = Table });

        all.Items.Should().Contain(i => i["ownerId"].S == _bob.IdentityId);
    }

    private BatchGetItemRequest Gets(params Dictionary<string, AttributeValue>[] keys) =>
        new() { RequestItems = new Dictionary<string, KeysAndAttributes> { [Table] = new() { Keys = [.. keys] } } };

    private BatchWriteItemRequest Writes(params WriteRequest[] requests) =>
        new() { RequestItems = new Dictionary<string, List<WriteRequest>> { [Table] = [.. requests] } };
}
