using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Application.Common.Security;
using CleanCognito.Domain.Objects;
using Mediator;

namespace CleanCognito.Application.Objects.UpdateMyObjectName;

/// <summary>
/// Renames one of the user's objects. Editors only: checked here and, independently, by the AppSync
/// schema; ownership is the resolver's condition (another user's object is not found).
/// </summary>
public sealed record UpdateMyObjectNameCommand(string Id, string Name) : ICommand<MyObject>;

public sealed class UpdateMyObjectNameCommandHandler(IGraphQlGateway gateway, ICurrentUser currentUser)
    : ICommandHandler<UpdateMyObjectNameCommand, MyObject>
{
    internal const string Document = $$"""
        mutation UpdateMyObject($id: ID!, $name: String!) {
          updateMyObject(id: $id, name: $name) { {{MyObjectFields.Selection}} }
        }
        """;

    public async ValueTask<MyObject> Handle(UpdateMyObjectNameCommand command, CancellationToken cancellationToken)
    {
        // Refuse before calling out: AppSync would refuse too, but a round trip for a known "no" is waste.
        if (!currentUser.Groups.Contains(Groups.Editors, StringComparer.Ordinal))
        {
            throw new ForbiddenAccessException("Only editors can rename objects.");
        }

        var operation = new GraphQlOperation(Document, "UpdateMyObject", new Dictionary<string, object?>
        {
            ["id"] = command.Id,
            ["name"] = command.Name,
        });
        var result = await gateway.MutateAsync<Data>(operation, cancellationToken);

        GraphQlErrors.ThrowIfFailed(result, "updateMyObject");
        var fields = result.Data?.UpdateMyObject ?? throw NotFoundException.For("Object", command.Id);
        return fields.ToDomain() ?? throw new GraphQlOperationException();
    }

    internal sealed record Data(MyObjectFields? UpdateMyObject);
}
