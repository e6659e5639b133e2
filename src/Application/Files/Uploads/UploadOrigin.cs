namespace CleanCognito.Application.Files.Uploads;

/// <summary>
/// The origin (<c>scheme://host:port</c>) the browser sends parts to: the bucket's, as the store's
/// presigned URLs name it. The page's CSP <c>connect-src</c> allows it and nothing else beside 'self'.
/// </summary>
public sealed record UploadOrigin(string Value);
