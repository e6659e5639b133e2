using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Application.Common.Interfaces;
using CleanCognito.Domain.Objects;
using Mediator;

namespace CleanCognito.Application.Objects.CreateMyObject;

/// <summary>Creates an object owned by the signed-in user (AppSync sets the owner from the token, never from input).</summary>
public sealed record CreateMyObjectCommand(string Name) : ICommand<MyObject>;

public sealed class CreateMyObjectCommandHandler(IGraphQlGateway gateway) : ICommandHandler<CreateMyObjectCommand, MyObject>
{
    internal const string Document = $$"""
        mutation CreateMyObject($name: String!) {
          createMyObject(name: $name) { {{MyObjectFields.Selection}} }
        }
        """;

    public async ValueTask<MyObject> Handle(CreateMyObjectCommand command, CancellationToken cancellationToken)
    {
        var operation = new GraphQlOperation(Document, "CreateMyObject", new Dictionary<string, object?> { ["name"] = command.Name });
        var result = await gateway.MutateAsync<Data>(operation, cancellationToken);

        GraphQlErrors.ThrowIfFailed(result, "createMyObject");
        return result.Data?.CreateMyObject?.ToDomain() ?? throw new GraphQlOperationException();
    }

    internal sealed record Data(MyObjectFields? CreateMyObject);
}
