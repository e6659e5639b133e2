using CleanCognito.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Files;

/// <summary>The upload limit as the pages need it, so page models stay free of Infrastructure types.</summary>
public sealed class UploadLimits(IOptions<StorageOptions> storage)
{
    public long MaxUploadBytes => storage.Value.MaxUploadBytes;
}
