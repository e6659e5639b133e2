namespace CleanCognito.Web.Middleware;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows scripts and styles from
/// this origin only (no inline script), fetches go here or to the bucket (direct uploads), and forms may post here or be redirected to the Cognito
/// domain (logout ends with a redirect there, which <c>form-action</c> also governs).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, SecurityHeadersPolicy policy)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>The header values, computed once at start-up.</summary>
/// <param name="uploadOrigin">The bucket's origin: the browser sends upload parts there (and nowhere else).</param>
internal sealed class SecurityHeadersPolicy(IEnumerable<string> formActionOrigins, string? uploadOrigin = null)
{
    public string ContentSecurityPolicy { get; } = string.Join("; ",
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        uploadOrigin is null ? "connect-src 'self'" : $"connect-src 'self' {uploadOrigin}",
        $"form-action {string.Join(' ', new[] { "'self'" }.Concat(formActionOrigins).Distinct())}",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'");
}
