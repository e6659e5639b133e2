namespace CleanCognito.Application.Files.UploadFile;

/// <summary>
/// The largest upload accepted, in bytes (<c>Storage:MaxUploadBytes</c>). The one value the upload
/// handler, the upload page and its request-size filter all use; Infrastructure reads the setting.
/// </summary>
public sealed record UploadLimit(long MaxBytes);
