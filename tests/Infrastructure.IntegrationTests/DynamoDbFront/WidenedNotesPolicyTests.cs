using Amazon.DynamoDBv2.Model;

namespace CleanCognito.Infrastructure.IntegrationTests.DynamoDbFront;

/// <summary>
/// Proof that the DynamoDB isolation tests test the template: a copy of deploy/cleancognito.yaml
/// whose OwnNotesOnly statement has lost its <c>dynamodb:LeadingKeys</c> condition, run by a second
/// stack. The refusal <see cref="DynamoDbIsolationTests.Alice_may_not_get_bobs_note"/> asserts
/// disappears, and so does the one on a Query of bob's partition.
/// </summary>
public sealed class WidenedNotesPolicyTests : IAsyncLifetime
{
    internal const string LeadingKeysCondition =
        "                Condition:\n                  ForAllValues:StringEquals:\n                    dynamodb:LeadingKeys:\n                      - \"${cognito-identity.amazonaws.com:sub}\"\n";

    private TemplateVariant _variant = null!;

    public async Task InitializeAsync() => _variant = await TemplateVariant.StartAsync((LeadingKeysCondition, string.Empty));

    public async Task DisposeAsync() => await _variant.DisposeAsync();

    [Fact]
    public async Task Without_the_leading_keys_condition_alice_reads_bobs_note_so_the_isolation_test_would_fail()
    {
        var stack = _variant.Stack;
        stack.S3PolicyTemplate.Should().Be(_variant.TemplatePath);
        using var alice = await NotesUser.SignInAsync(stack, stack.Alice);
        using var bob = await NotesUser.SignInAsync(stack, stack.Bob);
        var bobsNote = NotesUser.NewNoteId();
        await bob.Db.PutItemAsync(new PutItemRequest { TableName = stack.NotesTable, Item = bob.Note(bobsNote, "bob's") });

        var stolen = await alice.Db.GetItemAsync(new GetItemRequest { TableName = stack.NotesTable, Key = NotesUser.NoteKey(bob.IdentityId, bobsNote) });
        var listed = await alice.Db.QueryAsync(new QueryRequest
        {
            TableName = stack.NotesTable,
            KeyConditionExpression = "ownerId = :o",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":o"] = new() { S = bob.IdentityId } },
        });

        stolen.Item["text"].S.Should().Be("bob's");
        listed.Items.Select(i => i["noteId"].S).Should().Contain(bobsNote);
    }
}
