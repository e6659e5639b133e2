using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Objects.UpdateMyObjectName;
using CleanCognito.Application.UnitTests.Fakes;

namespace CleanCognito.Application.UnitTests.Objects;

public sealed class UpdateMyObjectNameCommandTests
{
    private const string Renamed = """{"updateMyObject":{"id":"1234567890abcdef","name":"Renamed","date":"2026-01-15T09:30:00Z"}}""";

    private FakeGraphQlGateway _gateway = FakeGraphQlGateway.AnsweringJson(null);

    [Fact]
    public async Task An_editor_renames_with_a_mutation_and_gets_the_renamed_object()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson(Renamed);

        var item = await new UpdateMyObjectNameCommandHandler(_gateway, FakeCurrentUser.Alice)
            .Handle(new UpdateMyObjectNameCommand("1234567890abcdef", "Renamed"), default);

        item.Name.Should().Be("Renamed");
        var operation = _gateway.Mutations.Should().ContainSingle().Subject;
        _gateway.Queries.Should().BeEmpty();
        operation.Variables.Should().Contain("id", "1234567890abcdef").And.Contain("name", "Renamed");
    }

    [Fact]
    public async Task A_user_outside_editors_is_refused_without_calling_the_api()
    {
        var act = async () => await new UpdateMyObjectNameCommandHandler(_gateway, FakeCurrentUser.Bob)
            .Handle(new UpdateMyObjectNameCommand("1234567890abcdef", "Renamed"), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
        _gateway.Mutations.Should().BeEmpty();
    }

    [Fact]
    public async Task The_group_name_is_matched_exactly()
    {
        var act = async () => await new UpdateMyObjectNameCommandHandler(_gateway, new FakeCurrentUser("eve", "Editors"))
            .Handle(new UpdateMyObjectNameCommand("1234567890abcdef", "Renamed"), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Fact]
    public async Task When_the_api_refuses_the_group_check_it_is_forbidden()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson("""{"updateMyObject":null}""", FakeGraphQlGateway.Error("Unauthorized", "updateMyObject"));

        var act = async () => await new UpdateMyObjectNameCommandHandler(_gateway, FakeCurrentUser.Alice)
            .Handle(new UpdateMyObjectNameCommand("1234567890abcdef", "Renamed"), default);

        await act.Should().ThrowAsync<ForbiddenAccessException>();
    }

    [Fact]
    public async Task Renaming_an_unknown_object_is_not_found()
    {
        _gateway = FakeGraphQlGateway.AnsweringJson("""{"updateMyObject":null}""", FakeGraphQlGateway.Error("NotFoundException", "updateMyObject"));

        var act = async () => await new UpdateMyObjectNameCommandHandler(_gateway, FakeCurrentUser.Alice)
            .Handle(new UpdateMyObjectNameCommand("unknown", "Renamed"), default);

        await act.Should().ThrowAsync<NotFoundException>();
    }
}
