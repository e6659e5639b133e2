using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Objects;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Domain.Objects;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class GetMyObjectQueryHandlerTests
{
    private static readonly MyObject Seeded = new("1234567890abcdef", "First object", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));

    private static FakeGraphQlGateway Answering(GetMyObjectQueryHandler.Data? data, params GraphQlError[] errors) =>
        new(_ => new GraphQlResult<GetMyObjectQueryHandler.Data>(data, errors));

    private static MyObjectFields Fields(MyObject o) => new(o.Id, o.Name, o.Date);

    private static Task<MyObject> Send(FakeGraphQlGateway gateway, string id = "1234567890abcdef") =>
        new GetMyObjectQueryHandler(gateway).Handle(new GetMyObjectQuery(id), CancellationToken.None).AsTask();

    [Fact]
    public async Task Returns_the_object_the_API_answers()
    {
        var gateway = Answering(new GetMyObjectQueryHandler.Data(Fields(Seeded)));

        (await Send(gateway)).Should().Be(Seeded);
    }

    [Fact]
    public async Task Sends_the_id_as_a_variable_and_never_in_the_document()
    {
        var gateway = Answering(new GetMyObjectQueryHandler.Data(Fields(Seeded)));

        await Send(gateway, "abc_XYZ-42");

        var operation = gateway.Queries.Should().ContainSingle().Subject;
        operation.OperationName.Should().Be("GetMyObject");
        operation.Variables.Should().ContainKey("id").WhoseValue.Should().Be("abc_XYZ-42");
        operation.Document.Should().NotContain("abc_XYZ-42").And.Contain("$id: ID!");
        gateway.Mutations.Should().BeEmpty();
    }

    [Fact]
    public async Task Throws_NotFound_when_the_API_answers_null()
    {
        var act = () => Send(Answering(new GetMyObjectQueryHandler.Data(null)));

        (await act.Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Contain("1234567890abcdef");
    }

    [Fact]
    public async Task Throws_NotFound_when_the_API_answers_no_data_at_all()
    {
        var act = () => Send(Answering(null));

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task Throws_Forbidden_on_an_Unauthorized_error()
    {
        var error = new GraphQlError("Not Authorized to access getMyObject on type Query", "Unauthorized", ["getMyObject"]);

        var act = () => Send(Answering(new GetMyObjectQueryHandler.Data(null), error));

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Fact]
    public async Task Throws_GraphQlOperationException_with_the_errors_on_any_other_error()
    {
        var error = new GraphQlError("resolver blew up: table xyz", "DynamoDB:ConditionalCheckFailed", ["getMyObject"]);

        var act = () => Send(Answering(new GetMyObjectQueryHandler.Data(null), error));

        var thrown = (await act.Should().ThrowAsync<GraphQlOperationException>()).Which;
        thrown.Errors.Should().Equal(error);
        thrown.Message.Should().NotContain("table xyz", "resolver messages can carry internals and must not reach the page");
    }

    [Fact]
    public async Task Throws_GraphQlOperationException_on_an_error_without_a_path()
    {
        var act = () => Send(Answering(null, new GraphQlError("Validation error of type FieldUndefined", null, [])));

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }

    [Fact]
    public async Task Throws_GraphQlOperationException_rather_than_show_an_object_with_a_field_missing()
    {
        var act = () => Send(FakeGraphQlGateway.AnsweringJson("""{"getMyObject":{"id":"1234567890abcdef","name":null,"date":"2026-01-15T09:30:00Z"}}"""));

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }

    [Fact]
    public async Task Reads_the_AWSDateTime_as_an_instant()
    {
        var gateway = FakeGraphQlGateway.AnsweringJson("""{"getMyObject":{"id":"1234567890abcdef","name":"n","date":"2026-01-15T10:30:00+01:00"}}""");

        (await Send(gateway)).Date.Should().Be(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));
    }
}
