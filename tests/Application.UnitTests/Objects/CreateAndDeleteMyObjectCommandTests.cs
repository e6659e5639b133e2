using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Objects.CreateMyObject;
using CleanCognito.Application.Objects.DeleteMyObject;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class CreateAndDeleteMyObjectCommandTests
{
    private const string Created = """{"createMyObject":{"id":"0f3c1d2e-5b6a-4c7d-9e8f-a1b2c3d4e5f6","name":"New","date":"2026-11-30T15:00:00.123Z"}}""";
    private const string Deleted = """{"deleteMyObject":{"id":"1234567890abcdef","name":"Gone","date":"2026-01-15T09:30:00Z"}}""";

    [Fact]
    public async Task Create_sends_only_the_name_as_a_variable_of_a_mutation_and_returns_the_new_object()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson(Created);

        var item = await new CreateMyObjectCommandHandler(gateway).Handle(new CreateMyObjectCommand("New"), default);

        item.Id.Should().Be("0f3c1d2e-5b6a-4c7d-9e8f-a1b2c3d4e5f6");
        item.Date.Should().Be(new DateTimeOffset(2026, 11, 30, 15, 0, 0, 123, TimeSpan.Zero));
        var operation = gateway.Mutations.Should().ContainSingle().Subject;
        gateway.Queries.Should().BeEmpty();
        operation.Variables.Should().Equal(new Dictionary<string, object?> { ["name"] = "New" }, "the owner comes from the token, never from the app");
        operation.Document.Should().Contain("createMyObject(name: $name)");
    }

    [Fact]
    public async Task Create_refused_by_the_api_is_an_operation_failure()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson("""{"createMyObject":null}""", FakeGraphQlGateway.Error("DynamoDB:ProvisionedThroughputExceededException", "createMyObject"));

        var act = async () => await new CreateMyObjectCommandHandler(gateway).Handle(new CreateMyObjectCommand("New"), default);

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }

    [Fact]
    public async Task Create_with_no_object_and_no_error_is_an_operation_failure_not_a_success()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson("""{"createMyObject":null}""");

        var act = async () => await new CreateMyObjectCommandHandler(gateway).Handle(new CreateMyObjectCommand("New"), default);

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }

    [Fact]
    public async Task Delete_sends_the_id_as_a_variable_of_a_mutation_and_returns_the_deleted_object()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson(Deleted);

        var item = await new DeleteMyObjectCommandHandler(gateway).Handle(new DeleteMyObjectCommand("1234567890abcdef"), default);

        item.Name.Should().Be("Gone");
        gateway.Mutations.Should().ContainSingle().Which.Variables.Should().Equal(new Dictionary<string, object?> { ["id"] = "1234567890abcdef" });
    }

    [Fact]
    public async Task Deleting_another_users_or_a_missing_object_is_not_found()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson("""{"deleteMyObject":null}""", FakeGraphQlGateway.Error("NotFoundException", "deleteMyObject"));

        var act = async () => await new DeleteMyObjectCommandHandler(gateway).Handle(new DeleteMyObjectCommand("1234567890abcdef"), default);

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Delete_refused_by_the_api_auth_is_forbidden()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson("""{"deleteMyObject":null}""", FakeGraphQlGateway.Error("Unauthorized", "deleteMyObject"));

        var act = async () => await new DeleteMyObjectCommandHandler(gateway).Handle(new DeleteMyObjectCommand("1234567890abcdef"), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\there")]
    public void Create_refuses_an_empty_blank_or_control_character_name(string name) =>
        new CreateMyObjectCommandValidator().Validate(new CreateMyObjectCommand(name)).Errors
            .Should().ContainSingle(e => e.PropertyName == "Name").Which.ErrorMessage.Should().Contain("1 to 100 characters");

    [Fact]
    public void Create_accepts_a_name_of_up_to_100_characters()
    {
        var validator = new CreateMyObjectCommandValidator();
        validator.Validate(new CreateMyObjectCommand(new string('n', 100))).IsValid.Should().BeTrue();
        validator.Validate(new CreateMyObjectCommand(new string('n', 101))).IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad id")]
    [InlineData("../x")]
    public void Delete_refuses_an_invalid_id(string id) =>
        new DeleteMyObjectCommandValidator().Validate(new DeleteMyObjectCommand(id)).Errors
            .Should().ContainSingle(e => e.PropertyName == "Id");
}
