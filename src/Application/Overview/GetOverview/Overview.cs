namespace CleanCognito.Application.Overview.GetOverview;

/// <param name="Objects">Null when AppSync could not be read: the rest of the page still shows.</param>
/// <param name="Files">Null when the identity pool or S3 could not be reached.</param>
/// <param name="Notes">Null when the identity pool or DynamoDB could not be reached (or refused).</param>
/// <param name="Unavailable">Why each null card is null, for the one log line per failed call.</param>
public sealed record Overview(
    string Username,
    IReadOnlyCollection<string> Groups,
    ObjectsSummary? Objects,
    FilesSummary? Files,
    NotesSummary? Notes,
    IReadOnlyCollection<UnavailableCard> Unavailable);
