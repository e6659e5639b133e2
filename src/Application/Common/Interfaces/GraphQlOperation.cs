namespace CleanCognito.Application.Common.Interfaces;

/// <summary>A GraphQL document with its variables. Values always travel as variables, never spliced into the document.</summary>
public sealed record GraphQlOperation(
    string Document,
    string OperationName,
    IReadOnlyDictionary<string, object?> Variables);
