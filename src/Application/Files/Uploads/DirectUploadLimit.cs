namespace CleanCognito.Application.Files.Uploads;

/// <summary>
/// The largest file the browser may upload straight to the store in parts (<c>Storage:MaxDirectUploadBytes</c>,
/// default 5 GiB). Infrastructure reads the setting; the handlers and the page share this value.
/// </summary>
public sealed record DirectUploadLimit(long MaxBytes);
