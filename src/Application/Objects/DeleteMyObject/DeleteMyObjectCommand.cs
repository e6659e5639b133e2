using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;
using Mediator;

namespace CleanCognito.Application.Objects.DeleteMyObject;

/// <summary>
/// Deletes one of the signed-in user's objects and returns it as it was. Another user's object is
/// not found, exactly like a missing one (AppSync's resolver checks the owner).
/// </summary>
public sealed record DeleteMyObjectCommand(string Id) : ICommand<MyObject>;

public sealed class DeleteMyObjectCommandHandler(IGraphQlGateway gateway) : ICommandHandler<DeleteMyObjectCommand, MyObject>
{
    internal const string Document = $$"""
        mutation DeleteMyObject($id: ID!) {
          deleteMyObject(id: $id) { {{MyObjectFields.Selection}} }
        }
        """;

    public async ValueTask<MyObject> Handle(DeleteMyObjectCommand command, CancellationToken cancellationToken)
    {
        var operation = new GraphQlOperation(Document, "DeleteMyObject", new Dictionary<string, object?> { ["id"] = command.Id });
        var result = await gateway.MutateAsync<Data>(operation, cancellationToken);

        GraphQlErrors.ThrowIfFailed(result, "deleteMyObject");
        var fields = result.Data?.DeleteMyObject ?? throw NotFoundException.For("Object", command.Id);
        return fields.ToDomain() ?? throw new GraphQlOperationException();
    }

    internal sealed record Data(MyObjectFields? DeleteMyObject);
}
