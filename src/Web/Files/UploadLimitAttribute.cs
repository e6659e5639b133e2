using CleanCognito.Application.Files.UploadFile;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CleanCognito.Web.Files;

/// <summary>
/// Refuses an upload larger than <c>Storage:MaxUploadBytes</c> before anything reads its body, with
/// the friendly 413 page. It runs as an authorization filter ordered before the antiforgery check
/// (order 1000), because that check reads the whole form; Kestrel's and the form reader's limits
/// are set to the same size so a body without a Content-Length is cut off as well.
/// Why not [RequestSizeLimit]/[RequestFormLimits]: see docs/decisions/0002-identity-pool-credentials-and-files.md (Web).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class UploadLimitAttribute : Attribute, IFilterFactory, IOrderedFilter
{
    /// <summary>Room for the multipart boundaries, headers and the antiforgery field around the file.</summary>
    internal const long FormOverheadBytes = 64 * 1024;

    public int Order => 900;

    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        new Filter(serviceProvider.GetRequiredService<UploadLimit>().MaxBytes + FormOverheadBytes);

    private sealed class Filter(long limit) : IAuthorizationFilter, IOrderedFilter
    {
        public int Order => 900;

        public void OnAuthorization(AuthorizationFilterContext context)
        {
            var http = context.HttpContext;
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                return;
            }

            if (http.Request.ContentLength > limit)
            {
                // Said before the body is read; the status-code page explains it.
                context.Result = new StatusCodeResult(StatusCodes.Status413PayloadTooLarge);
                return;
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = limit;
            }

            if (http.Request.HasFormContentType && http.Features.Get<IFormFeature>() is null)
            {
                http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = limit }));
            }
        }
    }
}
