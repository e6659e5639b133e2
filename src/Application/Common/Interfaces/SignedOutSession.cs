namespace CleanCognito.Application.Common.Interfaces;

/// <summary>The ids of one signed-out session and when the last token that may carry them expires.</summary>
public sealed record SignedOutSession(IReadOnlyCollection<string> Ids, DateTimeOffset Until);
