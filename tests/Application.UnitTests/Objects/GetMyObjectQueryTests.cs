using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Objects.GetMyObject;
using CleanCognito.Application.UnitTests.Fakes;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class GetMyObjectQueryTests
{
    private readonly FakeGraphQlGateway _gateway = new();

    private GetMyObjectQueryHandler Handler => new(_gateway);

    [Fact]
    public async Task Returns_the_object_with_its_date_as_an_instant()
    {
        _gateway.Answers("""{"getMyObject":{"id":"1234567890abcdef","name":"My first object","date":"2026-01-15T09:30:00Z"}}""");

        var item = await Handler.Handle(new GetMyObjectQuery("1234567890abcdef"), default);

        item.Id.Should().Be("1234567890abcdef");
        item.Name.Should().Be("My first object");
        item.Date.Should().Be(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Sends_the_id_as_a_variable_of_a_query_never_inside_the_document()
    {
        _gateway.Answers("""{"getMyObject":{"id":"a\"b","name":"n","date":"2026-01-15T09:30:00Z"}}""");

        await Handler.Handle(new GetMyObjectQuery("a\"b"), default);

        var (operation, isMutation) = _gateway.Sent.Single();
        isMutation.Should().BeFalse();
        operation.Variables["id"].Should().Be("a\"b");
        operation.Document.Should().NotContain("a\"b").And.Contain("$id: ID!");
    }

    [Fact]
    public async Task Null_data_for_the_id_is_not_found()
    {
        _gateway.Answers("""{"getMyObject":null}""");

        var act = async () => await Handler.Handle(new GetMyObjectQuery("nope"), default);

        await act.Should().ThrowAsync<NotFoundException>();
    }

    [Fact]
    public async Task An_unauthorized_error_is_forbidden()
    {
        _gateway.Answers("""{"getMyObject":null}""", FakeGraphQlGateway.Error("Unauthorized", "getMyObject"));

        var act = async () => await Handler.Handle(new GetMyObjectQuery("x"), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Fact]
    public async Task Another_resolver_error_is_an_operation_failure_that_keeps_the_error_types()
    {
        _gateway.Answers(null, FakeGraphQlGateway.Error("DynamoDB:ProvisionedThroughputExceededException", "getMyObject"));

        var act = async () => await Handler.Handle(new GetMyObjectQuery("x"), default);

        (await act.Should().ThrowAsync<GraphQlOperationException>())
            .Which.ErrorTypes.Should().Be("DynamoDB:ProvisionedThroughputExceededException");
    }

    [Fact]
    public async Task An_object_with_a_missing_field_is_not_shown_half()
    {
        _gateway.Answers("""{"getMyObject":{"id":"x","name":null,"date":"2026-01-15T09:30:00Z"}}""");

        var act = async () => await Handler.Handle(new GetMyObjectQuery("x"), default);

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }
}
