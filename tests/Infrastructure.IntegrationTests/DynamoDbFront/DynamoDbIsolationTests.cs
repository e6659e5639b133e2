using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CleanCognito.TestSupport;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>
/// Isolation at the storage layer, without the app: alice's own identity-pool credentials, straight
/// AWS SDK DynamoDB calls on the notes table, and the AWS front enforcing the authenticated role's
/// OwnNotesOnly statement from deploy/cleancognito.yaml (<c>dynamodb:LeadingKeys</c> = her identity
/// id). Every refusal has a positive control (the same call on her own partition, or bob on his)
/// so that a broken signature check cannot pass for a policy decision; every write attempt is
/// followed by a look at what is really stored (the set-up key).
/// </summary>
[Collection(LocalAwsGroup.Name)]
public sealed class DynamoDbIsolationTests(LocalAwsStack stack) : IAsyncLifetime
{
    private NotesUser _alice = null!;
    private NotesUser _bob = null!;
    private string _bobsNote = null!;

    public async Task InitializeAsync()
    {
        _alice = await NotesUser.SignInAsync(stack, stack.Alice);
        _bob = await NotesUser.SignInAsync(stack, stack.Bob);
        _bobsNote = NotesUser.NewNoteId();
        // Bob writes his own note with his own credentials: the policy lets him.
        await _bob.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = _bob.Note(_bobsNote, "bob's") });
    }

    public Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Alice_puts_gets_queries_newest_first_and_deletes_her_own_notes()
    {
        var older = NotesUser.NewNoteId();
        await Task.Delay(5);
        var newer = NotesUser.NewNoteId();
        await _alice.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = _alice.Note(older, "first") });
        await _alice.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = _alice.Note(newer, "second") });

        var got = await _alice.Db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = _alice.Key(older), ConsistentRead = true });
        got.Item["text"].S.Should().Be("first");

        var page = await _alice.Db.QueryAsync(OwnQuery(_alice.IdentityId));
        page.Items.Select(i => i["noteId"].S).Should().ContainInOrder(newer, older);
        page.Items.Should().OnlyContain(i => i["ownerId"].S == _alice.IdentityId);

        await _alice.Db.DeleteItemAsync(new DeleteItemRequest { TableName = stack.NotesTable, Key = _alice.Key(older) });
        (await StoredAsync(_alice.IdentityId, older)).Should().BeNull();
    }

    [Fact]
    public async Task Alice_may_not_get_bobs_note()
    {
        await ShouldBeDeniedAsync(() => _alice.Db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey(_bob.IdentityId, _bobsNote) }), "dynamodb:GetItem");
        (await _bob.Db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = _bob.Key(_bobsNote) })).Item["text"].S.Should().Be("bob's");
    }

    [Fact]
    public async Task Alice_may_not_query_bobs_partition_in_either_key_condition_form()
    {
        await ShouldBeDeniedAsync(() => _alice.Db.QueryAsync(OwnQuery(_bob.IdentityId)), "dynamodb:Query");
        var legacy = new QueryRequest
        {
            TableName = stack.NotesTable,
            KeyConditions = new Dictionary<string, Condition>
            {
                ["ownerId"] = new() { ComparisonOperator = ComparisonOperator.EQ, AttributeValueList = [new AttributeValue { S = _bob.IdentityId }] },
            },
        };
        await ShouldBeDeniedAsync(() => _alice.Db.QueryAsync(legacy), "dynamodb:Query");

        (await _bob.Db.QueryAsync(OwnQuery(_bob.IdentityId))).Items.Select(i => i["noteId"].S).Should().Contain(_bobsNote);
    }

    [Theory]
    [InlineData("#o = :alice OR #o = :bob")]
    [InlineData("#o = :alice AND #o = :bob")]
    [InlineData("#o = :bob AND begins_with(#n, :alice)")]
    [InlineData("#o > :alice")]
    [InlineData("#o BETWEEN :alice AND :bob")]
    public async Task A_key_condition_the_front_cannot_pin_to_alices_partition_is_refused(string condition)
    {
        var query = new QueryRequest
        {
            TableName = stack.NotesTable,
            KeyConditionExpression = condition,
            ExpressionAttributeNames = new Dictionary<string, string> { ["#o"] = "ownerId", ["#n"] = "noteId" },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":alice"] = new() { S = _alice.IdentityId }, [":bob"] = new() { S = _bob.IdentityId } },
        };

        var refused = await CatchAsync(() => _alice.Db.QueryAsync(query));

        refused.ErrorCode.Should().Be("AccessDeniedException");
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Alice_may_not_put_update_or_delete_in_bobs_partition_and_his_note_survives()
    {
        await ShouldBeDeniedAsync(() => _alice.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = new(NotesUser.NoteKey(_bob.IdentityId, _bobsNote)) { ["text"] = new AttributeValue { S = "alice's" } } }), "dynamodb:PutItem");
        var planted = NotesUser.NewNoteId();
        await ShouldBeDeniedAsync(() => _alice.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = new(NotesUser.NoteKey(_bob.IdentityId, planted)) { ["text"] = new AttributeValue { S = "planted" } } }), "dynamodb:PutItem");
        await ShouldBeDeniedAsync(
            () => _alice.Db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = stack.NotesTable,
                Key = NotesUser.NoteKey(_bob.IdentityId, _bobsNote),
                UpdateExpression = "SET #t = :t",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#t"] = "text" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = new() { S = "alice's" } },
            }),
            "dynamodb:UpdateItem");
        await ShouldBeDeniedAsync(() => _alice.Db.DeleteItemAsync(new DeleteItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey(_bob.IdentityId, _bobsNote) }), "dynamodb:DeleteItem");

        (await StoredAsync(_bob.IdentityId, _bobsNote))!["text"].S.Should().Be("bob's");
        (await StoredAsync(_bob.IdentityId, planted)).Should().BeNull();
    }

    [Fact]
    public async Task UpdateItem_is_not_granted_even_on_alices_own_note()
    {
        // The feature never updates a note, so the role does not allow it (only the actions the feature needs).
        var own = NotesUser.NewNoteId();
        await _alice.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = _alice.Note(own, "mine") });

        await ShouldBeDeniedAsync(
            () => _alice.Db.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = stack.NotesTable,
                Key = _alice.Key(own),
                UpdateExpression = "SET #t = :t",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#t"] = "text" },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":t"] = new() { S = "changed" } },
            }),
            "dynamodb:UpdateItem");
    }

    [Fact]
    public async Task Batches_are_refused_whether_they_mix_bobs_keys_or_not()
    {
        // The role grants no batch action; BatchGrantedNotesPolicyTests shows that with one granted,
        // the leading keys of every item still decide.
        await ShouldBeDeniedAsync(() => _alice.Db.BatchGetItemAsync(BatchGet(NotesUser.NoteKey(_bob.IdentityId, _bobsNote))), "dynamodb:BatchGetItem");
        await ShouldBeDeniedAsync(() => _alice.Db.BatchGetItemAsync(BatchGet(_alice.Key(NotesUser.NewNoteId()), NotesUser.NoteKey(_bob.IdentityId, _bobsNote))), "dynamodb:BatchGetItem");
        await ShouldBeDeniedAsync(() => _alice.Db.BatchWriteItemAsync(BatchDelete(NotesUser.NoteKey(_bob.IdentityId, _bobsNote))), "dynamodb:BatchWriteItem");
        await ShouldBeDeniedAsync(() => _alice.Db.BatchWriteItemAsync(BatchDelete(_alice.Key(NotesUser.NewNoteId()), NotesUser.NoteKey(_bob.IdentityId, _bobsNote))), "dynamodb:BatchWriteItem");

        (await StoredAsync(_bob.IdentityId, _bobsNote)).Should().NotBeNull();
    }

    [Fact]
    public async Task Transactions_are_authorized_item_by_item_so_one_of_bobs_keys_refuses_the_whole_transaction()
    {
        // TransactGetItems/TransactWriteItems need GetItem/PutItem/DeleteItem on every item: the
        // role's grants let alice transact on her own partition, never on bob's.
        var own = NotesUser.NewNoteId();
        await _alice.Db.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [new TransactWriteItem { Put = new Put { TableName = stack.NotesTable, Item = _alice.Note(own, "mine") } }] });
        var read = await _alice.Db.TransactGetItemsAsync(new TransactGetItemsRequest { TransactItems = [new TransactGetItem { Get = new Get { TableName = stack.NotesTable, Key = _alice.Key(own) } }] });
        read.Responses.Should().ContainSingle().Which.Item["text"].S.Should().Be("mine");

        await ShouldBeDeniedAsync(
            () => _alice.Db.TransactGetItemsAsync(new TransactGetItemsRequest
            {
                TransactItems = [new TransactGetItem { Get = new Get { TableName = stack.NotesTable, Key = _alice.Key(own) } }, new TransactGetItem { Get = new Get { TableName = stack.NotesTable, Key = NotesUser.NoteKey(_bob.IdentityId, _bobsNote) } }],
            }),
            "dynamodb:GetItem");
        await ShouldBeDeniedAsync(
            () => _alice.Db.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems = [new TransactWriteItem { Delete = new Delete { TableName = stack.NotesTable, Key = _alice.Key(own) } }, new TransactWriteItem { Delete = new Delete { TableName = stack.NotesTable, Key = NotesUser.NoteKey(_bob.IdentityId, _bobsNote) } }],
            }),
            "dynamodb:DeleteItem");

        (await StoredAsync(_bob.IdentityId, _bobsNote)).Should().NotBeNull();
        (await StoredAsync(_alice.IdentityId, own)).Should().NotBeNull("a refused transaction changes nothing");
    }

    [Fact]
    public async Task A_scan_is_refused_though_it_names_no_key()
    {
        // ForAllValues over no leading key at all is true: only the missing Scan grant refuses it.
        await ShouldBeDeniedAsync(() => _alice.Db.ScanAsync(new ScanRequest { TableName = stack.NotesTable }), "dynamodb:Scan");
    }

    [Fact]
    public async Task A_PartiQL_statement_is_refused_because_the_front_cannot_compute_its_leading_keys()
    {
        var statement = new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{stack.NotesTable}\" WHERE ownerId = '{_bob.IdentityId}'" };

        var refused = await CatchAsync(() => _alice.Db.ExecuteStatementAsync(statement));

        refused.ErrorCode.Should().Be("AccessDeniedException");
    }

    internal QueryRequest OwnQuery(string ownerId) => new()
    {
        TableName = stack.NotesTable,
        KeyConditionExpression = "#o = :o",
        ExpressionAttributeNames = new Dictionary<string, string> { ["#o"] = "ownerId" },
        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":o"] = new() { S = ownerId } },
        ScanIndexForward = false,
    };

    private BatchGetItemRequest BatchGet(params Dictionary<string, AttributeValue>[] keys) =>
        new() { RequestItems = new Dictionary<string, KeysAndAttributes> { [stack.NotesTable] = new() { Keys = [.. keys] } } };

    private BatchWriteItemRequest BatchDelete(params Dictionary<string, AttributeValue>[] keys) =>
        new() { RequestItems = new Dictionary<string, List<WriteRequest>> { [stack.NotesTable] = [.. keys.Select(k => new WriteRequest { DeleteRequest = new DeleteRequest { Key = k } })] } };

    /// <summary>The item as stored, read by the account owner (no IAM check), or null.</summary>
    private async Task<Dictionary<string, AttributeValue>?> StoredAsync(string ownerId, string noteId)
    {
        using var owner = stack.DynamoDbSetupClient();
        var got = await owner.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey(ownerId, noteId), ConsistentRead = true });
        return got.Item is { Count: > 0 } item ? item : null;
    }

    private static async Task ShouldBeDeniedAsync<T>(Func<Task<T>> call, string action)
    {
        var refused = await CatchAsync(call);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.ErrorCode.Should().Be("AccessDeniedException");
        refused.Message.Should().Contain($"is not authorized to perform: {action}");
    }

    internal static async Task<AmazonDynamoDBException> CatchAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
        }
        catch (AmazonDynamoDBException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("DynamoDB accepted a request it must refuse.");
    }
}
