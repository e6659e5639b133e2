using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Objects.ListMyObjects;
using CleanCognito.Application.UnitTests.Fakes;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class ListMyObjectsQueryTests
{
    private const string TwoItems = """
        {"listMyObjects":{"items":[
          {"id":"a1","name":"First","date":"2026-01-15T09:30:00Z"},
          {"id":"b2","name":"Second","date":"2026-01-16T09:31:00Z"}],
          "nextToken":"tok-2"}}
        """;

    private FakeGraphQlGateway _gateway = FakeGraphQlGateway.AnsweringJson(null);

    private ListMyObjectsQueryHandler Handler => new(_gateway);

    [Fact]
    public async Task Returns_the_items_and_the_token_of_the_next_page()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(TwoItems);

        var page = await Handler.Handle(new ListMyObjectsQuery(2), default);

        page.Items.Select(i => i.Id).Should().Equal("a1", "b2");
        page.NextToken.Should().Be("tok-2");
        page.IsPartial.Should().BeFalse();
    }

    [Fact]
    public async Task Sends_page_size_and_token_as_variables_of_a_query()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(TwoItems);

        await Handler.Handle(new ListMyObjectsQuery(25, "tok-1"), default);

        var operation = _gateway.Queries.Should().ContainSingle().Subject;
        _gateway.Mutations.Should().BeEmpty();
        operation.Variables.Should().Contain("limit", 25).And.Contain("nextToken", "tok-1");
    }

    [Fact]
    public async Task The_last_page_has_no_next_token()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson("""{"listMyObjects":{"items":[],"nextToken":null}}""");

        var page = await Handler.Handle(new ListMyObjectsQuery(), default);

        page.Items.Should().BeEmpty();
        page.NextToken.Should().BeNull();
    }

    [Fact]
    public async Task Items_with_errors_beside_them_are_shown_as_a_partial_page()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(TwoItems, FakeGraphQlGateway.Error("DynamoDB:UnprocessedKeys", "listMyObjects", "items"));

        var page = await Handler.Handle(new ListMyObjectsQuery(), default);

        page.Items.Should().HaveCount(2);
        page.IsPartial.Should().BeTrue();
    }

    [Fact]
    public async Task Items_that_came_back_incomplete_are_left_out_and_the_page_is_partial()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson("""
            {"listMyObjects":{"items":[
              {"id":"a1","name":"First","date":"2026-01-15T09:30:00Z"},
              null,
              {"id":"c3","name":null,"date":"2026-01-15T09:30:00Z"}],
              "nextToken":null}}
            """, FakeGraphQlGateway.Error("Lambda:Unhandled", "listMyObjects", "items", "2", "name"));

        var page = await Handler.Handle(new ListMyObjectsQuery(), default);

        page.Items.Select(i => i.Id).Should().Equal("a1");
        page.IsPartial.Should().BeTrue();
    }

    [Fact]
    public async Task No_list_at_all_is_an_operation_failure()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(null, FakeGraphQlGateway.Error("Lambda:Unhandled", "listMyObjects"));

        var act = async () => await Handler.Handle(new ListMyObjectsQuery(), default);

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }

    [Fact]
    public async Task Unauthorized_is_forbidden_even_when_some_items_came_back()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(TwoItems, FakeGraphQlGateway.Error("Unauthorized", "listMyObjects"));

        var act = async () => await Handler.Handle(new ListMyObjectsQuery(), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Fact]
    public async Task A_token_the_api_rejects_is_a_validation_error_on_the_token()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(null, FakeGraphQlGateway.Error("BadRequestException", "listMyObjects"));

        var act = async () => await Handler.Handle(new ListMyObjectsQuery(10, "edited"), default);

        (await act.Should().ThrowAsync<ValidationException>())
            .Which.Errors.Should().ContainKey(nameof(ListMyObjectsQuery.NextToken));
    }

    [Fact]
    public async Task AppSyncs_own_invalid_pagination_token_error_is_a_validation_error_on_the_token()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(null, FakeGraphQlGateway.Error("DynamoDB:UserIllegalArgumentException", "listMyObjects"));

        var act = async () => await Handler.Handle(new ListMyObjectsQuery(10, "edited"), default);

        (await act.Should().ThrowAsync<ValidationException>())
            .Which.Errors[nameof(ListMyObjectsQuery.NextToken)].Should().ContainSingle().Which.Should().Contain("no longer valid");
    }

    [Fact]
    public async Task A_bad_request_without_a_token_is_not_blamed_on_the_page_link()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(null, FakeGraphQlGateway.Error("BadRequestException", "listMyObjects"));

        var act = async () => await Handler.Handle(new ListMyObjectsQuery(10), default);

        await act.Should().ThrowAsync<GraphQlOperationException>();
    }
}
